import Foundation
import TandemKit
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary copy of the sample programme (Content/) and of the theme (Templates/), which tests edit freely.
final class ServeFixture {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let root: URL
    var contentPath: String { root.appendingPathComponent("Content").path }
    var templatesPath: String { root.appendingPathComponent("Templates").path }
    var outputPath: String { root.appendingPathComponent("Output").path }

    /// - Parameter sample: copy the repository's sample programme (32 people) instead of writing the small one below.
    init(sample: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("TandemServeTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        if sample {
            try FileManager.default.copyItem(
                at: Self.packageRoot.appendingPathComponent("Content"), to: root.appendingPathComponent("Content"))
        } else {
            for (name, text) in Self.smallProgramme { write("Content/" + name, text) }
        }
    }

    /// Six people, three tandems (clara-geheim is not published, so clara-dieter is not public), profiles with quotes
    /// and links, feedback shared as quote, private and anonymous, a page and photos.
    static let smallProgramme: [String: String] = [
        "programme.yml": """
        title: "Live Test"
        organiser: "Forum Test"
        language: de
        base_url: "https://live.example.ch/"
        start: 2026-03-01
        end: 2026-08-31
        contact:
          name: "Programmbüro"
          email: "programm@forum-test.example.ch"
        anonymity_threshold: 5
        matching:
          lock:
            - {mentor: anna-muster, mentee: bruno-beispiel}
        milestones:
          - date: 2026-03-05
            title: "Kick-off"
            location: "Bern"
          - date: 2026-09-24
            title: "Symposium"
        feedback:
          questions:
            nutzen: "Wie nützlich waren die Treffen?"

        """,
        "participants.csv": """
        id,name,role,organisation,position,email,languages,topics,publish,photo
        anna-muster,Anna Muster,mentor,Alpha AG,Social-Media-Managerin,anna@alpha.example.ch,de;en,TikTok;KI-Tools,yes,photos/anna.svg
        bruno-beispiel,Bruno Beispiel,mentee,Beta AG,CEO,bruno@beta.example.ch,de,TikTok,yes,
        clara-geheim,Clara Geheimnis,mentor,Gamma AG,Redaktorin,clara@gamma.example.ch,fr,Podcasts,no,photos/clara.svg
        dieter-daten,Dieter Daten,mentee,Delta AG,CFO,dieter@delta.example.ch,de,Podcasts,yes,
        eva-engel,Eva Engel,mentor,Epsilon AG,Content Creator,eva@epsilon.example.ch,de;fr,Video;Podcasts,yes,
        fritz-frei,Fritz Frei,mentee,Zeta AG,Direktor,fritz@zeta.example.ch,de,Video,yes,

        """,
        "pairs.csv": """
        id,mentor,mentee,started,goals,status
        anna-bruno,anna-muster,bruno-beispiel,2026-03-05,Instagram verstehen;KI ausprobieren,active
        clara-dieter,clara-geheim,dieter-daten,2026-03-06,Podcast starten,active
        eva-fritz,eva-engel,fritz-frei,2026-03-07,Ein Video drehen,active

        """,
        "meetings.csv": """
        pair,date,minutes,format,topics,note
        anna-bruno,2026-03-12,60,in-person,TikTok,vertraulich
        eva-fritz,2026-03-15,45,video,Video,vertraulich

        """,
        "profiles/anna-muster.md": """
        ---
        quote: "Lernen geht in beide Richtungen."
        links:
          - title: "Blog"
            url: "https://anna.example.ch/"
        ---
        Ich zeige, wie TikTok funktioniert. Mehr dazu im [Programm](../about.html#ablauf).

        """,
        "profiles/bruno-beispiel.md": "Bruno leitet die Beta AG.\n",
        "profiles/clara-geheim.md": "Clara schreibt über Podcasts.\n",
        "profiles/eva-engel.md": "## Über mich\n\nEva dreht Videos.\n",
        "feedback/anna-bruno-mentee.md": """
        ---
        pair: anna-bruno
        author: mentee
        phase: kickoff
        date: 2026-03-20
        ratings:
          nutzen: 4
        share: quote
        ---
        Ich habe viel über TikTok gelernt.

        """,
        "feedback/eva-fritz-mentor.md": """
        ---
        pair: eva-fritz
        author: mentor
        phase: kickoff
        date: 2026-03-21
        ratings:
          nutzen: 4
        share: private
        ---
        Der Mentee ist sehr engagiert.

        """,
        "feedback/clara-dieter-mentee.md": """
        ---
        pair: clara-dieter
        author: mentee
        phase: kickoff
        share: anonymous
        ---
        Die Treffen waren hilfreich.

        """,
        "pages/about.md": """
        ---
        title: Über das Programm
        order: 1
        ---
        Das Programm bringt Generationen zusammen.

        ## Ablauf

        Wir treffen uns jede Woche.

        """,
        "assets/photos/anna.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        "assets/photos/clara.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    ]

