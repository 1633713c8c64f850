import Foundation
import TandemKit
import XCTest

@testable import TandemServe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `tandem serve` accepts, against a real server on a loopback port: the Host allow-list, the request size
/// limits, copied files never read through a link, and a stop within a second.
final class ServeSafetyTests: XCTestCase {
    var fixture: ServeFixture!
    var server: PreviewServer?

    override func setUpWithError() throws {
        fixture = try ServeFixture()
    }

    override func tearDown() {
        if let server {
            server.stopNow()
            server.finishWriting(timeout: 5)
            server.stopWriting()
        }
        server = nil
        fixture?.cleanUp()
        fixture = nil
    }

    func start() throws -> PreviewServer {
        let server = PreviewServer(options: ServeOptions(build: fixture.options(), port: 0, writeOutput: false), log: { _ in })
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<Error?>(nil)
        Task.detached {
            do { try await server.start() } catch { failure.write { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = failure.read({ $0 }) { throw error }
        self.server = server
        XCTAssertTrue(eventually(timeout: 15) { server.snapshot?.hasOutput == true }, "first build")
        return server
    }

    func head(_ target: String, host: String?, extra: String = "") -> String {
        "GET \(target) HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + extra + "Connection: close\r\n\r\n"
    }

    /// DNS rebinding: a page on another domain reaching 127.0.0.1 sends its own name as Host and is refused.
    func testOnlyLoopbackHostsAreAnswered() throws {
        let server = try start()
        let port = server.port
        for host in ["evil.example", "evil.example:\(port)", "rebind.attacker.test", "10.0.0.1", ""] {
            let response = try RawHTTP.exchange(head("/internal/report.html", host: host), port: port)
            XCTAssertEqual(response.status, 421, "Host: \(host)")
            XCTAssertFalse(response.text.contains("<html"), "Host: \(host)")
        }
        XCTAssertEqual(try RawHTTP.exchange(head("/mail/", host: nil), port: port).status, 400, "no Host")
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "127.0.0.2", "[::1]:\(port)"] {
            XCTAssertEqual(try RawHTTP.exchange(head("/internal/report.html", host: host), port: port).status, 200, "Host: \(host)")
        }
    }

    /// A 400 KB request line is refused at once and the server keeps answering others.
    func testLongRequestLineAndHeadersAreRefusedEarly() throws {
        let server = try start()
        let port = server.port
        let started = Date()
        let long = try RawHTTP.exchange(head("/" + String(repeating: "a", count: 400_000), host: "127.0.0.1"), port: port)
        XCTAssertEqual(long.status, 414)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        let headers = try RawHTTP.exchange(
            head("/", host: "127.0.0.1", extra: "X-Big: " + String(repeating: "b", count: 40_000) + "\r\n"), port: port)
        XCTAssertEqual(headers.status, 431)
        let many = (0..<50).map { "X-H\($0): " + String(repeating: "c", count: 1000) + "\r\n" }.joined()
        XCTAssertEqual(try RawHTTP.exchange(head("/", host: "127.0.0.1", extra: many), port: port).status, 431)
        let after = Date()
        XCTAssertEqual(try RawHTTP.request("/", port: port).status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(after), 1)
    }

    /// A copied file replaced by a link (here to a secret outside the folders) is never served.
    func testCopiedFileReplacedByALinkIsNotServed() throws {
        let server = try start()
        guard let (path, source) = server.snapshot?.copies.dictionary.first(where: { $0.key.hasPrefix("site/") }) else {
            return XCTFail("no copied file in the fixture")
        }
        XCTAssertEqual(try RawHTTP.request("/" + path.dropFirst("site/".count), port: server.port).status, 200)
        let secret = fixture.root.appendingPathComponent("secret.txt").path
        try "SECRET-PASSWORD\n".write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: source)
        try FileManager.default.createSymbolicLink(atPath: source, withDestinationPath: secret)
        let response = try RawHTTP.request("/" + path.dropFirst("site/".count), port: server.port)
        XCTAssertFalse(response.text.contains("SECRET-PASSWORD"))
        XCTAssertNotEqual(response.status, 200)
    }

    /// SIGTERM while a huge request arrives: the process ends within a second.
    func testServeStopsWithinASecondOnSIGTERM() throws {
        let executable = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/tandem")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw XCTSkip("run `swift build` first") }
        let process = Process()
        process.executableURL = executable
        let options = fixture.options()
        process.arguments = [
            "serve", "--content", options.contentPath, "--templates", options.templatesPath ?? "Templates", "--output", options.outputPath,
            "--port", "0",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // "Serving … at http://127.0.0.1:PORT/ …"
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        var port: UInt16?
        // Wait until the output folder is written too: a write in progress is finished before serve stops.
        while port == nil || !text.contains("Wrote "), Date() < deadline {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                port = UInt16(text[range].dropFirst("127.0.0.1:".count).dropLast())
            }
        }
        guard let port else { return XCTFail("no port in: \(text)") }
        let fd = try RawHTTP.connect(port: port)
        defer { close(fd) }
        RawHTTP.send(fd, "GET /" + String(repeating: "a", count: 400_000))
        Thread.sleep(forTimeInterval: 0.3)
        let stopping = Date()
        process.terminate()
        while process.isRunning, Date().timeIntervalSince(stopping) < 5 { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertFalse(process.isRunning)
        XCTAssertLessThan(Date().timeIntervalSince(stopping), 1)
    }
}
