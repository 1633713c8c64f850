import Foundation
import XCTest

@testable import TandemKit

/// Every kind of bad input is reported at its real `path:line`, and the build fails.
final class ValidationTests: TandemTestCase {
    /// Builds and asserts the build failed, the output folder was not created and the expected error is there.
    @discardableResult
    private func assertError(
        in name: String, line expectedLine: Int?, contains texts: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) -> BuildResult {
        let result = fixture.build()
        XCTAssertFalse(result.succeeded, "expected the build to fail:\n\(listing(result))", file: file, line: line)
        XCTAssertFalse(fileExists(output), "a failed build wrote the output folder", file: file, line: line)
        assertDiagnostic(result, .error, in: name, line: expectedLine, contains: texts, file: file, line: line)
        return result
    }

    // MARK: participants.csv

    func testMissingRequiredColumn() {
        fixture.write(
            "participants.csv",
            """
            id,name,organisation,publish
            anna-muster,Anna Muster,Alpha AG,yes
            bruno-beispiel,Bruno Beispiel,Beta AG,yes

            """)
        assertError(in: "participants.csv", line: 1, contains: ["missing required column", "role"])
    }

    func testInvalidIDSyntax() {
        fixture.append("participants.csv", line: "Eva_Fehler,Eva Fehler,mentor,Epsilon AG,,,de,,no,")
        assertError(in: "participants.csv", line: 6, contains: ["Eva_Fehler"])
    }

    func testDuplicateIDNamesTheFirstLine() {
        fixture.append("participants.csv", line: "bruno-beispiel,Bruno Zwei,mentee,Epsilon AG,,,de,,no,")
        let result = assertError(in: "participants.csv", line: 6, contains: ["bruno-beispiel"])
        let message = result.diagnostics.first { $0.path == fixture.path("participants.csv") && $0.line == 6 }?.message ?? ""
        XCTAssertTrue(message.contains("line 3"), "message should name the first line (3): \(message)")
    }

    func testBadRole() {
        fixture.append("participants.csv", line: "eva-extra,Eva Extra,coach,Epsilon AG,,,de,,no,")
        assertError(in: "participants.csv", line: 6, contains: ["coach"])
    }

    func testBadPublishValue() {
        fixture.append("participants.csv", line: "eva-extra,Eva Extra,mentor,Epsilon AG,,,de,,ja,")
        assertError(in: "participants.csv", line: 6, contains: ["ja"])
    }

    func testMultiLineQuotedCellKeepsRealLineNumbers() {
        fixture.write(
            "participants.csv",
            """
            id,name,role,organisation,position,email,languages,topics,publish,photo
            anna-muster,Anna Muster,mentor,Alpha AG,"Social Media
            und
            Community",anna.muster@alpha.example.ch,de;en,TikTok,yes,photos/anna.jpg
            bruno-beispiel,Bruno Beispiel,mentee,Beta AG,CEO,bruno@beta.example.ch,de,TikTok,yes,
            clara-geheim,Clara Geheimnis,mentor,Gamma AG,Redaktorin,,fr,Podcasts,no,photos/clara.jpg
            dieter-daten,Dieter Daten,mentee,Delta AG,CFO,,de,Podcasts,yes,
            eva-extra,Eva Extra,coach,Epsilon AG,,,de,,no,

            """)
        // Physical lines: header 1, Anna 2-4, Bruno 5, Clara 6, Dieter 7, Eva 8.
        assertError(in: "participants.csv", line: 8, contains: ["coach"])
    }

    func testMultiLineQuotedCellWithCRLFKeepsRealLineNumbers() {
        let lines = [
            "id,name,role,organisation,position,email,languages,topics,publish,photo",
            "anna-muster,Anna Muster,mentor,Alpha AG,\"Social Media\r\nund\r\nCommunity\",,de;en,TikTok,yes,photos/anna.jpg",
            "bruno-beispiel,Bruno Beispiel,mentee,Beta AG,CEO,,de,TikTok,yes,",
            "clara-geheim,Clara Geheimnis,mentor,Gamma AG,Redaktorin,,fr,Podcasts,no,photos/clara.jpg",
            "dieter-daten,Dieter Daten,mentee,Delta AG,CFO,,de,Podcasts,yes,",
            "eva-extra,Eva Extra,coach,Epsilon AG,,,de,,no,",
        ]
        fixture.write("participants.csv", lines.joined(separator: "\r\n") + "\r\n")
        assertError(in: "participants.csv", line: 8, contains: ["coach"])
    }

