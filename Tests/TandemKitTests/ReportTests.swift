import Foundation
import XCTest

@testable import TandemKit

/// Issue 4: the internal report (Output/internal/), its k-anonymous feedback aggregates and the site's
/// "programme in numbers", on a programme whose figures are worked out by hand below.
///
/// Five tandems, reference date 2026-04-30, inactivity 30 days, k = 3:
///
/// | tandem      | started    | status    | meetings ≤ ref (minutes)                         | last       | days | since start | expected | verdict   |
/// | ----------- | ---------- | --------- | ------------------------------------------------ | ---------- | ---- | ----------- | -------- | --------- |
/// | tandem-alfa | 2026-01-05 | active    | 01-10 (60), 02-10 (90), 03-10 (60), 04-20 (30)   | 2026-04-20 | 10   | 115         | 3        | on-track  |
/// | tandem-beta | 2026-01-05 | active    | 01-15 (45), 03-01 (–)                            | 2026-03-01 | 60   | 115         | 3        | inactive  |
/// | tandem-gamma| 2026-04-15 | active    | –                                                | –          | 15   | 15          | 0        | on-track  |
/// | tandem-delta| 2026-01-20 | completed | 02-01 (60)                                       | 2026-02-01 | 88   | 100         | 0        | completed |
/// | tandem-eps  | 2026-01-05 | ended     | 01-20 (30)                                       | 2026-01-20 | 100  | 115         | 3        | ended     |
///
/// 8 meetings, 375 minutes (6.25 h → "6", whole hours as on the home page), 1.6 per tandem, 2 of 3 active on track; one more meeting after the
/// reference date is not counted. Per month: Jan 3, Feb 2, Mar 2, Apr 1.
///
/// Feedback on `nutzen` (k = 3):
/// - kickoff: mentors alfa 5, beta 4, gamma 4, delta 3 (4 people); mentees alfa 2, beta 5 (2 people) → mentees hidden
///   (fewer than k), "all" shown (6 people, 23/6 = 3.8), so mentors are hidden too (complementary).
/// - midterm: the mentee of alfa answers twice (4, 5) and the mentee of beta once (3): 3 responses but 2 people → hidden.
/// - final: mentors 4, 5, 3 (4.0), mentees 5, 4, 4 (4.3), all 6 people, 25/6 = 4.2: everything shown.
final class ReportTests: TandemTestCase {
    private static let programme = """
        title: "Report-Test"
        organiser: "Forum Test"
        language: de
        start: 2026-01-01
        end: 2026-06-30
        reference_date: 2026-04-30
        anonymity_threshold: 3
        rules:
          inactivity_days: 30
        feedback:
          scale: 5
          questions:
            nutzen: "Wie nützlich waren die Treffen?"
            klima: "Wie ist das Klima?"

        """

    private static let participants: String = {
        var rows = ["id,name,role,organisation,email,publish"]
        for (index, name) in ["alfa", "beta", "gamma", "delta", "eps"].enumerated() {
            rows.append("mentor-\(name),Mentor \(name.capitalized),mentor,Firma M\(index),mentor.\(name)@example.ch,yes")
            rows.append("mentee-\(name),Mentee \(name.capitalized),mentee,Firma E\(index),mentee.\(name)@example.ch,yes")
        }
        return rows.joined(separator: "\n") + "\n"
    }()

    private static let pairs = """
        id,mentor,mentee,started,goals,status
        tandem-alfa,mentor-alfa,mentee-alfa,2026-01-05,=SUMME(A1);Instagram verstehen,active
        tandem-beta,mentor-beta,mentee-beta,2026-01-05,KI ausprobieren,active
        tandem-gamma,mentor-gamma,mentee-gamma,2026-04-15,,active
        tandem-delta,mentor-delta,mentee-delta,2026-01-20,,completed
        tandem-eps,mentor-eps,mentee-eps,2026-01-05,,ended

        """

