import Foundation
import XCTest

@testable import TandemKit

/// The microsite as its visitors see it: the programme office reachable from every page, the next date with time,
/// place and link, tandem portraits, footer pages, a description on every page, quotation marks drawn once per
/// quote in the language's style, no internal status, and (with headless Chromium) no sideways scrolling on a phone.
final class SiteDesignTests: TandemTestCase {
    static let officeAddress = ProgrammeFixture.officeEmail
    static let participantAddresses = ProgrammeFixture.participantEmails

    private func withFullContact() {
        fixture.replace(
            "programme.yml", "  email: \"programm@forum-test.example.ch\"\n",
            with:
                "  email: \"programm@forum-test.example.ch\"\n  phone: \"+41 44 555 12 34\"\n  url: \"https://forum-test.example.ch/mentoring/\"\n"
        )
    }

    /// Every HTML page of site/ with its text.
    private func sitePages(file: StaticString = #filePath, line: UInt = #line) -> [String: String] {
        snapshot(output + "/site").filter { $0.key.hasSuffix(".html") }.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    private func footer(_ html: String) -> String {
        guard let start = html.range(of: "<footer") else { return "" }
        return String(html[start.lowerBound...])
    }

    private func header(_ html: String) -> String {
        guard let start = html.range(of: "<header"), let end = html.range(of: "</header>") else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    // MARK: Contact

    func testContactLinksInTheFooterOfEveryPageAndOnThe404Page() throws {
        withFullContact()
        assertSucceeded(fixture.build())
        let pages = sitePages()
        XCTAssertGreaterThan(pages.count, 6)
        for (path, html) in pages.sorted(by: { $0.key < $1.key }) {
            let footer = footer(html)
            XCTAssertTrue(footer.contains("Programmbüro"), "\(path): the office's name in the footer")
            XCTAssertTrue(footer.contains("<a href=\"mailto:programm@forum-test.example.ch\">"), "\(path): a mailto: link")
            XCTAssertTrue(footer.contains("<a href=\"tel:+41445551234\">+41 44 555 12 34</a>"), "\(path): a tel: link")
            XCTAssertTrue(
                footer.contains("<a href=\"https://forum-test.example.ch/mentoring/\">forum-test.example.ch/mentoring</a>"),
                "\(path): the web page")
        }
        let notFound = try XCTUnwrap(pages["404.html"])
        let body = String(notFound[..<(notFound.range(of: "<footer")?.lowerBound ?? notFound.endIndex)])
        XCTAssertTrue(body.contains("Fragen zum Programm?"), "the 404 page offers the office")
        XCTAssertTrue(body.contains("href=\"mailto:programm@forum-test.example.ch\""), "the 404 page links the office's address")
        XCTAssertFalse(footer(pages["index.html"] ?? "").contains("Kontakt: Programmbüro"), "no plain-text contact line any more")
    }

    func testNothingOfTheContactWithPublicNo() {
        withFullContact()
        fixture.replace("programme.yml", "  name: \"Programmbüro\"\n", with: "  name: \"Programmbüro\"\n  public: no\n")
        assertSucceeded(fixture.build())
        for (path, html) in sitePages() {
            for hidden in ["Programmbüro", "mailto:", "tel:", "forum-test.example.ch", Self.officeAddress] {
                XCTAssertFalse(html.contains(hidden), "\(path) shows '\(hidden)' although the contact is not public")
            }
        }
    }

    func testNoParticipantAddressAnywhereOnTheSite() throws {
        withFullContact()
        assertSucceeded(fixture.build())
        let files = snapshot(output + "/site").mapValues { String(decoding: $0, as: UTF8.self) }
        let pattern = try NSRegularExpression(pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
        for (path, text) in files {
            for address in Self.participantAddresses { XCTAssertFalse(text.contains(address), "\(path) contains \(address)") }
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                XCTAssertEqual(String(text[range]), Self.officeAddress, "\(path): only the office's address may appear")
            }
        }
    }

    // MARK: Footer, menu, titles, descriptions

    func testFooterPagesAreLinkedFromTheFooterNotTheMenu() throws {
        fixture.write("pages/impressum.md", "---\ntitle: Impressum\nfooter: true\n---\nHerausgeber: Forum Test.\n")
        fixture.write("pages/datenschutz.md", "---\ntitle: Datenschutz\nfooter: true\n---\nWir speichern nichts.\n")
        assertSucceeded(fixture.build())
        for (path, html) in sitePages() where path != "404.html" {
            let prefix = path.contains("/") ? "../" : ""
            XCTAssertFalse(header(html).contains("impressum.html"), "\(path): the imprint is in the menu")
            let current = path == "impressum.html" ? " aria-current=\"page\"" : ""
            XCTAssertTrue(
                footer(html).contains("href=\"\(prefix)impressum.html\"\(current)>Impressum</a>"), "\(path): the imprint in the footer")
            let privacy = path == "datenschutz.html" ? " aria-current=\"page\"" : ""
            XCTAssertTrue(
                footer(html).contains("href=\"\(prefix)datenschutz.html\"\(privacy)>Datenschutz</a>"), "\(path): the privacy notice")
            XCTAssertTrue(header(html).contains("about.html"), "\(path): a normal page stays in the menu")
        }
        let impressum = try XCTUnwrap(readText(output, "site/impressum.html"))
        XCTAssertTrue(impressum.contains("<h1>Impressum</h1>"))
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(home.contains("Über das Programm"), "the home page's teaser is the first menu page, not a footer page")
    }

    func testEveryPageHasADescriptionAndTheHomePageIsTheProgrammesName() throws {
        assertSucceeded(fixture.build())
        let pattern = try NSRegularExpression(pattern: "<meta name=\"description\" content=\"([^\"]{8,})\">")
        for (path, html) in sitePages() {
            XCTAssertNotNil(
                pattern.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)), "\(path) has no meta description")
        }
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(home.contains("<title>Reverse Mentoring Test</title>"), "the home page's title is the programme's name")
        XCTAssertTrue(home.contains("<h1>Reverse Mentoring Test</h1>"))
        XCTAssertTrue(home.contains("<link rel=\"icon\" href=\"theme/favicon-32.png\" type=\"image/png\" sizes=\"32x32\">"))
        XCTAssertTrue(home.contains("<link rel=\"apple-touch-icon\" href=\"theme/apple-touch-icon.png\">"))
        XCTAssertEqual(pngSize(output + "/site/theme/favicon-32.png"), 32)
        XCTAssertEqual(pngSize(output + "/site/theme/apple-touch-icon.png"), 180)
        let timeline = try XCTUnwrap(readText(output, "site/timeline.html"))
        XCTAssertTrue(timeline.contains("<title>Zeitplan – Reverse Mentoring Test</title>"))
    }

