import Foundation
import XCTest

@testable import TandemKit

/// The symposium handout as a booklet (docs/outputs.md, "Print"): A4 or A5 (`print.format`), a page count that is a
/// multiple of four, contents, the symposium, the results, the tandems with portraits, voices, timeline, notes pages
/// and a back cover with the office's contact and a QR code to the site; no page under half full but a chapter's last.
final class HandoutBookletTests: TandemTestCase {
    // MARK: programme.yml

    func testPrintFormatAndSymposiumAreCheckedWhereTheyAreWritten() {
        fixture.append("programme.yml", line: "print:\n  format: a3\n  symposium: 2026-12-24\n  bleed: yes")
        let result = fixture.check()
        let lines = fixture.read("programme.yml").components(separatedBy: "\n")
        let formatLine = (lines.firstIndex { $0.contains("format: a3") } ?? 0) + 1
        let symposiumLine = (lines.firstIndex { $0.contains("symposium: 2026-12-24") } ?? 0) + 1
        let bleedLine = (lines.firstIndex { $0.contains("bleed: yes") } ?? 0) + 1
        assertDiagnostic(result, in: "programme.yml", line: formatLine, contains: ["'print.format' must be 'a4' or 'a5', found 'a3'"])
        assertDiagnostic(result, in: "programme.yml", line: symposiumLine, contains: ["'print.symposium' is 2026-12-24", "no milestone"])
        assertDiagnostic(result, .warning, in: "programme.yml", line: bleedLine, contains: ["unknown key 'print.bleed'"])

        // From the command line: the same text, and the build fails.
        let run = try? runTandem(["check", "--content", fixture.contentPath], in: fixture.root)
        XCTAssertEqual(run?.status, 1, run?.stdout ?? "")
        let printed = run.map { $0.stdout + $0.stderr } ?? ""
        XCTAssertTrue(
            printed.split(separator: "\n").contains {
                $0.hasPrefix("\(fixture.path("programme.yml")):\(formatLine):")
                    && $0.hasSuffix(" error: 'print.format' must be 'a4' or 'a5', found 'a3'")
            }, printed)
    }

    func testMarkedSymposiumIsTheOneThePrintShows() {
        fixture.replace(
            "programme.yml", "    location: \"Bern\"\n",
            with: """
                    location: "Bern"
                  - date: 2026-09-24
                    title: "Grosses Symposium"
                  - date: 2026-10-30
                    title: "Schlussfeier"
                    time: "18:00-21:00"
                    location: "Aula"
                    address: "Hauptstrasse 1\\n3000 Bern"
                    url: "https://forum-test.example.ch/feier"
                    agenda:
                      - time: "18:00"
                        title: "Apéro riche"
                        speaker: "Team Forum"
                print:
                  symposium: 2026-10-30

                """)
        assertSucceeded(fixture.build())
        let handout = readText(output, "print/handout.html") ?? ""
        let page = section(handout, "chapter symposium")
        for expected in [
            "Schlussfeier", "30. Oktober 2026", "18.00–21.00 Uhr", "Aula", "Hauptstrasse 1", "3000 Bern", "Apéro riche", "Team Forum",
            "https://forum-test.example.ch/feier", "<svg",
        ] {
            XCTAssertTrue(page.contains(expected), "the symposium page lacks \(expected):\n\(page)")
        }
        XCTAssertFalse(page.contains("Grosses Symposium"), "the milestone programme.yml marks, not the one named so")
    }

    // MARK: The HTML handout

    func testBackCoverHasThePublicContactAndAQRCodeToTheSite() {
        fixture.replace(
            "programme.yml", "  email: \"programm@forum-test.example.ch\"\n",
            with: "  email: \"programm@forum-test.example.ch\"\n  phone: \"+41 31 555 00 00\"\n  url: \"https://forum-test.example.ch/\"\n")
        assertSucceeded(fixture.build())
        let back = section(readText(output, "print/handout.html") ?? "", "back-cover")
        for expected in [
            "Programmbüro", "programm@forum-test.example.ch", "mailto:programm@forum-test.example.ch", "+41 31 555 00 00",
            "tel:+41315550000", "forum-test.example.ch", "Forum Test", "<svg", "https://mentoring.example.ch/",
        ] {
            XCTAssertTrue(back.contains(expected), "the back cover lacks \(expected):\n\(back)")
        }

        // `public: no`: the office is named, its address and phone are not printed; without base_url no QR code.
        fixture.replace("programme.yml", "  phone: \"+41 31 555 00 00\"\n", with: "  phone: \"+41 31 555 00 00\"\n  public: no\n")
        fixture.replace("programme.yml", "base_url: \"https://mentoring.example.ch/\"\n", with: "")
        assertSucceeded(fixture.build())
        let handout = readText(output, "print/handout.html") ?? ""
        let hidden = section(handout, "back-cover")
        XCTAssertTrue(hidden.contains("Programmbüro"), hidden)
        for secret in ProgrammeFixture.emails + ["+41 31 555 00 00", "<svg"] {
            XCTAssertFalse(hidden.contains(secret), "with public: no / without base_url the back cover shows \(secret)")
        }
        for email in ProgrammeFixture.emails { XCTAssertFalse(handout.contains(email), "handout shows \(email)") }
    }

