import Foundation
import XCTest

@testable import TandemKit

/// Output/print/: the symposium handout and the pairing announcements (issue 3), and `--pdf`.
final class PrintTests: TandemTestCase {
    /// A valid 1×1 PNG, so WeasyPrint has a real image to place (the fixture's photos are placeholder bytes).
    static let pixel: [UInt8] = Array(
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!)

    private func printFiles() -> [String: String] {
        snapshot(output + "/print").filter { !$0.key.hasSuffix(".pdf") }.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    private func pdfOptions(output: String? = nil) -> BuildOptions {
        var options = fixture.options(output: output)
        options.pdf = true
        return options
    }

    // MARK: Files

    func testHandoutAndAnnouncementsOnlyForPublicTandems() {
        assertSucceeded(fixture.build())
        let files = snapshot(output + "/print")
        XCTAssertNotNil(files["handout.html"])
        XCTAssertNotNil(files["announcements/anna-bruno.html"], "a public tandem gets an announcement")
        XCTAssertNil(files["announcements/clara-dieter.html"], "a tandem with an unpublished member gets none")
        XCTAssertNotNil(files["theme/print.css"], "print/ carries its own stylesheet")
        XCTAssertNotNil(files["assets/photos/anna.jpg"], "photos shown in print are copied into print/")
        XCTAssertNil(files["assets/photos/clara.jpg"], "an unpublished participant's photo is never copied")
        XCTAssertEqual(files.keys.filter { $0.hasSuffix(".pdf") }, [], "PDFs only with --pdf")
    }

    func testPrintIsSelfContained() {
        assertSucceeded(fixture.build())
        for (path, text) in printFiles() where path.hasSuffix(".html") {
            XCTAssertFalse(text.contains("site/"), "\(path) refers to site/")
            XCTAssertFalse(text.contains(fixture.root.path), "\(path) contains a path of the build machine")
            // Every local reference resolves inside print/.
            for reference in localReferences(text) {
                let target = URL(fileURLWithPath: output + "/print/" + path).deletingLastPathComponent()
                    .appendingPathComponent(reference.removingPercentEncoding ?? reference).standardizedFileURL.path
                XCTAssertTrue(target.hasPrefix(output + "/print/"), "\(path): \(reference) leaves print/")
                XCTAssertTrue(fileExists(target), "\(path): \(reference) does not exist")
            }
        }
        let announcement = printFiles()["announcements/anna-bruno.html"] ?? ""
        XCTAssertTrue(announcement.contains("href=\"../theme/print.css\""))
        XCTAssertTrue(announcement.contains("src=\"../assets/photos/anna.jpg\""))
    }

    private func localReferences(_ html: String) -> [String] {
        var found: [String] = []
        for attribute in ["src=\"", "href=\""] {
            var rest = Substring(html)
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                let value = String(rest[..<end])
                if !value.contains(":") && !value.hasPrefix("#") { found.append(value) }
            }
        }
        return found
    }

    // MARK: Privacy (SPEC rules 2 and 5)

    func testPrintHasNoPrivateData() {
        fixture.replace("pairs.csv", "Podcast starten", with: "GEHEIMZIEL")
        assertSucceeded(fixture.build())
        let files = printFiles()
        XCTAssertFalse(files.isEmpty)
        for (path, text) in files {
            // The programme office's address is public (SPEC v2, the handout's back cover); no other address is.
            XCTAssertNil(
                text.replacingOccurrences(of: "programm@forum-test.example.ch", with: "").range(
                    of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, options: .regularExpression),
                "\(path) contains an e-mail address")
            for secret in [
                ProgrammeFixture.hiddenName, ProgrammeFixture.hiddenID, "clara-dieter", "GEHEIMZIEL", "CLARAPROFIL",
                ProgrammeFixture.privateFeedback, ProgrammeFixture.anonymousFeedback,
            ] + ProgrammeFixture.meetingNotes {
                XCTAssertFalse(text.contains(secret), "\(path) contains \(secret)")
            }
        }
        let handout = files["handout.html"] ?? ""
        XCTAssertTrue(handout.contains(ProgrammeFixture.quoteFeedback), "a quote is shown")
        XCTAssertTrue(handout.contains("<figcaption>Mentee, "), "attributed to the role and the feedback round")
        XCTAssertTrue(handout.contains("Programmbüro"), "the programme office is named")
        XCTAssertTrue(handout.contains("1 weiteres Tandem ist nicht öffentlich."), "the number of hidden tandems is given, in the singular")
    }

