import Foundation
import TandemKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `tandem serve` reads the content folder with the build's loader and its rules: a file that becomes a link or a
/// FIFO between two edits is skipped with the same warning a full build gives, and never opened.
extension LiveBuildTests {
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
