import Foundation
import XCTest

@testable import TandemKit

/// print/announcements/: one A4 poster per public tandem that fills its page, the address of the tandem's page printed
/// beside a QR code that leads there, initials in each person's colour; and the warning for markup typed into a CSV cell.
final class AnnouncementDesignTests: TandemTestCase {
    /// A4 in PDF points (pdftotext crops in points at its default 72 dpi).
    static let pageWidth = 595
    static let pageHeight = 842

    private func announcement(_ id: String) -> String { readText(output, "print/announcements/\(id).html") ?? "" }

    /// A second public tandem, so "one page each" is checked on more than one poster.
    private func addSecondPublicTandem() {
        fixture.append("participants.csv", line: "erika-ernst,Erika Ernst,mentor,Epsilon AG,Content Creator,,de,Podcasts,yes,")
        fixture.append("participants.csv", line: "fritz-frei,Fritz Frei,mentee,Zeta AG,Direktor,,de,Podcasts,yes,")
        fixture.append("pairs.csv", line: "erika-fritz,erika-ernst,fritz-frei,2026-03-10,Einen Podcast planen,active")
    }

    private func buildPDF() throws -> BuildResult {
        guard PDF.locate() != nil, Tool.find("pdfinfo") != nil, Tool.find("pdftotext") != nil else {
            throw XCTSkip("needs weasyprint and poppler-utils (make test installs them)")
        }
        var options = fixture.options()
        options.pdf = true
        return Pipeline.build(options)
    }

    // MARK: The page

    func testEachAnnouncementIsOneA4PageWhoseLowerThirdHoldsTheOfficeAndTheAddress() throws {
        fixture.write("assets/photos/anna.jpg", bytes: PrintTests.pixel)
        addSecondPublicTandem()
        assertSucceeded(try buildPDF())
        let folder = output + "/print/announcements"
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pdf") }.sorted()
        XCTAssertEqual(pdfs, ["anna-bruno.pdf", "erika-fritz.pdf"], "one poster per public tandem")
        for pdf in pdfs {
            let path = folder + "/" + pdf
            let info = try Tool.run("pdfinfo", [path])
            XCTAssertTrue(info.contains("(A4)"), info)
            XCTAssertTrue(info.contains("Pages:           1"), "\(pdf) is one page:\n\(info)")
            let third = Self.pageHeight / 3
            let bottom = try Tool.run(
                "pdftotext",
                ["-layout", "-x", "0", "-y", String(Self.pageHeight - third), "-W", String(Self.pageWidth), "-H", String(third), path, "-"])
            let words = bottom.split(whereSeparator: \.isWhitespace)
            XCTAssertGreaterThan(words.count, 20, "the lower third of \(pdf) holds text:\n\(bottom)")
            for expected in ["Fragen zum Programm", "Programmbüro", "programm@forum-test.example.ch", "Veranstalter: Forum Test"] {
                // Labels are set in spaced capitals: compared without case and spaces.
                func squeezed(_ text: String) -> String { text.lowercased().filter { !$0.isWhitespace } }
                XCTAssertTrue(squeezed(bottom).contains(squeezed(expected)), "\(pdf): '\(expected)' in the lower third:\n\(bottom)")
            }
        }
    }

    func testTheQRCodeLeadsToTheAddressPrintedBesideIt() throws {
        guard Tool.find("zbarimg") != nil, Tool.find("pdftoppm") != nil else { throw XCTSkip("needs zbar-tools and poppler-utils") }
        assertSucceeded(try buildPDF())
        let pdf = output + "/print/announcements/anna-bruno.pdf"
        let image = fixture.root.appendingPathComponent("anna-bruno-page").path
        try Tool.run("pdftoppm", ["-r", "150", "-png", "-singlefile", pdf, image])
        let decoded = try Tool.run("zbarimg", ["--quiet", "--raw", image + ".png"]).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(decoded, "https://mentoring.example.ch/tandems/anna-bruno.html")
        // The address is printed in full: the page's text, read in order, holds it once its line breaks are taken out.
        let text = try Tool.run("pdftotext", [pdf, "-"])
        let flat = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
        XCTAssertTrue(flat.contains(decoded), "the QR code's address is printed:\n\(text)")
    }

