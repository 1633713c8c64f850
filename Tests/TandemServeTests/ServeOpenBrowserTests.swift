import Foundation
import TandemKit
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tandem serve` opens the preview in the browser when started from a terminal, and never from a pipe or with
/// `--no-open`. The browser is a stand-in `xdg-open` on PATH that records the URL; the terminal is util-linux `script`.
final class ServeOpenBrowserTests: XCTestCase {
    var fixture: ServeFixture!
    var bin: URL!
    var opened: URL!

    override func setUpWithError() throws {
        fixture = try ServeFixture()
        bin = fixture.root.appendingPathComponent("bin")
        opened = fixture.root.appendingPathComponent("opened.txt")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        // Records the URL, then ends the server (its parent) as a user's Ctrl-C would.
        let script = "#!/bin/sh\necho \"$1\" >> '\(opened.path)'\nkill -TERM $PPID\n"
        let opener = bin.appendingPathComponent("xdg-open")
        try Data(script.utf8).write(to: opener)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: opener.path)
    }

    override func tearDown() {
        fixture?.cleanUp()
        fixture = nil
    }

    private var tandem: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/tandem").path
    }

    private func serveArguments(_ extra: [String]) -> [String] {
        let options = fixture.options()
        return [
            tandem, "serve", "--content", options.contentPath, "--templates", options.templatesPath ?? "Templates", "--port", "0",
            "--no-write",
        ] + extra
    }

    /// Runs `arguments` (through `script` for a terminal) with the stand-in on PATH; returns its output once `until`
    /// appears in it or the process ends, and stops it.
    private func run(_ arguments: [String], terminal: Bool, until: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: tandem) else { throw XCTSkip("run `swift build` first") }
        let process = Process()
        if terminal {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("util-linux script missing") }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let command = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            process.arguments = ["-qefc", command, "/dev/null"]
        } else {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
        }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains(until), Date() < deadline {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    func testFromATerminalTheBrowserOpensThePreview() throws {
        let text = try run(serveArguments([]), terminal: true, until: "Stopping")
        XCTAssertTrue(text.contains("Serving"), text)
        let url = try String(contentsOf: opened, encoding: .utf8)
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:"), url)
        XCTAssertTrue(text.contains(url.trimmingCharacters(in: .whitespacesAndNewlines)), "the URL served is the one opened")
    }

    func testNoOpenAndAPipeOpenNothing() throws {
        for (extra, terminal) in [(["--no-open"], true), ([], false)] {
            let text = try run(serveArguments(extra), terminal: terminal, until: "Ctrl-C to stop")
            XCTAssertTrue(text.contains("Ctrl-C to stop"), text)
            Thread.sleep(forTimeInterval: 0.5)
            XCTAssertFalse(FileManager.default.fileExists(atPath: opened.path), "terminal: \(terminal), \(extra)")
        }
    }
}
