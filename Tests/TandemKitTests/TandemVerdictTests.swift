import Foundation
import XCTest

@testable import TandemKit

/// The internal report's one verdict per tandem, on tandems constructed around a reference date of 2026-06-01 with
/// `inactivity_days: 30` (one meeting expected per full 30 days since a tandem's start):
///
/// | tandem    | started    | status    | meetings ≤ 2026-06-01                  | verdict         | reason                                  |
/// | --------- | ---------- | --------- | -------------------------------------- | --------------- | --------------------------------------- |
/// | t-new     | 2026-05-30 | active    | –                                      | on-track        | 2 days old: no meeting expected yet     |
/// | t-quick   | 2026-05-28 | active    | 05-30                                  | on-track        | 1 in 4 days, none expected (never "of 0")|
/// | t-behind  | 2026-03-26 | active    | 05-20                                  | needs-attention | 1 in 67 days, at least 2 expected       |
/// | t-silent  | 2026-04-01 | active    | –                                      | inactive        | no meeting, 61 days since the start     |
/// | t-stopped | 2026-03-02 | active    | 03-05, 03-20, 04-01, 04-10, 04-20      | inactive        | 42 days without (at cadence, but silent)|
/// | t-steady  | 2026-03-02 | active    | 03-10, 04-05, 05-01, 05-25             | on-track        | 4 in 91 days, at least 3 expected       |
/// | t-done    | 2026-03-02 | completed | 03-10                                  | completed       |                                         |
/// | t-quit    | 2026-03-02 | ended     | –                                      | ended           |                                         |
final class TandemVerdictTests: TandemTestCase {
    private static let ids = ["t-new", "t-quick", "t-behind", "t-silent", "t-stopped", "t-steady", "t-done", "t-quit"]

    private func writeProgramme(language: String = "de") {
        for name in ProgrammeFixture.defaultFiles.keys where name.hasPrefix("feedback/") || name.hasPrefix("profiles/") {
            fixture.remove(name)
        }
        fixture.write(
            "programme.yml",
            """
            title: "Verdict-Test"
            organiser: "Forum Test"
            language: \(language)
            start: 2026-03-01
            end: 2026-08-31
            reference_date: 2026-06-01
            rules:
              inactivity_days: 30

            """)
        var people = ["id,name,role,organisation,email,publish"]
        var pairs = ["id,mentor,mentee,started,goals,status"]
        let starts = ["2026-05-30", "2026-05-28", "2026-03-26", "2026-04-01", "2026-03-02", "2026-03-02", "2026-03-02", "2026-03-02"]
        let statuses = ["active", "active", "active", "active", "active", "active", "completed", "ended"]
        for (index, id) in Self.ids.enumerated() {
            let name = id.dropFirst(2).capitalized
            people.append("mentor-\(index),Mentor \(name),mentor,Firma M\(index),,no")
            people.append("mentee-\(index),Mentee \(name),mentee,Firma E\(index),,no")
            pairs.append("\(id),mentor-\(index),mentee-\(index),\(starts[index]),,\(statuses[index])")
        }
        fixture.write("participants.csv", people.joined(separator: "\n") + "\n")
        fixture.write("pairs.csv", pairs.joined(separator: "\n") + "\n")
        let meetings: [(String, [String])] = [
            ("t-quick", ["2026-05-30"]), ("t-behind", ["2026-05-20"]),
            ("t-stopped", ["2026-03-05", "2026-03-20", "2026-04-01", "2026-04-10", "2026-04-20"]),
            ("t-steady", ["2026-03-10", "2026-04-05", "2026-05-01", "2026-05-25"]), ("t-done", ["2026-03-10"]),
        ]
        var log = ["pair,date,minutes,format,topics,note"]
        for (id, dates) in meetings { for date in dates { log.append("\(id),\(date),60,video,,") } }
        fixture.write("meetings.csv", log.joined(separator: "\n") + "\n")
    }

    private func buildReport(language: String = "de", file: StaticString = #filePath, line: UInt = #line) -> String {
        writeProgramme(language: language)
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        return readText(output, "internal/report.html") ?? ""
    }

    /// The HTML of one tandem's row, or "" (with a failure) when the report does not have exactly one.
    private func row(_ id: String, in report: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let parts = report.components(separatedBy: "<tr id=\"tandem-\(id)\"")
        XCTAssertEqual(parts.count, 2, "\(id) should have exactly one row in report.html", file: file, line: line)
        guard parts.count == 2 else { return "" }
        return parts[1].components(separatedBy: "</tr>").first ?? ""
    }