    // MARK: pairs.csv

    func testUnknownParticipantInPairs() {
        fixture.append("pairs.csv", line: "anna-niemand,anna-muster,niemand")
        assertError(in: "pairs.csv", line: 4, contains: ["niemand"])
    }

    func testMentorWhoIsAMentee() {
        fixture.write(
            "pairs.csv",
            """
            id,mentor,mentee
            anna-bruno,anna-muster,bruno-beispiel
            dieter-bruno,dieter-daten,bruno-beispiel

            """)
        assertError(in: "pairs.csv", line: 3, contains: ["dieter-daten", "mentee"])
    }

    func testSameOrganisationIsAnErrorWhenRequired() {
        // Differs from "Alpha AG" only by case and spaces: still the same organisation.
        fixture.replace("participants.csv", "Bruno Beispiel,mentee,Beta AG", with: "Bruno Beispiel,mentee,\"  ALPHA   ag \"")
        assertError(in: "pairs.csv", line: 2, contains: ["anna-muster", "bruno-beispiel"])
    }

    func testSameOrganisationIsAWarningWhenPreferred() {
        fixture.replace("participants.csv", "Bruno Beispiel,mentee,Beta AG", with: "Bruno Beispiel,mentee,alpha  AG")
        fixture.replace("programme.yml", "cross_organisation: required", with: "cross_organisation: preferred")
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(result, .warning, in: "pairs.csv", line: 2, contains: ["anna-muster", "bruno-beispiel"])
        XCTAssertTrue(fileExists(output + "/site/index.html"))
    }

    func testPairsPerPersonExceeded() {
        fixture.append("pairs.csv", line: "anna-dieter,anna-muster,dieter-daten")
        assertError(in: "pairs.csv", line: 4, contains: ["anna-muster", "pairs_per_person"])
    }

    // MARK: meetings.csv

    func testUnknownTandemInMeetings() {
        fixture.append("meetings.csv", line: "gibt-es-nicht,2026-04-01,30,video,,")
        assertError(in: "meetings.csv", line: 4, contains: ["gibt-es-nicht"])
    }

    func testMeetingDateOutsideProgramme() {
        fixture.append("meetings.csv", line: "anna-bruno,2026-09-15,30,video,,")
        assertError(in: "meetings.csv", line: 4, contains: ["2026-09-15"])
    }

    func testMeetingDateBeforeStart() {
        fixture.append("meetings.csv", line: "anna-bruno,2026-02-28,30,video,,")
        assertError(in: "meetings.csv", line: 4, contains: ["2026-02-28"])
    }

    func testNonNumericMinutes() {
        fixture.append("meetings.csv", line: "anna-bruno,2026-04-01,eine Stunde,video,,")
        assertError(in: "meetings.csv", line: 4, contains: ["eine Stunde"])
    }

    func testBadMeetingFormat() {
        fixture.append("meetings.csv", line: "anna-bruno,2026-04-01,30,zoom,,")
        assertError(in: "meetings.csv", line: 4, contains: ["zoom"])
    }

    // MARK: Markdown files

