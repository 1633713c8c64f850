import Foundation
import XCTest

@testable import TandemKit

#if canImport(Glibc)
    import Glibc
#endif

/// `tandem send` against a real SMTP server on loopback (scripts/test/smtp_server.py: aiosmtpd with STARTTLS or TLS,
/// AUTH and a self-signed certificate made here with openssl), run as a user runs it: the `tandem` executable.
final class SendTests: TandemTestCase {
    static let user = "office"
    static let password = "s3cret-Passw0rd"

    var certificate: String { fixture.root.appendingPathComponent("cert.pem").path }
    var servers: [SMTPTestServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    // MARK: Helpers

    /// A server with STARTTLS (required), AUTH and the test certificate, storing what it accepts in `maildir`.
    func startServer(_ maildir: String = "mail-received", extra: [String] = [], tls: Bool = true) throws -> SMTPTestServer {
        var arguments = ["--maildir", fixture.root.appendingPathComponent(maildir).path, "--user", Self.user, "--password", Self.password]
        if tls {
            try makeCertificate()
            arguments += ["--cert", certificate, "--key", fixture.root.appendingPathComponent("key.pem").path]
        }
        let server = try SMTPTestServer.start(arguments + extra)
        servers.append(server)
        return server
    }

    func makeCertificate() throws {
        guard !fileExists(certificate) else { return }
        let status = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", fixture.root.appendingPathComponent("key.pem").path, "-out",
                certificate, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        XCTAssertEqual(status, 0, "openssl could not make the test certificate")
    }

    /// `tandem send` in the fixture's folder with the content, theme and output given, the password in the environment.
    func send(
        _ server: SMTPTestServer?, _ arguments: [String], password: String? = SendTests.password, content: String? = nil
    ) throws -> TandemRun {
        let process = try launchSend(server, arguments, password: password, content: content)
        return finish(process)
    }

    func launchSend(_ server: SMTPTestServer?, _ arguments: [String], password: String?, content: String? = nil) throws -> RunningTandem {
        var all = ["send", "--content", content ?? fixture.contentPath, "--templates", ProgrammeFixture.templatesPath, "--output", output]
        if let server { all += ["--smtp", "smtp://127.0.0.1:\(server.port)", "--user", Self.user, "--cacert", certificate] }
        all += ["--rate", "6000/min"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TANDEM_SMTP_PASSWORD"] = password
        return try RunningTandem.launch(all, in: fixture.root, environment: environment)
    }

    func finish(_ process: RunningTandem) -> TandemRun { process.wait() }

    /// The header block and the body (after the first empty line) of a message.
    func split(_ bytes: Data) -> (header: String, body: Data) {
        let separator = Data("\r\n\r\n".utf8)
        guard let range = bytes.range(of: separator) else { return (String(decoding: bytes, as: UTF8.self), Data()) }
        return (String(decoding: bytes[..<range.lowerBound], as: UTF8.self), bytes[range.upperBound...])
    }

    func messageID(_ header: String) -> String? {
        let unfolded = header.replacingOccurrences(of: "\r\n ", with: " ")
        return unfolded.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("message-id:") }?
            .dropFirst("Message-ID:".count).trimmingCharacters(in: .whitespaces)
    }

    var logPath: String { fixture.contentPath + "/.tandem/sent.csv" }

    func logLines(_ event: String) -> [String] {
        (readText(fixture.contentPath, ".tandem/sent.csv") ?? "").split(separator: "\n").map(String.init)
            .filter { $0.split(separator: ",").dropFirst().first == Substring(event) }
    }

    // MARK: Tests

    func testDryRunListsWhoGetsWhichMessageAndSendsNothing() throws {
        let server = try startServer()
        let run = try send(server, [])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("would send  anna-bruno"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Anna Muster <anna.muster@alpha.example.ch>, Bruno Beispiel <bruno@beta.example.ch>"), run.stdout)
        XCTAssertTrue(run.stdout.contains("would send  clara-dieter"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Dry run: 2 messages would be sent"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Nothing was sent; add --yes to send."), run.stdout)
        // It built first (there was no mail/), sent nothing and started no log.
        XCTAssertTrue(fileExists(output + "/mail/anna-bruno.eml"))
        XCTAssertEqual(server.messages().count, 0)
        XCTAssertFalse(fileExists(fixture.contentPath + "/.tandem"))
    }

    func testSendsEveryMessageOnceWithTheBodyOfTheEmlAndASecondRunSendsNothing() throws {
        let server = try startServer()
        let run = try send(server, ["--yes"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Done: 2 sent."), run.stdout)
        let received = server.messages()
        XCTAssertEqual(received.count, 2)
        for (id, members) in [
            ("anna-bruno", ["anna.muster@alpha.example.ch", "bruno@beta.example.ch"]),
            ("clara-dieter", ["clara.geheim@gamma.example.ch", "dieter@delta.example.ch"]),
        ] {
            let eml = try XCTUnwrap(FileManager.default.contents(atPath: output + "/mail/\(id).eml"))
            let built = split(eml)
            guard let message = received.first(where: { messageID(split($0.data).header) == messageID(built.header) }) else {
                XCTFail("\(id) did not arrive")
                continue
            }
            let sent = split(message.data)
            XCTAssertEqual(sent.body, built.body, "\(id): the body must be byte-identical to the .eml")
            XCTAssertEqual(message.recipients, members)
            XCTAssertEqual(message.sender, "programm@forum-test.example.ch")
            XCTAssertFalse(sent.header.contains("X-Unsent"), "a sent message is no draft")
            XCTAssertTrue(built.header.contains("X-Unsent: 1"))
            XCTAssertEqual(messageID(sent.header), "<\(id).announcement@mentoring.example.ch>")
        }
        XCTAssertEqual(logLines("sent").count, 2)
        XCTAssertTrue(logLines("sent").allSatisfy { $0.contains("250 2.0.0 Ok: queued as TEST") })

        let again = try send(server, ["--yes"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Nothing to send (2 already sent)."), again.stdout)
        XCTAssertEqual(server.messages().count, 2, "a second run sends nothing")
    }

    func testKilledBeforeAMessageWentOutARerunDeliversEachMessageExactlyOnce() throws {
        let content = fixture.root.appendingPathComponent("Programme").path
        _ = try SampleProgramme.write(participants: 16, seed: 3, to: content)
        let first = try startServer("first", extra: ["--stall-at", "4"])
        let running = try launchSend(first, ["--yes"], password: Self.password, content: content)
        XCTAssertTrue(waitFor(first.maildir + "/stalled", seconds: 60), "the server never saw the 4th message")
        running.kill()
        _ = running.wait()
        XCTAssertEqual(first.messages().count, 3)
        first.stop()

        let second = try startServer("second")
        let rerun = try send(second, ["--yes"], content: content)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertFalse(rerun.stderr.contains("uncertain"), rerun.stderr)
        let ids = (first.messages() + second.messages()).map { messageID(split($0.data).header) ?? "?" }
        XCTAssertEqual(ids.count, 8, "8 tandems, 8 messages")
        XCTAssertEqual(Set(ids).count, 8, "no message twice: \(ids.sorted())")
        XCTAssertTrue(rerun.stdout.contains("Done: 5 sent, 3 already sent."), rerun.stdout)
        XCTAssertEqual(Set(logLines("sent", in: content).map { $0.split(separator: ",")[2] }).count, 8)
    }

    func testKilledWhileTheServerAcceptedTheMessageTheRerunNamesItAndDoesNotSendItAgain() throws {
        let content = fixture.root.appendingPathComponent("Programme").path
        _ = try SampleProgramme.write(participants: 12, seed: 5, to: content)
        let first = try startServer("first", extra: ["--stall-data-at", "2"])
        let running = try launchSend(first, ["--yes"], password: Self.password, content: content)
        XCTAssertTrue(waitFor(first.maildir + "/stalled", seconds: 60), "the server never got the 2nd message")
        running.kill()
        _ = running.wait()
        first.stop()
        let arrived = first.messages().map { messageID(split($0.data).header) ?? "?" }
        XCTAssertEqual(arrived.count, 2)

        let second = try startServer("second")
        let rerun = try send(second, ["--yes"], content: content)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        // The message in flight is named, with the line of the log and how to send it again.
        let inFlight = try XCTUnwrap(arrived.last).dropFirst().prefix { $0 != "." }
        XCTAssertTrue(
            rerun.stderr.contains(
                content + "/.tandem/sent.csv:4: warning: \(inFlight): an earlier run stopped while this message was being sent"),
            rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("--resend \(inFlight)"), rerun.stderr)
        let all = arrived + second.messages().map { messageID(split($0.data).header) ?? "?" }
        XCTAssertEqual(all.count, 6, "6 tandems, each once: \(all.sorted())")
        XCTAssertEqual(Set(all).count, 6)
    }

    func testARejectedRecipientFailsThatMessageWithItsCodeAndTheOthersAreDelivered() throws {
        let server = try startServer(extra: ["--reject", "bruno@beta.example.ch"])
        let run = try send(server, ["--yes"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains(
                "\(output)/mail/anna-bruno.eml: error: not sent: 550 5.1.1 <bruno@beta.example.ch>: Recipient address rejected"),
            run.stderr)
        XCTAssertTrue(run.stderr.contains("Done: 1 sent, 1 failed."), run.stderr)
        XCTAssertEqual(server.messages().map(\.recipients), [["clara.geheim@gamma.example.ch", "dieter@delta.example.ch"]])

        // Fixed at the server: the next run sends the failed one, and only it.
        let fixed = try startServer("mail-fixed")
        let rerun = try send(fixed, ["--yes"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("Done: 1 sent, 1 already sent."), rerun.stdout)
        XCTAssertEqual(fixed.messages().map(\.recipients), [["anna.muster@alpha.example.ch", "bruno@beta.example.ch"]])
    }

    func testAWrongPasswordIsAClearErrorBeforeAnythingIsSent() throws {
        let server = try startServer()
        let run = try send(server, ["--yes"], password: "wrong")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains("smtp://127.0.0.1:\(server.port): error: the server refused the login: 535"), run.stderr)
        XCTAssertTrue(run.stderr.contains("nothing was sent"), run.stderr)
        XCTAssertEqual(server.messages().count, 0)
        XCTAssertFalse(fileExists(fixture.contentPath + "/.tandem"), "no log for a run that sent nothing")
    }

    func testTheCertificateIsVerifiedByDefault() throws {
        let server = try startServer()
        var arguments = ["send", "--content", fixture.contentPath, "--templates", ProgrammeFixture.templatesPath, "--output", output]
        arguments += ["--smtp", "smtp://127.0.0.1:\(server.port)", "--user", Self.user, "--yes"]
        var environment = ProcessInfo.processInfo.environment
        environment["TANDEM_SMTP_PASSWORD"] = Self.password
        let run = try RunningTandem.launch(arguments, in: fixture.root, environment: environment).wait()
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("smtp://127.0.0.1:\(server.port): error: TLS failed"), run.stderr)
        XCTAssertEqual(server.messages().count, 0)
    }

    func testImplicitTLSAndABlindCopyToTheOffice() throws {
        try makeCertificate()
        let server = try startServer(extra: ["--implicit-tls"])
        var arguments = ["send", "--content", fixture.contentPath, "--templates", ProgrammeFixture.templatesPath, "--output", output]
        arguments += ["--smtp", "smtps://127.0.0.1:\(server.port)", "--user", Self.user, "--cacert", certificate, "--yes", "--bcc-office"]
        arguments += ["--only", "anna-bruno"]
        var environment = ProcessInfo.processInfo.environment
        environment["TANDEM_SMTP_PASSWORD"] = Self.password
        let run = try RunningTandem.launch(arguments, in: fixture.root, environment: environment).wait()
        XCTAssertEqual(run.status, 0, run.stderr)
        let messages = server.messages()
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(
            messages.first?.recipients, ["anna.muster@alpha.example.ch", "bruno@beta.example.ch", "programm@forum-test.example.ch"])
        let fields = split(messages.first?.data ?? Data()).header.components(separatedBy: "\r\n")
        XCTAssertFalse(fields.contains { $0.lowercased().hasPrefix("bcc:") }, "a blind copy shows in no header")
        XCTAssertTrue(fields.contains { $0.hasPrefix("To: ") })
    }

    func testAChangedMessageIsReportedAndSkippedUnlessResent() throws {
        let server = try startServer()
        XCTAssertEqual(try send(server, ["--yes"]).status, 0)
        // A later edit changes anna-bruno's message; the next run rebuilds (the content is newer than mail/).
        Thread.sleep(forTimeInterval: 0.05)
        fixture.replace("pairs.csv", "Instagram verstehen", with: "Instagram und Threads verstehen")
        let changed = try send(server, ["--yes"])
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertTrue(
            changed.stderr.contains("\(output)/mail/anna-bruno.eml: warning: changed since it was sent"), changed.stderr)
        XCTAssertTrue(changed.stderr.contains("'--resend anna-bruno' sends the new version"), changed.stderr)
        XCTAssertEqual(server.messages().count, 2)

        let resent = try send(server, ["--yes", "--resend", "anna-bruno"])
        XCTAssertEqual(resent.status, 0, resent.stderr)
        let messages = server.messages()
        XCTAssertEqual(messages.count, 3)
        let last = split(messages[2].data)
        XCTAssertEqual(messageID(last.header), "<anna-bruno.announcement.2@mentoring.example.ch>", "a resend has an ID of its own")
        XCTAssertTrue(String(decoding: last.body, as: UTF8.self).contains("Threads"))
    }

    func testBadArgumentsStopBeforeAnything() throws {
        let userInURL = try RunningTandem.launch(
            [
                "send", "--content", fixture.contentPath, "--templates", ProgrammeFixture.templatesPath, "--output", output,
                "--smtp", "smtp://office:pw@mail.example.org",
            ], in: fixture.root, environment: [:]
        ).wait()
        XCTAssertEqual(userInURL.status, 1)
        XCTAssertTrue(
            userInURL.stderr.contains("smtp://office:pw@mail.example.org: error: no user or password in the URL"), userInURL.stderr)
        let unknown = try send(nil, ["--smtp", "smtp://127.0.0.1:1", "--only", "nobody"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("--only: error: no tandem 'nobody' in pairs.csv"), unknown.stderr)
        XCTAssertFalse(fileExists(fixture.contentPath + "/.tandem"))
    }

    func logLines(_ event: String, in content: String) -> [String] {
        (readText(content, ".tandem/sent.csv") ?? "").split(separator: "\n").map(String.init)
            .filter { $0.split(separator: ",").dropFirst().first == Substring(event) }
    }

    func waitFor(_ path: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if fileExists(path) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @discardableResult
    func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

// MARK: - The test server

/// scripts/test/smtp_server.py running on 127.0.0.1 and a free port; stopped by closing its stdin.
final class SMTPTestServer {
    let process: Process
    let input: Pipe
    let port: Int
    let maildir: String

    struct Message {
        var data: Data
        var sender: String
        var recipients: [String]
    }

    static let script = ProgrammeFixture.packageRoot.appendingPathComponent("scripts/test/smtp_server.py").path

    /// A Python 3 that has aiosmtpd (Debian's python3-aiosmtpd, or one with it from PyPI): `make deps` installs it.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "python3"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [candidate, "-c", "import aiosmtpd"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    private init(process: Process, input: Pipe, port: Int, maildir: String) {
        self.process = process
        self.input = input
        self.port = port
        self.maildir = maildir
    }

    static func start(_ arguments: [String]) throws -> SMTPTestServer {
        guard let python else {
            throw TestSetupError("no Python 3 with aiosmtpd: run 'make deps' (apt-get install python3-aiosmtpd)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "READY <port>", within 20 s.
        let lines = LockedText()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { lines.append(data) }
        }
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while Date() < deadline, process.isRunning {
            if let line = lines.text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) {
                port = Int(line.dropFirst("READY ".count))
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        output.fileHandleForReading.readabilityHandler = nil
        guard let port else {
            process.terminate()
            throw TestSetupError("the test SMTP server did not start")
        }
        let maildir = arguments[arguments.firstIndex(of: "--maildir")! + 1]
        return SMTPTestServer(process: process, input: input, port: port, maildir: maildir)
    }

    func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The accepted messages in the order they arrived.
    func messages() -> [Message] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = maildir + "/" + name.dropLast(4)
            guard let data = FileManager.default.contents(atPath: base + ".eml"),
                let json = FileManager.default.contents(atPath: base + ".json"),
                let envelope = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
            else { return nil }
            return Message(
                data: data, sender: envelope["mail_from"] as? String ?? "", recipients: envelope["rcpt_tos"] as? [String] ?? [])
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `tandem` executable started in the background (to be waited for, or killed like a closed laptop).
final class RunningTandem {
    let process: Process
    let out = Pipe()
    let err = Pipe()
    let stdout = LockedText()
    let stderr = LockedText()

    private init(_ process: Process) { self.process = process }

    static func launch(_ arguments: [String], in folder: URL, environment: [String: String]) throws -> RunningTandem {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("tandem"),
            ProgrammeFixture.packageRoot.appendingPathComponent(".build/debug/tandem"),
        ]
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestSetupError("tandem executable not found (run `swift build` first)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment
        let running = RunningTandem(process)
        process.standardOutput = running.out
        process.standardError = running.err
        process.standardInput = FileHandle.nullDevice
        let (stdout, stderr) = (running.stdout, running.stderr)
        for (pipe, text) in [(running.out, stdout), (running.err, stderr)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil } else { text.append(data) }
            }
        }
        try process.run()
        return running
    }

    func kill() { _ = Glibc.kill(process.processIdentifier, SIGKILL) }

    /// Waits (at most 120 s) and returns what it printed.
    @discardableResult
    func wait() -> TandemRun {
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        // What is still in the pipes.
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        stdout.append(out.fileHandleForReading.readDataToEndOfFile())
        stderr.append(err.fileHandleForReading.readDataToEndOfFile())
        return TandemRun(status: process.terminationStatus, stdout: stdout.text, stderr: stderr.text)
    }
}