    /// The report's group of tandems with the given id (`attention`, `on-track`, `closed`).
    private func group(_ id: String, in report: String) -> String {
        guard let start = report.range(of: "id=\"tandems-\(id)\"") else { return "" }
        let rest = report[start.upperBound...]
        let end = rest.range(of: "<div class=\"tandem-group")?.lowerBound ?? rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    private func verdict(of row: String) -> [String] {
        row.components(separatedBy: "class=\"verdict verdict-").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    func testEachTandemHasOneVerdictWithItsReasonInWords() {
        let report = buildReport()
        let expected: [String: (verdict: String, reason: String)] = [
            "t-new": ("on-track", "Start am 30. Mai 2026, noch kein Treffen erwartet"),
            "t-quick": ("on-track", "1 Treffen in 4 Tagen, noch keines erwartet"),
            "t-behind": ("needs-attention", "1 Treffen in 67 Tagen, erwartet mindestens 2"),
            "t-silent": ("inactive", "noch kein Treffen, 61 Tage seit dem Start am 1. April 2026"),
            "t-stopped": ("inactive", "42 Tage ohne Treffen (letztes Treffen am 20. April 2026)"),
            "t-steady": ("on-track", "4 Treffen in 91 Tagen, erwartet mindestens 3"),
            "t-done": ("completed", "1 Treffen, letztes am 10. März 2026"),
            "t-quit": ("ended", "ohne Treffen"),
        ]
        for id in Self.ids {
            let html = row(id, in: report)
            XCTAssertEqual(verdict(of: html), [expected[id]!.verdict], "\(id): one verdict, and the right one")
            XCTAssertTrue(html.contains(">\(expected[id]!.reason)<"), "\(id): reason '\(expected[id]!.reason)' in:\n\(html)")
        }
        // No second opinion anywhere: no status, inactivity flag or cadence column beside the verdict.
        XCTAssertFalse(report.contains("von 0 erwartet"))
        XCTAssertFalse(report.contains("Im Rhythmus"))
        XCTAssertFalse(report.contains("INAKTIV"))
        // The CSV export carries the same verdict.
        let csv = readText(output, "internal/data/tandem-health.csv") ?? ""
        XCTAssertTrue(
            csv.contains("\r\nt-behind;Mentor Behind;Mentee Behind;active;needs-attention;2026-03-26;1;60;2026-05-20;12;67;2;\r\n"), csv)
        XCTAssertTrue(csv.contains("\r\nt-new;Mentor New;Mentee New;active;on-track;2026-05-30;0;0;;2;2;0;\r\n"), csv)
    }

    func testTandemsNeedingAttentionComeFirstMostUrgentFirst() {
        let report = buildReport()
        let tandems = report.components(separatedBy: "id=\"tandems\"").last ?? ""
        let attention = group("attention", in: report)
        let onTrack = group("on-track", in: report)
        let closed = group("closed", in: report)
        func order(_ html: String) -> [String] {
            html.components(separatedBy: "<tr id=\"tandem-").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        // Inactive first, longest silence first, then those meeting too rarely; then the rest in pairs.csv order.
        XCTAssertEqual(order(attention), ["t-silent", "t-stopped", "t-behind"])
        XCTAssertEqual(order(onTrack), ["t-new", "t-quick", "t-steady"])
        XCTAssertEqual(order(closed), ["t-done", "t-quit"])
        XCTAssertEqual(order(tandems), ["t-silent", "t-stopped", "t-behind", "t-new", "t-quick", "t-steady", "t-done", "t-quit"])
        XCTAssertTrue(
            tandems.contains("3 von 6 aktiven Tandems brauchen Sie: 2 inaktiv, 1 mit zu wenigen Treffen."), "the summary sentence")
        // The legend explains every verdict with the programme's limit.
        for text in [
            "aktiv, aber seit mehr als 30 Tagen kein Treffen", "seltener als einmal pro 30 Tage",
            "in den ersten 30 Tagen wird noch keines erwartet",
        ] {
            XCTAssertTrue(tandems.contains(text), "legend: \(text)")
        }
        // The overview agrees.
        XCTAssertTrue(report.contains("<dt>Brauchen Aufmerksamkeit</dt><dd class=\"tile-value\">3</dd>"))
        XCTAssertTrue(report.contains("<dt>Tandems auf Kurs</dt><dd class=\"tile-value\">3</dd>"))
    }

    func testNoTandemNeedingAttentionIsSaidPlainly() {
        writeProgramme()
        fixture.write("pairs.csv", fixture.read("pairs.csv").replacingOccurrences(of: "2026-03-26,,active", with: "2026-03-26,,ended"))
        fixture.write(
            "pairs.csv", fixture.read("pairs.csv").replacingOccurrences(of: "2026-04-01,,active", with: "2026-04-01,,ended"))
        fixture.write(
            "pairs.csv",
            fixture.read("pairs.csv").replacingOccurrences(
                of: "t-stopped,mentor-4,mentee-4,2026-03-02,,active", with: "t-stopped,mentor-4,mentee-4,2026-03-02,,completed"))
        assertSucceeded(fixture.build())
        let report = readText(output, "internal/report.html") ?? ""
        XCTAssertTrue(report.contains("Alle 3 aktiven Tandems sind auf Kurs; niemand braucht Sie diese Woche."))
        XCTAssertTrue(group("attention", in: report).contains("Kein aktives Tandem braucht diese Woche Aufmerksamkeit."))
    }

    func testReasonsInEveryLanguageWithPluralForms() {
        let reasons: [(String, [String])] = [
            ("en", ["1 meeting in 67 days, at least 2 expected", "1 meeting in 4 days, none expected yet", "61 days since the start"]),
            ("fr", ["1 rencontre en 67 jours, au moins 2 attendues", "1 rencontre en 4 jours, aucune attendue pour l’instant"]),
            ("it", ["1 incontro in 67 giorni, attesi almeno 2", "4 incontri in 91 giorni, attesi almeno 3"]),
        ]
        for (language, texts) in reasons {
            let report = buildReport(language: language)
            for text in texts { XCTAssertTrue(report.contains(text), "\(language): '\(text)' missing") }
            XCTAssertFalse(report.contains("report_"), "\(language): a UI string is missing")
        }
    }

    /// A tandem whose start lies after the reference date is on track and says when it starts.
    func testTandemStartingAfterTheReferenceDate() {
        writeProgramme()
        fixture.write("pairs.csv", fixture.read("pairs.csv").replacingOccurrences(of: "2026-05-30,,active", with: "2026-06-15,,active"))
        assertSucceeded(fixture.build())
        let report = readText(output, "internal/report.html") ?? ""
        let html = row("t-new", in: report)
        XCTAssertEqual(verdict(of: html), ["on-track"])
        XCTAssertTrue(html.contains(">startet am 15. Juni 2026<"), html)
    }

    // MARK: Phone and print

    func testReportHasNoSidewaysScrollingOnAPhone() throws {
        let report = buildReport()
        // Every table with more than four columns stacks its rows on a phone, and the stacking rule exists.
        for table in report.components(separatedBy: "<table").dropFirst() {
            let head = table.components(separatedBy: "</thead>").first ?? ""
            let columns = head.components(separatedBy: "<th scope=\"col\"").count - 1
            if columns > 4 {
                XCTAssertTrue(table.hasPrefix(" class=\"data") && table.prefix(80).contains("stack"), String(table.prefix(200)))
            }
        }
        XCTAssertTrue(report.contains("@media screen and (max-width: 700px)"))
        XCTAssertTrue(report.contains("@media print"), "the report has print CSS")

        // In headless Chromium, 390 px wide: nothing sticks out of the page.
        let chromium = try Chromium.find()
        let folder = output + "/internal/"
        let probe = folder + "probe.html"
        try """
        <!DOCTYPE html><html><body><iframe id="f" src="report.html" style="width:390px;height:800px;border:0"></iframe>
        <script>
        document.getElementById('f').addEventListener('load', function () {
          var d = this.contentDocument.documentElement, wide = [];
          this.contentDocument.querySelectorAll('body *').forEach(function (e) {
            var r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > d.clientWidth + 0.5) wide.push(e.tagName + '.' + e.className);
          });
          document.body.setAttribute('data-probe', d.scrollWidth + ' ' + d.clientWidth + ' ' + wide.slice(0, 8).join(','));
        });
        </script></body></html>
        """.write(toFile: probe, atomically: true, encoding: .utf8)
        let dom = try chromium.dumpDOM(
            URL(fileURLWithPath: probe), arguments: ["--allow-file-access-from-files", "--virtual-time-budget=10000"])
        guard let range = dom.range(of: "data-probe=\"") else { return XCTFail("chromium gave no measurement:\n\(dom.prefix(500))") }
        let fields = dom[range.upperBound...].prefix { $0 != "\"" }.split(separator: " ", maxSplits: 2).map(String.init)
        XCTAssertGreaterThanOrEqual(fields.count, 2)
        guard fields.count >= 2, let scroll = Int(fields[0]), let client = Int(fields[1]) else { return }
        XCTAssertLessThanOrEqual(scroll, client, "report.html scrolls sideways at 390 px; too wide: \(fields.dropFirst(2).first ?? "")")
        XCTAssertGreaterThan(client, 300)
    }
}