    func testOrganiserIsALabelAndTheMenuFoldsOnAPhone() throws {
        assertSucceeded(fixture.build())
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(footer(home).contains("Veranstalter: Forum Test"))
        XCTAssertFalse(home.contains("Ein Programm von"))
        XCTAssertTrue(header(home).contains("<details class=\"menu\">"))
        XCTAssertTrue(
            header(home).contains("<summary class=\"menu-button\"><span class=\"menu-icon\" aria-hidden=\"true\"></span>Menü</summary>"))
        let css = try XCTUnwrap(readText(output, "site/theme/style.css"))
        XCTAssertTrue(css.contains("src: url(\"fonts/Inter-Regular.woff2\") format(\"woff2\")"), "Inter is self-hosted")
        XCTAssertTrue(css.contains("font-display: swap"))
        XCTAssertTrue(fileExists(output + "/site/theme/fonts/Inter-Regular.woff2"))
        XCTAssertTrue(css.contains("min-height: 100vh"), "the footer sits at the bottom of short pages")
    }

    // MARK: Quotes

    /// The site's CSS quotes each language as its strings do, and every quote draws open-quote and close-quote.
    func testQuoteMarksPerLanguageAndNeverNested() throws {
        assertSucceeded(fixture.build())
        let css = try XCTUnwrap(readText(output, "site/theme/style.css"))
        var diagnostics = Diagnostics()
        let theme = try XCTUnwrap(Theme.load(path: ProgrammeFixture.templatesPath, diagnostics: &diagnostics))
        for language in ["de", "fr", "it", "en"] {
            let strings = try XCTUnwrap(theme.strings[language])
            let marks = ["quote_open", "quote_close", "quote_inner_open", "quote_inner_close"].map { strings[$0] }
            let rule = try XCTUnwrap(
                css.split(separator: "\n").first { $0.hasPrefix(":lang(\(language)) { quotes:") }, "no quotes rule for \(language)")
            XCTAssertEqual(Self.cssQuotes(String(rule)), marks, "the CSS quotes of \(language) are the strings' quotation marks")
        }
        let open = css.components(separatedBy: "content: open-quote").count - 1
        let close = css.components(separatedBy: "content: close-quote").count - 1
        XCTAssertGreaterThan(open, 0)
        XCTAssertEqual(open, close, "every open-quote has its close-quote, so the marks never nest")
        XCTAssertFalse(css.contains(".quote::before"), "the old mark drawn without a closing one")

        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(home.contains("<figcaption>— Mentee, Kick-off</figcaption>"), "attributed to role and round")
        XCTAssertFalse(home.contains("„"), "no German low quotation marks on a Swiss site")
    }

