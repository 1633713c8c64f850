import Foundation
import TandemKit
import XCTest

/// The incremental build behind `tandem serve`: after every kind of edit, what it serves must be exactly what a
/// fresh `Pipeline.render` of the folder gives (files, copies and diagnostics), however little it re-read and rendered.
final class LiveBuildTests: XCTestCase {
    var fixture: ServeFixture!

    override func setUpWithError() throws {
        fixture = try ServeFixture()
    }

    override func tearDown() {
        fixture?.cleanUp()
        fixture = nil
    }

    /// The snapshot equals a full build of the folder as it is now.
    func assertMatchesFullBuild(_ snapshot: LiveSnapshot?, strict: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        guard let snapshot else { return XCTFail("no snapshot", file: file, line: line) }
        let full = Pipeline.render(fixture.options(strict: strict))
        XCTAssertEqual(snapshot.diagnostics.map(\.description), full.diagnostics.map(\.description), "diagnostics", file: file, line: line)
        guard let output = full.output else {
            XCTAssertFalse(snapshot.succeeded, "the full build failed, the live build did not", file: file, line: line)
            return
        }
        XCTAssertTrue(snapshot.succeeded, file: file, line: line)
        XCTAssertEqual(Set(snapshot.files.keys), Set(output.files.keys), "generated paths", file: file, line: line)
        XCTAssertEqual(snapshot.files.count, output.files.count, file: file, line: line)
        let different = output.files.keys.filter { snapshot.files[$0] != output.files[$0] }.sorted()
        XCTAssertEqual(different, [], "files whose bytes differ from a full build", file: file, line: line)
        XCTAssertEqual(snapshot.copies.dictionary, output.copies, "copied files", file: file, line: line)
    }

    func testFirstBuildEqualsPipelineRender() {
        let live = LiveBuild(options: fixture.options())
        let snapshot = live.build()
        XCTAssertEqual(snapshot.kind, .full)
        XCTAssertTrue(snapshot.succeeded, "\(snapshot.diagnostics)")
        assertMatchesFullBuild(snapshot)
    }

    func testTheSampleProgramme() throws {
        fixture.cleanUp()
        fixture = try ServeFixture(sample: true)
        let live = LiveBuild(options: fixture.options())
        assertMatchesFullBuild(live.build())
        fixture.append("Content/profiles/elena-rossi.md", "\nEin neuer Absatz über LIVEVORSCHAU.\n")
        let snapshot = live.update(SourceChanges(content: ["profiles/elena-rossi.md"]))
        XCTAssertEqual(snapshot?.kind, .profiles)
        XCTAssertEqual(snapshot?.changedPaths, ["site/participants/elena-rossi.html"])
        assertMatchesFullBuild(snapshot)
    }

    func testProfileEditRendersOnlyTheNeighbourhoodAndChangesOnlyItsPages() {
        let live = LiveBuild(options: fixture.options())
        let first = live.build()
        fixture.append("Content/profiles/eva-engel.md", "\nEin neuer Absatz über LIVEVORSCHAU.\n")
        let snapshot = live.update(SourceChanges(content: ["profiles/eva-engel.md"]))
        XCTAssertEqual(snapshot?.kind, .profiles)
        XCTAssertEqual(snapshot?.changedPaths, ["site/participants/eva-engel.html"])
        XCTAssertLessThan(snapshot?.renderedFiles ?? .max, 2 * first.renderedFiles, "renders the neighbourhood only")
        XCTAssertTrue(
            snapshot.map { String(decoding: $0.files["site/participants/eva-engel.html"]!, as: UTF8.self) }?.contains("LIVEVORSCHAU")
                ?? false)
        assertMatchesFullBuild(snapshot)

        // The same profile again (the neighbourhood's previous render is reused); its links reach the e-mail too.
        fixture.write(
            "Content/profiles/eva-engel.md", "---\nlinks:\n  - title: Kanal\n    url: https://video.example.ch/\n---\nZweite Fassung.\n")
        let linked = live.update(SourceChanges(content: ["profiles/eva-engel.md"]))
        XCTAssertEqual(linked?.kind, .profiles)
        XCTAssertEqual(linked?.changedPaths, ["site/participants/eva-engel.html", "mail/eva-fritz.eml"])
        assertMatchesFullBuild(linked)
        // Someone who is not published: nothing public changes.
        fixture.append("Content/profiles/clara-geheim.md", "\nNoch mehr.\n")
        let hidden = live.update(SourceChanges(content: ["profiles/clara-geheim.md"]))
        XCTAssertEqual(hidden?.kind, .profiles)
        XCTAssertEqual(hidden?.changedPaths, [])
        assertMatchesFullBuild(hidden)
        // A link to an anchor that does not exist: the link check's warning, as a full build gives it.
        fixture.replace("Content/profiles/anna-muster.md", "#ablauf", with: "#gibt-es-nicht")
        let broken = live.update(SourceChanges(content: ["profiles/anna-muster.md"]))
        XCTAssertTrue(
            broken?.diagnostics.contains { $0.message.hasPrefix(LinkChecker.messagePrefix) } ?? false, "\(broken?.diagnostics ?? [])")
        assertMatchesFullBuild(broken)
        fixture.replace("Content/profiles/anna-muster.md", "#gibt-es-nicht", with: "#ablauf")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/anna-muster.md"])))
    }

