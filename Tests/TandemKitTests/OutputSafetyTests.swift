import Foundation
import XCTest

@testable import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder cannot destroy or leak anything: refused paths, links, leftovers, special files, the lock,
/// an output folder inside the content. Each test runs the real pipeline (or the CLI) on real files.
final class OutputSafetyTests: TandemTestCase {
    var root: String { fixture.root.path }

    /// Runs the `tandem` executable (built by `swift build`) with a timeout; nil status when it had to be killed.
    func tandem(_ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32?, stderr: String) {
        try finish(try launch(arguments), timeout: timeout)
    }

    func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let executable = ProgrammeFixture.packageRoot.appendingPathComponent(".build/debug/tandem")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw XCTSkip("run `swift build` first") }
        let process = Process()
        process.executableURL = executable
        process.currentDirectoryURL = fixture.root
        process.arguments = ["build", "--content", fixture.contentPath, "--templates", ProgrammeFixture.templatesPath] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    func finish(_ run: (Process, Pipe), timeout: TimeInterval = 30) -> (status: Int32?, stderr: String) {
        let (process, errors) = run
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (nil, "")
        }
        return (process.terminationStatus, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// The result has an error at `path` whose message contains `text`.
    func assertDiagnostic(_ result: BuildResult, path: String, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(
            result.diagnostics.contains { $0.severity == .error && $0.path == path && $0.message.contains(text) },
            "expected \(path): error: …\(text)… in\n\(listing(result))", file: file, line: line)
    }

    func hiddenEntries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix(".Output.") && $0 != ".Output.lock" }
            .sorted()
    }

    // 1. An existing file, a device, '' and the current folder are refused; nothing is touched.
    func testOutputNamingAFileIsRefusedAndTheFileKept() throws {
        let file = root + "/Output"
        try "notes\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try tandem(["--output", "Output"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("Output: error: exists and is not a folder (it is a file)"), run.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "notes\n")
        XCTAssertEqual(hiddenEntries(), [])
    }

    func testEmptyRootHomeCurrentAndDevicePathsAreRefused() throws {
        let empty = try tandem(["--output", ""])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("--output: error: the output folder is empty"), empty.stderr)
        let current = try tandem(["--output", "."])
        XCTAssertEqual(current.status, 1)
        XCTAssertTrue(current.stderr.contains(".: error: the output folder would be the current folder"), current.stderr)
        XCTAssertTrue(fileExists(fixture.contentPath + "/programme.yml"))
        let device = try tandem(["--output", "/dev/null"])
        XCTAssertEqual(device.status, 1)
        XCTAssertTrue(device.stderr.contains("/dev/null: error: exists and is not a folder (it is a character device)"), device.stderr)
        var info = stat()
        XCTAssertEqual(lstat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
        XCTAssertTrue(OutputLocation.check("/")[0].message.contains("root folder"))
        XCTAssertTrue(OutputLocation.check("..").first?.message.contains("containing the current folder") == true)
        if let home = ProcessInfo.processInfo.environment["HOME"], home != "/" {
            XCTAssertFalse(OutputLocation.check(home).isEmpty)
            XCTAssertFalse(OutputLocation.check(home + "/").isEmpty)
        }
        XCTAssertEqual(OutputLocation.check(root + "/Fresh/Output"), [])
    }

    // 2. A link as the output folder is refused; its target keeps every file.
    func testSymlinkedOutputIsRefusedAndItsTargetKept() throws {
        let target = root + "/www"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try "mine\n".write(toFile: target + "/index.html", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/Output", withDestinationPath: target)
        for given in [root + "/Output", root + "/Output/"] {
            let result = fixture.build(output: given)
            XCTAssertFalse(result.succeeded)
            assertDiagnostic(result, path: given, contains: "is a symbolic link (to \(target))")
            XCTAssertTrue(errors(result).contains { $0.message.contains("--output \(target)") })
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target), ["index.html"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/Output"), target)
    }

    /// A link inside the old output leading to a folder outside is removed as a link; the folder's files stay.
    func testLinksInsideTheOldOutputAreNeverFollowed() throws {
        assertSucceeded(fixture.build(output: output))
        let outside = root + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/deep", withIntermediateDirectories: true)
        try "keep\n".write(toFile: outside + "/deep/keep.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: output + "/site/outside", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: output + "/mail/deep", withDestinationPath: outside + "/deep")
        try FileManager.default.createSymbolicLink(atPath: output + "/top-link", withDestinationPath: outside)
        assertSucceeded(fixture.build(output: output))
        XCTAssertEqual(try String(contentsOfFile: outside + "/deep/keep.txt", encoding: .utf8), "keep\n")
        XCTAssertFalse(fileExists(output + "/site/outside"))
        // A top-level extra is carried over as the link it was.
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: output + "/top-link"), outside)
        XCTAssertEqual(hiddenEntries(), [])
    }

    // 3. Leftovers of killed builds are removed (without following links inside them).
    func testLeftoversOfKilledBuildsAreRemoved() throws {
        let outside = root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "keep\n".write(toFile: outside + "/keep.txt", atomically: true, encoding: .utf8)
        for leftover in [".Output.staging-999999/internal", ".Output.previous-888888/mail"] {
            try FileManager.default.createDirectory(atPath: root + "/" + leftover, withIntermediateDirectories: true)
            try "private\n".write(toFile: root + "/" + leftover + "/report.html", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/.Output.previous-888888/mail/link", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/.Output.staging-777777", withDestinationPath: outside)
        assertSucceeded(fixture.build(output: output))
        XCTAssertEqual(hiddenEntries(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), ["keep.txt"])
    }

    // 4. A FIFO at the top of Output/ is skipped with a warning, not read (the build does not hang).
    func testFIFOInTheOutputFolderDoesNotHangTheBuild() throws {
        assertSucceeded(fixture.build(output: output))
        XCTAssertEqual(mkfifo(output + "/pipe", 0o644), 0)
        try "keep\n".write(toFile: output + "/.gitkeep", atomically: true, encoding: .utf8)
        let run = try tandem(["--output", output], timeout: 20)
        XCTAssertEqual(run.status, 0, "the build hung or failed: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("\(output)/pipe: warning: a FIFO is never read or copied"), run.stderr)
        XCTAssertEqual(try String(contentsOfFile: output + "/.gitkeep", encoding: .utf8), "keep\n")
        XCTAssertTrue(fileExists(output + "/site/index.html"))
    }

    // 5. Two builds into one folder: the second fails clearly while the first holds the lock; never error 512.
    func testConcurrentBuildsFailClearlyInsteadOfCollide() throws {
        assertSucceeded(fixture.build(output: output))
        let before = snapshot(output)
        let held = try OutputLocation(output).lock()
        let result = fixture.build(output: output)
        assertDiagnostic(result, path: output, contains: "another tandem build is writing to \(output) (pid \(getpid()))")
        XCTAssertEqual(snapshot(output), before)
        held.unlock()
        // Real processes at once: each one either builds or says why it did not.
        let launched = try (0..<3).map { _ in try launch(["--output", output]) }
        let runs = launched.map { finish($0) }
        XCTAssertTrue(runs.contains { $0.0 == 0 })
        for run in runs where run.0 != 0 {
            XCTAssertEqual(run.0, 1)
            XCTAssertTrue(run.1.contains("another tandem build is writing to"), run.1)
            XCTAssertFalse(run.1.contains("512"), run.1)
        }
        XCTAssertEqual(hiddenEntries(), [])
        XCTAssertTrue(fileExists(output + "/site/index.html"))
    }

    // 6. An output folder inside the content (or containing it) is refused before anything is written.
    func testOutputInsideTheContentFolderIsRefused() throws {
        let inside = fixture.contentPath + "/assets/out"
        let result = fixture.build(output: inside)
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, path: inside, contains: "the output folder is inside \(fixture.contentPath)")
        XCTAssertFalse(fileExists(inside))
        let containing = fixture.build(output: root)
        assertDiagnostic(containing, path: root, contains: "the output folder contains \(fixture.contentPath)")
        XCTAssertTrue(fileExists(fixture.contentPath + "/programme.yml"))
    }
}