    func testProfileForUnknownParticipant() {
        fixture.write("profiles/zora-unbekannt.md", "Hallo.\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        let path = fixture.path("profiles/zora-unbekannt.md")
        let match = result.diagnostics.first { $0.severity == .error && $0.path == path && $0.message.contains("zora-unbekannt") }
        XCTAssertNotNil(match, "expected an error in \(path), got:\n\(listing(result))")
        if let match { XCTAssertTrue(match.line == nil || match.line == 1, "unexpected line: \(match.description)") }
        XCTAssertFalse(fileExists(output))
    }

    /// A feedback entry whose front matter lines are numbered like the file (line 1 is `---`).
    private func feedback(pair: String = "anna-bruno", ratings: String = "  nutzen: 4", share: String = "private") -> String {
        """
        ---
        pair: \(pair)
        author: mentor
        phase: midterm
        date: 2026-05-20
        ratings:
        \(ratings)
        share: \(share)
        ---
        Text.

        """
    }

    func testFeedbackWithUnknownPairAtThePairLine() {
        fixture.write("feedback/neu.md", feedback(pair: "gibt-es-nicht"))
        assertError(in: "feedback/neu.md", line: 2, contains: ["gibt-es-nicht"])
    }

    func testFeedbackRatingOutOfScale() {
        fixture.write("feedback/neu.md", feedback(ratings: "  nutzen: 7"))
        assertError(in: "feedback/neu.md", line: 7, contains: ["7"])
    }

    func testFeedbackRatingZeroIsOutOfScale() {
        fixture.write("feedback/neu.md", feedback(ratings: "  nutzen: 0"))
        assertError(in: "feedback/neu.md", line: 7)
    }

    func testFeedbackUnknownQuestion() {
        fixture.write("feedback/neu.md", feedback(ratings: "  nutzen: 4\n  chemie: 3"))
        assertError(in: "feedback/neu.md", line: 8, contains: ["chemie"])
    }

    func testFeedbackBadShare() {
        fixture.write("feedback/neu.md", feedback(share: "public"))
        assertError(in: "feedback/neu.md", line: 8, contains: ["public"])
    }

    func testPageWithoutTitle() {
        fixture.write("pages/faq.md", "---\norder: 2\n---\nFragen und Antworten.\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded, "a page without title must fail:\n\(listing(result))")
        let path = fixture.path("pages/faq.md")
        let match = result.diagnostics.first { $0.severity == .error && $0.path == path && $0.message.contains("title") }
        XCTAssertNotNil(match, "expected an error about 'title' in \(path), got:\n\(listing(result))")
        if let match { XCTAssertTrue(match.line == nil || match.line == 1, "unexpected line: \(match.description)") }
    }

    // MARK: programme.yml

    func testBrokenYAMLNamesTheLine() {
        fixture.replace("programme.yml", "language: de\n", with: "language: de: fr\n")
        assertError(in: "programme.yml", line: 3, contains: ["YAML"])
    }

    func testBrokenYAMLIndentationNamesTheLine() {
        fixture.replace("programme.yml", "  pairs_per_person: 1\n", with: "  pairs_per_person: 1\n    inactivity_days: [1, 2\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        let match = result.diagnostics.first { $0.path == fixture.path("programme.yml") && $0.severity == .error }
        XCTAssertNotNil(match, listing(result))
        // The broken line is 13; a parser may notice it at that line or right after, never before.
        if let line = match?.line { XCTAssertTrue((13...14).contains(line), "reported at \(match!.description)") }
    }

    func testMissingTitleInProgramme() {
        fixture.replace("programme.yml", "title: \"Reverse Mentoring Test\"\n", with: "")
        assertError(in: "programme.yml", line: 1, contains: ["title"])
    }

    func testMissingStartDate() {
        fixture.replace("programme.yml", "start: 2026-03-01\n", with: "")
        assertError(in: "programme.yml", line: 1, contains: ["start"])
    }

    // MARK: Several errors

    func testAllErrorsOfARunAreReportedTogether() {
        fixture.append("participants.csv", line: "eva-extra,Eva Extra,coach,Epsilon AG,,,de,,no,")
        fixture.append("meetings.csv", line: "anna-bruno,2026-04-01,viel,video,,")
        fixture.write("feedback/neu.md", feedback(ratings: "  nutzen: 9"))
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(errors(result).count, 3, "expected exactly 3 errors:\n\(listing(result))")
        assertDiagnostic(result, in: "participants.csv", line: 6, contains: ["coach"])
        assertDiagnostic(result, in: "meetings.csv", line: 4, contains: ["viel"])
        assertDiagnostic(result, in: "feedback/neu.md", line: 7, contains: ["9"])
        XCTAssertFalse(fileExists(output))
    }
}

/// Dates that must lie between `start` and `end` (SPEC: meeting, feedback and tandem `started` dates).
final class DateRangeTests: TandemTestCase {
    func testFeedbackDateOutsideProgramme() {
        fixture.replace("feedback/anna-bruno-mentor-kickoff.md", "date: 2026-03-21", with: "date: 2026-12-01")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, in: "feedback/anna-bruno-mentor-kickoff.md", line: 5, contains: ["2026-12-01"])
    }

    func testTandemStartedOutsideProgramme() {
        fixture.replace("pairs.csv", "anna-muster,bruno-beispiel,2026-03-05", with: "anna-muster,bruno-beispiel,2025-12-31")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, in: "pairs.csv", line: 2, contains: ["2025-12-31"])
    }

    func testMilestoneOutsideProgrammeIsAllowed() {
        fixture.replace("programme.yml", "  - date: 2026-03-05\n", with: "  - date: 2026-10-15\n")
        let result = fixture.build()
        assertSucceeded(result)
        XCTAssertTrue((readText(output, "site/programme.ics") ?? "").contains("DTSTART;VALUE=DATE:20261015"))
    }
}
