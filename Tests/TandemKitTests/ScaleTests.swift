import Foundation
import XCTest

@testable import TandemKit

/// Issue 7: the sample generator, the parallel build's determinism and the indexes that keep large programmes linear.
final class ScaleTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func sample(_ participants: Int, seed: UInt64, name: String) throws -> String {
        let folder = root.appendingPathComponent(name).path
        try SampleProgramme.write(participants: participants, seed: seed, to: folder)
        return folder
    }

    func testSampleIsDeterministicForASeed() {
        let a = SampleProgramme.files(participants: 120, seed: 42)
        let b = SampleProgramme.files(participants: 120, seed: 42)
        XCTAssertEqual(a.map(\.path), b.map(\.path))
        XCTAssertEqual(a.map(\.text), b.map(\.text))
        let c = SampleProgramme.files(participants: 120, seed: 43)
        XCTAssertNotEqual(a.map(\.text), c.map(\.text), "another seed gives another programme")
    }

    func testSampleIsValidWithoutWarnings() throws {
        let folder = try sample(300, seed: 7, name: "Content")
        let result = Pipeline.render(BuildOptions(contentPath: folder, templatesPath: ProgrammeFixture.templatesPath))
        XCTAssertTrue(result.succeeded, result.diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(result.diagnostics.map(\.description), [], "a sample programme builds without warnings")
        let programme = try XCTUnwrap(result.programme)
        XCTAssertEqual(programme.participants.count, 300)
        XCTAssertEqual(programme.tandems.count, 150)
        XCTAssertGreaterThan(programme.meetings.count, 300)
        XCTAssertGreaterThan(programme.feedback.count, 150)
        XCTAssertEqual(Set(programme.feedback.map(\.share)), Set(FeedbackShare.allCases), "every share level occurs")
        XCTAssertGreaterThan(programme.participants.filter { $0.profile != nil }.count, 250)
        let words = programme.participants.compactMap { $0.profile?.body.plainText.split(separator: " ").count }
        XCTAssertGreaterThan(words.reduce(0, +) / max(1, words.count), 100, "profiles of realistic length")
        XCTAssertTrue(programme.participants.contains { !$0.publish }, "some participants are not published")
    }

    func testSampleRefusesANonEmptyFolder() throws {
        let folder = try sample(20, seed: 1, name: "Content")
        XCTAssertThrowsError(try SampleProgramme.write(participants: 20, seed: 1, to: folder))
        XCTAssertNoThrow(try SampleProgramme.write(participants: 20, seed: 2, to: folder, replace: true))
    }

    /// The same input gives byte-identical output on one worker and on many.
    func testParallelBuildIsByteIdenticalToSingleWorker() throws {
        let folder = try sample(400, seed: 11, name: "Content")
        func build(_ workers: Int) throws -> OutputTree {
            let options = BuildOptions(contentPath: folder, templatesPath: ProgrammeFixture.templatesPath, workers: workers)
            let result = Pipeline.render(options)
            XCTAssertTrue(result.succeeded, result.diagnostics.map(\.description).joined(separator: "\n"))
            return try XCTUnwrap(result.output)
        }
        let one = try build(1)
        for workers in [2, 5] {
            let many = try build(workers)
            XCTAssertEqual(one.files.count, many.files.count)
            XCTAssertEqual(Set(one.files.keys), Set(many.files.keys))
            for (path, bytes) in one.files where many.files[path] != bytes {
                XCTFail("\(path) differs with \(workers) workers")
            }
            XCTAssertEqual(one.copies, many.copies)
        }
    }

    /// Written to disk with several workers, the folder holds exactly the tree's bytes.
    func testWriterWritesEveryFileInParallel() throws {
        let folder = try sample(60, seed: 3, name: "Content")
        let output = root.appendingPathComponent("Output").path
        let options = BuildOptions(contentPath: folder, templatesPath: ProgrammeFixture.templatesPath, outputPath: output, workers: 3)
        let result = Pipeline.build(options)
        XCTAssertTrue(result.succeeded, result.diagnostics.map(\.description).joined(separator: "\n"))
        let tree = try XCTUnwrap(Pipeline.render(options).output)
        for (path, bytes) in tree.files {
            XCTAssertEqual(FileManager.default.contents(atPath: output + "/" + path).map { [UInt8]($0) }, bytes, path)
        }
        XCTAssertEqual(result.files, tree.count)
        XCTAssertEqual(snapshot(output).count, tree.count)
        // A rebuild replaces the folder (the old one is removed in parallel).
        XCTAssertTrue(Pipeline.build(options).succeeded)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".Output") }, [".Output.lock"])
        XCTAssertEqual(Set(result.timings.stages.map(\.name)), ["load", "parse", "validate", "render", "check", "write"])
        XCTAssertGreaterThan(result.timings.peakMemoryBytes, 0)
    }

    /// A build writes each part (a chunk of pages) as soon as it is rendered and checks the links afterwards against
    /// what it kept of every part: links between pages of different parts resolve, a missing #anchor in another
    /// part's page is found on every page with its line, and with --strict the output folder stays as it was.
    func testLinkCheckSpansThePartsABuildWritesOneByOne() throws {
        let folder = try sample(450, seed: 5, name: "Content")
        let theme = root.appendingPathComponent("Theme").path
        try FileManager.default.copyItem(atPath: ProgrammeFixture.templatesPath, toPath: theme)
        let footer = theme + "/partials/footer.mustache"
        let text = try String(contentsOfFile: footer, encoding: .utf8)
        try (text + "<a href=\"{{root}}participants/index.html#main\">ok</a> <a href=\"{{root}}participants/index.html#nirgends\">x</a>\n")
            .write(toFile: footer, atomically: true, encoding: .utf8)
        let output = root.appendingPathComponent("Output").path
        var options = BuildOptions(contentPath: folder, templatesPath: theme, outputPath: output, workers: 2)
        let result = Pipeline.build(options)
        XCTAssertTrue(result.succeeded, result.diagnostics.map(\.description).joined(separator: "\n"))
        // The pages of the overview part and of every part of participant and tandem pages.
        let pages = snapshot(output + "/site").keys.filter {
            $0.hasSuffix(".html") && ($0 == "index.html" || $0.hasPrefix("participants/") || $0.hasPrefix("tandems/"))
        }
        XCTAssertGreaterThan(pages.filter { $0.hasPrefix("participants/") }.count, 300, "several parts of participant pages")
        let findings = result.diagnostics.filter { $0.message.hasPrefix(LinkChecker.messagePrefix) }
        XCTAssertTrue(findings.allSatisfy { $0.message.contains("#nirgends") && $0.severity == .warning && $0.line != nil })
        let pagesWithFinding = Set(findings.map(\.path))
        for page in pages.sorted() {
            XCTAssertTrue(pagesWithFinding.contains(output + "/site/" + page), "no finding on site/\(page)")
        }
        let line = try XCTUnwrap(findings.first { $0.path == output + "/site/participants/index.html" })
        XCTAssertEqual(
            line.description,
            "\(output)/site/participants/index.html:\(line.line!):\(line.column!): warning: broken link to '../participants/index.html#nirgends': site/participants/index.html has no id 'nirgends'"
        )
        let page = try XCTUnwrap(readText(output, "site/participants/index.html"))
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[line.line! - 1].contains("#nirgends"), "the line named is the link's")

        // --strict: the finding is an error; nothing the build wrote reaches the output folder.
        let before = snapshot(output)
        options.strict = true
        let strict = Pipeline.build(options)
        XCTAssertFalse(strict.succeeded)
        XCTAssertTrue(strict.diagnostics.contains { $0.severity == .error && $0.message.hasPrefix(LinkChecker.messagePrefix) })
        XCTAssertEqual(snapshot(output), before, "a failed build leaves the output folder as it was")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".Output") }, [".Output.lock"])
    }

    /// Parts are written as they finish, in any order; where two write the same path, the later part's file is kept
    /// (as when trees are merged in order), and a file taken over from the current output by a hard link is replaced,
    /// never written through.
    func testStagingKeepsTheLaterPartsFileWhateverFinishesFirst() throws {
        let output = root.appendingPathComponent("Output").path
        try FileManager.default.createDirectory(atPath: output + "/site", withIntermediateDirectories: true)
        try Data("old card".utf8).write(to: URL(fileURLWithPath: output + "/site/card.png"))
        // A second name for the old card's bytes, to see that they are never overwritten.
        try FileManager.default.linkItem(atPath: output + "/site/card.png", toPath: root.appendingPathComponent("old.png").path)
        let staging = try OutputWriter.Staging(output, protecting: [], workers: 2)
        func tree(_ files: [String: String], copies: [String: String] = [:]) -> OutputTree {
            var tree = OutputTree()
            for (path, text) in files { tree.add(path, text) }
            for (path, source) in copies { tree.copy(source, to: path) }
            return tree
        }
        try staging.write(part: tree(["site/a.html": "late"]), order: 5)
        try staging.write(part: tree(["site/a.html": "early", "site/b/c.html": "c"]), order: 1)
        try staging.write(part: tree([:], copies: ["site/card.png": output + "/site/card.png"]), order: 2)
        try staging.write(part: tree(["site/card.png": "new card"]), order: 3)
        _ = try staging.finish()
        XCTAssertEqual(readText(output, "site/a.html"), "late")
        XCTAssertEqual(readText(output, "site/b/c.html"), "c")
        XCTAssertEqual(readText(output, "site/card.png"), "new card")
        XCTAssertEqual(readText(root.path, "old.png"), "old card")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".Output") }, [".Output.lock"])
    }

    func testIndexedLookupsMatchScans() throws {
        let folder = try sample(80, seed: 5, name: "Content")
        let programme = try XCTUnwrap(Pipeline.check(BuildOptions(contentPath: folder)).programme)
        for person in programme.participants {
            XCTAssertEqual(
                programme.tandems(of: person.id).map(\.id),
                programme.tandems.filter { $0.mentor == person.id || $0.mentee == person.id }.map(\.id))
        }
        for tandem in programme.tandems {
            XCTAssertEqual(programme.meetings(of: tandem.id).map(\.line), programme.meetings.filter { $0.tandem == tandem.id }.map(\.line))
        }
    }

    func testParallelMapKeepsOrder() {
        XCTAssertEqual(Parallel.map(1000, workers: 4) { $0 * 2 }, (0..<1000).map { $0 * 2 })
        XCTAssertEqual(Parallel.map(0, workers: 4) { $0 }, [])
        XCTAssertEqual(Parallel.run([{ 1 }, { 2 }, { 3 }], workers: 2), [1, 2, 3])
    }

    /// Front matter of a file saved with Windows line endings is read like any other.
    func testFrontMatterWithCRLF() {
        var diagnostics = Diagnostics()
        let source = MarkdownSource.parse("---\r\nquote: \"Hallo\"\r\n---\r\nText\r\n", path: "p.md", diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.all.count, 0)
        XCTAssertEqual(source.frontMatter?.entries?.first?.key, "quote")
        XCTAssertEqual(source.body, "Text\r\n")
    }

    func testQuotedPrintableAndReplacing() {
        XCTAssertEqual(MIME.quotedPrintable("a\r\nb\rc\n"), "a\r\nb\r\nc\r\n")
        let long = String(repeating: "ä", count: 40)
        XCTAssertTrue(MIME.quotedPrintable(long).components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        XCTAssertEqual("a{x}b{x}".replacingAll("{x}", with: "Ü"), "aÜbÜ")
        XCTAssertEqual("abc".replacingAll("", with: "x"), "abc")
        XCTAssertEqual(slugify("Gute Praxis 2026!"), "gute-praxis-2026")
        XCTAssertEqual(slugify("Über Zoë"), "ueber-zoe")
    }
}
