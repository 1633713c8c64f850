import CRsvg
import Foundation
import XCTest

@testable import TandemKit

/// Sharing pairing announcements (docs/sharing.md): social cards, Open Graph and Twitter Card tags, the share box of
/// a tandem page, QR codes in print, and what never reaches a card.
final class ShareTests: TandemTestCase {
    private func tandem(_ arguments: [String]) throws -> TandemRun { try runTandem(arguments, in: fixture.root) }

    /// The `<meta>` tags of a page as (property or name) → contents, in order.
    private func metaTags(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<meta (?:property|name)="([^"]+)" content="([^"]*)">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            (String(html[Range(match.range(at: 1), in: html)!]), String(html[Range(match.range(at: 2), in: html)!]))
        }
    }

    private func meta(_ html: String, _ name: String) -> [String] { metaTags(html).filter { $0.0 == name }.map(\.1) }

    /// Width and height from a PNG's IHDR chunk.
    private func pngSize(_ path: String) -> (Int, Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
        let bytes = [UInt8](data)
        guard bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        return (u32(16), u32(20))
    }

    /// The output file an absolute URL of the site names (`base_url` + path → Output/site/path).
    private func siteFile(_ url: String) -> String? {
        let base = "https://mentoring.example.ch/"
        guard url.hasPrefix(base) else { return nil }
        return output + "/site/" + url.dropFirst(base.count)
    }

    // MARK: Open Graph

    /// A shared tandem link showed only its title: now every page has the tags LinkedIn and Facebook read, and a
    /// tandem page's image is its own 1200×627 card.
    func testEveryPageHasOpenGraphTagsAndATandemPageShowsItsCard() throws {
        assertSucceeded(fixture.build(output: output))
        let pages = try FileManager.default.subpathsOfDirectory(atPath: output + "/site").filter { $0.hasSuffix(".html") }
        XCTAssertGreaterThan(pages.count, 5)
        for page in pages where page != "404.html" {
            let html = try XCTUnwrap(readText(output, "site/" + page))
            // Facebook: og:title, og:type, og:url, og:image (absolute); LinkedIn: og:title, og:description, og:image, og:url.
            for name in [
                "og:title", "og:description", "og:type", "og:url", "og:image", "og:image:width", "og:image:height",
                "og:image:alt", "og:locale", "twitter:card",
            ] {
                XCTAssertEqual(meta(html, name).count, 1, "\(page): \(name)")
                XCTAssertFalse(meta(html, name).first?.isEmpty ?? true, "\(page): \(name) is empty")
            }
            XCTAssertEqual(meta(html, "twitter:card"), ["summary_large_image"], page)
            XCTAssertEqual(meta(html, "og:locale"), ["de_CH"], page)
            let url = try XCTUnwrap(meta(html, "og:url").first)
            XCTAssertEqual(url, "https://mentoring.example.ch/" + page, page)
            XCTAssertTrue(html.contains("<link rel=\"canonical\" href=\"\(url)\">"), "\(page): og:url is the canonical address")
            let image = try XCTUnwrap(meta(html, "og:image").first)
            let file = try XCTUnwrap(siteFile(image), "\(page): og:image \(image) is not absolute on base_url")
            XCTAssertEqual(pngSize(file).map { "\($0.0)x\($0.1)" }, "1200x627", "\(page): \(image)")
            XCTAssertEqual(meta(html, "og:image:width"), ["1200"])
            XCTAssertEqual(meta(html, "og:image:height"), ["627"])
            XCTAssertEqual(meta(html, "og:image").first, meta(html, "twitter:image").first)
        }
        let tandemPage = try XCTUnwrap(readText(output, "site/tandems/anna-bruno.html"))
        XCTAssertEqual(meta(tandemPage, "og:image"), ["https://mentoring.example.ch/tandems/anna-bruno.card.png"])
        XCTAssertEqual(meta(tandemPage, "og:title"), ["Anna Muster &amp; Bruno Beispiel"])
        XCTAssertEqual(meta(tandemPage, "og:type"), ["article"])
        XCTAssertTrue(meta(tandemPage, "og:description").first?.contains("Anna Muster und Bruno Beispiel") ?? false)
        XCTAssertTrue(meta(tandemPage, "og:image:alt").first?.contains("Anna Muster und Bruno Beispiel") ?? false)
        let home = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertEqual(meta(home, "og:image"), ["https://mentoring.example.ch/card.png"])
        XCTAssertEqual(meta(home, "og:type"), ["website"])
    }

    /// Several languages: each page names its locale and the others as alternates, and its language's card.
    func testLocalesAndCardsPerLanguage() throws {
        fixture.replace("programme.yml", "language: de\n", with: "language: de\nlanguages: [de, fr]\n")
        assertSucceeded(fixture.build(output: output))
        let french = try XCTUnwrap(readText(output, "site/fr/tandems/anna-bruno.html"))
        XCTAssertEqual(meta(french, "og:locale"), ["fr_CH"])
        XCTAssertEqual(meta(french, "og:locale:alternate"), ["de_CH"])
        XCTAssertEqual(meta(french, "og:image"), ["https://mentoring.example.ch/fr/tandems/anna-bruno.card.png"])
        XCTAssertEqual(pngSize(output + "/site/fr/tandems/anna-bruno.card.png").map { "\($0.0)x\($0.1)" }, "1200x627")
        XCTAssertEqual(pngSize(output + "/site/de/card.png").map { "\($0.0)x\($0.1)" }, "1200x627")
    }

    // MARK: Without base_url

    /// og:url and og:image must be absolute: without base_url they are left out, print has no QR code, and
    /// `tandem check` says so once.
    func testWithoutBaseURLNoAbsoluteTagsNoQRCodeOneWarning() throws {
        fixture.replace("programme.yml", "base_url: \"https://mentoring.example.ch/\"\n", with: "")
        let check = try tandem(["check", "--content", "Content"])
        XCTAssertEqual(check.status, 0, check.stderr)
        let warnings = check.stderr.components(separatedBy: "\n").filter { $0.contains("base_url") }
        XCTAssertEqual(
            warnings,
            [
                "Content/programme.yml: warning: base_url is not set: link previews get no og:url or og:image and print/ gets no QR codes; set base_url to the address the site is served from"
            ])

        let build = try tandem(["build", "--content", "Content", "--output", "Output"])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.stderr.components(separatedBy: "base_url is not set").count, 2, "one warning:\n\(build.stderr)")
        let html = try XCTUnwrap(readText(output, "site/tandems/anna-bruno.html"))
        XCTAssertTrue(meta(html, "og:url").isEmpty)
        XCTAssertTrue(meta(html, "og:image").isEmpty)
        XCTAssertEqual(meta(html, "og:title"), ["Anna Muster &amp; Bruno Beispiel"])
        XCTAssertFalse(html.contains("linkedin.com"), "no share URL without an absolute address")
        XCTAssertTrue(html.contains("href=\"anna-bruno.card.png\" download"), "the image can still be downloaded")
        for file in ["print/handout.html", "print/announcements/anna-bruno.html"] {
            XCTAssertFalse(try XCTUnwrap(readText(output, file)).contains("class=\"qr\""), file)
        }
    }

    // MARK: Share box

    func testTandemPageSharesWithoutScriptsOrTracking() throws {
        assertSucceeded(fixture.build(output: output))
        let html = try XCTUnwrap(readText(output, "site/tandems/anna-bruno.html"))
        XCTAssertTrue(
            html.contains(
                "href=\"https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fmentoring.example.ch%2Ftandems%2Fanna-bruno.html\""
            ))
        XCTAssertTrue(html.contains(">Auf LinkedIn teilen</a>"))
        XCTAssertTrue(html.contains("href=\"anna-bruno.card.png\" download>Bild herunterladen</a>"))
        XCTAssertTrue(
            html.contains(
                "<textarea id=\"share-text\" class=\"share-text\" readonly rows=\"4\">Im Programm «Reverse Mentoring Test» lernen Anna Muster und Bruno Beispiel"
            ))
        XCTAssertTrue(html.contains("https://mentoring.example.ch/tandems/anna-bruno.html</textarea>"))
        XCTAssertFalse(html.contains("<script"), "no script")
        // Nothing is loaded from elsewhere: every src is relative.
        XCTAssertFalse(html.range(of: #"src="(https?:)?//"#, options: .regularExpression) != nil)
    }

    // MARK: Cards

    /// What went into each card: only public tandems get one, their SVG names no unpublished person, shows no
    /// unpublished photo and no e-mail address; every PNG was drawn from exactly that SVG (its stored hash).
    func testCardsExistOnlyForPublicTandemsAndCarryNothingPrivate() throws {
        assertSucceeded(fixture.build(output: output))
        XCTAssertFalse(fileExists(output + "/site/tandems/clara-dieter.card.png"))
        XCTAssertFalse(fileExists(output + "/print/announcements/clara-dieter.square.png"))
        XCTAssertEqual(pngSize(output + "/site/tandems/anna-bruno.card.png").map { "\($0.0)x\($0.1)" }, "1200x627")
        XCTAssertEqual(pngSize(output + "/print/announcements/anna-bruno.square.png").map { "\($0.0)x\($0.1)" }, "1080x1350")
        XCTAssertEqual(pngSize(output + "/site/card.png").map { "\($0.0)x\($0.1)" }, "1200x627")

        let sources = try cardSources()
        XCTAssertEqual(
            Set(sources.map(\.path)),
            ["site/tandems/anna-bruno.card.png", "print/announcements/anna-bruno.square.png", "site/card.png"])
        let pngs = try FileManager.default.subpathsOfDirectory(atPath: output).filter { $0.hasSuffix(".png") }
        XCTAssertEqual(Set(pngs), Set(sources.map(\.path)), "every PNG of the output is a card made here")
        for source in sources {
            let svg = String(decoding: source.svg, as: UTF8.self)
            for secret in ProgrammeFixture.emails + [ProgrammeFixture.hiddenName, "Gamma AG", "Redaktorin"] {
                XCTAssertFalse(svg.contains(secret), "\(source.path) contains \(secret)")
            }
            XCTAssertFalse(svg.contains("CLARA-JPEG"), "the unpublished photo")
            let prefix = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: output + "/" + source.path)).prefix(160))
            XCTAssertEqual(CardRasterizer.storedHash(prefix), source.hash, "\(source.path) was drawn from this SVG")
        }
        let card = String(decoding: try XCTUnwrap(sources.first { $0.path == "site/tandems/anna-bruno.card.png" }).svg, as: UTF8.self)
        for shown in [
            "Anna Muster", "Bruno Beispiel", "Alpha AG", "Beta AG", "Social-Media-Managerin", "CEO",
            "Reverse Mentoring Test", "1. März 2026 – 31. August 2026", "Neues Tandem",
        ] {
            XCTAssertTrue(card.contains(shown), "the card shows \(shown)")
        }
    }

    /// The fixture's photo is not an image: the card shows initials rather than failing; a real photo is embedded.
    func testPhotoOrInitials() throws {
        assertSucceeded(fixture.build(output: output))
        var card = String(decoding: try XCTUnwrap(cardSources().first { $0.path.hasSuffix("anna-bruno.card.png") }).svg, as: UTF8.self)
        XCTAssertFalse(card.contains("data:image"))
        XCTAssertTrue(card.contains(">AM</text>") && card.contains(">BB</text>"))

        let svgPhoto =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#c00\"/></svg>"
        fixture.write("assets/photos/anna.svg", svgPhoto)
        fixture.replace("participants.csv", "photos/anna.jpg", with: "photos/anna.svg")
        assertSucceeded(fixture.build(output: output))
        card = String(decoding: try XCTUnwrap(cardSources().first { $0.path.hasSuffix("anna-bruno.card.png") }).svg, as: UTF8.self)
        XCTAssertTrue(card.contains("href=\"data:image/svg+xml;base64,"))
        XCTAssertFalse(card.contains(">AM</text>"))
    }

    /// Long names went straight from a smaller size to an ellipsis: now a name goes onto two lines first (both
    /// members at one size), an organisation too, and the lines below move down; nothing is shortened that fits on
    /// two lines, and every line stays inside the card's safe area.
    func testLongNamesWrapBeforeTheyAreShortened() throws {
        fixture.replace("participants.csv", "Anna Muster", with: "Anna-Katharina von Graffenried-Wattenwyl")
        fixture.replace("participants.csv", "Bruno Beispiel", with: "Maximilian Alexander Zimmermann-Oberholzer")
        fixture.replace("participants.csv", "Beta AG", with: "Bundesamt für Kommunikation und Öffentlichkeitsarbeit")
        let build = try tandem(["build", "--content", "Content", "--output", "Output"])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(pngSize(output + "/site/tandems/anna-bruno.card.png").map { "\($0.0)x\($0.1)" }, "1200x627")
        XCTAssertEqual(pngSize(output + "/print/announcements/anna-bruno.square.png").map { "\($0.0)x\($0.1)" }, "1080x1350")

        let sources = try cardSources()
        let landscape = textLines(try XCTUnwrap(sources.first { $0.path == "site/tandems/anna-bruno.card.png" }).svg)
        // Mentor in the left column (x 50), mentee in the right (x 630); both names on two lines at one size.
        let mentorName = landscape.filter { $0.x == 50 && $0.bold && $0.y > 200 && $0.y < 482 }
        let menteeName = landscape.filter { $0.x == 630 && $0.bold }
        XCTAssertEqual(mentorName.map(\.text), ["Anna-Katharina von", "Graffenried-Wattenwyl"])
        XCTAssertEqual(menteeName.map(\.text), ["Maximilian Alexander", "Zimmermann-Oberholzer"])
        XCTAssertEqual(Set((mentorName + menteeName).map(\.size)).count, 1, "one name size on a card")
        XCTAssertGreaterThanOrEqual(mentorName[0].size, 32)
        let organisation = landscape.filter { $0.x == 630 && !$0.bold && $0.y > menteeName[1].y }
        XCTAssertEqual(organisation.map(\.text), ["CEO", "Bundesamt für Kommunikation", "und Öffentlichkeitsarbeit"])
        XCTAssertEqual(
            landscape.filter { $0.x == 50 && !$0.bold && $0.y > mentorName[1].y && $0.y < 482 }.map(\.y), organisation.prefix(2).map(\.y),
            "the columns' lines below the names start on one line")
        for line in landscape {
            XCTAssertFalse(line.text.contains("…"), "\(line.text) fits on two lines")
            XCTAssertGreaterThanOrEqual(line.size, 32, line.text)
            XCTAssertLessThanOrEqual(line.y + line.size / 4, 593, "\(line.text) below the safe area")
        }
        // The lowest line of a member ends above the rule under the members (y 482).
        XCTAssertLessThan(organisation.last.map { $0.y + $0.size / 4 } ?? 0, 482)

        let portrait = textLines(try XCTUnwrap(sources.first { $0.path == "print/announcements/anna-bruno.square.png" }).svg)
        let portraitNames = portrait.filter { $0.x == 320 && $0.bold && $0.size > 32 }
        XCTAssertEqual(portraitNames.count, 4, "both names on two lines")
        XCTAssertEqual(ShareRenderer.joined(portraitNames.prefix(2).map(\.text)), "Anna-Katharina von Graffenried-Wattenwyl")
        XCTAssertEqual(ShareRenderer.joined(portraitNames.suffix(2).map(\.text)), "Maximilian Alexander Zimmermann-Oberholzer")
        XCTAssertEqual(Set(portraitNames.map(\.size)).count, 1)
        let rule = 1166
        for line in portrait where line.x == 320 {
            XCTAssertLessThan(line.y + line.size / 4, rule, "\(line.text) runs into the footer")
        }
        // Mentor's lines end above the mentee's role label.
        XCTAssertLessThan(portrait.filter { $0.x == 320 && $0.y < 800 }.map(\.y).max() ?? 0, 822 - 40)
    }

    /// Unicode names keep their letters (ß stays ß, accents and CJK are set); a Chinese or Japanese name breaks
    /// between characters; only a name too long even for two lines at 32 px gets "…", on its second line.
    func testUnicodeNamesAndTheLastResort() throws {
        let endless = "Maria Magdalena Wolfeschlegel Steinhausen Bergerdorff von Hohenzollern-Sigmaringen Brandenburg Preussen"
        "Wolfeschlegelsteinhausenbergerdorff Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Wolfeschlegelsteinhausenbergerdorff"
        fixture.replace("participants.csv", "Anna Muster", with: "Łukasz Żółć-Ößlé François Çelik")
        fixture.replace("participants.csv", "Bruno Beispiel", with: "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎")
        fixture.replace("participants.csv", "Delta AG", with: "Delta AG")
        let build = try tandem(["build", "--content", "Content", "--output", "Output"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let card = textLines(try XCTUnwrap(try cardSources().first { $0.path == "site/tandems/anna-bruno.card.png" }).svg)
        let names = card.filter { $0.bold && $0.size >= 32 && $0.y > 200 && $0.y < 482 }
        XCTAssertEqual(names.filter { $0.x == 50 }.map(\.text).joined(separator: " "), "Łukasz Żółć-Ößlé François Çelik")
        let cjk = names.filter { $0.x == 630 }.map(\.text)
        XCTAssertEqual(cjk.count, 2)
        XCTAssertEqual(cjk.joined(), "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎", "broken between characters, nothing lost")

        let fitter = try XCTUnwrap(renderer()).fitter
        let wrapped = fitter.wrap(endless, width: 520, sizes: [52, 48, 44, 40], wrapSizes: [40, 36, 32], bold: true)
        XCTAssertEqual(wrapped.size, 32)
        XCTAssertEqual(wrapped.lines.count, 2)
        let first = try XCTUnwrap(wrapped.lines.first)
        let second = try XCTUnwrap(wrapped.lines.last)
        XCTAssertTrue(endless.hasPrefix(first + " "), "the first line ends at a break: \(first)")
        XCTAssertFalse(first.contains("…"))
        XCTAssertGreaterThan(fitter.measure(first + " Xxxxxxxxxxxxx", 32, true), 520, "as much as fits on the first line")
        XCTAssertTrue(second.hasSuffix("…") && endless.dropFirst(first.count + 1).hasPrefix(second.dropLast()), second)
        for line in wrapped.lines { XCTAssertLessThanOrEqual(fitter.measure(line, 32, true), 520, line) }
        // A short name stays on one line at the largest size; a particle does not end a line when another break fits.
        XCTAssertEqual(
            fitter.wrap("Anna Muster", width: 520, sizes: [52, 40], wrapSizes: [40, 32], bold: true),
            WrappedText(lines: ["Anna Muster"], size: 52))
        XCTAssertEqual(
            fitter.wrap(
                "Anna-Katharina von Graffenried-Wattenwyl", width: 680, sizes: [64, 58, 52, 46], wrapSizes: [46, 40, 36, 32], bold: true
            )
            .lines.first?.hasSuffix(" von"), false)
        // A line shortened after a whole word, not after "und", when that keeps most of the line.
        XCTAssertEqual(
            fitter.fit("Leiterin Kommunikation und Öffentlichkeitsarbeit Region Nordwestschweiz", width: 520, sizes: [32]).text,
            "Leiterin Kommunikation …")
        XCTAssertEqual(TextFitter.singleSpaced("  Anna \t Muster\n"), "Anna Muster")
        XCTAssertEqual(TextFitter.singleSpaced("Anna von\u{A0}Muster"), "Anna von\u{A0}Muster", "a no-break space stays")
        XCTAssertEqual(ShareRenderer.joined(["Zimmermann-", "Oberholzer"]), "Zimmermann-Oberholzer")
        XCTAssertEqual(ShareRenderer.joined(["山田太郎", "山田"]), "山田太郎山田")
        XCTAssertEqual(ShareRenderer.joined(["Anna-Katharina", "von Graffenried"]), "Anna-Katharina von Graffenried")
    }

    /// The fitter's promise, measured with the embedded font: every fitted line fits its box; an ellipsis only
    /// when a text does not fit at the smallest size.
    func testFittedLinesFitTheirBox() throws {
        let fitter = try XCTUnwrap(renderer()).fitter
        let texts = [
            "Maximiliane Friederike Schwarzenbach-Oberholzer-Vögeli", "Anna-Katharina von Graffenried-Wattenwyl", "Łukasz Żółć",
            "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎", "A", "Wolfeschlegelsteinhausenbergerdorffvonhohenzollernsigmaringen",
        ]
        for text in texts {
            let fitted = fitter.fit(text, width: 520, sizes: [52, 40, 32], bold: true)
            XCTAssertLessThanOrEqual(fitter.measure(fitted.text, Double(fitted.size), true), 520, fitted.text)
            XCTAssertTrue(fitted.text == text || fitted.text.hasSuffix("…"))
            let wrapped = fitter.wrap(text, width: 520, sizes: [52, 40], wrapSizes: [40, 32], bold: true)
            XCTAssertTrue((1...2).contains(wrapped.lines.count))
            XCTAssertTrue([52, 40, 32].contains(wrapped.size))
            for line in wrapped.lines { XCTAssertLessThanOrEqual(fitter.measure(line, Double(wrapped.size), true), 520, line) }
            let joined = ShareRenderer.joined(wrapped.lines)
            XCTAssertTrue(joined == text || (joined.hasSuffix("…") && wrapped.size == 32), joined)
        }
        // Two lines are enough for these: nothing shortened.
        for text in ["Anna-Katharina von Graffenried-Wattenwyl", "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎"] {
            XCTAssertEqual(
                ShareRenderer.joined(fitter.wrap(text, width: 520, sizes: [52, 40], wrapSizes: [40, 32], bold: true).lines), text)
        }
        XCTAssertEqual(fitter.fit("A", width: 520, sizes: [52, 40, 32], bold: true).size, 52)
    }

    /// Same input, same PNG bytes; an unchanged card is not drawn again, a changed one is.
    func testCardsAreDeterministicAndReusedWhenUnchanged() throws {
        assertSucceeded(fixture.build(output: output))
        let second = fixture.outputPath("Second")
        assertSucceeded(fixture.build(output: second))
        for path in ["site/tandems/anna-bruno.card.png", "print/announcements/anna-bruno.square.png", "site/card.png"] {
            XCTAssertEqual(
                FileManager.default.contents(atPath: output + "/" + path), FileManager.default.contents(atPath: second + "/" + path), path)
        }
        // Mark the old card (its pixels, not its hash): a build into the same folder keeps it, so librsvg did not run.
        let path = "/site/tandems/anna-bruno.card.png"
        var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: output + path)))
        bytes += Array("MARK".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: output + path))
        let reused = try tandem(["build", "--content", "Content", "--output", "Output"])
        XCTAssertEqual(reused.status, 0, reused.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: output + path).map { [UInt8]($0).suffix(4) }, Array("MARK".utf8))
        // A changed name changes the SVG: the card is drawn again.
        fixture.replace("participants.csv", "Anna Muster", with: "Anna Neuname")
        let changed = try tandem(["build", "--content", "Content", "--output", "Output"])
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertNotEqual(FileManager.default.contents(atPath: output + path).map { [UInt8]($0).suffix(4) }, Array("MARK".utf8))
    }

    /// Tandem writes the cards' PNG itself (unfiltered rows, zlib level 1) instead of cairo's slow writer: libpng
    /// reads it back at its size with the card's colours, and workers drawing side by side give the bytes one
    /// thread gives (librsvg, Pango and fontconfig without a lock of Tandem's).
    func testCardPNGReadsBackAndIsTheSameOnEveryThread() throws {
        assertSucceeded(fixture.build(output: output))
        let source = try XCTUnwrap(try cardSources().first { $0.path == "site/tandems/anna-bruno.card.png" })
        let serial = try XCTUnwrap(CardRasterizer.png(svg: source.svg, width: source.width, height: source.height, hash: source.hash))
        XCTAssertEqual(serial, [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: output + "/" + source.path))))
        final class Results: @unchecked Sendable {
            var pngs = [[UInt8]?](repeating: nil, count: 8)
            let lock = NSLock()
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let png = CardRasterizer.png(svg: source.svg, width: source.width, height: source.height, hash: source.hash)
            results.lock.lock()
            results.pngs[i] = png
            results.lock.unlock()
        }
        for png in results.pngs { XCTAssertEqual(png, serial) }

        // libpng (through cairo) reads the file: 1200×627, the card's background in the corner, its rule below.
        final class Reader {
            let bytes: [UInt8]
            var at = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let reader = Reader(serial)
        let surface = try XCTUnwrap(
            cairo_image_surface_create_from_png_stream(
                { closure, data, length in
                    guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
                    let reader = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
                    guard reader.at + Int(length) <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                    for i in 0..<Int(length) { data[i] = reader.bytes[reader.at + i] }
                    reader.at += Int(length)
                    return CAIRO_STATUS_SUCCESS
                }, Unmanaged.passUnretained(reader).toOpaque()))
        defer { cairo_surface_destroy(surface) }
        XCTAssertEqual(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS)
        XCTAssertEqual(cairo_image_surface_get_width(surface), 1200)
        XCTAssertEqual(cairo_image_surface_get_height(surface), 627)
        let pixels = try XCTUnwrap(cairo_image_surface_get_data(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        func pixel(_ x: Int, _ y: Int) -> UInt32 {
            UnsafeRawPointer(pixels + y * stride + 4 * x).load(as: UInt32.self) & 0xFF_FFFF
        }
        XCTAssertEqual(pixel(2, 620), 0xF4F1EC, "the card's background")
        XCTAssertEqual(pixel(600, 483), 0xD5CFC5, "the rule under the members")
    }

    // MARK: QR codes

    /// No printed page led to the site: the handout (back cover, each tandem) and each announcement now carry QR
    /// codes that decode, read by zbarimg from the PDF, to exactly the address printed beside them, which exists.
    func testQRCodesInPrintDecodeToThePrintedAddress() throws {
        for tool in ["zbarimg", "pdftoppm", "pdftotext", "weasyprint"] {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/" + tool) else { throw XCTSkip("\(tool) is not installed") }
        }
        let build = try tandem(["build", "--content", "Content", "--output", "Output", "--pdf"])
        XCTAssertEqual(build.status, 0, build.stderr)
        var expected: [String: Set<String>] = [
            "print/handout.pdf": ["https://mentoring.example.ch/", "https://mentoring.example.ch/tandems/anna-bruno.html"],
            "print/announcements/anna-bruno.pdf": ["https://mentoring.example.ch/tandems/anna-bruno.html"],
        ]
        for (pdf, urls) in expected {
            let decoded = try decodeQRCodes(output + "/" + pdf)
            XCTAssertEqual(Set(decoded), urls, pdf)
            let text = try run("/usr/bin/pdftotext", ["-raw", output + "/" + pdf, "-"]).filter { !$0.isWhitespace }
            for url in decoded {
                XCTAssertTrue(text.contains(url), "\(pdf): \(url) is printed beside its code")
                let file = try XCTUnwrap(siteFile(url))
                XCTAssertTrue(fileExists(url.hasSuffix("/") ? file + "index.html" : file), "\(url) exists in site/")
            }
            expected[pdf] = nil
        }
    }

    // MARK: Helpers

    private func renderer() throws -> ShareRenderer? {
        var diagnostics = Diagnostics()
        guard let programme = Pipeline.loadModel(fixture.options(output: output), diagnostics: &diagnostics),
            let theme = Theme.load(path: nil, diagnostics: &diagnostics),
            let strings = theme.strings(for: programme, diagnostics: &diagnostics)
        else { return nil }
        return ShareRenderer(programme: programme, theme: theme, strings: strings, cache: CardCache(outputPath: nil))
    }

    /// The `<text>` elements of a card's SVG: x, y, size, bold and the text (entities of the template decoded).
    private func textLines(_ svg: [UInt8]) -> [(x: Int, y: Int, size: Int, bold: Bool, text: String)] {
        let text = String(decoding: svg, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: #"<text x="(\d+)" y="(\d+)"([^>]*)>([^<]*)</text>"#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            func group(_ i: Int) -> String { String(text[Range(match.range(at: i), in: text)!]) }
            let attributes = group(3)
            let size = attributes.range(of: #"font-size="(\d+)""#, options: .regularExpression).map {
                Int(attributes[$0].filter(\.isNumber)) ?? 0
            }
            let decoded = group(4).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            return (Int(group(1)) ?? 0, Int(group(2)) ?? 0, size ?? 0, attributes.contains("font-weight=\"700\""), decoded)
        }
    }

    private func cardSources() throws -> [ShareRenderer.CardSource] {
        let share = try XCTUnwrap(try renderer())
        let count = share.programme.publicView.tandems.count
        return share.tandemCardSources(0..<count) + share.programmeCardSources()
    }

    private func decodeQRCodes(_ pdf: String) throws -> [String] {
        let folder = fixture.root.appendingPathComponent("pages-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try run("/usr/bin/pdftoppm", ["-r", "150", "-png", pdf, folder + "/page"])
        var urls: [String] = []
        for page in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let out = try run("/usr/bin/zbarimg", ["-q", "--raw", folder + "/" + page], allowFailure: true)
            urls += out.split(separator: "\n").map(String.init)
        }
        return urls
    }

    private func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if !allowFailure { XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments)") }
        return String(decoding: data, as: UTF8.self)
    }
}