    func testProfileErrorKeepsTheLastGoodOutputUntilFixed() {
        let live = LiveBuild(options: fixture.options())
        let good = live.build()
        let original = fixture.read("Content/profiles/anna-muster.md")
        fixture.write("Content/profiles/anna-muster.md", "---\nquote: [unclosed\n---\nText.\n")
        let broken = live.update(SourceChanges(content: ["profiles/anna-muster.md"]))
        XCTAssertEqual(broken?.succeeded, false)
        XCTAssertEqual(broken?.errors.map(\.path), [fixture.display("Content/profiles/anna-muster.md")])
        XCTAssertEqual(broken?.files, good.files, "still serving the last good build")
        XCTAssertEqual(broken?.changedPaths, [])
        assertMatchesFullBuild(broken)
        // A link that must be https:// is an error of the model, not of the parser.
        fixture.write("Content/profiles/anna-muster.md", "---\nlinks:\n  - title: x\n    url: \"javascript:alert(1)\"\n---\nText.\n")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/anna-muster.md"])))
        fixture.write("Content/profiles/anna-muster.md", original)
        let fixed = live.update(SourceChanges(content: ["profiles/anna-muster.md"]))
        XCTAssertEqual(fixed?.succeeded, true)
        XCTAssertEqual(fixed?.files, good.files)
        assertMatchesFullBuild(fixed)
    }

    func testProfileWarningsDeletionAndUnknownIDs() {
        let live = LiveBuild(options: fixture.options())
        live.build()
        // An e-mail address in a public text is removed, with a warning naming the file.
        fixture.append("Content/profiles/bruno-beispiel.md", "\nSchreiben Sie an bruno@example.ch.\n")
        let warned = live.update(SourceChanges(content: ["profiles/bruno-beispiel.md"]))
        XCTAssertEqual(warned?.kind, .profiles)
        XCTAssertTrue(warned?.diagnostics.contains { $0.severity == .warning && $0.path.hasSuffix("profiles/bruno-beispiel.md") } ?? false)
        assertMatchesFullBuild(warned)
        // A deleted profile: the page loses its text; a new one; one for nobody in the roster (an error).
        fixture.remove("Content/profiles/bruno-beispiel.md")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/bruno-beispiel.md"])))
        fixture.write("Content/profiles/fritz-frei.md", "Fritz ist neu hier.\n")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/fritz-frei.md"])))
        fixture.write("Content/profiles/niemand.md", "Wer bin ich?\n")
        let unknown = live.update(SourceChanges(content: ["profiles/niemand.md"]))
        XCTAssertEqual(unknown?.succeeded, false)
        assertMatchesFullBuild(unknown)
        fixture.remove("Content/profiles/niemand.md")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/niemand.md"])))
    }

    func testStrictTurnsAProfileWarningIntoAnError() {
        let live = LiveBuild(options: fixture.options(strict: true))
        assertMatchesFullBuild(live.build(), strict: true)
        fixture.append("Content/profiles/bruno-beispiel.md", "\nSchreiben Sie an bruno@example.ch.\n")
        let strict = live.update(SourceChanges(content: ["profiles/bruno-beispiel.md"]))
        XCTAssertEqual(strict?.succeeded, false)
        assertMatchesFullBuild(strict, strict: true)
    }

