import Foundation
import XCTest

@testable import TandemKit

/// One truth: the key figures on the home page, in the handout and in the report overview are the same numbers,
/// whatever `reference_date` and however organisation names are spaced or cased.
final class OutputAgreementTests: TandemTestCase {
    /// `<dt>label</dt><dd …>value</dd>` pairs of a page (the figure tiles of site, handout and report).
    private func figures(_ html: String) -> [String: String] {
        var result: [String: String] = [:]
        let pattern = try! NSRegularExpression(pattern: #"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>"#)
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let label = String(html[Range(match.range(at: 1), in: html)!])
            let value = String(html[Range(match.range(at: 2), in: html)!])
            if result[label] == nil { result[label] = value }
        }
        return result
    }

    private func assertAgree(file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        let site = figures(try XCTUnwrap(readText(output, "site/index.html"), file: file, line: line))
        let handout = figures(try XCTUnwrap(readText(output, "print/handout.html"), file: file, line: line))
        let report = figures(try XCTUnwrap(readText(output, "internal/report.html"), file: file, line: line))
        for label in ["Teilnehmende", "Organisationen", "Tandems", "Treffen", "Stunden im Austausch"] {
            XCTAssertNotNil(site[label], "home page lacks \(label)", file: file, line: line)
            XCTAssertEqual(site[label], handout[label], "\(label): site and handout differ", file: file, line: line)
            XCTAssertEqual(site[label], report[label], "\(label): site and report differ", file: file, line: line)
        }
        return site
    }

    func testFiguresAgreeWithReferenceDateInTheMiddleAndOrganisationsSpelledDifferently() throws {
        fixture.replace("programme.yml", "start: 2026-03-01", with: "start: 2026-03-01\nreference_date: 2026-03-13")
        // The same organisation written with two spaces, another case and a trailing space.
        fixture.replace("participants.csv", "Beta AG,CEO", with: "alpha  ag ,CEO")
        fixture.replace("participants.csv", "Delta AG,CFO", with: "GAMMA AG,CFO")
        fixture.replace("programme.yml", "cross_organisation: required", with: "cross_organisation: off")
        fixture.append("meetings.csv", line: "anna-bruno,2026-04-20,120,video,KI,later")
        let site = try assertAgree()
        XCTAssertEqual(site["Organisationen"], "2")
        // Only the meeting of 12 March lies on or before the reference date.
        XCTAssertEqual(site["Treffen"], "1")
        XCTAssertEqual(site["Stunden im Austausch"], "1")
    }

    func testFiguresAgreeOnTheDefaultProgramme() throws {
        let site = try assertAgree()
        XCTAssertEqual(site["Teilnehmende"], "4")
        XCTAssertEqual(site["Treffen"], "2")
    }

    /// The programme's name and dates read the same on a site page, the handout and an announcement.
    func testProgrammeNameAndDatesReadTheSameEverywhere() throws {
        assertSucceeded(fixture.build())
        let pages = ["site/index.html", "site/tandems/anna-bruno.html", "print/handout.html", "print/announcements/anna-bruno.html"]
        for page in pages {
            let html = try XCTUnwrap(readText(output, page), page)
            XCTAssertTrue(html.contains("Reverse Mentoring Test"), "\(page) lacks the programme title")
            XCTAssertTrue(html.contains("1. März 2026 – 31. August 2026"), "\(page) lacks the programme dates")
        }
    }

    func testOrganisationSpellingsCountOnceForTheCrossOrganisationRuleToo() {
        fixture.replace("participants.csv", "Beta AG,CEO", with: "ALPHA   AG,CEO")
        let result = fixture.build()
        assertDiagnostic(result, .error, in: "pairs.csv", line: 2, contains: ["both from"])
    }
}

/// A renderer never reports problems of the content: those come from the model stage, with the path as given.
final class DiagnosticPlacementTests: TandemTestCase {
    func testContentOutsideTheWorkingDirectoryIsNamedOnceAsGiven() throws {
        fixture.replace(
            "programme.yml", "contact:\n  name: \"Programmbüro\"\n  email: \"programm@forum-test.example.ch\"\n", with: "")
        // Run the CLI from an unrelated folder with a relative path to the content.
        let elsewhere = fixture.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = try runTandem(["check", "--content", "../Content", "--templates", ProgrammeFixture.templatesPath], in: elsewhere)
        let lines = run.stderr.split(separator: "\n").filter { $0.contains("programme.yml") && $0.contains("contact") }
        XCTAssertEqual(lines.count, 1, run.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("../Content/programme.yml: warning: 'contact' is missing") ?? false, run.stderr)
    }

    func testRecipientsWithoutAddressAreWarnedByTheModelStage() {
        fixture.replace("participants.csv", "bruno@beta.example.ch", with: "")
        let result = fixture.check()
        assertDiagnostic(result, .warning, in: "participants.csv", line: 3, contains: ["has no e-mail address"])
    }
}