    private static let meetings = """
        pair,date,minutes,format,topics,note
        tandem-alfa,2026-01-10,60,in-person,TikTok;KI-Tools,NOTE-ALFA-1
        tandem-alfa,2026-02-10,90,video,tiktok,NOTE-ALFA-2
        tandem-alfa,2026-03-10,60,video,<script>alert(1)</script>,
        tandem-alfa,2026-04-20,30,phone,,
        tandem-alfa,2026-05-10,60,video,,NOTE-AFTER-REFERENCE
        tandem-beta,2026-01-15,45,video,KI-Tools,
        tandem-beta,2026-03-01,,,,
        tandem-delta,2026-02-01,60,in-person,,
        tandem-eps,2026-01-20,30,phone,,

        """

    private func feedback(
        _ tandem: String, _ author: String, _ phase: String, _ ratings: [String: Int], share: String = "private", text: String = ""
    )
        -> String
    {
        let lines = ratings.keys.sorted().map { "  \($0): \(ratings[$0]!)" }.joined(separator: "\n")
        return "---\npair: \(tandem)\nauthor: \(author)\nphase: \(phase)\nshare: \(share)\nratings:\n\(lines)\n---\n\(text)\n"
    }

    /// Replaces the shared fixture's content with the programme described above.
    private func writeReportProgramme(k: Int = 3, language: String = "de") {
        for name in ProgrammeFixture.defaultFiles.keys where name.hasPrefix("feedback/") || name.hasPrefix("profiles/") {
            fixture.remove(name)
        }
        fixture.write(
            "programme.yml",
            Self.programme.replacingOccurrences(of: "anonymity_threshold: 3", with: "anonymity_threshold: \(k)")
                .replacingOccurrences(of: "language: de", with: "language: \(language)"))
        fixture.write("participants.csv", Self.participants)
        fixture.write("pairs.csv", Self.pairs)
        fixture.write("meetings.csv", Self.meetings)
        let entries: [(String, String)] = [
            (
                "k-m-alfa",
                feedback("tandem-alfa", "mentor", "kickoff", ["nutzen": 5], share: "anonymous", text: "ANON-KICK-MENTOR-ALFA hilft mir.")
            ),
            (
                "k-m-beta",
                feedback("tandem-beta", "mentor", "kickoff", ["nutzen": 4], share: "quote", text: "QUOTE-KICK-MENTOR-BETA war gut.")
            ),
            ("k-m-gamma", feedback("tandem-gamma", "mentor", "kickoff", ["nutzen": 4], text: "PRIVATE-KICK-MENTOR-GAMMA streng geheim.")),
            (
                "k-m-delta",
                feedback("tandem-delta", "mentor", "kickoff", ["nutzen": 3], share: "anonymous", text: "ANON-KICK-MENTOR-DELTA spannend.")
            ),
            (
                "k-e-alfa",
                feedback("tandem-alfa", "mentee", "kickoff", ["nutzen": 2], share: "anonymous", text: "ANON-KICK-MENTEE-ALFA zu klein.")
            ),
            (
                "k-e-beta",
                feedback("tandem-beta", "mentee", "kickoff", ["nutzen": 5], share: "quote", text: "QUOTE-KICK-MENTEE-BETA zu klein.")
            ),
            ("m-e-alfa-1", feedback("tandem-alfa", "mentee", "midterm", ["nutzen": 4])),
            ("m-e-alfa-2", feedback("tandem-alfa", "mentee", "midterm", ["nutzen": 5])),
            ("m-e-beta", feedback("tandem-beta", "mentee", "midterm", ["nutzen": 3])),
            ("f-m-alfa", feedback("tandem-alfa", "mentor", "final", ["nutzen": 4, "klima": 2])),
            ("f-m-beta", feedback("tandem-beta", "mentor", "final", ["nutzen": 5])),
            ("f-m-gamma", feedback("tandem-gamma", "mentor", "final", ["nutzen": 3])),
            ("f-e-alfa", feedback("tandem-alfa", "mentee", "final", ["nutzen": 5], text: "PRIVATE-FINAL-MENTEE-ALFA nur Zahlen.")),
            ("f-e-beta", feedback("tandem-beta", "mentee", "final", ["nutzen": 4])),
            ("f-e-gamma", feedback("tandem-gamma", "mentee", "final", ["nutzen": 4])),
        ]
        for (name, text) in entries { fixture.write("feedback/\(name).md", text) }
    }

