import Foundation
import XCTest

@testable import TandemKit

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system policy for reading the content folder (docs/security-content.md): links and special files are
/// never opened, unreadable folders and files are errors, absurdly large files are refused before they are read.
/// Each case is a reproduction from the audit, run through the real pipeline or the `tandem` executable.
final class ContentFileSafetyTests: TandemTestCase {
    // MARK: Helpers

    private var content: URL { fixture.root.appendingPathComponent("Content") }

    private func link(_ name: String, to target: String) throws {
        let url = content.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// A file of `size` bytes that takes no disk space (its size is all the policy looks at before reading).
    private func sparseFile(_ name: String, size: Int) throws {
        let path = fixture.path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data("# Gross\n".utf8))
        XCTAssertEqual(truncate(path, off_t(size)), 0)
    }

    private struct Run {
        var status: Int32
        var stderr: String
        var timedOut: Bool
    }

    private func executable() throws -> String {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("tandem").path,
            ProgrammeFixture.packageRoot.appendingPathComponent(".build/debug/tandem").path,
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("tandem executable not found (run `swift build` first)")
        }
        return found
    }

    /// Runs `tandem` in the fixture's folder, killing it after `timeout` seconds (a hang is a failure, not a stuck test).
    /// With `asUser`, runs it through setpriv as that uid and gid (so a root test run can see what a user sees).
    private func run(_ arguments: [String], asUser: Int? = nil, direct: Bool = false, timeout: TimeInterval = 20) throws -> Run {
        let process = Process()
        if direct {
            // `arguments` is a whole command line (a wrapper such as prlimit, then tandem).
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        } else if let uid = asUser {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", try executable()] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: try executable())
            process.arguments = arguments
        }
        process.currentDirectoryURL = fixture.root
        let errorFile = fixture.root.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: errorFile)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            done.wait()
        }
        try handle.close()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errorFile)
        return Run(status: process.terminationStatus, stderr: stderr, timedOut: timedOut)
    }

    private func assertWarning(
        _ result: BuildResult, _ name: String, contains text: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        assertDiagnostic(result, .warning, in: name, line: nil, contains: [text], file: file, line: line)
    }

    /// A file the build wrote (a page or a copied file) containing `needle`.
    private func outputContains(_ result: BuildResult, _ needle: String) -> Bool {
        guard result.succeeded else { return false }
        return snapshot(output).values.contains { String(decoding: $0, as: UTF8.self).contains(needle) }
    }

    // MARK: Links

    func testProfileLinkedToDevZeroIsSkippedNotRead() throws {
        try link("profiles/dieter-daten.md", to: "/dev/zero")
        let result = fixture.build(output: output)
        assertSucceeded(result)
        assertWarning(result, "profiles/dieter-daten.md", contains: "symbolic link is not followed")
    }

    func testProfileLinkedToThePasswordFileIsNotPublished() throws {
        try link("profiles/dieter-daten.md", to: "/etc/passwd")
        let result = fixture.build(output: output)
        assertSucceeded(result)
        assertWarning(result, "profiles/dieter-daten.md", contains: "symbolic link is not followed")
        XCTAssertFalse(outputContains(result, "root:x:0:0"), "the password file must not be published")
        let page = readText(output, "site/participants/dieter-daten.html") ?? ""
        XCTAssertFalse(page.contains("root:"), "the profile page must not show the linked file")
    }

    func testAssetsFolderThatIsALinkIsNotCopied() throws {
        // A folder outside the content folder with a secret, and assets/ pointing at it.
        let outside = fixture.root.appendingPathComponent("outside/photos")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("GEHEIM-AUSSERHALB".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try Data("ANNA-JPEG-BYTES".utf8).write(to: outside.appendingPathComponent("anna.jpg"))
        try link("assets", to: fixture.root.appendingPathComponent("outside").path)
        let result = fixture.build(output: output)
        assertWarning(result, "assets", contains: "symbolic link is not followed")
        // Without assets the photos the roster names are missing: the build fails and writes nothing.
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, .error, in: "participants.csv", line: 2, contains: ["photos/anna.jpg"])
        XCTAssertFalse(fileExists(output + "/site/assets/photos/secret.txt"))
        // Without the photos in the roster, the build succeeds and copies nothing from the linked folder.
        fixture.replace("participants.csv", "photos/anna.jpg", with: "")
        fixture.replace("participants.csv", "photos/clara.jpg", with: "")
        let second = fixture.build(output: output)
        assertSucceeded(second)
        assertWarning(second, "assets", contains: "symbolic link is not followed")
        XCTAssertFalse(outputContains(second, "ANNA-JPEG-BYTES"))
        XCTAssertFalse(fileExists(output + "/site/assets/photos/secret.txt"))
        XCTAssertFalse(outputContains(second, "GEHEIM-AUSSERHALB"))
    }

    func testLinksBelowAssetsAreNotCopied() throws {
        try Data("GEHEIM".utf8).write(to: fixture.root.appendingPathComponent("secret.txt"))
        try link("assets/photos/extra.jpg", to: fixture.root.appendingPathComponent("secret.txt").path)
        try link("assets/linked", to: fixture.root.path)
        let result = fixture.build(output: output)
        assertSucceeded(result)
        assertWarning(result, "assets/photos/extra.jpg", contains: "symbolic link is not followed")
        assertWarning(result, "assets/linked", contains: "symbolic link is not followed")
        XCTAssertFalse(fileExists(output + "/site/assets/photos/extra.jpg"))
        XCTAssertFalse(fileExists(output + "/site/assets/linked"))
        XCTAssertTrue(fileExists(output + "/site/assets/photos/anna.jpg"))
    }

    func testProfilesFolderThatIsALinkIsNotRead() throws {
        let elsewhere = fixture.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("FREMDPROFIL".utf8).write(to: elsewhere.appendingPathComponent("anna-muster.md"))
        try FileManager.default.removeItem(at: content.appendingPathComponent("profiles"))
        try link("profiles", to: elsewhere.path)
        let result = fixture.build(output: output)
        assertSucceeded(result)
        assertWarning(result, "profiles", contains: "symbolic link is not followed")
        XCTAssertFalse(outputContains(result, "FREMDPROFIL"))
    }

    func testRequiredFileThatIsALinkIsAnError() throws {
        let copy = fixture.root.appendingPathComponent("participants-copy.csv")
        try FileManager.default.moveItem(at: content.appendingPathComponent("participants.csv"), to: copy)
        try link("participants.csv", to: copy.path)
        let before = snapshot(output)
        let run = try run(["build", "--content", "Content", "--templates", ProgrammeFixture.templatesPath, "--output", "Output"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/participants.csv: warning: symbolic link is not followed"), run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/participants.csv: error: required file is missing"), run.stderr)
        XCTAssertEqual(snapshot(output), before, "a failing build leaves the output folder as it was")
    }

    func testMatchDoesNotFollowALinkedTable() throws {
        let copy = fixture.root.appendingPathComponent("participants-copy.csv")
        try FileManager.default.moveItem(at: content.appendingPathComponent("participants.csv"), to: copy)
        try link("participants.csv", to: copy.path)
        let run = try run(["match", "--content", "Content"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/participants.csv: warning: symbolic link is not followed"), run.stderr)
    }

    // MARK: Special files

    func testProfileThatIsAFIFODoesNotBlockTheCheck() throws {
        XCTAssertEqual(mkfifo(fixture.path("profiles/dieter-daten.md"), 0o644), 0)
        let run = try run(["check", "--content", "Content", "--templates", ProgrammeFixture.templatesPath], timeout: 20)
        XCTAssertFalse(run.timedOut, "tandem check blocked on a FIFO")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/profiles/dieter-daten.md: warning: FIFO is not a regular file"), run.stderr)
    }

    func testFIFOInAssetsIsNotCopied() throws {
        XCTAssertEqual(mkfifo(fixture.path("assets/photos/pipe.jpg"), 0o644), 0)
        let result = fixture.build(output: output)
        assertSucceeded(result)
        assertWarning(result, "assets/photos/pipe.jpg", contains: "FIFO is not a regular file")
        XCTAssertFalse(fileExists(output + "/site/assets/photos/pipe.jpg"))
    }

    func testPolicyReadRefusesLinksAndSpecialFilesWithoutOpeningThem() throws {
        let fifo = fixture.path("profiles/pipe.md")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertEqual(ContentFile.read(path: fifo), .failure(.special("FIFO")))
        try link("profiles/zero.md", to: "/dev/zero")
        XCTAssertEqual(ContentFile.read(path: fixture.path("profiles/zero.md")), .failure(.symbolicLink))
        XCTAssertEqual(ContentFile.read(path: "/dev/zero"), .failure(.special("device")))
        XCTAssertNil(ContentFile.bytesToCopy(fixture.path("profiles/zero.md")))
        XCTAssertEqual(ContentFile.read(path: fixture.path("assets/photos/anna.jpg")), .success(Array("ANNA-JPEG-BYTES".utf8)))
    }

    // MARK: Sizes

    func testMarkdownFileOverTheLimitIsRefusedBeforeReading() throws {
        try sparseFile("pages/gross.md", size: ContentFile.textLimit + 1)
        let before = snapshot(output)
        let run = try run(["build", "--content", "Content", "--templates", ProgrammeFixture.templatesPath, "--output", "Output"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(
            run.stderr.contains("Content/pages/gross.md: error: file is 16.1 MB; the limit is 16 MB"), run.stderr)
        XCTAssertEqual(snapshot(output), before)
    }

    func testCSVFileOverTheLimitIsRefusedBeforeReading() throws {
        try sparseFile("meetings.csv", size: ContentFile.tableLimit + 5 << 20)
        let result = fixture.check()
        assertDiagnostic(result, .error, in: "meetings.csv", line: nil, contains: ["file is 69 MB; the limit is 64 MB"])
        XCTAssertFalse(result.succeeded)
    }

    // MARK: Permissions

    /// Root can read anything, so permission tests run `tandem` as the unprivileged user 65534 when the suite runs
    /// as root (setpriv), and directly otherwise.
    private func unprivilegedUser() throws -> Int? {
        guard geteuid() == 0 else { return nil }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("running as root without setpriv: cannot test what an unprivileged user sees")
        }
        // The fixture folder must be reachable for that user; the content is world-readable by default.
        XCTAssertEqual(chmod(fixture.root.path, 0o777), 0)
        return 65534
    }

    func testUnreadableProfilesFolderIsAnErrorNamingIt() throws {
        let user = try unprivilegedUser()
        XCTAssertEqual(chmod(fixture.path("profiles"), 0o000), 0)
        defer { chmod(fixture.path("profiles"), 0o755) }
        let run = try run(["check", "--content", "Content"], asUser: user)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/profiles: error: cannot read folder: Permission denied"), run.stderr)
    }

    func testProfileThatCannotBeOpenedIsAnError() throws {
        let user = try unprivilegedUser()
        XCTAssertEqual(chmod(fixture.path("profiles/anna-muster.md"), 0o000), 0)
        let run = try run(["check", "--content", "Content"], asUser: user)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/profiles/anna-muster.md: error: cannot read file: Permission denied"), run.stderr)
    }

    // MARK: Many folders

    func testManyAssetFoldersDoNotExhaustFileDescriptors() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else { throw XCTSkip("prlimit not installed") }
        // 300 folders below assets/, with 64 descriptors allowed: the walk must not hold one open per folder.
        for i in 0..<300 { fixture.write("assets/gallery/album-\(i)/bild.jpg", "JPEG-\(i)") }
        let run = try run(
            [
                "/usr/bin/prlimit", "--nofile=64", try executable(), "check", "--content", "Content", "--templates",
                ProgrammeFixture.templatesPath,
            ], direct: true)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("error:"), run.stderr)
    }

    // MARK: The content folder itself

    func testContentFolderGivenAsALinkIsFollowed() throws {
        // The one link the user typed is followed; everything below it is held to the rules.
        try FileManager.default.createSymbolicLink(
            atPath: fixture.root.appendingPathComponent("Inhalt").path, withDestinationPath: content.path)
        var options = fixture.options(output: output)
        options.contentPath = fixture.root.appendingPathComponent("Inhalt").path
        let result = Pipeline.build(options)
        assertSucceeded(result)
        XCTAssertTrue(fileExists(output + "/site/participants/anna-muster.html"))
    }
}
