import Foundation
import XCTest

@testable import TandemKit

/// `tandem import feedback`: survey exports into feedback entries, end to end from the CLI.
final class FeedbackImportTests: TandemTestCase {
    static let fixtures = ProgrammeFixture.packageRoot.appendingPathComponent("Tests/TandemKitTests/Fixtures")
    static let surveys = fixtures.appendingPathComponent("Surveys")

    private func run(_ arguments: [String]) throws -> TandemRun { try runTandem(arguments, in: fixture.root) }

    /// The unseen programme of the fixtures (Workbooks/Programme) as folder `name`.
    private func programme(_ name: String) throws -> URL {
        let folder = fixture.root.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("Workbooks/Programme"), to: folder)
        return folder
    }

    private func importFeedback(_ content: String, _ export: String, map: String?, extra: [String] = []) throws -> TandemRun {
        var arguments = [
            "import", "feedback", Self.surveys.appendingPathComponent(export).path, "--phase", "midterm", "--content", content,
        ]
        if let map { arguments += ["--map", Self.surveys.appendingPathComponent(map).path] }
        return try run(arguments + extra)
    }

    private func build(_ content: String, _ output: String) throws -> TandemRun {
        try run(["build", "--content", content, "--templates", ProgrammeFixture.templatesPath, "--output", output])
    }

    /// The same answers as the two exports hold, typed by hand as SPEC.md describes feedback entries.
    static let handWritten: [String: String] = [
        "lea-mentor.md": """
        ---
        pair: lea-marc
        author: mentor
        phase: midterm
        date: 2026-05-11
        ratings:
          zusammenarbeit: 5
          lernen: 5
        share: quote
        ---
        Marc lernt schnell.
        Nächstes Mal: Statistiken anschauen.

        """,
        "nina.md": """
        ---
        pair: nina-otto
        author: mentor
        phase: midterm
        date: 2026-05-11
        ratings:
          zusammenarbeit: 4
          lernen: 4
        share: private
        ---
        Gute Treffen, aber zu wenig Zeit.

        """,
        "otto.md": """
        ---
        pair: nina-otto
        author: mentee
        phase: midterm
        date: 2026-05-11
        ratings:
          zusammenarbeit: 3
          lernen: 3
        share: quote
        ---

        """,
        "petra.md": """
        ---
        pair: petra-quentin
        author: mentor
        phase: midterm
        date: 2026-05-12
        ratings:
          zusammenarbeit: 5
          lernen: 4
        share: quote
        ---
        Spannend, wie KI im Gemeindealltag hilft.

        """,
        "marc.md": """
        ---
        pair: lea-marc
        author: mentee
        phase: midterm
        date: 2026-05-12
        ratings:
          zusammenarbeit: 5
          lernen: 5
        share: quote
        ---
        Très bonne collaboration,
        merci Lea !

        """,
        "quentin.md": """
        ---
        pair: petra-quentin
        author: mentee
        phase: midterm
        date: 2026-05-13
        ratings:
          zusammenarbeit: 4
          lernen: 4
        share: private
        ---

        """,
    ]

    /// Done when: the imported exports (Microsoft Forms in German, Google Forms in French, each with a mapping
    /// file) give the report and the site the same figures as hand-written entries with the same answers; the
    /// unmatched rows are listed with their line; a second import adds nothing.
    func testImportedSurveysBuildLikeHandWrittenEntries() throws {
        let imported = try programme("Imported")
        let forms = try importFeedback("Imported", "microsoft-forms-de.xlsx", map: "microsoft-forms-de.yml")
        XCTAssertEqual(forms.status, 0, forms.stderr)
        XCTAssertTrue(forms.stdout.contains("Imported 4 answers; 4 rows not imported"), forms.stdout)
        let export = Self.surveys.appendingPathComponent("microsoft-forms-de.xlsx").path
        for (row, reason) in [
            (6, "no participant in the roster has the e-mail address hans.muster@example.ch"),
            (7, "'anonymous' is not an e-mail address"),
            (8, "rating 'zusammenarbeit': 6 is outside the scale 1 to 5"),
            (9, "a second answer of the mentor of 'lea-marc' (the first is on row 2)"),
        ] {
            XCTAssertTrue(forms.stderr.contains("\(export):Sheet1:\(row): warning: \(reason)"), "row \(row):\n\(forms.stderr)")
        }
        let google = try importFeedback("Imported", "google-forms-fr.csv", map: "google-forms-fr.yml")
        XCTAssertEqual(google.status, 0, google.stderr)
        XCTAssertTrue(google.stdout.contains("Imported 2 answers; 1 row not imported"), google.stdout)
        // The CSV's fourth row starts on line 5 (an answer above it has a line break).
        XCTAssertTrue(
            google.stderr.contains(
                "google-forms-fr.csv:5: warning: row 4: no participant in the roster has the e-mail address inconnu@example.fr"),
            google.stderr)

        let feedback = imported.appendingPathComponent("feedback")
        let files = try FileManager.default.contentsOfDirectory(atPath: feedback.path).sorted()
        XCTAssertEqual(
            files,
            [
                "midterm-lea-marc-mentee.md", "midterm-lea-marc-mentor.md", "midterm-nina-otto-mentee.md", "midterm-nina-otto-mentor.md",
                "midterm-petra-quentin-mentee.md", "midterm-petra-quentin-mentor.md",
            ])
        // The e-mail addresses are used for matching only.
        let written = snapshot(feedback.path)
        for (name, data) in written { XCTAssertFalse(String(decoding: data, as: UTF8.self).contains("@"), name) }

        // A second import adds nothing and overwrites nothing.
        let again = try importFeedback("Imported", "microsoft-forms-de.xlsx", map: "microsoft-forms-de.yml")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Imported 0 answers; 4 already in feedback/"), again.stdout)
        let againFR = try importFeedback("Imported", "google-forms-fr.csv", map: "google-forms-fr.yml")
        XCTAssertTrue(againFR.stdout.contains("Imported 0 answers; 2 already in feedback/"), againFR.stdout)
        XCTAssertEqual(snapshot(feedback.path), written)

        // The same answers by hand.
        let byHand = try programme("ByHand")
        try FileManager.default.createDirectory(at: byHand.appendingPathComponent("feedback"), withIntermediateDirectories: true)
        for (name, text) in Self.handWritten {
            try Data(text.utf8).write(to: byHand.appendingPathComponent("feedback/" + name))
        }
        XCTAssertEqual(try build("Imported", "OutImported").status, 0)
        XCTAssertEqual(try build("ByHand", "OutByHand").status, 0)
        let expected = snapshot(fixture.root.appendingPathComponent("OutByHand").path)
        let actual = snapshot(fixture.root.appendingPathComponent("OutImported").path)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        for path in ["internal/report.html", "site/index.html"] {
            XCTAssertNotNil(expected[path], path)
        }
        for (path, data) in expected where actual[path] != data {
            XCTFail("\(path) differs between imported and hand-written feedback")
        }
        // The figures are there: the quotes that may be published reach the site.
        let site = String(decoding: actual["site/index.html"] ?? Data(), as: UTF8.self)
        let report = String(decoding: actual["internal/report.html"] ?? Data(), as: UTF8.self)
        XCTAssertTrue(report.contains("Marc lernt schnell") || site.contains("Marc lernt schnell"), "the quote is shown nowhere")
    }

    /// `--dry-run` lists what would be written and writes nothing.
    func testDryRunWritesNothing() throws {
        let content = try programme("DryRun")
        let run = try importFeedback("DryRun", "microsoft-forms-de.xlsx", map: "microsoft-forms-de.yml", extra: ["--dry-run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("would write DryRun/feedback/midterm-lea-marc-mentor.md"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Would import 4 answers"), run.stdout)
        XCTAssertFalse(run.stdout.contains("@"), "e-mail addresses on stdout:\n\(run.stdout)")
        XCTAssertFalse(fileExists(content.appendingPathComponent("feedback").path))
    }

    /// A hand-written entry for the same tandem, role and phase (under another name) is kept; the answer is not imported.
    func testExistingHandWrittenEntryIsKept() throws {
        let content = try programme("Existing")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("feedback"), withIntermediateDirectories: true)
        let text = Self.handWritten["nina.md"] ?? ""
        try Data(text.utf8).write(to: content.appendingPathComponent("feedback/nina.md"))
        let run = try importFeedback("Existing", "microsoft-forms-de.xlsx", map: "microsoft-forms-de.yml")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Imported 3 answers; 1 already in feedback/"), run.stdout)
        XCTAssertFalse(fileExists(content.appendingPathComponent("feedback/midterm-nina-otto-mentor.md").path))
        XCTAssertEqual(try String(contentsOf: content.appendingPathComponent("feedback/nina.md"), encoding: .utf8), text)
    }

    /// A mapping that names an unknown question or column is an error at its line; nothing is written.
    func testBadMappingIsAnErrorAtItsLine() throws {
        let content = try programme("BadMap")
        let map = fixture.root.appendingPathComponent("bad.yml")
        try Data(
            """
            email: "Adresse e-mail"
            ratings:
              zufriedenheit: "Dans quelle mesure êtes-vous satisfait·e de la collaboration ?"
            comment: "Commentaire"

            """.utf8
        ).write(to: map)
        let result = try run([
            "import", "feedback", Self.surveys.appendingPathComponent("google-forms-fr.csv").path, "--phase", "midterm", "--content",
            "BadMap", "--map", "bad.yml",
        ])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.yml:3:3: error: 'zufriedenheit' is not a question of programme.yml"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.yml:4:10: error: 'comment': the export has no column 'Commentaire'"), result.stderr)
        XCTAssertFalse(fileExists(content.appendingPathComponent("feedback").path))

        let phase = try run(["import", "feedback", "x.csv", "--phase", "mitte", "--content", "BadMap"])
        XCTAssertNotEqual(phase.status, 0)
        XCTAssertTrue(phase.stderr.contains("--phase must be one of: kickoff, midterm, final"), phase.stderr)
    }

    /// Dates as the tools write them, and rating texts.
    func testDatesAndRatingTexts() {
        XCTAssertEqual(SurveyDates.day("2026/05/12 2:03:22 PM GMT+2", monthFirst: false)?.iso, "2026-05-12")
        XCTAssertEqual(SurveyDates.day("12.05.2026 14:03:22", monthFirst: false)?.iso, "2026-05-12")
        XCTAssertEqual(SurveyDates.day("12/05/2026 14:03", monthFirst: false)?.iso, "2026-05-12")
        XCTAssertEqual(SurveyDates.day("05/12/2026", monthFirst: true)?.iso, "2026-05-12")
        XCTAssertEqual(SurveyDates.day("5/13/2026", monthFirst: false)?.iso, "2026-05-13")
        XCTAssertEqual(SurveyDates.day("2026-05-12T14:03:22+02:00", monthFirst: false)?.iso, "2026-05-12")
        XCTAssertNil(SurveyDates.day("gestern", monthFirst: false))
        let rating = ImportMapping.Rating(question: "q", column: 0, values: [:], numberInText: true)
        XCTAssertEqual(try rating.read("4 – eher gut", scale: 5).get(), 4)
        XCTAssertEqual(try rating.read("Sehr gut (5)", scale: 5).get(), 5)
        XCTAssertThrowsError(try rating.read("Sehr gut (7)", scale: 5).get())
        let plain = ImportMapping.Rating(question: "q", column: 0)
        XCTAssertThrowsError(try plain.read("4 – eher gut", scale: 5).get())
        XCTAssertTrue(ImportMapping.Consent(column: 0).allows("Ja, gerne"))
        XCTAssertTrue(ImportMapping.Consent(column: 0).allows("Oui"))
        XCTAssertFalse(ImportMapping.Consent(column: 0).allows("Nein"))
        XCTAssertFalse(ImportMapping.Consent(column: 0).allows("Jamais"))
    }
}