    private func buildReport(k: Int = 3, language: String = "de", file: StaticString = #filePath, line: UInt = #line) -> BuildResult {
        writeReportProgramme(k: k, language: language)
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        return result
    }

    private var report: String { readText(output, "internal/report.html") ?? "" }

    /// A CSV export as rows of fields: UTF-8 with BOM, `;`, CRLF, `"` quoting.
    private func csv(_ name: String) -> [[String]] {
        guard let text = readText(output, "internal/data/\(name)") else { return [] }
        XCTAssertTrue(text.hasPrefix("\u{FEFF}"), "\(name) should start with a BOM")
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.dropFirst())[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == ";" {
                row.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.append(c)
            }
        }
        return rows
    }

    /// The feedback.csv row of one cell, as `[status, people, responses, mean, rating_1 ... rating_5]`.
    private func cell(_ phase: String, _ question: String, _ group: String) -> [String] {
        let rows = csv("feedback.csv")
        guard let row = rows.first(where: { $0.count > 4 && $0[0] == phase && $0[1] == question && $0[3] == group }) else {
            XCTFail("no feedback.csv row for \(phase)/\(question)/\(group)")
            return []
        }
        return Array(row[4...])
    }

    // MARK: Files and markings

    func testReportIsWrittenNoindexWithBannerAndExports() {
        buildReport()
        XCTAssertTrue(report.contains("<meta name=\"robots\" content=\"noindex, nofollow, noarchive\">"))
        XCTAssertTrue(report.contains("Intern – nicht veröffentlichen."), "the internal banner is missing")
        for name in ["tandem-health.csv", "feedback.csv", "meetings-by-month.csv"] {
            XCTAssertTrue(fileExists(output + "/internal/data/" + name), "internal/data/\(name) is missing")
        }
        XCTAssertFalse(report.contains("<script"), "the report must not contain scripts (a topic named <script> must be escaped)")
        XCTAssertTrue(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the topic should appear escaped")
        XCTAssertFalse(report.contains("<link "), "the report must be self-contained")
        // No site page links to the report.
        for (path, data) in snapshot(output + "/site") where path.hasSuffix(".html") {
            XCTAssertFalse(String(decoding: data, as: UTF8.self).contains("internal/"), "site/\(path) links to internal/")
        }
    }

    // MARK: Known figures

    func testOverviewFigures() {
        buildReport()
        let tiles = report.components(separatedBy: "class=\"tiles\"").last?.components(separatedBy: "</dl>").first ?? ""
        for (label, value) in [
            ("Teilnehmende", "10"), ("Organisationen", "10"), ("Tandems", "5"), ("Treffen", "8"), ("Stunden im Austausch", "6"),
            ("Treffen pro Tandem", "1,6"), ("Brauchen Aufmerksamkeit", "1"), ("Tandems auf Kurs", "2"),
        ] {
            XCTAssertTrue(
                tiles.contains("<dt>\(label)</dt><dd class=\"tile-value\">\(value)</dd>"),
                "overview tile \(label) = \(value) missing in:\n\(tiles)")
        }
        XCTAssertTrue(tiles.contains("3 aktiv · 1 abgeschlossen · 1 beendet"), tiles)
        XCTAssertTrue(tiles.contains("1 Treffen ohne Dauer"), tiles)
        XCTAssertTrue(tiles.contains("1 inaktiv · 0 mit zu wenigen Treffen"), tiles)
        XCTAssertTrue(tiles.contains("von 3 aktiven Tandems"), tiles)
        XCTAssertTrue(
            report.contains("1 Treffen im Protokoll liegt nach dem Stichtag"),
            "the meeting after the reference date is mentioned, in the singular")
    }

    func testTandemHealthRelativeToReferenceDate() {
        buildReport()
        let rows = csv("tandem-health.csv")
        XCTAssertEqual(
            rows.first,
            [
                "tandem", "mentor", "mentee", "status", "verdict", "started", "meetings", "minutes", "last_meeting",
                "days_since_last_meeting", "days_since_start", "expected_meetings", "goals",
            ])
        let byID = Dictionary(rows.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        func check(
            _ id: String, verdict: String, meetings: String, minutes: String, last: String, days: String, sinceStart: String,
            expected: String
        ) {
            guard let row = byID[id] else { return XCTFail("no row for \(id)") }
            XCTAssertEqual(row[4], verdict, id)
            XCTAssertEqual(Array(row[6...11]), [meetings, minutes, last, days, sinceStart, expected], id)
        }
        check(
            "tandem-alfa", verdict: "on-track", meetings: "4", minutes: "240", last: "2026-04-20", days: "10", sinceStart: "115",
            expected: "3")
        check(
            "tandem-beta", verdict: "inactive", meetings: "2", minutes: "45", last: "2026-03-01", days: "60", sinceStart: "115",
            expected: "3")
        check("tandem-gamma", verdict: "on-track", meetings: "0", minutes: "0", last: "", days: "15", sinceStart: "15", expected: "0")
        check(
            "tandem-delta", verdict: "completed", meetings: "1", minutes: "60", last: "2026-02-01", days: "88", sinceStart: "100",
            expected: "0")
        check(
            "tandem-eps", verdict: "ended", meetings: "1", minutes: "30", last: "2026-01-20", days: "100", sinceStart: "115", expected: "3")
        // Spreadsheet formulas in content are defused; a cell with ';' is quoted.
        XCTAssertEqual(byID["tandem-alfa"]?.last, "'=SUMME(A1); Instagram verstehen")
        XCTAssertTrue((readText(output, "internal/data/tandem-health.csv") ?? "").contains(";\"'=SUMME(A1); Instagram verstehen\"\r\n"))
        // Beta is the one tandem needing attention, with its reason in words; gamma is on track, never "of 0 expected".
        let attention = section(of: report, from: "id=\"tandems-attention\"", to: "id=\"tandems-on-track\"")
        XCTAssertTrue(attention.contains("60 Tage ohne Treffen (letztes Treffen am 1. März 2026)"), attention)
        XCTAssertEqual(attention.components(separatedBy: "<tr id=\"tandem-").count - 1, 1, "exactly one tandem needs attention")
        XCTAssertTrue(attention.contains("id=\"tandem-tandem-beta\""), attention)
        XCTAssertTrue(report.contains("Start am 15. April 2026, noch kein Treffen erwartet"), "gamma's reason")
        XCTAssertTrue(report.contains("4 Treffen in 115 Tagen, erwartet mindestens 3"), "alfa's reason")
        XCTAssertTrue(report.contains("1 Treffen, letztes am 1. Februar 2026"), "delta's reason")
        XCTAssertFalse(report.contains("von 0 erwartet"))
    }

    func testMeetingsPerMonthAndFormat() {
        buildReport()
        XCTAssertEqual(
            csv("meetings-by-month.csv"),
            [
                ["month", "meetings", "minutes"], ["2026-01", "3", "135"], ["2026-02", "2", "150"], ["2026-03", "2", "60"],
                ["2026-04", "1", "30"],
            ])
        // The month chart: an SVG with a title and one labelled bar per month.
        XCTAssertTrue(report.contains("<title id=\"chart-months-title\">Treffen pro Monat</title>"))
        XCTAssertTrue(report.contains("<title>Januar 2026: 3 Treffen</title>"), "bar alternative text")
        XCTAssertTrue(report.contains("<title>April 2026: 1 Treffen</title>"))
        XCTAssertTrue(report.contains("<title>Mai 2026") == false, "no month after the reference date")
        // Formats: in-person 2, video 3, phone 2, not recorded 1.
        for (label, count) in [("vor Ort", 2), ("Video", 3), ("Telefon", 2), ("ohne Angabe", 1)] {
            XCTAssertTrue(report.contains("<title>\(label): \(count) Treffen</title>"), "format \(label)")
        }
        // Topics are merged ignoring case: TikTok twice.
        XCTAssertTrue(report.contains("<title>TikTok: 2 Treffen</title>"))
        XCTAssertTrue(report.contains("<title>KI-Tools: 2 Treffen</title>"))
        // SVG numbers have fixed decimals.
        XCTAssertNil(report.range(of: "=\"[0-9]+\\.[0-9]{2,}\"", options: .regularExpression), "SVG coordinates with more than one decimal")
    }

    // MARK: Feedback: k-anonymity

    func testPrimaryAndComplementarySuppression() {
        buildReport()
        XCTAssertEqual(cell("kickoff", "nutzen", "mentee"), ["fewer-than-k", "", "", "", "", "", "", "", ""])
        XCTAssertEqual(cell("kickoff", "nutzen", "mentor"), ["complementary", "", "", "", "", "", "", "", ""])
        XCTAssertEqual(cell("kickoff", "nutzen", "all"), ["shown", "6", "6", "3.8", "0", "1", "1", "2", "2"])
        XCTAssertTrue(
            report.contains("verborgen zum Schutz der Anonymität: sonst liesse sich ein verborgener Wert aus «Alle» ausrechnen"),
            "the reason for hiding a group to protect another should be shown in plain words")
        XCTAssertTrue(report.contains("verborgen zum Schutz der Anonymität: weniger als 3 Personen"))
        XCTAssertFalse(report.contains("omplementär"), "no statistical jargon for the programme manager")
        // The mentors' own figures (mean 4.0 over 4 people) appear nowhere in the kickoff section.
        let kickoff = section(of: report, from: "id=\"feedback-kickoff\"", to: "id=\"feedback-midterm\"")
        XCTAssertFalse(kickoff.contains("4,0"), "a complementary-suppressed mean leaked")
        XCTAssertTrue(kickoff.contains(">3,8<"), "the kickoff total")
        XCTAssertTrue(
            report.contains(
                "4 von 18 Werten gezeigt. Verborgen zum Schutz der Anonymität: 5, weil weniger als 3 Personen geantwortet haben, und 1, weil sich sonst ein verborgener Wert ausrechnen liesse."
            ))
    }

    func testDistinctPeopleAreCountedNotEntries() {
        buildReport()
        // Three midterm answers of mentees, but only two people: below k.
        XCTAssertEqual(cell("midterm", "nutzen", "mentee"), ["fewer-than-k", "", "", "", "", "", "", "", ""])
        XCTAssertEqual(cell("midterm", "nutzen", "all")[0], "fewer-than-k")
        XCTAssertEqual(cell("midterm", "nutzen", "mentor")[0], "empty")
        // Unit level: a person answering twice is one person, with both responses.
        let statistics = FeedbackStatistics(try! XCTUnwrap(fixture.check().programme))
        let midterm = try! XCTUnwrap(statistics.phases.first { $0.phase == .midterm })
        XCTAssertEqual(midterm.questions[0].group[.mentee].people.count, 2)
        XCTAssertEqual(midterm.questions[0].group[.mentee].ratings.count, 3)
    }

    func testCellsAtKAreShownWithMeansAndDistributions() {
        buildReport()
        XCTAssertEqual(cell("final", "nutzen", "mentor"), ["shown", "3", "3", "4.0", "0", "0", "1", "1", "1"])
        XCTAssertEqual(cell("final", "nutzen", "mentee"), ["shown", "3", "3", "4.3", "0", "0", "0", "2", "1"])
        XCTAssertEqual(cell("final", "nutzen", "all"), ["shown", "6", "6", "4.2", "0", "0", "1", "3", "2"])
        XCTAssertEqual(cell("final", "klima", "mentor")[0], "fewer-than-k")
        XCTAssertEqual(cell("final", "klima", "all")[0], "fewer-than-k")
        let final = section(of: report, from: "id=\"feedback-final\"", to: "id=\"log\"")
        for mean in ["4,0", "4,3", "4,2"] { XCTAssertTrue(final.contains(">\(mean)<"), "final mean \(mean)") }
        XCTAssertTrue(final.contains("Antworten pro Bewertung: 1: 0, 2: 0, 3: 1, 4: 3, 5: 2"), "distribution text alternative")
    }

    /// "People" and "answers" differ only when someone answered twice in a round: one column, with the answers beside
    /// the people only then (the mean is over answers).
    func testAnswersAreShownBesidePeopleOnlyWhenTheyDiffer() {
        buildReport(k: 2)
        XCTAssertEqual(cell("midterm", "nutzen", "mentee"), ["shown", "2", "3", "4.0", "0", "0", "1", "1", "1"])
        let midterm = section(of: report, from: "id=\"feedback-midterm\"", to: "id=\"feedback-final\"")
        XCTAssertTrue(midterm.contains(">2<span class=\"sub\">aus 3 Antworten</span></td>"), midterm)
        let final = section(of: report, from: "id=\"feedback-final\"", to: "id=\"log\"")
        XCTAssertFalse(final.contains("Antworten</span>"), "no second figure where people and answers agree")
        XCTAssertFalse(report.contains(">Antworten</th>"), "no column that repeats another")
    }

    func testHigherThresholdSuppressesMore() {
        buildReport(k: 5)
        XCTAssertEqual(cell("kickoff", "nutzen", "all"), ["shown", "6", "6", "3.8", "0", "1", "1", "2", "2"])
        XCTAssertEqual(cell("kickoff", "nutzen", "mentor")[0], "fewer-than-k")
        XCTAssertEqual(cell("final", "nutzen", "mentor")[0], "fewer-than-k")
        XCTAssertEqual(cell("final", "nutzen", "mentee")[0], "fewer-than-k")
        XCTAssertEqual(cell("final", "nutzen", "all")[0], "shown")
        // With k = 5 no kickoff group has five respondents: no comment is shown.
        XCTAssertFalse(report.contains("ANON-KICK"))
    }

    func testSuppressionRulesOnSingleGroups() {
        func group(_ mentors: Int, _ mentees: Int, k: Int) -> FeedbackGroup {
            var cells: [Role: FeedbackCell] = [:]
            cells[.mentor] = FeedbackCell(people: Set((0..<mentors).map { "m\($0)" }), ratings: Array(repeating: 4, count: mentors))
            cells[.mentee] = FeedbackCell(people: Set((0..<mentees).map { "e\($0)" }), ratings: Array(repeating: 2, count: mentees))
            return FeedbackGroup(roles: cells, k: k)
        }
        func statuses(_ g: FeedbackGroup) -> [CellStatus] { g.cells.map(\.status) }
        XCTAssertEqual(statuses(group(4, 2, k: 3)), [.complementary, .fewerThanK, .shown])
        XCTAssertEqual(statuses(group(2, 5, k: 3)), [.fewerThanK, .complementary, .shown])
        XCTAssertEqual(statuses(group(4, 0, k: 3)), [.shown, .empty, .shown], "nothing to hide when the other role is empty")
        XCTAssertEqual(statuses(group(2, 2, k: 3)), [.fewerThanK, .fewerThanK, .shown], "two hidden cells cannot be told apart")
        XCTAssertEqual(statuses(group(1, 1, k: 3)), [.fewerThanK, .fewerThanK, .fewerThanK])
        XCTAssertEqual(statuses(group(3, 3, k: 3)), [.shown, .shown, .shown])
        XCTAssertEqual(statuses(group(0, 0, k: 3)), [.empty, .empty, .empty])
        XCTAssertEqual(statuses(group(1, 1, k: 1)), [.shown, .shown, .shown])
        // Means in tenths, rounded half up: (4 + 4 + 5) / 3 = 4.33 → 43; (4 + 5) / 2 = 4.5 → 45.
        XCTAssertEqual(FeedbackCell(people: ["a", "b", "c"], ratings: [4, 4, 5]).meanTenths, 43)
        XCTAssertEqual(FeedbackCell(people: ["a", "b"], ratings: [4, 5]).meanTenths, 45)
        XCTAssertEqual(FeedbackCell(people: ["a", "b", "c", "d", "e", "f"], ratings: [1, 1, 1, 1, 1, 2]).meanTenths, 12)
    }

    // MARK: Comments and private text

    func testCommentsOnlyForGroupsMeetingKInHashOrderWithoutAttribution() {
        buildReport()
        let kickoff = section(of: report, from: "id=\"feedback-kickoff\"", to: "id=\"feedback-midterm\"")
        let shown = ["ANON-KICK-MENTOR-ALFA hilft mir.", "QUOTE-KICK-MENTOR-BETA war gut.", "ANON-KICK-MENTOR-DELTA spannend."]
        for text in shown { XCTAssertTrue(kickoff.contains(text), "comment '\(text)' of a group with 4 people") }
        // The mentees' group has only two people.
        XCTAssertFalse(report.contains("ANON-KICK-MENTEE-ALFA"))
        XCTAssertFalse(report.contains("QUOTE-KICK-MENTEE-BETA"))
        XCTAssertTrue(kickoff.contains("Nicht gezeigt: weniger als 3 Personen dieser Gruppe haben geantwortet."))
        // Ordered by a hash of the text, not by tandem.
        let positions = shown.map { kickoff.range(of: $0)!.lowerBound }
        let expected = shown.sorted { stableHash($0) < stableHash($1) }
        XCTAssertEqual(shown.sorted { positions[shown.firstIndex(of: $0)!] < positions[shown.firstIndex(of: $1)!] }, expected)
        // The feedback section names no tandem and no person.
        let feedbackSection = section(of: report, from: "id=\"feedback\"", to: "id=\"log\"")
        for name in ["alfa", "beta", "gamma", "delta", "Alfa", "Beta", "Gamma", "Delta"] {
            XCTAssertFalse(
                feedbackSection.contains(name.lowercased() == name ? "tandem-\(name)" : "Mentor \(name)"), "feedback names \(name)")
        }
    }

    func testPrivateFeedbackTextAppearsNowhere() {
        buildReport()
        let files = snapshot(output)
        XCTAssertFalse(files.isEmpty)
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            for secret in ["PRIVATE-KICK-MENTOR-GAMMA", "PRIVATE-FINAL-MENTEE-ALFA"] {
                XCTAssertFalse(text.contains(secret), "\(path) contains private feedback text")
            }
            if !path.hasPrefix("internal/") {
                XCTAssertFalse(text.contains("NOTE-ALFA-1"), "\(path) contains a meeting note")
                XCTAssertFalse(text.contains("ANON-KICK"), "\(path) contains anonymous (not quote) feedback")
            }
        }
        // Notes appear in the report's meeting log; the one after the reference date does not.
        XCTAssertTrue(report.contains("NOTE-ALFA-1"))
        XCTAssertFalse(report.contains("NOTE-AFTER-REFERENCE"))
        XCTAssertFalse(report.contains("@example.ch"), "the report needs no e-mail addresses")
    }

    func testDefaultFixturePrivateTextAbsentEverywhere() {
        assertSucceeded(fixture.build())
        for (path, data) in snapshot(output) {
            XCTAssertFalse(
                String(decoding: data, as: UTF8.self).contains(ProgrammeFixture.privateFeedback), "\(path) contains private feedback")
        }
        // Kickoff: one mentor and two mentees (both below k = 3, no comment shown); only their total of 3 people is shown.
        XCTAssertFalse(report.contains(ProgrammeFixture.anonymousFeedback))
        XCTAssertFalse(report.contains(ProgrammeFixture.quoteFeedback))
        XCTAssertEqual(cell("kickoff", "nutzen", "mentor")[0], "fewer-than-k")
        XCTAssertEqual(cell("kickoff", "nutzen", "mentee")[0], "fewer-than-k")
        XCTAssertEqual(cell("kickoff", "nutzen", "all"), ["shown", "3", "3", "4.0", "0", "0", "1", "1", "1"])
        XCTAssertTrue((readText(output, "site/index.html") ?? "").contains("Kick-off, 3 Personen"))
        // One more mentor answer makes the total 4 but the mentor cell stays below k: still no role figure.
        fixture.write("feedback/clara-dieter-mentor-kickoff.md", feedback("clara-dieter", "mentor", "kickoff", ["nutzen": 1]))
        assertSucceeded(fixture.build())
        XCTAssertEqual(cell("kickoff", "nutzen", "mentor")[0], "fewer-than-k")
        XCTAssertEqual(cell("kickoff", "nutzen", "mentee")[0], "fewer-than-k")
        XCTAssertEqual(cell("kickoff", "nutzen", "all")[0...3], ["shown", "4", "4", "3.3"])
    }

    // MARK: Public site, warnings, determinism

    func testPublicSiteShowsOnlyKSafeTotals() {
        buildReport()
        let home = readText(output, "site/index.html") ?? ""
        let numbers = section(of: home, from: "id=\"numbers-title\"", to: "</section>")
        XCTAssertTrue(numbers.contains("4,2 von 5"), numbers)
        XCTAssertTrue(numbers.contains("Schlussbilanz, 6 Personen"), numbers)
        XCTAssertEqual(numbers.components(separatedBy: "class=\"stat\"").count - 1, 1, "only nutzen has a total over k people")
        XCTAssertFalse(numbers.contains("4,3"), "no role figures on the site")
        XCTAssertTrue(home.contains("QUOTE-KICK-MENTOR-BETA"), "quotes stay on the site")
    }

    func testThresholdBelowFiveWarns() {
        let result = buildReport(k: 3)
        assertDiagnostic(result, .warning, in: "programme.yml", line: nil, contains: ["anonymity_threshold is 3"])
        fixture.remove("feedback")
        let without = buildReport(k: 5)
        XCTAssertFalse(without.diagnostics.contains { $0.message.contains("anonymity_threshold") }, listing(without))
    }

    func testEnglishUsesDecimalPoint() {
        buildReport(language: "en")
        XCTAssertTrue(report.contains(">4.2<"), "English mean")
        XCTAssertTrue(report.contains("Internal – do not publish."))
        XCTAssertTrue((readText(output, "site/index.html") ?? "").contains("4.2 of 5"))
    }

    func testReportIsByteIdenticalAcrossBuilds() {
        writeReportProgramme()
        let first = fixture.outputPath("A"), second = fixture.outputPath("B")
        assertSucceeded(fixture.build(output: first))
        assertSucceeded(fixture.build(output: second))
        let a = snapshot(first + "/internal"), b = snapshot(second + "/internal")
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (path, data) in a { XCTAssertEqual(data, b[path], "internal/\(path) differs between builds") }
        XCTAssertEqual(snapshot(first + "/site")["index.html"], snapshot(second + "/site")["index.html"])
    }

    func testReportPDFWithPDFOption() throws {
        guard PDF.locate() != nil else { throw XCTSkip("needs weasyprint (make test installs it)") }
        writeReportProgramme()
        var options = fixture.options()
        options.pdf = true
        assertSucceeded(Pipeline.build(options))
        let pdf = try XCTUnwrap(FileManager.default.contents(atPath: output + "/internal/report.pdf"), "internal/report.pdf is missing")
        XCTAssertEqual(pdf.prefix(5), Data("%PDF-".utf8))
        XCTAssertNil(pdf.range(of: Data("file://".utf8)), "the PDF links to a file of the build machine")
        XCTAssertNil(pdf.range(of: Data(fixture.root.path.utf8)), "the PDF contains the build machine's path")
        XCTAssertFalse(fileExists(output + "/site/report.pdf"))
        assertSucceeded(Pipeline.build(options))
        XCTAssertEqual(FileManager.default.contents(atPath: output + "/internal/report.pdf"), pdf, "report.pdf differs between two builds")
    }

    // MARK: Helpers

    private func section(of text: String, from start: String, to end: String) -> String {
        guard let lower = text.range(of: start) else { return "" }
        let rest = text[lower.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }
}
