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
    /// overflowed: `tandem build` crashed without a message. Now the theme check reports it at the including tag, the
    /// build exits 1 and the output folder stays as it was.
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
        // Found by the theme check before anything is rendered, at the tag that closes the circle.
        XCTAssertTrue(run.stderr.contains("Templates/partials/person-card.mustache:"), run.stderr)
        XCTAssertTrue(run.stderr.contains(": error: template 'person-card' includes itself ("), run.stderr)
        XCTAssertTrue(run.stderr.contains("person-card → person-card)"), run.stderr)
        XCTAssertEqual(snapshot(fixture.root.appendingPathComponent("Output").path), before)
    }

    /// fuzz-template: a block inside a child's override of the block of the same name (`{{$main}}…{{$main}}…{{/main}}…
    /// {{/main}}`) was overridden by the override again, without end: `tandem build` crashed without a message. The
    /// inner block now renders its own content.
    func testBlockInsideItsOwnOverrideRendersItsContentInsteadOfCrashing() throws {
        let templates = fixture.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ProgrammeFixture.templatesPath), to: templates)
        let page = templates.appendingPathComponent("site/404.mustache")
        let text = try String(contentsOf: page, encoding: .utf8)
        try text.replacingOccurrences(of: "{{$main}}\n", with: "{{$main}}\n{{$main}}<p>INNERER-BLOCK</p>{{/main}}\n")
            .write(to: page, atomically: true, encoding: .utf8)
        let run = try runTandem(
            ["build", "--content", "Content", "--templates", "Templates", "--output", "Output"], in: fixture.root)
        XCTAssertEqual(run.status, 0, "stderr:\n\(run.stderr)")
        let notFound = try XCTUnwrap(readText(fixture.root.appendingPathComponent("Output").path, "site/404.html"))
        XCTAssertTrue(notFound.contains("<p>INNERER-BLOCK</p>"), notFound)
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

    /// fuzz-markdown: a text with an invisible character in one address and another one elsewhere was read either
    /// as written or without invisible characters, whichever found more addresses: with one each, the address that
    /// needs the other reading stayed.
    func testAddressesFoundWithAndWithoutInvisibleCharactersAreAllScrubbed() throws {
        fixture.write(
            "profiles/anna-muster.md",
            "Kontakt: laura\u{200B}@firma.example.ch oder `code@bei\u{200B}spiel.example.ch` oder x@\u{00AD}y.example.ch.\n")
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        for leak in ["firma.example.ch", "spiel.example.ch", "y.example.ch"] {
            XCTAssertFalse(page.contains(leak), "'\(leak)' is on the public page")
        }
        XCTAssertEqual(PublicText.scrub("a \u{200B}@x.example.ch, b@ex\u{200B}ample.ch"), "a @x.example.ch, […]")
    }

    /// fuzz-markdown: an empty link (or image) between the parts of an address gave text nodes that are no address
    /// each, and HTML in which the scrub of the page's texts sees none (`laura@firma.<a href="…"></a>example.ch`),
    /// while the page shows one. Raw HTML between the parts and code blocks are covered too (the latter were never
    /// scrubbed by the Markdown stage; only the scrub of the page's texts caught them).
    func testAddressSplitByALinkOrRawHTMLOrInACodeBlockNeverReachesThePublicSite() throws {
        fixture.write(
            "profiles/anna-muster.md",
            """
            Schreiben Sie an laura@firma.[](https://x.example.org/)example.ch oder an chef@<b>verband</b>.example.ch.

            Ein Beispiel **fett**, ein [Link](https://example.ch/) und eine Adresse: info@beispiel.example.ch.

            ```
            kontakt@code.example.ch
            ```
            """)
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        for leak in ["laura@", "firma.example.ch", "chef@", "verband", "beispiel.example.ch", "code.example.ch"] {
            XCTAssertFalse(page.contains(leak), "'\(leak)' is on the public page")
        }
        // A paragraph without a split address keeps its markup.
        XCTAssertTrue(page.contains("<strong>fett</strong>"), page)
        XCTAssertTrue(page.contains("<a href=\"https://example.ch/\">Link</a>"), page)
    }

    /// fuzz-mime: a long tandem id and a host of 34 to 40 characters (used as it is) gave a folded Message-ID line of
    /// up to 85 characters; every header line of a message is at most 78.
    func testMessageIDStaysWithin78CharactersForALongHostAndTandemID() throws {
        fixture.replace("programme.yml", "https://mentoring.example.ch/", with: "https://mentoring.forum-kommunikation-test.ch/")
        fixture.replace("pairs.csv", "anna-bruno,", with: "anna-bruno-mit-einer-recht-langen-kennung-fuer-den-test,")
        fixture.remove("meetings.csv")
        for name in ["feedback/anna-bruno-mentee-kickoff.md", "feedback/anna-bruno-mentor-kickoff.md"] { fixture.remove(name) }
        assertSucceeded(fixture.build())
        let files = try FileManager.default.contentsOfDirectory(atPath: output + "/mail").filter { $0.hasSuffix(".eml") }
        XCTAssertEqual(files.count, 2)
        for file in files {
            let eml = try XCTUnwrap(readText(output, "mail/" + file))
            let header = eml.components(separatedBy: "\r\n\r\n")[0]
            XCTAssertTrue(header.contains("@mentoring.forum-kommunikation-test.ch>"), header)
            for line in header.components(separatedBy: "\r\n") {
                XCTAssertLessThanOrEqual(line.utf8.count, 78, line)
            }
        }
    }

    /// The `mime` target's check on a display name of quotes or backslashes: the name was quoted as it was when it
    /// had at most 900 characters, but each `"` and `\\` is escaped to two, so a header line grew to 1,800 octets
    /// and more, past RFC 5322's limit of 998.
    func testDisplayNameOfBackslashesStaysWithin998OctetsALine() throws {
        let name = "Anna " + String(repeating: "\\", count: 600)
        fixture.replace("participants.csv", "anna-muster,Anna Muster,", with: "anna-muster,\(name),")
        assertSucceeded(fixture.build())
        let files = try FileManager.default.contentsOfDirectory(atPath: output + "/mail").filter { $0.hasSuffix(".eml") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let eml = try XCTUnwrap(readText(output, "mail/" + file))
            let header = eml.components(separatedBy: "\r\n\r\n")[0]
            for line in header.components(separatedBy: "\r\n") {
                XCTAssertLessThanOrEqual(line.utf8.count, 998, String(line.prefix(80)))
            }
        }
    }

    /// fuzz-markdown: an address in a link's target or title (`[Kontakt](https://example.ch/?an=laura@firma.example.ch)`)
    /// stayed in the Markdown stage's HTML. The scrub of the page's texts then cut it out of the attribute, which
    /// left a broken link (`href="https:[…]"`). Such a link is now unlinked (its text stays), as a `mailto:` link is.
    func testAddressInALinkTargetOrTitleIsUnlinked() throws {
        fixture.write(
            "profiles/anna-muster.md",
            """
            Zum [Kontaktformular](https://example.ch/kontakt?an=laura@firma.example.ch) oder [hier](https://example.ch/ "an chef@verband.example.ch").

            ![Porträt](https://bilder.example.ch/anna.png "Foto: foto@studio.example.ch")
            """)
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        for leak in ["firma.example.ch", "verband.example.ch", "studio.example.ch", "[…]\""] {
            XCTAssertFalse(page.contains(leak), "'\(leak)' is on the public page")
        }
        XCTAssertTrue(page.contains("Zum Kontaktformular oder"), page)
        let html = Markdown.render("[K](https://example.ch/?an=laura@firma.example.ch) [L](https://x.ch/ \"a@b.example.ch\")").html
        XCTAssertFalse(html.contains("example.ch/?an"), html)
        XCTAssertFalse(html.contains("b.example.ch"), html)
        // cmark percent-encodes the target: `x<y>@…` becomes an address (`x%3Cy%3E@…`) in the HTML only.
        let encoded = Markdown.render("[K](https://example.ch/?an=x<y>@firma.example.ch)").html
        XCTAssertFalse(encoded.contains("firma.example.ch"), encoded)
    }

    /// fuzz-markdown (a 10-minute run after the merge): a fenced code block's info string becomes the `class` of its
    /// `<code>`, and an address in it reached the public site (`<code class="language-…a@b.ch…">`).
    func testAddressInACodeFenceInfoStringNeverReachesThePublicSite() throws {
        fixture.write("profiles/anna-muster.md", "```\u{FF}\u{FF}[x](mailto:a@b.example.ch)R\ncode\n```\n")
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        XCTAssertTrue(page.contains("<code class=\"language-"), page)
        XCTAssertFalse(page.contains("a@b.example.ch"), page)
    }

    /// fuzz-markdown: an autolink whose address the joined text breaks (`<a@b.ch>\.\.e`: "a@b.ch..e" is no address)
    /// hid that the joined text held another address split by an empty link (`e@[](x)ú\.ÿm`); the paragraph was not
    /// joined and the reader saw "e@ú.ÿm". The texts are now scrubbed one by one before they are read as one.
    func testAddressSplitByAnEmptyLinkNextToABrokenAutolinkNeverReachesThePublicSite() throws {
        fixture.write("profiles/anna-muster.md", "x <a@b.example.ch>\\.\\.e and e@[](x)zürich\\.example\\.ch here\n")
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        XCTAssertTrue(page.contains("here"), page)
        for leaked in ["a@b.example.ch", "e@zürich.example.ch", "e@</a>", "zürich.example.ch"] {
            XCTAssertFalse(page.contains(leaked), "\(leaked) in\n\(page)")
        }
    }
}
