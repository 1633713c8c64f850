import Foundation
import XCTest

@testable import TandemKit

/// Findings of the fuzz targets (scripts/fuzz/, docs/fuzzing.md), each reproduced end to end as a user meets it.
final class FuzzRegressionTests: TandemTestCase {
    /// fuzz-csv: a CSV saved with carriage returns alone as line ends (Excel for Mac) and one stray quote. The row with
    /// the quote was blanked up to the next line feed, that is to the end of the file: every later row was lost
    /// without a word, and the line numbers of later messages were off.
    func testStrayQuoteInACSVWithCarriageReturnLinesLosesOnlyItsRow() {
        var csv = ProgrammeFixture.defaultFiles["participants.csv"]!
        csv = csv.replacingOccurrences(of: "mentee,Beta AG", with: "mentee,\"Beta AG")
        csv = csv.replacingOccurrences(of: "dieter-daten,Dieter Daten,mentee,", with: "dieter-daten,Dieter Daten,coach,")
        fixture.write("participants.csv", csv.replacingOccurrences(of: "\n", with: "\r"))
        let result = fixture.build()
        assertDiagnostic(result, in: "participants.csv", line: 3, contains: ["never closed"])
        assertDiagnostic(result, in: "participants.csv", line: 5, contains: ["'coach'"])
        XCTAssertEqual(errors(result).count, 2, listing(result))
    }

    /// fuzz-template: a template that includes itself (here a partial of the theme) recursed until the stack
    /// overflowed: `tandem build` crashed without a message. Now it is an error at the template's file, the build
    /// exits 1 and the output folder stays as it was.
    func testTemplateThatIncludesItselfIsAnErrorNotACrash() throws {
        let templates = fixture.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ProgrammeFixture.templatesPath), to: templates)
        let arguments = ["build", "--content", "Content", "--templates", "Templates", "--output", "Output"]
        XCTAssertEqual(try runTandem(arguments, in: fixture.root).status, 0)
        let before = snapshot(fixture.root.appendingPathComponent("Output").path)

        let card = templates.appendingPathComponent("partials/person-card.mustache")
        let text = try String(contentsOf: card, encoding: .utf8)
        try (text + "{{#name}}{{>person-card}}{{/name}}\n").write(to: card, atomically: true, encoding: .utf8)
        let run = try runTandem(arguments, in: fixture.root)
        XCTAssertEqual(run.status, 1, "stderr:\n\(run.stderr)")
        XCTAssertTrue(
            run.stderr.contains(
                "Templates/partials/person-card.mustache: error: template 'person-card' includes itself ("),
            run.stderr)
        XCTAssertTrue(run.stderr.contains("person-card → person-card)"), run.stderr)
        XCTAssertEqual(snapshot(fixture.root.appendingPathComponent("Output").path), before)
    }

    /// fuzz-markdown: the scrubber took only letters, digits and ASCII signs for a local part, so an address whose
    /// local part ends in another character (`preis€@…`, `info™@…`; RFC 6531 allows any non-ASCII character there)
    /// reached the public site whole. Quotation marks and brackets around an address stay.
    func testAddressWithANonASCIILocalPartNeverReachesThePublicSite() throws {
        fixture.write(
            "profiles/anna-muster.md",
            "Fragen an preis€@firma.example.ch oder an info™@marke.example.ch, «chef@verband.example.ch».\n")
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        for leak in ["firma.example.ch", "marke.example.ch", "verband.example.ch"] {
            XCTAssertFalse(page.contains(leak), "'\(leak)' is on the public page")
        }
        XCTAssertTrue(page.contains("«[…]»"), page)
        XCTAssertEqual(PublicText.scrub("Preis: 5€@example.ch"), "Preis: […]")
        XCTAssertEqual(PublicText.scrub("„x@example.ch“ und (y@example.ch)"), "„[…]“ und ([…])")
    }
}
