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
        // The theme's icons (favicon-32.png, apple-touch-icon.png in site/theme/) are assets, not cards.
        let pngs = try FileManager.default.subpathsOfDirectory(atPath: output).filter {
            $0.hasSuffix(".png") && !$0.hasPrefix("site/theme/")
        }
        XCTAssertEqual(Set(pngs), Set(sources.map(\.path)), "every PNG of the output is a card made here")
        for source in sources {
            let svg = String(decoding: source.svg, as: UTF8.self)
            for secret in ProgrammeFixture.participantEmails + [ProgrammeFixture.hiddenName, "Gamma AG", "Redaktorin"] {
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

    /// Long names are set smaller, then shortened with an ellipsis; Unicode names keep their letters.
    func testLongAndUnicodeNamesFit() throws {
        let long = "Maximiliane Friederike Schwarzenbach-Oberholzer-Vögeli"
        fixture.replace("participants.csv", "Anna Muster", with: long)
        fixture.replace("participants.csv", "Bruno Beispiel", with: "Łukasz Żółć Ößlé 山田太郎")
        fixture.replace(
            "participants.csv", "Social-Media-Managerin", with: "Leiterin Kommunikation und Öffentlichkeitsarbeit Region Nordwestschweiz")
        assertSucceeded(fixture.build(output: output))
        let sources = try cardSources()
        let card = String(decoding: try XCTUnwrap(sources.first { $0.path.hasSuffix("anna-bruno.card.png") }).svg, as: UTF8.self)
        XCTAssertTrue(card.contains("Łukasz Żółć Ößlé 山田太郎"))
        XCTAssertFalse(card.contains(long), "too long for 520 px")
        XCTAssertTrue(card.contains(#"font-size="32" font-weight="700">Maximiliane Friederike"#), "set at the smallest size first")
        XCTAssertTrue(card.range(of: #">Maximiliane Friederike[^<]*…</text>"#, options: .regularExpression) != nil, "then shortened")
        XCTAssertTrue(card.range(of: #">Leiterin Kommunikation[^<]*…</text>"#, options: .regularExpression) != nil)

        // The fitter's promise, measured with the embedded font: every fitted line fits its box.
        let fitter = try XCTUnwrap(renderer()).fitter
        for text in [long, "Łukasz Żółć", "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎", "A"] {
            let fitted = fitter.fit(text, width: 520, sizes: [52, 40, 32], bold: true)
            XCTAssertLessThanOrEqual(fitter.measure(fitted.text, Double(fitted.size), true), 520, fitted.text)
            XCTAssertTrue(fitted.text == text || fitted.text.hasSuffix("…"))
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