    func testOtherEditsRebuildEverythingAndReportOnlyChangedFiles() {
        let live = LiveBuild(options: fixture.options())
        live.build()
        // A broken feedback file fails the build and names the file; fixing it brings the same output back.
        let name = "Content/feedback/eva-fritz-mentor.md"
        let original = fixture.read(name)
        fixture.replace(name, "nutzen: 4", with: "nutzen: 9")
        let broken = live.update(SourceChanges(content: ["feedback/eva-fritz-mentor.md"]))
        XCTAssertEqual(broken?.kind, .full)
        XCTAssertEqual(broken?.errors.map(\.path), [fixture.display(name)])
        assertMatchesFullBuild(broken)
        // A profile edit while the feedback is broken: still a full rebuild, still failing.
        fixture.append("Content/profiles/anna-muster.md", "\nDazwischen.\n")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["profiles/anna-muster.md"])))
        fixture.write(name, original)
        let fixed = live.update(SourceChanges(content: ["feedback/eva-fritz-mentor.md"]))
        XCTAssertEqual(fixed?.succeeded, true)
        XCTAssertEqual(fixed?.changedPaths, ["site/participants/anna-muster.html"])
        assertMatchesFullBuild(fixed)
        // A roster edit changes many pages, each compared with a full build.
        fixture.replace("Content/participants.csv", "Anna Muster", with: "Anna Muster-Meier")
        let renamed = live.update(SourceChanges(content: ["participants.csv"]))
        XCTAssertEqual(renamed?.kind, .full)
        XCTAssertTrue(renamed?.changedPaths.contains("site/participants/anna-muster.html") ?? false)
        assertMatchesFullBuild(renamed)
        // A template edit.
        fixture.replace("Templates/site/participant.mustache", "<p class=\"role-label\">", with: "<p class=\"role-label changed\">")
        let template = live.update(SourceChanges(templates: ["site/participant.mustache"]))
        XCTAssertEqual(template?.kind, .full)
        assertMatchesFullBuild(template)
    }

    func testSavingWithoutChangesAndCopiedFiles() {
        let live = LiveBuild(options: fixture.options())
        live.build()
        fixture.write("Content/profiles/anna-muster.md", fixture.read("Content/profiles/anna-muster.md"))
        XCTAssertNil(live.update(SourceChanges(content: ["profiles/anna-muster.md"])), "the same bytes again: nothing to do")
        XCTAssertNil(live.update(SourceChanges(content: ["notes.txt"])), "a file the build does not read")
        // A stylesheet: nothing is rendered, the path that serves it changed.
        fixture.append("Templates/assets/style.css", "\n/* live */\n")
        let styled = live.update(SourceChanges(templates: ["assets/style.css"]))
        XCTAssertEqual(styled?.kind, .assets)
        XCTAssertEqual(styled?.renderedFiles, 0)
        XCTAssertTrue(styled?.changedPaths.contains("site/theme/style.css") ?? false)
        // A photo replaced: copied again, nothing rendered.
        fixture.write("Content/assets/photos/anna.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>\n")
        let photo = live.update(SourceChanges(content: ["assets/photos/anna.svg"]))
        XCTAssertEqual(photo?.kind, .assets)
        XCTAssertEqual(photo?.changedPaths.contains("site/assets/photos/anna.svg"), true)
        XCTAssertEqual(photo?.changedPaths.allSatisfy { $0.hasSuffix("/assets/photos/anna.svg") }, true, "\(photo?.changedPaths ?? [])")
        // A new asset changes what is copied: a full rebuild.
        fixture.write("Content/assets/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        assertMatchesFullBuild(live.update(SourceChanges(content: ["assets/logo.svg"])))
        // A whole folder read again (what the watcher asks for when it lost track).
        fixture.append("Content/profiles/anna-muster.md", "\nNach dem Neueinlesen.\n")
        assertMatchesFullBuild(live.update(SourceChanges(rescanContent: true)))
    }

    func testTranslationsInAMultilingualProgramme() {
        fixture.replace("Content/programme.yml", "language: de", with: "language: de\nlanguages: [de, fr]")
        let live = LiveBuild(options: fixture.options())
        assertMatchesFullBuild(live.build())
        fixture.write("Content/profiles/eva-engel.fr.md", "Eva tourne des vidéos.\n")
        let translated = live.update(SourceChanges(content: ["profiles/eva-engel.fr.md"]))
        XCTAssertEqual(translated?.kind, .profiles)
        XCTAssertEqual(translated?.changedPaths, ["site/fr/participants/eva-engel.html"])
        assertMatchesFullBuild(translated)
        // The original removed: the translation has none (an error on the translation).
        fixture.remove("Content/profiles/eva-engel.md")
        let orphan = live.update(SourceChanges(content: ["profiles/eva-engel.md"]))
        XCTAssertEqual(orphan?.succeeded, false)
        assertMatchesFullBuild(orphan)
    }
}

extension LiveBuildTests {
    /// Serve's first build takes the social cards that `tandem build` left in the output folder instead of drawing
    /// them again (at 10,000 participants the difference between 4 s and a minute before the first page).
    func testFirstBuildTakesUnchangedCardsFromTheOutputFolder() throws {
        let executable = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/tandem")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw XCTSkip("run `swift build` first") }
        // A title of its own, so no card of another test is in this process's memory.
        let title = "Kartentest " + UUID().uuidString.prefix(8)
        fixture.replace("Content/programme.yml", "title: \"Live Test\"", with: "title: \"\(title)\"")
        // `tandem build` in its own process writes the output folder and its cards.
        let options = fixture.options()
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "build", "--content", options.contentPath, "--templates", options.templatesPath ?? "Templates", "--output",
            options.outputPath,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let cards = snapshotCards(options.outputPath)
        XCTAssertFalse(cards.isEmpty, "the build wrote social cards")

        let snapshot = LiveBuild(options: options).build()
        XCTAssertTrue(snapshot.succeeded, "\(snapshot.diagnostics)")
        let copies = snapshot.copies.dictionary
        for card in cards {
            XCTAssertEqual(copies[card], options.outputPath + "/" + card, "\(card) is taken from the output folder")
            XCTAssertTrue(snapshot.files[card] == nil, "\(card) is not drawn again")
        }
    }

    private func snapshotCards(_ output: String) -> [String] {
        let files = (FileManager.default.enumerator(atPath: output)?.allObjects as? [String]) ?? []
        return files.filter { $0.hasSuffix(".card.png") }.sorted()
    }
}
