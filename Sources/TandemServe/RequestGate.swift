import Dispatch
import Foundation
import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The only door to the preview server. It listens on the address the user chose, reads each request head itself
/// with hard limits, and passes only heads it accepts to the HTTP server (FlyingFox, listening on a Unix socket in a
/// private folder that only this user can enter); the answers flow back unchanged.
///
/// Why a gate in front: FlyingFox reads a request line or header line with a cost that grows with the square of its
/// length (a 400 KB line kept a core busy for over a minute) and has no limits of its own, so the limits must apply
/// before it parses. Refused here, each with `Connection: close`:
/// - a request line over 8 KiB (414), a header line over 8 KiB or all headers over 32 KiB (431);
/// - a `Host` that is not a loopback name or address or the bound address (421): a page on another domain whose DNS
///   now points to 127.0.0.1 cannot read the preview, `internal/` or `mail/`; a missing or repeated `Host` (400);
/// - a request body (413): the preview only answers GET and HEAD.
final class RequestGate: @unchecked Sendable {
    static let maxRequestLine = 8 * 1024
    static let maxHeaderLine = 8 * 1024
    static let maxHeaders = 32 * 1024
    static let maxConnections = 256

    private let listener: Int32
    private let upstreamPath: String
    private let boundHost: String
    private let open = Locked<Set<Int32>>([])
    private let stopped = Locked(false)
    /// The port listened on (the chosen one when 0 was asked for).
    let port: UInt16

    /// Binds `host`:`port`; throws `ServeError` when it cannot.
    init(host: String, port: UInt16, upstream: String) throws {
        upstreamPath = upstream
        boundHost = host.lowercased()
        let ip6 = host.contains(":")
        let fd = socket(ip6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeError.cannotListen(String(cString: strerror(errno))) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var result: Int32
        if ip6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                close(fd)
                throw ServeError.badHost(host)
            }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                close(fd)
                throw ServeError.badHost(host)
            }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result != 0 || listen(fd, 128) != 0 {
            let code = errno
            close(fd)
            switch code {
            case EADDRINUSE: throw ServeError.portInUse(port)
            case EACCES: throw ServeError.permissionDenied(port)
            case EADDRNOTAVAIL: throw ServeError.cannotListen("the address is not one of this machine's (\(host))")
            default: throw ServeError.cannotListen(String(cString: strerror(code)))
            }
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = withUnsafePointer(to: &storage) { pointer -> UInt16 in
            ip6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        listener = fd
    }

    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "tandem-gate"
        thread.start()
    }

