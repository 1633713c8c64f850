import Foundation
import TandemKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `tandem serve` reads the content folder with the build's loader and its rules: a file that becomes a link or a
/// FIFO between two edits is skipped with the same warning a full build gives, and never opened.
final class LiveBuildContentPolicyTests: XCTestCase {
    var fixture: ServeFixture!

    override func setUpWithError() throws {
        fixture = try ServeFixture()
    }

    override func tearDown() {
        fixture?.cleanUp()
        fixture = nil
    }

    /// The live snapshot has the diagnostics and pages of a full build of the folder as it is now.
    private func assertMatchesFullBuild(_ snapshot: LiveSnapshot?, file: StaticString = #filePath, line: UInt = #line) {
        guard let snapshot else { return XCTFail("no snapshot", file: file, line: line) }
        let full = Pipeline.render(fixture.options())
        XCTAssertEqual(snapshot.diagnostics.map(\.description), full.diagnostics.map(\.description), file: file, line: line)
        XCTAssertEqual(snapshot.succeeded, full.succeeded, file: file, line: line)
        if let output = full.output {
            XCTAssertEqual(snapshot.files.dictionary, output.files, file: file, line: line)
            XCTAssertEqual(snapshot.copies.dictionary, output.copies, file: file, line: line)
        }
    }

    private func served(_ snapshot: LiveSnapshot?, contains needle: String) -> Bool {
        snapshot?.files.dictionary.values.contains { String(decoding: $0, as: UTF8.self).contains(needle) } ?? false
    }

    func testProfileReplacedByALinkToThePasswordFile() throws {
        let live = LiveBuild(options: fixture.options())
        XCTAssertTrue(live.build().succeeded)
        fixture.remove("Content/profiles/eva-engel.md")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url("Content/profiles/eva-engel.md").path, withDestinationPath: "/etc/passwd")
        let snapshot = live.update(SourceChanges(content: ["profiles/eva-engel.md"]))
        let warning = fixture.display("Content/profiles/eva-engel.md") + ": warning: symbolic link is not followed"
        XCTAssertTrue(snapshot?.diagnostics.contains { $0.description.hasPrefix(warning) } ?? false, "\(snapshot?.diagnostics ?? [])")
        XCTAssertFalse(served(snapshot, contains: "root:x:0:0"))
        assertMatchesFullBuild(snapshot)
    }

    func testProfileReplacedByAFIFODoesNotBlockTheLiveBuild() throws {
        let live = LiveBuild(options: fixture.options())
        XCTAssertTrue(live.build().succeeded)
        fixture.remove("Content/profiles/eva-engel.md")
        XCTAssertEqual(mkfifo(fixture.url("Content/profiles/eva-engel.md").path, 0o644), 0)
        let snapshot = live.update(SourceChanges(content: ["profiles/eva-engel.md"]))
        let warning = fixture.display("Content/profiles/eva-engel.md") + ": warning: FIFO is not a regular file"
        XCTAssertTrue(snapshot?.diagnostics.contains { $0.description.hasPrefix(warning) } ?? false, "\(snapshot?.diagnostics ?? [])")
        assertMatchesFullBuild(snapshot)
    }

    func testAssetsFolderReplacedByALink() throws {
        let live = LiveBuild(options: fixture.options())
        XCTAssertTrue(live.build().succeeded)
        let outside = fixture.url("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("GEHEIM".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        fixture.remove("Content/assets")
        try FileManager.default.createSymbolicLink(atPath: fixture.url("Content/assets").path, withDestinationPath: outside.path)
        let snapshot = live.update(SourceChanges(content: ["assets"]))
        XCTAssertFalse(snapshot?.copies.dictionary.values.contains { $0.hasPrefix(outside.path) } ?? true)
        assertMatchesFullBuild(snapshot)
    }
}