    func cleanUp() { try? FileManager.default.removeItem(at: root) }

    func options(strict: Bool = false) -> BuildOptions {
        BuildOptions(contentPath: contentPath, templatesPath: templatesPath, outputPath: outputPath, strict: strict)
    }

    // MARK: Editing

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Writes `Content/...` or `Templates/...` (relative to the fixture root), creating folders.
    func write(_ relative: String, _ text: String) {
        let target = url(relative)
        try! FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: target)
    }

    func read(_ relative: String) -> String { try! String(contentsOf: url(relative), encoding: .utf8) }

    func replace(_ relative: String, _ old: String, with new: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = read(relative)
        XCTAssertTrue(text.contains(old), "\(relative) does not contain \(old)", file: file, line: line)
        write(relative, text.replacingOccurrences(of: old, with: new))
    }

    func append(_ relative: String, _ text: String) { write(relative, read(relative) + text) }

    func remove(_ relative: String) { try? FileManager.default.removeItem(at: url(relative)) }

    /// `Content/x` as the build names it in diagnostics.
    func display(_ relative: String) -> String { root.path + "/" + relative }
}

#if canImport(Glibc)
    private let systemConnect = Glibc.connect
#else
    private let systemConnect = Darwin.connect
#endif

/// A minimal HTTP/1.1 client on a raw socket: it sends the path exactly as given (no normalisation of `..`, which
/// URLSession and curl would do) and reads one response.
enum RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func connect(port: UInt16, timeout: TimeInterval = 5) throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        var interval = timeval(tv_sec: .init(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// One request; the body is read by Content-Length.
    static func request(_ path: String, method: String = "GET", port: UInt16) throws -> Response {
        try exchange(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n", method: method, path: path, port: port)
    }

    /// Sends `head` as it is (any Host, any length) and reads one response.
    static func exchange(_ head: String, method: String = "GET", path: String = "", port: UInt16, timeout: TimeInterval = 5) throws
        -> Response
    {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        send(fd, head)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var response: Response?
        var length = 0
        while true {
            if headerEnd == nil, let end = find(Array("\r\n\r\n".utf8), in: buffer) {
                headerEnd = end + 4
                let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                response = Response(status: status, headers: headers, body: [])
                length = method == "HEAD" ? 0 : Int(headers["content-length"] ?? "0") ?? 0
            }
            if let headerEnd, buffer.count >= headerEnd + length {
                response!.body = Array(buffer[headerEnd..<(headerEnd + length)])
                return response!
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { throw Failure(description: "connection closed or timed out reading \(path)") }
            buffer += chunk[0..<n]
        }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// An open event stream; `wait(for:)` reads until the text appears.
    final class EventStream {
        let fd: Int32
        private(set) var received = ""

        init(port: UInt16) throws {
            fd = try RawHTTP.connect(port: port, timeout: 0.2)
            RawHTTP.send(fd, "GET /__tandem/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
        }

        deinit { close(fd) }

        /// True when `text` arrived within `timeout` seconds.
        func wait(for text: String, timeout: TimeInterval = 5) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            var chunk = [UInt8](repeating: 0, count: 8192)
            while !received.contains(text) {
                if Date() > deadline { return false }
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 { received += String(decoding: chunk[0..<n], as: UTF8.self) }
            }
            return true
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: TimeInterval = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}