    /// Stops accepting and closes every connection (threads blocked in reads wake up at once).
    func stop() {
        let first = stopped.write { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open.read({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: Accepting

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.read({ $0 }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 250) <= 0 { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let admitted = open.write { set -> Bool in
                guard set.count < Self.maxConnections else { return false }
                set.insert(client)
                return true
            }
            guard admitted, !stopped.read({ $0 }) else {
                Self.reject(client, 503, "Service Unavailable", "Too many connections.\n")
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                open.write { _ = $0.remove(client) }
                close(client)
            }
            thread.stackSize = 512 << 10
            thread.start()
        }
    }

    // MARK: One connection

    private enum Head {
        case accepted(end: Int)
        case refused(Int, String, String)
        case closed
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var upstream: Int32 = -1
        let pumpDone = DispatchSemaphore(value: 0)
        defer {
            if upstream >= 0 {
                shutdown(upstream, Int32(SHUT_WR))
                // The answer in flight goes out (the server closes after it, or the client leaves).
                pumpDone.wait()
                open.write { _ = $0.remove(upstream) }
                close(upstream)
            }
        }
        while !stopped.read({ $0 }) {
            switch readHead(client, &buffer) {
            case .closed:
                return
            case .refused(let status, let phrase, let message):
                if upstream >= 0 {
                    // Earlier answers on this connection first.
                    shutdown(upstream, Int32(SHUT_WR))
                    _ = pumpDone.wait(timeout: .now() + 2)
                    pumpDone.signal()
                }
                Self.reject(client, status, phrase, message)
                return
            case .accepted(let end):
                if upstream < 0 {
                    upstream = connectUpstream()
                    guard upstream >= 0 else {
                        Self.reject(client, 503, "Service Unavailable", "The preview is stopping.\n")
                        return
                    }
                    let server = upstream
                    let thread = Thread {
                        Self.pump(from: server, to: client)
                        pumpDone.signal()
                    }
                    thread.stackSize = 256 << 10
                    thread.start()
                }
                guard Self.sendAll(upstream, buffer[0..<end]) else { return }
                buffer.removeSubrange(0..<end)
            }
        }
    }

    /// Reads until a complete head is in `buffer` (its length in `.accepted`), within the limits.
    private func readHead(_ fd: Int32, _ buffer: inout [UInt8]) -> Head {
        var position = 0
        var lineStart = 0
        var requestLineEnd = -1
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while position < buffer.count {
                if buffer[position] == 10 {
                    let length = position - lineStart
                    if requestLineEnd < 0 {
                        requestLineEnd = position
                    } else if length == 0 || (length == 1 && buffer[lineStart] == 13) {
                        return check(Array(buffer[0...position]))
                    }
                    lineStart = position + 1
                }
                position += 1
                if requestLineEnd < 0 {
                    if position - lineStart > Self.maxRequestLine {
                        return .refused(414, "URI Too Long", "The request line is longer than 8 KiB.\n")
                    }
                } else if position - lineStart > Self.maxHeaderLine || position - requestLineEnd > Self.maxHeaders {
                    return .refused(
                        431, "Request Header Fields Too Large",
                        "The request headers are longer than allowed (8 KiB a line, 32 KiB in all).\n")
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return .closed }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Host and body checks on a complete head.
    private func check(_ head: [UInt8]) -> Head {
        let text = String(decoding: head, as: UTF8.self)
        var hosts: [String] = []
        var hasBody = false
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "host": hosts.append(value.lowercased())
            case "content-length": if value != "0" { hasBody = true }
            case "transfer-encoding": hasBody = true
            default: break
            }
        }
        guard hosts.count == 1, let host = hosts.first else {
            return .refused(400, "Bad Request", "Exactly one Host header is required.\n")
        }
        guard isAllowed(host: host) else {
            return .refused(
                421, "Misdirected Request",
                "This preview answers only to localhost, 127.0.0.1, [::1] and the address it listens on, not to '\(host)'.\n")
        }
        if hasBody { return .refused(413, "Content Too Large", "The preview accepts no request bodies.\n") }
        return .accepted(end: head.count)
    }

    /// Loopback names and addresses and the bound address, with or without a port.
    func isAllowed(host value: String) -> Bool {
        var name = value
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = String(name[name.index(after: name.startIndex)..<close])
        } else if let colon = name.lastIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isASCII), name[name.index(after: colon)...].allSatisfy(\.isNumber)
            else { return false }
            name = String(name[..<colon])
        }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name == "::1" || name == boundHost { return true }
        var address = in_addr()
        if inet_pton(AF_INET, name, &address) == 1 {
            return UInt32(bigEndian: address.s_addr) >> 24 == 127
        }
        return false
    }

    private func connectUpstream() -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(upstreamPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            return -1
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            return -1
        }
        let tracked = open.write { set -> Bool in
            set.insert(fd)
            return true
        }
        if !tracked || stopped.read({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
        return fd
    }

    /// Copies the server's answers to the client until either side closes.
    private static func pump(from server: Int32, to client: Int32) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(server, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0, sendAll(client, chunk[0..<count]) else { break }
        }
        // The server closed (or the client left): end the connection, which also wakes the reader.
        shutdown(client, Int32(SHUT_RDWR))
    }

    @discardableResult
    private static func sendAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0, errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    private static func reject(_ fd: Int32, _ status: Int, _ phrase: String, _ message: String) {
        let body = Array(message.utf8)
        let head =
            "HTTP/1.1 \(status) \(phrase)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        sendAll(fd, ArraySlice(Array(head.utf8) + body))
        // Let the answer leave before the socket closes with unread input (which would reset the connection).
        shutdown(fd, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sink = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<64 where sink.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
    }
}