    func testResultsAreTheHomePagesFiguresAndContentsListTheChapters() throws {
        try useSample()
        assertSucceeded(fixture.build())
        let handout = readText(output, "print/handout.html") ?? ""
        let home = readText(output, "site/index.html") ?? ""
        let results = section(handout, "chapter results")
        let figures = values(in: results, after: "<dd>", before: "</dd>") + values(in: results, after: "class=\"bar-value\">", before: "<")
        XCTAssertGreaterThanOrEqual(figures.count, 5 + 3, "key figures and the three feedback means:\n\(results)")
        for figure in figures { XCTAssertTrue(home.contains(">\(figure)<"), "the home page does not show \(figure)") }
        XCTAssertTrue(results.contains(">32<") && results.contains(">124<"), results)
        XCTAssertTrue(figures.contains("4,5 von 5"), "\(figures)")

        let contents = section(handout, "contents")
        var position = contents.startIndex
        for (anchor, title) in [
            ("symposium", "Symposium Reverse Mentoring"), ("about", "Was ist Reverse Mentoring?"), ("results", "Das Programm in Zahlen"),
            ("tandems", "Die Tandems"), ("voices", "Stimmen aus dem Programm"), ("timeline", "Zeitplan"),
        ] {
            guard let found = contents.range(of: "href=\"#\(anchor)\"", range: position..<contents.endIndex) else {
                return XCTFail("contents lack \(anchor) in order:\n\(contents)")
            }
            position = found.upperBound
            XCTAssertTrue(handout.contains("id=\"\(anchor)\""), anchor)
            XCTAssertTrue(contents.contains(title.replacingOccurrences(of: "?", with: "")), title)
        }
        // Portraits first, with their quote; voices in the language's guillemets (set as CSS quotes).
        let tandems = section(handout, "chapter tandems")
        XCTAssertTrue(tandems.contains("has-portrait") && tandems.contains("Wir haben ein Video gedreht"), tandems)
        let firstPlain = tandems.range(of: "<article class=\"tandem-card has-qr\">")?.lowerBound ?? tandems.endIndex
        XCTAssertNil(tandems.range(of: "has-portrait", range: firstPlain..<tandems.endIndex), "portraits come first")
        XCTAssertTrue(handout.contains(#"blockquote, .booklet q { quotes: "«" "»" "‹" "›"; }"#))
        // The notes pages exist for the PDF, hidden on screen.
        XCTAssertEqual(handout.components(separatedBy: "data-notes-page=").count - 1, 3)
        XCTAssertTrue(handout.contains(#"data-booklet-pages="4""#))
    }

    // MARK: The PDF booklet

    func testSampleBookletInA4AndA5() throws {
        try requirePDFTools()
        try useSample()
        for format in [PaperFormat.a4, .a5] {
            if format == .a5 { fixture.append("programme.yml", line: "print:\n  format: a5") }
            assertSucceeded(Pipeline.build(pdfOptions()))
            let pdf = output + "/print/handout.pdf"
            let pages = try booklet(pdf, format: format, title: "Reverse Mentoring 2026")
            XCTAssertGreaterThanOrEqual(pages.count, 12)
            XCTAssertTrue(pages.contains { $0.head == "Notizen" } || pages.count % 4 == 0)
            let back = try XCTUnwrap(pages.last)
            for expected in ["programm@forum-kommunikation.example.ch", "+41 44 555 12 34", "Programmbüro Reverse Mentoring"] {
                XCTAssertTrue(back.text.contains(expected), "\(format): the back cover lacks \(expected):\n\(back.text)")
            }
            XCTAssertEqual(try decodeQR(pdf, page: pages.count), ["https://reverse-mentoring.example.ch/"], "\(format): back cover QR")
            if PrintTests.interIsInstalled() {
                let fonts = try Tool.run("pdffonts", [pdf])
                for name in ["+Inter ", "+Inter-Semi-Bold ", "+Inter-Bold "] {
                    XCTAssertTrue(fonts.contains(name), "\(format): \(name) is not embedded in the handout:\n\(fonts)")
                }
            }
            let symposium = try XCTUnwrap(pages.first { $0.text.contains("Claridenstrasse 5") })
            for expected in ["24. September 2026", "13.30–18.00 Uhr", "Kongresshaus Zürich", "Podium", "Anmeldung und Details"] {
                XCTAssertTrue(symposium.text.contains(expected), "\(format): the symposium page lacks \(expected)")
            }
        }
    }

    func testFortyTandemsAndNoPublicTandem() throws {
        try requirePDFTools()
        let folder = fixture.root.appendingPathComponent("Forty").path
        try SampleProgramme.write(participants: 80, seed: 5, to: folder)
        var options = pdfOptions()
        options.contentPath = folder
        assertSucceeded(Pipeline.build(options))
        let title =
            (try? String(contentsOfFile: folder + "/programme.yml", encoding: .utf8))?.components(separatedBy: "\n")
            .first { $0.hasPrefix("title:") }?.dropFirst(6).trimmingCharacters(in: CharacterSet(charactersIn: " \"")) ?? ""
        let pages = try booklet(output + "/print/handout.pdf", format: .a4, title: title)
        XCTAssertGreaterThanOrEqual(pages.count, 16, "forty tandems take pages")

        // Nobody published: the booklet still closes on a multiple of four, says so, and shows no name.
        try useSample()
        let roster = fixture.read("participants.csv").replacingOccurrences(of: ",yes,", with: ",no,")
        fixture.write("participants.csv", roster)
        assertSucceeded(Pipeline.build(pdfOptions()))
        let empty = try booklet(output + "/print/handout.pdf", format: .a4, title: "Reverse Mentoring 2026")
        let text = empty.map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("werden nicht öffentlich vorgestellt"), text)
        for name in ["Lea Meier", "Ursula Gerber", "Noah Brunner"] { XCTAssertFalse(text.contains(name), name) }
    }

    func testBookletIsPaddedWhenWeasyPrintIsNoPythonScript() throws {
        try requirePDFTools()
        guard let weasyprint = PDF.locate() else { throw XCTSkip("needs weasyprint") }
        // A shell script in front of WeasyPrint: Tandem runs it once per file, counts the pages and pads with `-s`.
        let wrapper = fixture.root.appendingPathComponent("weasyprint-wrapper")
        try "#!/bin/sh\nexec '\(weasyprint)' \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        setenv(PDF.executableVariable, wrapper.path, 1)
        defer { unsetenv(PDF.executableVariable) }
        assertSucceeded(Pipeline.build(pdfOptions()))
        let pages = try booklet(output + "/print/handout.pdf", format: .a4, title: "Reverse Mentoring Test")
        XCTAssertEqual(PDF.pageCount(ofPDFAt: output + "/print/handout.pdf"), pages.count)
        XCTAssertTrue(pages.contains { $0.head == "Notizen" }, "\(pages.map(\.head))")
        XCTAssertTrue(try XCTUnwrap(pages.last).text.contains("programm@forum-test.example.ch"))
        XCTAssertFalse(
            (try? FileManager.default.contentsOfDirectory(atPath: output + "/print"))?.contains { $0.hasSuffix(".css") } ?? true,
            "the padding stylesheet is removed")
    }

    // MARK: Helpers

    private func pdfOptions() -> BuildOptions {
        var options = fixture.options()
        options.pdf = true
        return options
    }

    private func requirePDFTools() throws {
        for tool in ["pdfinfo", "pdftotext", "pdftoppm", "zbarimg"] where Tool.find(tool) == nil {
            throw XCTSkip("needs \(tool) (poppler-utils, zbar-tools)")
        }
        guard PDF.locate() != nil else { throw XCTSkip("needs weasyprint") }
    }

    /// Replaces the fixture's content by a copy of the repository's sample (Content/).
    private func useSample() throws {
        let content = URL(fileURLWithPath: fixture.contentPath)
        try FileManager.default.removeItem(at: content)
        try FileManager.default.copyItem(at: ProgrammeFixture.packageRoot.appendingPathComponent("Content"), to: content)
    }

    /// The part of `html` from the element whose class starts with `className` to the end of that section.
    private func section(_ html: String, _ className: String) -> String {
        guard let start = html.range(of: "class=\"\(className)") else { return "" }
        let rest = html[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</section>")?.upperBound ?? rest.endIndex)])
    }

    private func values(in text: String, after open: String, before close: String) -> [String] {
        text.components(separatedBy: open).dropFirst().compactMap { $0.components(separatedBy: close).first }
    }

    /// One page of the booklet as a reader sees it.
    struct Page {
        let number: Int
        /// The running head without the programme title: the chapter ("Die Tandems", "Notizen"); empty on covers.
        let head: String
        let text: String
        /// How far down the type area the page is printed, 0…1 (the lowest inked row below the running head).
        let fill: Double
    }

    /// Reads a booklet PDF and asserts its rules: A4/A5, a page count that is a multiple of four, and every page at
    /// least half full except the covers, notes pages and each chapter's last page (the page before the running head
    /// names another chapter).
    private func booklet(_ pdf: String, format: PaperFormat, title: String, line: UInt = #line) throws -> [Page] {
        let info = try Tool.run("pdfinfo", [pdf])
        XCTAssertTrue(info.contains(format == .a4 ? "595.276 x 841.89 pts" : "419.528 x 595.276 pts"), info, line: line)
        let count = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        XCTAssertEqual(count % 4, 0, "\(format): \(count) pages is no multiple of four", line: line)
        let (heightMM, topMM, bottomMM) = format == .a4 ? (297.0, 22.0, 21.0) : (210.0, 17.0, 16.0)
        var pages: [Page] = []
        let scratch = fixture.root.appendingPathComponent("pages").path
        for number in 1...max(count, 1) {
            let text = try Tool.run("pdftotext", ["-layout", "-f", "\(number)", "-l", "\(number)", pdf, "-"])
            let first = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            let head = first.replacingOccurrences(of: title, with: "").trimmingCharacters(in: .whitespaces)
            try Tool.run("pdftoppm", ["-gray", "-r", "30", "-f", "\(number)", "-l", "\(number)", "-singlefile", pdf, scratch])
            let image = try XCTUnwrap(FileManager.default.contents(atPath: scratch + ".pgm"))
            let (width, height, pixels) = try XCTUnwrap(Self.pgm(image))
            let top = Int(Double(height) * topMM / heightMM)
            let bottom = Int(Double(height) * (heightMM - bottomMM) / heightMM)
            var last = top
            for row in top..<bottom where (0..<width).contains(where: { pixels[row * width + $0] < 235 }) { last = row }
            pages.append(Page(number: number, head: head, text: text, fill: Double(last - top) / Double(bottom - top)))
        }
        for (index, page) in pages.enumerated() where index > 0 && index < pages.count - 1 {
            let chapterEnd = pages[index + 1].head != page.head
            if chapterEnd || page.head == "Notizen" { continue }
            XCTAssertGreaterThanOrEqual(
                page.fill, 0.5, "\(format): page \(page.number) (\(page.head)) is only \(Int(page.fill * 100)) % full", line: line)
        }
        return pages
    }

    /// Width, height and grey bytes of a binary PGM (P5, 8 bit).
    static func pgm(_ data: Data) -> (Int, Int, [UInt8])? {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            var field = ""
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A, bytes[index] != 0x0D {
                field.append(Character(Unicode.Scalar(bytes[index])))
                index += 1
            }
            fields.append(field)
        }
        index += 1
        guard fields.first == "P5", fields.count == 4, let width = Int(fields[1]), let height = Int(fields[2]),
            bytes.count - index >= width * height
        else { return nil }
        return (width, height, Array(bytes[index..<index + width * height]))
    }

    /// The texts of the QR codes on one page.
    private func decodeQR(_ pdf: String, page: Int) throws -> [String] {
        let image = fixture.root.appendingPathComponent("qr").path
        try Tool.run("pdftoppm", ["-r", "200", "-png", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf, image])
        return try Tool.run("zbarimg", ["--raw", "-q", image + ".png"]).split(separator: "\n").map(String.init)
    }
}