    func testPrintedAddressBreaksOnlyBeforeItsPunctuation() {
        XCTAssertEqual(
            PrintRenderer.urlParts("https://mentoring.example.ch/tandems/anna--bruno.html"),
            ["https://mentoring", ".example", ".ch", "/tandems", "/anna", "--bruno", ".html"])
        XCTAssertEqual(PrintRenderer.urlParts(""), [])
        XCTAssertEqual(PrintRenderer.urlParts("/a"), ["/a"])
    }

    // MARK: The people

    func testInitialsTakeEachPersonsColourOnWhiteAndRoleLabelsFollowGender() throws {
        fixture.replace("participants.csv", ",yes,photos/anna.jpg", with: ",yes,")
        fixture.replace("participants.csv", "languages,topics,publish,photo", with: "languages,topics,publish,photo,gender")
        fixture.replace("participants.csv", "KI-Tools,yes,", with: "KI-Tools,yes,,f")
        fixture.replace("participants.csv", "de,TikTok,yes,", with: "de,TikTok,yes,,m")
        fixture.replace("participants.csv", "photos/clara.jpg", with: "photos/clara.jpg,")
        fixture.replace("participants.csv", "de,Podcasts,yes,", with: "de,Podcasts,yes,,")
        assertSucceeded(fixture.build())
        let html = announcement("anna-bruno")
        let colours = html.ranges(of: #"avatar avatar-initials avatar-([1-6])""#).map { String(html[$0]) }
        XCTAssertEqual(colours.count, 2, "two initials avatars without photos:\n\(html)")
        XCTAssertEqual(Set(colours).count, 2, "in two different colours: \(colours)")
        // The band carries the programme only; the avatars sit on the white page.
        let head = html.range(of: "<header class=\"poster-head\">").flatMap { start in
            html.range(of: "</header>", range: start.upperBound..<html.endIndex).map { String(html[start.lowerBound..<$0.upperBound]) }
        }
        XCTAssertNotNil(head)
        XCTAssertFalse(head?.contains("avatar") ?? true, "no avatar on the band")
        let css = try XCTUnwrap(readText(output, "print/theme/print.css"))
        XCTAssertNil(
            css.range(of: #"\.poster[a-z-]* \.avatar-initials \{[^}]*background"#, options: .regularExpression),
            "no poster rule paints over the person's colour")
        XCTAssertTrue(html.contains("<p class=\"member-role\">Mentorin</p>"), "Anna is a Mentorin")
        XCTAssertTrue(html.contains("<p class=\"member-role\">Mentee</p>"))
        XCTAssertTrue(html.contains(">AM</span>") && html.contains(">BB</span>"))
    }

    func testTheMembersOwnWordsAndTheTandemsWorkAreOnThePoster() throws {
        assertSucceeded(fixture.build())
        var html = announcement("anna-bruno")
        // Anna's profile quote, in the language's quotation marks, by name; never a feedback quote next to its tandem.
        XCTAssertTrue(html.contains("«Lernen geht in beide Richtungen.»"), html)
        XCTAssertTrue(html.contains("<figcaption>Anna Muster</figcaption>"))
        XCTAssertFalse(html.contains(ProgrammeFixture.quoteFeedback), "feedback quotes stay away from their tandem (SPEC rule 5)")
        XCTAssertTrue(html.contains("<li>Instagram verstehen</li>") && html.contains("<li>KI ausprobieren</li>"))
        XCTAssertTrue(html.contains("<li>TikTok</li>"), "the shared topic")
        XCTAssertTrue(html.contains("5. März 2026"), "the start")

        // A portrait's own quote comes first; without any quote the portrait's opening is printed instead.
        fixture.write(
            "tandems/anna-bruno.md", "---\nquote: \"Wir lernen jede Woche etwas Neues.\"\n---\nAnna und Bruno treffen sich jeden Montag.\n")
        assertSucceeded(fixture.build())
        html = announcement("anna-bruno")
        XCTAssertTrue(html.contains("«Wir lernen jede Woche etwas Neues.»"))
        XCTAssertTrue(html.contains("<figcaption>Anna Muster &amp; Bruno Beispiel</figcaption>"))
        XCTAssertFalse(html.contains("Lernen geht in beide Richtungen."))
        fixture.write("tandems/anna-bruno.md", "Anna und Bruno treffen sich jeden Montag.\n")
        fixture.write("profiles/anna-muster.md", "Ich zeige, wie TikTok funktioniert.\n")
        assertSucceeded(fixture.build())
        html = announcement("anna-bruno")
        XCTAssertFalse(html.contains("poster-quote"))
        XCTAssertTrue(html.contains("<p class=\"poster-excerpt\">Anna und Bruno treffen sich jeden Montag.</p>"), html)
    }

    func testWithoutAPublicContactTheOfficeIsNotPrinted() throws {
        fixture.replace(
            "programme.yml", "  email: \"programm@forum-test.example.ch\"\n",
            with: "  email: \"programm@forum-test.example.ch\"\n  public: no\n")
        assertSucceeded(fixture.build())
        let html = announcement("anna-bruno")
        XCTAssertFalse(html.contains("programm@forum-test.example.ch"))
        XCTAssertFalse(html.contains("Fragen zum Programm"))
        XCTAssertTrue(html.contains("Reverse Mentoring Test"))
    }

    // MARK: Markup typed into a cell

    func testMarkupInACSVCellIsAWarningNamingTheCellAndIsPrintedAsText() throws {
        fixture.replace("participants.csv", "Social-Media-Managerin", with: "<script>alert(1)</script>Managerin")
        fixture.replace("participants.csv", "de,TikTok,yes,", with: "de,TikTok <3;a < b,yes,")
        fixture.replace("pairs.csv", "Instagram verstehen", with: "<b>Instagram</b> verstehen")
        let run = try runTandem(["build", "--content", "Content", "--output", "Output"], in: fixture.root)
        XCTAssertEqual(run.status, 0, run.stderr)
        let participant =
            "Content/participants.csv:2: warning: column 'position' of 'anna-muster' looks like HTML markup ('<script>'): it is shown as text"
        XCTAssertEqual(run.stderr.components(separatedBy: participant).count, 2, "once:\n\(run.stderr)")
        XCTAssertTrue(
            run.stderr.contains(
                "Content/pairs.csv:2: warning: column 'goals' of tandem 'anna-bruno' looks like HTML markup ('<b>'): it is shown as text"),
            run.stderr)
        XCTAssertFalse(run.stderr.contains("of 'bruno-beispiel' looks like"), "'<3' and 'a < b' are not markup:\n\(run.stderr)")
        let html = try XCTUnwrap(readText(output, "print/announcements/anna-bruno.html"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;Managerin"))
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&lt;b&gt;Instagram&lt;/b&gt; verstehen"))
    }

    func testWhatLooksLikeATag() {
        for (text, tag) in [
            ("<script>alert(1)</script>", "<script>"), ("Leiterin </b>", "</b>"), ("<br/>", "<br/>"), ("x <!-- y", "<!--"),
            ("<a href=\"https://example.ch\">Blog</a>", "<a href=\"https://example.ch\">"),
            ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ] {
            XCTAssertEqual(ModelBuilder.markupTag(in: text), tag, text)
        }
        for text in ["a < b", "<3", "Preis <100 CHF>", "1<2>0", "<", "<<>>", "TikTok", "<Anna Muster", "Anna<", "<-->"] {
            XCTAssertNil(ModelBuilder.markupTag(in: text), text)
        }
        let long = "<span class=\"" + String(repeating: "x", count: 80) + "\">"
        XCTAssertEqual(ModelBuilder.markupTag(in: long)?.count, 40)
    }
}

extension String {
    /// The ranges of the first capture group of every match of `pattern`.
    fileprivate func ranges(of pattern: String) -> [Range<String.Index>] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: self, range: NSRange(startIndex..., in: self)).compactMap { Range($0.range(at: 1), in: self) }
    }
}