    func testQuotesAreNotNextToTheirTandemAndInHashOrder() {
        let texts = ["Erstens lernte ich QA.", "Zweitens lernte ich QB.", "Drittens lernte ich QC.", "Viertens lernte ich QD."]
        for (i, text) in texts.enumerated() {
            fixture.write(
                "feedback/q\(i).md",
                "---\npair: anna-bruno\nauthor: \(i % 2 == 0 ? "mentor" : "mentee")\nphase: \(["kickoff", "midterm", "final", "final"][i])\nshare: quote\n---\n\(text)\n"
            )
        }
        fixture.remove("feedback/anna-bruno-mentee-kickoff.md")
        assertSucceeded(fixture.build())
        let handout = printFiles()["handout.html"] ?? ""
        guard let voices = handout.range(of: "class=\"chapter voices\"") else { return XCTFail("no quotes section") }
        let section = String(handout[voices.lowerBound...]).components(separatedBy: "</section>")[0]
        let positions = texts.map { section.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "every quote is in the quotes section")
        let expected = texts.sorted { (stableHash($0), $0) < (stableHash($1), $1) }
        let shown = texts.sorted { positions[texts.firstIndex(of: $0)!]! < positions[texts.firstIndex(of: $1)!]! }
        XCTAssertEqual(shown, expected, "quotes are ordered by a hash of their text")
        for name in ["Anna Muster", "Bruno Beispiel", "anna-bruno"] {
            XCTAssertFalse(section.contains(name), "a quote stands next to its tandem (\(name))")
        }
    }

    // MARK: Content and paged media