    /// The strings of a CSS `quotes` declaration with their escapes read.
    static func cssQuotes(_ rule: String) -> [String] {
        var result: [String] = []
        var current: String?
        var scalars = Array(rule.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            if s == "\"" {
                if let text = current {
                    result.append(text)
                    current = nil
                } else {
                    current = ""
                }
            } else if current != nil, s == "\\" {
                var hex = ""
                while let h = scalars.first, h.properties.isASCIIHexDigit, hex.count < 6 {
                    hex.unicodeScalars.append(scalars.removeFirst())
                }
                if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) { current?.unicodeScalars.append(scalar) }
            } else if current != nil {
                current?.unicodeScalars.append(s)
            }
        }
        return result
    }

    // MARK: Events

    func testNextDateWithTimePlaceLinkAndTheTimelineWithAgenda() throws {
        fixture.replace(
            "programme.yml", "milestones:\n",
            with: """
                reference_date: 2026-06-01
                milestones:
                  - date: 2026-09-24
                    title: "Symposium"
                    time: "13:30-18:00"
                    location: "Kongresshaus"
                    address: |
                      Claridenstrasse 5
                      8002 Zürich
                    url: "https://forum-test.example.ch/symposium"
                    agenda:
                      - time: "13:30"
                        title: "Empfang"
                      - time: "14:00-15:00"
                        title: "Podium"
                        speaker: "Programmbüro"

                """)
        assertSucceeded(fixture.build())
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        for shown in [
            "Nächster Termin", "Symposium", "24. September 2026", "13.30–18.00 Uhr", "Kongresshaus", "Claridenstrasse 5",
            "8002 Zürich", "<a class=\"button\" href=\"https://forum-test.example.ch/symposium\">Details und Anmeldung",
            "<time class=\"next-date-leaf\" datetime=\"2026-09-24T13:30\">",
        ] {
            XCTAssertTrue(home.contains(shown), "the home page's next date shows \(shown)")
        }
        let timeline = try XCTUnwrap(readText(output, "site/timeline.html"))
        for shown in [
            "Demnächst", "Rückblick", "Empfang", "14.00–15.00 Uhr", "Podium", "Claridenstrasse 5",
            "href=\"https://forum-test.example.ch/symposium\"",
        ] {
            XCTAssertTrue(timeline.contains(shown), "the timeline shows \(shown)")
        }
        XCTAssertFalse(timeline.contains("vorbei"), "no 'vorbei' badge")
        XCTAssertFalse(timeline.contains("class=\"badge\""))
        // The kick-off (5 March) is past: it sits in the quieter "Rückblick" group, after the dates ahead.
        let upcoming = try XCTUnwrap(timeline.range(of: "Demnächst")), past = try XCTUnwrap(timeline.range(of: "Rückblick"))
        let kickoff = try XCTUnwrap(timeline.range(of: ">Kick-off</h3>"))
        XCTAssertLessThan(upcoming.lowerBound, past.lowerBound)
        XCTAssertLessThan(past.lowerBound, kickoff.lowerBound)
        XCTAssertTrue(timeline.contains("<li class=\"milestone milestone-past\">"))
    }

    // MARK: Tandems

    func testPortraitOnTheTandemPageAndItsExcerptOnTheHomePage() throws {
        let long = String(repeating: "Die beiden planen gemeinsam einen Kanal und lernen voneinander. ", count: 8)
        fixture.write("tandems/anna-bruno.md", "---\nquote: \"Wir lernen beide.\"\nphoto: photos/duo.jpg\n---\nPORTRAITANFANG \(long)\n")
        fixture.write("assets/photos/duo.jpg", "DUO-JPEG-BYTES")
        fixture.write("tandems/clara-dieter.md", "---\nphoto: photos/geheim-duo.jpg\n---\nGEHEIMPORTRAIT\n")
        fixture.write("assets/photos/geheim-duo.jpg", "GEHEIM-JPEG-BYTES")
        assertSucceeded(fixture.build())
        let page = try XCTUnwrap(readText(output, "site/tandems/anna-bruno.html"))
        XCTAssertTrue(page.contains("PORTRAITANFANG"), "the portrait's text")
        XCTAssertTrue(page.contains("<blockquote class=\"portrait-quote\"><p>Wir lernen beide.</p></blockquote>"))
        XCTAssertTrue(page.contains("<img class=\"portrait-photo\" src=\"../assets/photos/duo.jpg\""))
        XCTAssertTrue(fileExists(output + "/site/assets/photos/duo.jpg"), "the joint photo is copied")
        XCTAssertFalse(fileExists(output + "/site/assets/photos/geheim-duo.jpg"), "the joint photo of a tandem that is not public")
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(home.contains("<p class=\"tandem-excerpt\">PORTRAITANFANG Die beiden"), "the excerpt on the home page")
        XCTAssertTrue(home.contains("…</p>"), "the excerpt is shortened")
        XCTAssertTrue(home.contains("<a href=\"tandems/anna-bruno.html\">Porträt lesen"))
        for (path, html) in sitePages() {
            XCTAssertFalse(html.contains("GEHEIMPORTRAIT"), "\(path): a portrait of a tandem that is not public")
        }
    }

    func testTandemPageWithoutPortraitShowsMembersGoalsAndTopicsAndNoStatus() throws {
        fixture.replace("pairs.csv", "KI ausprobieren,active", with: "KI ausprobieren,ended")
        assertSucceeded(fixture.build())
        let page = try XCTUnwrap(readText(output, "site/tandems/anna-bruno.html"))
        XCTAssertFalse(page.contains("class=\"portrait"), "no portrait block without a portrait")
        XCTAssertTrue(page.contains("<ol class=\"goals\"><li>Instagram verstehen</li><li>KI ausprobieren</li></ol>"))
        XCTAssertTrue(page.contains("Woran das Tandem arbeitet"))
        XCTAssertTrue(page.contains("<ul class=\"tags\"><li>TikTok</li></ul>"), "the shared topic")
        XCTAssertTrue(page.contains("Anna Muster") && page.contains("Bruno Beispiel"))
        for (path, html) in sitePages() {
            for status in ["beendet", "status-", ">Status<", "aktiv<", "abgeschlossen"] {
                XCTAssertFalse(html.contains(status), "\(path) shows the internal status (\(status))")
            }
        }
    }

    // MARK: Chromium

    /// At 390 px no page scrolls sideways, figures such as "4,5 von 5" stay on one line, and each quote's marks are
    /// one open-quote and one close-quote (computed style); at 1280 px the menu is open without a "Menü" button.
    func testPhoneLayoutInChromium() throws {
        let browser = try Chromium.find()
        withFullContact()
        fixture.replace(
            "participants.csv", "anna-muster,Anna Muster,mentor,Alpha AG,Social-Media-Managerin",
            with:
                "anna-muster,Anna-Katharina von Graffenried-Wattenwyl,mentor,Eidgenössisches Departement für Umwelt Verkehr Energie und Kommunikation UVEK,Social-Media-Managerin"
        )
        fixture.write(
            "tandems/anna-bruno.md", "---\nquote: \"Wir lernen beide.\"\n---\nEin Porträt über zwei Menschen, die voneinander lernen.\n")
        fixture.write("pages/impressum.md", "---\ntitle: Impressum\nfooter: true\n---\nHerausgeber: Forum Test.\n")
        assertSucceeded(fixture.build())
        let pages = [
            "index.html", "participants/index.html", "participants/anna-muster.html", "tandems/index.html", "tandems/anna-bruno.html",
            "timeline.html", "about.html", "impressum.html", "404.html",
        ]
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(home.contains(" von 5</dd>"), "the fixture's home page shows a rating")
        for page in pages {
            let phone = try browser.probe(output + "/site/" + page, width: 390)
            XCTAssertEqual(phone["overflow"] as? Int, 0, "\(page) scrolls sideways at 390 px: \(phone["wide"] ?? "")")
            XCTAssertEqual((phone["wrapped"] as? [String]) ?? ["?"], [], "\(page): a figure breaks across lines at 390 px")
            XCTAssertEqual(phone["menuOpen"] as? Bool, false, "\(page): the menu is folded at 390 px")
            for mark in (phone["quotes"] as? [[String]]) ?? [] {
                XCTAssertEqual(mark, ["open-quote", "close-quote"], "\(page): a quote's marks")
            }
        }
        let desktop = try browser.probe(output + "/site/index.html", width: 1280)
        XCTAssertEqual(desktop["menuOpen"] as? Bool, true, "the menu is open at 1280 px")
        XCTAssertEqual(desktop["overflow"] as? Int, 0)
        XCTAssertEqual((desktop["quotes"] as? [[String]])?.count, 1, "the home page's one quote")
        XCTAssertEqual(desktop["quoteMarks"] as? String, "« » ‹ ›", "German quotes on a German page")
        XCTAssertEqual(desktop["font"] as? Bool, true, "Inter is loaded")
    }

    /// The width of a PNG (its height when square), read from the IHDR chunk.
    private func pngSize(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
        let bytes = [UInt8](data)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        return width == height ? width : nil
    }
}
