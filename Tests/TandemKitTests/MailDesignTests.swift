import Foundation
import XCTest

@testable import TandemKit

/// mail/: the announcement e-mail as its two recipients read it: in their language (with the content that exists only in
/// the programme's language marked and announced once), fluid on a phone, one button, a signature without repeats.
final class MailDesignTests: TandemTestCase {
    /// The text and HTML parts of `mail/<tandem>.eml`, read with Python's `email` package (as MailTests does).
    private func parts(_ tandem: String) throws -> (text: String, html: String) {
        let path = output + "/mail/\(tandem).eml"
        let json = try Tool.run("python3", ["-c", MailTests.parser, path])
        let parsed = try XCTUnwrap(try JSONDecoder().decode([String: MailTests.Parsed].self, from: Data(json.utf8))[path])
        // Python keeps the message's CRLF line ends; compared here as lines.
        return (parsed.text.replacingOccurrences(of: "\r\n", with: "\n"), parsed.html.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    /// Anna and Bruno share French only: their e-mail is written in French; the programme's language stays German.
    private func makeFrenchTandem(brunoAddress: String = "bruno@beta.example.ch") {
        fixture.replace("participants.csv", "anna.muster@alpha.example.ch,de;en", with: "anna.muster@alpha.example.ch,fr;de")
        fixture.replace("participants.csv", brunoAddress + ",de,", with: brunoAddress + ",fr,")
    }

    private static func theme() throws -> Theme {
        var diagnostics = Diagnostics()
        return try XCTUnwrap(Theme.load(path: ProgrammeFixture.templatesPath, diagnostics: &diagnostics))
    }

    /// The names `{{t.…}}` the two mail templates use.
    private static func mailKeys() throws -> [String] {
        var keys = Set<String>()
        for name in ["mail-html", "mail-text"] {
            let text = try String(contentsOfFile: ProgrammeFixture.templatesPath + "/mail/\(name).mustache", encoding: .utf8)
            let regex = try NSRegularExpression(pattern: #"\{\{t\.([a-z_]+)\}\}"#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { keys.insert(String(text[range])) }
            }
        }
        return keys.sorted()
    }

    /// `html` without the elements marked as written in German (content the programme has only in its language).
    private static func withoutGermanContent(_ html: String) -> String {
        html.replacingOccurrences(of: #"<(span|ul|li|p)[^>]* lang="de"[^>]*>.*?</\1>"#, with: "", options: .regularExpression)
    }

    // MARK: Language

    func testEveryTextTheMailTemplatesUseIsTranslated() throws {
        let theme = try Self.theme()
        let keys = try Self.mailKeys()
        XCTAssertTrue(keys.contains("mail_colon") && keys.contains("mail_tandem_button"), "\(keys)")
        for language in ["de", "fr", "it", "en"] {
            let strings = try XCTUnwrap(theme.strings[language])
            for key in keys {
                XCTAssertNotNil(strings.values[key] as? String, "\(key) is missing in \(language)")
            }
        }
    }

    func testAFrenchMailHasNoGermanUITextAndMarksTheGermanContent() throws {
        makeFrenchTandem()
        assertSucceeded(fixture.build())
        let (text, html) = try parts("anna-bruno")
        let theme = try Self.theme()
        let german = try XCTUnwrap(theme.strings["de"])
        let french = try XCTUnwrap(theme.strings["fr"])
        // Every German text the templates write (literal pieces of formats too), unless French says the same.
        var germanTexts = Set<String>()
        for key in try Self.mailKeys() + ["mail_greeting", "mail_intro", "mail_subject", "mail_names_and", "profile_topics_mentor"] {
            guard let de = german.values[key] as? String, de != french.values[key] as? String else { continue }
            for piece in de.components(separatedBy: CharacterSet(charactersIn: "{}")).enumerated() where piece.offset % 2 == 0 {
                let literal = piece.element.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
                if literal.count >= 4 { germanTexts.insert(literal) }
            }
        }
        germanTexts.formUnion(["Deutsch", "Englisch", "Mentorin/", "Freundliche Grüsse", "Sprachen", "Lernziele", "Guten Tag"])
        XCTAssertGreaterThan(germanTexts.count, 15)
        let uiHTML = Self.withoutGermanContent(html)
        for piece in germanTexts.sorted() {
            XCTAssertFalse(uiHTML.contains(piece), "German UI text '\(piece)' in the French HTML part")
            XCTAssertFalse(text.contains(piece), "German UI text '\(piece)' in the French text part:\n\(text)")
        }
        XCTAssertTrue(html.contains("<html lang=\"fr\">"))
        XCTAssertTrue(text.contains("Vous pouvez vous écrire directement\u{202F}: répondez simplement à tous."), text)
        XCTAssertFalse(text.contains("joindre aux adresses"))
        // The content exists in German only: marked as such, and said once, in French.
        XCTAssertTrue(html.contains("<span lang=\"de\">Social-Media-Managerin</span>"), html)
        XCTAssertTrue(html.contains(" lang=\"de\"><li style=\"margin:0 0 3px;\">Instagram verstehen</li>"), html)
        XCTAssertTrue(html.contains("<span lang=\"de\">Kick-off</span>"), "an untranslated milestone title")
        let note = "Certaines informations ne sont disponibles qu’en allemand."
        XCTAssertEqual(html.components(separatedBy: note).count, 2, "said once in the HTML part")
        XCTAssertEqual(text.components(separatedBy: note).count, 2, "and once in the text part")
    }

    func testFrenchLabelsTakeANarrowSpaceBeforeTheColon() throws {
        makeFrenchTandem()
        assertSucceeded(fixture.build())
        let (text, html) = try parts("anna-bruno")
        for part in [text, html] {
            XCTAssertTrue(part.contains("Points forts\u{202F}:"), part)
            XCTAssertTrue(part.contains("Langues\u{202F}:"))
            XCTAssertTrue(part.contains("«\u{202F}Reverse Mentoring Test\u{202F}»"), "French quotation marks")
        }
        // No French word runs into its colon, and no ordinary space stands before one (it could break the line).
        XCTAssertNil(text.range(of: #"\p{L}: "#, options: .regularExpression), text)
        XCTAssertNil(text.range(of: #" :"#, options: .regularExpression), text)
    }

    func testAGermanMailNeedsNoLanguageNote() throws {
        assertSucceeded(fixture.build())
        let (text, html) = try parts("anna-bruno")
        XCTAssertEqual(html.components(separatedBy: " lang=\"de\"").count, 2, "nothing marked but the message itself")
        XCTAssertFalse(text.contains("nur auf Deutsch"))
        XCTAssertTrue(text.contains("Stärken: TikTok, KI-Tools"))
        XCTAssertTrue(text.contains("im Programm «Reverse Mentoring Test» vorzustellen"), "guillemets, no glued organiser:\n\(text)")
    }

    // MARK: Button, signature, plain text

    func testTheButtonLeadsToTheTandemPageOnlyWithABaseURL() throws {
        assertSucceeded(fixture.build())
        var (text, html) = try parts("anna-bruno")
        let url = "https://mentoring.example.ch/tandems/anna-bruno.html"
        XCTAssertTrue(
            html.contains("<td align=\"center\" bgcolor=\"#b34700\" style=\"background:#b34700;border-radius:6px;\">\n<a href=\"\(url)\""),
            "a bulletproof button (a table cell with its own background):\n\(html)")
        XCTAssertTrue(html.contains(">Zu Ihrer Tandem-Seite</a>"))
        XCTAssertTrue(text.contains("Ihr Tandem auf der Programm-Website:\n\(url)\n"), text)

        fixture.replace("programme.yml", "base_url: \"https://mentoring.example.ch/\"\n", with: "")
        assertSucceeded(fixture.build())
        (text, html) = try parts("anna-bruno")
        XCTAssertFalse(html.contains("bgcolor=\"#b34700\""), "no button without an address")
        XCTAssertFalse(html.contains("Tandem-Seite") || text.contains("tandems/anna-bruno.html"))
    }

    func testTheSignatureSaysEachThingOnce() throws {
        fixture.replace(
            "programme.yml", "  name: \"Programmbüro\"\n",
            with: "  name: \"Forum Test\"\n  phone: \"+41 44 555 12 34\"\n  url: \"https://mentoring.example.ch\"\n")
        assertSucceeded(fixture.build())
        let (text, html) = try parts("anna-bruno")
        let closing = try XCTUnwrap(text.components(separatedBy: "Freundliche Grüsse\n").last)
        XCTAssertEqual(
            closing.trimmingCharacters(in: .newlines), "Forum Test\n+41 44 555 12 34\nhttps://mentoring.example.ch",
            "the organiser is the office; the office's site is the programme's")
        XCTAssertTrue(html.contains("<a class=\"tx-link\" href=\"tel:+41445551234\""), "the phone number can be tapped")
        XCTAssertEqual(html.components(separatedBy: ">Forum Test<").count, 2, "the name once")
    }

    func testThePlainTextPartReadsOnItsOwn() throws {
        assertSucceeded(fixture.build())
        let (text, _) = try parts("anna-bruno")
        XCTAssertTrue(text.hasPrefix("Guten Tag Anna Muster und Bruno Beispiel,\n\n"), text)
        XCTAssertNil(text.range(of: #"<[a-z/]|\{\{|&[a-z]+;"#, options: .regularExpression), "no markup:\n\(text)")
        XCTAssertFalse(text.contains("\n\n\n\n"), "no runs of empty lines")
        XCTAssertTrue(text.contains("Mentorin/Mentor: Anna Muster\nSocial-Media-Managerin, Alpha AG\n"), text)
        XCTAssertTrue(text.contains("5. März 2026: Kick-off (Bern)"))
    }

    // MARK: On a phone and in dark mode

    func testTheMessageFitsAPhoneScreenWithLongAddresses() throws {
        let chromium = try Chromium.find()
        let longAddress = "bruno.beispiel-von-wattenwyl@beta-kommunikation-international.example.ch"
        fixture.replace("participants.csv", "bruno@beta.example.ch", with: longAddress)
        fixture.replace(
            "participants.csv", "Beta AG", with: "\"Eidgenössisches Departement für Umwelt, Verkehr, Energie und Kommunikation UVEK\"")
        for french in [false, true] {
            if french { makeFrenchTandem(brunoAddress: longAddress) }
            assertSucceeded(fixture.build())
            let (_, html) = try parts("anna-bruno")
            XCTAssertTrue(html.contains("max-width:600px"), "one column of at most 600 px")
            XCTAssertTrue(
                html.contains("<meta name=\"color-scheme\" content=\"light dark\">") && html.contains("prefers-color-scheme: dark"))
            // The message in a 390 px frame (a phone's viewport), its width measured by the browser.
            let escaped = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            let page = """
                <!DOCTYPE html><html><body style="margin:0"><iframe id="m" style="border:0;width:390px;height:900px" srcdoc="\(escaped)"></iframe>
                <script>const m=document.getElementById("m");m.addEventListener("load",()=>{document.body.setAttribute("data-width",m.contentDocument.documentElement.scrollWidth)})</script>
                </body></html>
                """
            let file = fixture.root.appendingPathComponent("phone-\(french ? "fr" : "de").html")
            try page.write(to: file, atomically: true, encoding: .utf8)
            let dom = try chromium.dumpDOM(file)
            let width = dom.range(of: #"data-width="(\d+)""#, options: .regularExpression).map { dom[$0].filter(\.isNumber) }.flatMap {
                Int($0)
            }
            let measured = try XCTUnwrap(width, "chromium measured nothing:\n\(dom.prefix(500))")
            XCTAssertLessThanOrEqual(measured, 390, "\(french ? "French" : "German") message is \(measured) px wide on a 390 px screen")
        }
    }
}