    func testCoverShowsTheSymposiumAndPagesAreNumberedInTheLanguage() {
        fixture.replace(
            "programme.yml", "    location: \"Bern\"\n",
            with: """
                    location: "Bern"
                  - date: 2026-09-24
                    title: "Grosses Symposium"
                    location: "Kongresshaus Zürich"
                  - date: 2026-10-30
                    title: "Apéro"

                """)
        assertSucceeded(fixture.build())
        let handout = printFiles()["handout.html"] ?? ""
        guard let cover = handout.components(separatedBy: "</section>").first else { return XCTFail() }
        XCTAssertTrue(
            cover.contains("Grosses Symposium") && cover.contains("24. September 2026") && cover.contains("Kongresshaus Zürich"), cover)
        XCTAssertFalse(cover.contains("Apéro"), "the symposium milestone, not the last one")
        XCTAssertTrue(handout.contains(#"content: "Seite " counter(page) " von " counter(pages)"#))
        XCTAssertTrue(handout.contains(#"@top-left { content: "Reverse Mentoring Test"; }"#), "running header with the programme title")
        for section in [
            "contents", "chapter symposium", "chapter about", "chapter results", "chapter tandems", "chapter voices", "chapter timeline",
            "back-cover",
        ] {
            XCTAssertTrue(handout.contains("class=\"\(section)\""), "handout section \(section)")
        }
        XCTAssertTrue(handout.contains("Instagram verstehen"), "tandem goals")
        XCTAssertTrue(handout.contains("Das Programm bringt Generationen zusammen."), "what the programme is, from the pages")

        // The same in English.
        fixture.replace("programme.yml", "language: de", with: "language: en")
        assertSucceeded(fixture.build())
        let english = printFiles()["handout.html"] ?? ""
        XCTAssertTrue(english.contains(#"content: "Page " counter(page) " of " counter(pages)"#))
        XCTAssertTrue(english.contains("The tandems"))
    }

    func testContentCannotLeaveTheStyleElementOrTheMarkup() {
        fixture.replace(
            "programme.yml", "title: \"Reverse Mentoring Test\"", with: #"title: "A </style><script>alert(1)</script> \" \\ Test""#)
        fixture.replace("participants.csv", "Anna Muster,", with: "<b>Anna</b> & Co,")
        assertSucceeded(fixture.build())
        for (path, text) in printFiles() where path.hasSuffix(".html") {
            XCTAssertFalse(text.contains("<script>"), path)
            XCTAssertFalse(text.contains("<b>Anna</b>"), path)
        }
        let handout = printFiles()["handout.html"] ?? ""
        XCTAssertTrue(handout.contains(#"content: "A \3C /style\3E \3C script\3E alert(1)\3C /script\3E  \22  \5C  Test""#), handout)
        XCTAssertTrue(handout.contains("&lt;b&gt;Anna&lt;/b&gt; &amp; Co"))
    }

    func testPrintIsDeterministic() {
        assertSucceeded(fixture.build())
        let first = snapshot(output + "/print")
        assertSucceeded(fixture.build())
        XCTAssertEqual(snapshot(output + "/print"), first)
    }

    // MARK: --pdf

    func testLocatingWeasyPrint() {
        XCTAssertNil(PDF.locate(environment: ["PATH": "/nonexistent"]))
        XCTAssertEqual(PDF.locate(environment: ["PATH": "/nonexistent", PDF.executableVariable: "/bin/sh"]), "/bin/sh")
        XCTAssertNil(PDF.locate(environment: ["PATH": "/usr/bin:/bin", PDF.executableVariable: "/nonexistent/weasyprint"]))
        let diagnostic = PDF.missingDiagnostic(environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(diagnostic?.severity, .error)
        XCTAssertTrue(diagnostic?.description.contains("apt-get install weasyprint") ?? false)
    }

    func testPDFWithoutWeasyPrintFailsAndLeavesOutputUntouched() {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        setenv(PDF.executableVariable, "/nonexistent/weasyprint", 1)
        defer { unsetenv(PDF.executableVariable) }
        let result = Pipeline.build(pdfOptions())
        XCTAssertFalse(result.succeeded)
        XCTAssertTrue(
            result.diagnostics.contains {
                $0.severity == .error && $0.message.contains("--pdf needs WeasyPrint") && $0.message.contains("apt-get install weasyprint")
            },
            listing(result))
        XCTAssertEqual(snapshot(output), before, "Output/ must stay as it was")
    }

    func testFailingWeasyPrintLeavesOutputUntouched() throws {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        let script = fixture.root.appendingPathComponent("broken-weasyprint")
        try Data("#!/bin/sh\necho 'boom: cannot render' >&2\nexit 3\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        setenv(PDF.executableVariable, script.path, 1)
        defer { unsetenv(PDF.executableVariable) }
        let result = Pipeline.build(pdfOptions())
        XCTAssertFalse(result.succeeded)
        XCTAssertTrue(result.diagnostics.contains { $0.message.contains("WeasyPrint failed: boom: cannot render") }, listing(result))
        XCTAssertEqual(snapshot(output), before, "Output/ must stay as it was")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: fixture.root.path))?.filter { $0.hasPrefix(".Output") } ?? []
        XCTAssertEqual(leftovers.filter { $0 != ".Output.lock" }, [], "no staging folder is left behind")
    }

    /// WeasyPrint's Python API failing on a file: the build fails with the HTML file the failing job was on and the
    /// end of WeasyPrint's message, and the output folder stays as it was.
    func testFailingLayoutNamesItsFileAndLeavesOutputUntouched() throws {
        guard let python = ["/usr/bin/python3", "/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("needs python3")
        }
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        // A `weasyprint` package whose layout fails, found first on PYTHONPATH, and a Python script as the executable,
        // so Tandem runs its driver in that interpreter.
        let package = fixture.root.appendingPathComponent("fake/weasyprint")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Data(
            """
            class CSS:
                def __init__(self, *args, **options):
                    pass
            class HTML:
                def __init__(self, filename=None, **options):
                    raise RuntimeError('no layout for ' + filename)
            """.utf8
        ).write(to: package.appendingPathComponent("__init__.py"))
        let script = fixture.root.appendingPathComponent("fake/weasyprint-script")
        try Data("#!\(python)\nimport sys\nsys.exit(1)\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        setenv(PDF.executableVariable, script.path, 1)
        setenv("PYTHONPATH", fixture.root.appendingPathComponent("fake").path, 1)
        defer {
            unsetenv(PDF.executableVariable)
            unsetenv("PYTHONPATH")
        }
        let result = Pipeline.build(pdfOptions())
        XCTAssertFalse(result.succeeded)
        let failure = try XCTUnwrap(result.diagnostics.first { $0.message.contains("WeasyPrint failed") }, listing(result))
        XCTAssertTrue(["print/handout.html", "internal/report.html"].contains(failure.path), failure.description)
        XCTAssertTrue(failure.message.contains("RuntimeError: no layout for \(failure.path)"), failure.description)
        XCTAssertFalse(failure.message.contains("tandem-pdf failed"), failure.description)
        XCTAssertEqual(snapshot(output), before, "Output/ must stay as it was")
    }

    func testPDFsAreA4WithTextAndDeterministic() throws {
        guard PDF.locate() != nil, Tool.find("pdfinfo") != nil, Tool.find("pdftotext") != nil else {
            throw XCTSkip("needs weasyprint and poppler-utils (make test installs them)")
        }
        fixture.write("assets/photos/anna.jpg", bytes: Self.pixel)
        let result = Pipeline.build(pdfOptions())
        assertSucceeded(result)
        let handout = output + "/print/handout.pdf"
        let announcement = output + "/print/announcements/anna-bruno.pdf"
        XCTAssertTrue(fileExists(handout) && fileExists(announcement))
        XCTAssertFalse(fileExists(output + "/print/announcements/clara-dieter.pdf"))

        let info = try Tool.run("pdfinfo", [handout])
        XCTAssertTrue(info.contains("(A4)"), info)
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(pages, 2, info)
        let announcementInfo = try Tool.run("pdfinfo", [announcement])
        XCTAssertTrue(announcementInfo.contains("(A4)"))
        XCTAssertTrue(announcementInfo.contains("Pages:           1"), "an announcement is one page:\n\(announcementInfo)")
        let fonts = try Tool.run("pdffonts", [handout])
        XCTAssertFalse(fonts.split(separator: "\n").dropFirst(2).contains { !$0.contains(" yes yes ") }, "every font embedded:\n\(fonts)")

        let text = try Tool.run("pdftotext", ["-layout", handout, "-"])
        for expected in [
            "Reverse Mentoring Test", "Anna Muster", "Bruno Beispiel", "Seite 2 von \(pages)", "Programmbüro", "Instagram verstehen",
        ] {
            XCTAssertTrue(text.contains(expected), "handout.pdf lacks '\(expected)'")
        }
        // The office's address is public (SPEC v2: the back cover); no participant's address is.
        XCTAssertTrue(text.contains("programm@forum-test.example.ch"), "the back cover's contact")
        let participants = ProgrammeFixture.emails.filter { $0 != "programm@forum-test.example.ch" }
        for secret in [ProgrammeFixture.hiddenName, ProgrammeFixture.privateFeedback] + participants + ProgrammeFixture.meetingNotes {
            XCTAssertFalse(text.contains(secret), "handout.pdf shows \(secret)")
        }
        let announcementText = try Tool.run("pdftotext", [announcement, "-"])
        XCTAssertTrue(announcementText.contains("Anna Muster") && announcementText.contains("Bruno Beispiel"))
        XCTAssertTrue(announcementText.contains("5. März 2026"), "the start date")

        // Byte-identical on a second build; no path of the build machine inside.
        let first = snapshot(output + "/print")
        assertSucceeded(Pipeline.build(pdfOptions()))
        let second = snapshot(output + "/print")
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for (path, data) in first where path.hasSuffix(".pdf") {
            XCTAssertEqual(data, second[path], "\(path) differs between two builds")
            XCTAssertNil(data.range(of: Data(fixture.root.path.utf8)), "\(path) contains the build machine's path")
        }
    }

    /// Announcements are laid out in parts of 20 and split into per-tandem files (qpdf), plus print/announcements.pdf
    /// for the print shop: each per-tandem PDF shows its own tandem, the combined one all of them in order, and a
    /// second build gives the same bytes.
    func testAnnouncementPDFsAreSplitPerTandemCombinedAndDeterministic() throws {
        guard PDF.locate() != nil, Tool.find("pdftotext") != nil, Tool.find("pdfinfo") != nil, Tool.find("qpdf") != nil else {
            throw XCTSkip("needs weasyprint, qpdf and poppler-utils (make test installs them)")
        }
        let root = fixture.root
        let sample = try runTandem(["sample", "--participants", "60", "--output", "Sample"], in: root)
        XCTAssertEqual(sample.status, 0, sample.stderr)
        let first = try runTandem(["build", "--content", "Sample", "--output", "Out", "--pdf"], in: root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let print = root.appendingPathComponent("Out/print").path
        let pages = (try FileManager.default.contentsOfDirectory(atPath: print + "/announcements")).filter { $0.hasSuffix(".html") }
            .sorted()
        XCTAssertGreaterThan(pages.count, PDF.partSize, "more announcements than one part, so parts are joined")
        var names: [[String]] = []
        for page in pages {
            // "<title>Anna Muster &amp; Bruno Beispiel – Programme</title>": the members' names.
            let html = try String(contentsOfFile: print + "/announcements/" + page, encoding: .utf8)
            let title = try XCTUnwrap(
                html.range(of: "<title>").flatMap { start in
                    html.range(of: " – ", range: start.upperBound..<html.endIndex).map { String(html[start.upperBound..<$0.lowerBound]) }
                })
            let members = title.components(separatedBy: " &amp; ")
            XCTAssertEqual(members.count, 2, title)
            names.append(members)
            let pdf = print + "/announcements/" + page.dropLast(5) + ".pdf"
            let text = try Tool.run("pdftotext", [pdf, "-"])
            for name in members { XCTAssertTrue(text.contains(name), "\(pdf) lacks \(name):\n\(text)") }
            XCTAssertTrue(try Tool.run("pdfinfo", [pdf]).contains("Pages:           1"))
        }
        // Every announcement of a part is set in the theme's fonts, not only the first one a process lays out (the
        // driver parses print.css once per process and shares one font configuration per part): Inter, with the
        // semi-bold and bold weights only print.css asks for, embedded in the first and last of each part.
        if Self.interIsInstalled() {
            for index in [0, PDF.partSize - 1, PDF.partSize, pages.count - 1] {
                let pdf = print + "/announcements/" + pages[index].dropLast(5) + ".pdf"
                let fonts = try Tool.run("pdffonts", [pdf])
                for name in ["+Inter ", "+Inter-Semi-Bold ", "+Inter-Bold "] {
                    XCTAssertTrue(fonts.contains(name), "\(pages[index]): \(name) is not embedded:\n\(fonts)")
                }
            }
        }
        let combined = print + "/announcements.pdf"
        let info = try Tool.run("pdfinfo", [combined])
        XCTAssertTrue(info.contains("Pages:           \(pages.count)\n"), info)
        for index in [0, PDF.partSize, pages.count - 1] {
            let text = try Tool.run("pdftotext", ["-f", "\(index + 1)", "-l", "\(index + 1)", combined, "-"])
            for name in names[index] { XCTAssertTrue(text.contains(name), "page \(index + 1) of announcements.pdf lacks \(name)") }
        }
        let second = try runTandem(["build", "--content", "Sample", "--output", "Out2", "--pdf"], in: root)
        XCTAssertEqual(second.status, 0, second.stderr)
        let before = snapshot(print)
        let after = snapshot(root.appendingPathComponent("Out2/print").path)
        XCTAssertEqual(before.keys.sorted(), after.keys.sorted())
        for (path, data) in before where path.hasSuffix(".pdf") { XCTAssertEqual(data, after[path], "\(path) differs between two builds") }
    }
}

extension PrintTests {
    /// Whether fontconfig has Inter (Debian fonts-inter), which print.css names first.
    static func interIsInstalled() -> Bool {
        guard Tool.find("fc-list") != nil, let families = try? Tool.run("fc-list", [":family=Inter", "family"]) else { return false }
        return !families.isEmpty
    }
}

/// Runs command-line tools (poppler-utils, python3) for the tests.
enum Tool {
    static func find(_ name: String) -> String? {
        PDF.locate(environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", PDF.executableVariable: name])
    }

    /// Runs `name` with `arguments` (and `input` on stdin); returns stdout, throws on a non-zero exit.
    @discardableResult
    static func run(_ name: String, _ arguments: [String], input: String? = nil) throws -> String {
        guard let executable = find(name) else { throw XCTSkip("\(name) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(
                domain: name, code: Int(process.terminationStatus),
                userInfo: [NSLocalizedDescriptionKey: "\(name) failed: " + String(decoding: errors, as: UTF8.self)])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
