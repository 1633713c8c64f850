import CCurl
import Foundation

/// Where and how `tandem send` reaches the organisation's mail server.
public struct SMTPServer: Sendable, Equatable {
    /// `smtps`: TLS from the first byte (port 465); `smtp`: STARTTLS (port 587).
    public var implicitTLS: Bool
    public var host: String
    public var port: Int
    /// The URL as the user gave it, for messages.
    public var display: String

    /// Parses `smtp[s]://host[:port]`. A user name or password in the URL is refused: it would show in `ps` and in
    /// the shell's history.
    public static func parse(_ text: String) -> Result<SMTPServer, SendError> {
        let lower = text.lowercased()
        let implicit: Bool
        let rest: Substring
        if lower.hasPrefix("smtps://") {
            implicit = true
            rest = text.dropFirst("smtps://".count)
        } else if lower.hasPrefix("smtp://") {
            implicit = false
            rest = text.dropFirst("smtp://".count)
        } else {
            return .failure(SendError(text, "the server must be given as smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS)"))
        }
        var authority = rest
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        if authority.contains("@") {
            return .failure(SendError(text, "no user or password in the URL: use --user, and TANDEM_SMTP_PASSWORD or the prompt"))
        }
        if authority.contains("/") || authority.contains("?") || authority.contains("#") || authority.isEmpty {
            return .failure(SendError(text, "expected smtp://host[:port] with nothing after the port"))
        }
        var host = String(authority)
        var port = implicit ? 465 : 587
        // [IPv6]:port, host:port or host.
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(SendError(text, "unclosed [ in the host")) }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65_535).contains(value) else {
                    return .failure(SendError(text, "the port must be a number from 1 to 65535"))
                }
                port = value
            } else if !after.isEmpty {
                return .failure(SendError(text, "expected smtp://host[:port]"))
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65_535).contains(value) else {
                return .failure(SendError(text, "the port must be a number from 1 to 65535"))
            }
            port = value
            host = String(host[..<colon])
        }
        let allowed = host.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || ".-:".unicodeScalars.contains($0))
        }
        guard !host.isEmpty, allowed else { return .failure(SendError(text, "'\(host)' is not a host name or address")) }
        return .success(SMTPServer(implicitTLS: implicit, host: host, port: port, display: text))
    }

    /// 127.0.0.0/8, ::1 and localhost: the only servers Tandem talks to without TLS (a test server, a local relay).
    public var isLoopback: Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The URL for libcurl; its path is the name the client gives in EHLO: this machine's, when it is a plain host name.
    var url: String {
        let scheme = implicitTLS ? "smtps" : "smtp"
        let name = host.contains(":") ? "[\(host)]" : host
        var buffer = [CChar](repeating: 0, count: 256)
        let local = gethostname(&buffer, 255) == 0 ? String(cString: buffer) : ""
        let plain = !local.isEmpty && local.utf8.allSatisfy { $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == 0x2E || $0 == 0x2D) }
        return "\(scheme)://\(name):\(port)/" + (plain ? local : "")
    }
}

/// A failure of `tandem send` that stops it before (or instead of) sending: shown as `subject: error: message`.
public struct SendError: Error, Sendable, Equatable {
    public var subject: String
    public var message: String
    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }
    public var diagnostic: Diagnostic { Diagnostic(path: subject, severity: .error, message: message) }
}

/// What the server said to one message.
struct SMTPOutcome {
    enum Kind {
        /// The server accepted the message (2xx after the message's end).
        case accepted
        /// The server refused it, or the connection failed before the message's end was handed over: not sent.
        case refused
        /// The connection failed after the message's end was handed over: it may or may not have been accepted.
        case uncertain
    }
    var kind: Kind
    /// The last SMTP reply code (0 when the server never answered).
    var code: Int
    /// The server's last reply line (e.g. `250 2.0.0 Ok: queued as 4F1A`), or curl's description of the failure.
    var reply: String
}

/// An SMTP session through libcurl: STARTTLS or implicit TLS, AUTH, certificate and host name verification, one
/// connection kept open across messages. The password lives only in this process's memory (libcurl's copy), never
/// in an argument list, a file or the environment of a child process.
final class SMTPClient {
    private let handle: UnsafeMutableRawPointer
    private let server: SMTPServer
    private let hasUser: Bool
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// Server reply lines of the current request (libcurl's debug callback, `CURLINFO_HEADER_IN` only: what the client
    /// sends, including the AUTH line, is never looked at).
    fileprivate var replies: [String] = []

    private static let global: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    init?(server: SMTPServer, user: String?, password: String?, caFile: String?, timeout: Int = 120) {
        guard Self.global, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.server = server
        hasUser = user != nil
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        tandem_curl_set_string(handle, CURLOPT_URL, server.url)
        tandem_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        // TLS is required (STARTTLS, or TLS from the start with smtps://), except to a loopback address, where it is
        // used when the server offers it.
        let tls = server.isLoopback && !server.implicitTLS ? CURLUSESSL_TRY : CURLUSESSL_ALL
        tandem_curl_set_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue))
        tandem_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        tandem_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile { tandem_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
        if let user {
            tandem_curl_set_string(handle, CURLOPT_USERNAME, user)
            tandem_curl_set_string(handle, CURLOPT_PASSWORD, password ?? "")
        }
        tandem_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        tandem_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, 30)
        tandem_curl_set_long(handle, CURLOPT_TIMEOUT, timeout)
        tandem_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        tandem_curl_set_long(handle, CURLOPT_VERBOSE, 1)
        tandem_curl_set_debug_function(handle, smtpDebug)
        tandem_curl_set_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(self).toOpaque())
        tandem_curl_set_write_function(handle, smtpDiscard)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Connects, starts TLS and logs in (NOOP), so a wrong password or certificate stops the run before any message.
    func verify() -> SendError? {
        replies = []
        errorBuffer[0] = 0
        tandem_curl_set_long(handle, CURLOPT_UPLOAD, 0)
        tandem_curl_set_list(handle, CURLOPT_MAIL_RCPT, nil)
        tandem_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, "NOOP")
        let code = curl_easy_perform(handle)
        tandem_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, nil)
        if code == CURLE_OK {
            // libcurl logs in only when the server offers AUTH; without it every message would be refused.
            if hasUser, !replies.contains(where: { $0.dropFirst(4).uppercased().hasPrefix("AUTH") }) {
                return SendError(server.display, "the server offers no login (AUTH) on this connection; nothing was sent")
            }
            return nil
        }
        let reply = lastReply(code)
        switch code {
        case CURLE_LOGIN_DENIED:
            return SendError(server.display, "the server refused the login: \(reply); nothing was sent")
        case CURLE_USE_SSL_FAILED:
            return SendError(
                server.display, "the server does not offer STARTTLS, and Tandem sends only over TLS (\(reply)); nothing was sent")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR:
            return SendError(server.display, "TLS failed: \(reply); nothing was sent (an internal certificate authority: --cacert FILE)")
        default:
            return SendError(server.display, "cannot reach the server: \(reply); nothing was sent")
        }
    }

    /// Sends `message` from `sender` to `recipients`. `committing` runs just before the message's last byte is handed
    /// to libcurl: after it the server may accept the message at any moment; returning false aborts the message.
    func send(_ message: [UInt8], from sender: String, to recipients: [String], committing: @escaping () -> Bool) -> SMTPOutcome {
        replies = []
        errorBuffer[0] = 0
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        var heardAtCommit = Int.max
        let upload = Upload(message) { [unowned self] in
            heardAtCommit = self.replies.count
            return committing()
        }
        tandem_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>")
        tandem_curl_set_list(handle, CURLOPT_MAIL_RCPT, list)
        tandem_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        tandem_curl_set_read_function(handle, smtpRead)
        let context = Unmanaged.passRetained(upload)
        tandem_curl_set_pointer(handle, CURLOPT_READDATA, context.toOpaque())
        let code = curl_easy_perform(handle)
        context.release()
        tandem_curl_set_pointer(handle, CURLOPT_READDATA, nil)
        tandem_curl_set_list(handle, CURLOPT_MAIL_RCPT, nil)
        if code == CURLE_OK {
            let reply = replies.last ?? "250"
            return SMTPOutcome(kind: .accepted, code: Self.code(reply) ?? 250, reply: reply)
        }
        let reply = lastReply(code)
        let smtpCode = Self.code(reply) ?? 0
        // Refused with an SMTP code after the end (the server said no), or failed before the end was handed over:
        // not sent. A failure without the server's word after the end: it may have arrived.
        let refusedAfterEnd = replies.dropFirst(min(heardAtCommit, replies.count)).contains { (Self.code($0) ?? 0) >= 400 }
        if !upload.committed || upload.aborted || refusedAfterEnd {
            return SMTPOutcome(kind: .refused, code: smtpCode, reply: reply)
        }
        return SMTPOutcome(kind: .uncertain, code: smtpCode, reply: reply)
    }

    /// The reply code at the start of a server line (`550 5.1.1 …` → 550).
    static func code(_ line: String) -> Int? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let value = Int(digits), (200...599).contains(value) else { return nil }
        return value
    }

    /// The server's last refusal (4xx or 5xx, with its code), else curl's description of what failed.
    private func lastReply(_ code: CURLcode) -> String {
        if let refusal = replies.last(where: { (Self.code($0) ?? 0) >= 400 }) { return refusal }
        let curlText = String(cString: errorBuffer)
        return curlText.isEmpty ? String(cString: curl_easy_strerror(code)) : curlText
    }

    fileprivate func heard(_ line: String) {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { replies.append(String(text.prefix(500))) }
        // The server's side of the conversation only (never what Tandem sent, which includes the login).
        if ProcessInfo.processInfo.environment["TANDEM_SMTP_DEBUG"] != nil { FileHandle.standardError.write(Data("< \(text)\n".utf8)) }
    }
}

/// The message being uploaded, handed to libcurl in pieces by `smtpRead`.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0
    let committing: () -> Bool
    var committed = false
    var aborted = false

    init(_ bytes: [UInt8], _ committing: @escaping () -> Bool) {
        self.bytes = bytes
        self.committing = committing
    }
}

/// libcurl's read callback: copies the next piece of the message; before the end (0) runs `committing` once.
private func smtpRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let upload = Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue()
    let room = size.multipliedReportingOverflow(by: count)
    guard !room.overflow else { return Int(CURL_READFUNC_ABORT) }
    let left = upload.bytes.count - upload.offset
    if left == 0 {
        if !upload.committed {
            upload.committed = true
            if !upload.committing() {
                upload.aborted = true
                return Int(CURL_READFUNC_ABORT)
            }
        }
        return 0
    }
    let n = min(left, room.partialValue)
    upload.bytes.withUnsafeBufferPointer { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: n)
    }
    upload.offset += n
    return n
}

/// The reply to NOOP would go to stdout: dropped.
private func smtpDiscard(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    size &* count
}

/// libcurl's debug callback: keeps the server's reply lines (`CURLINFO_HEADER_IN`), nothing the client sent.
private func smtpDebug(
    _ curl: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int32 {
    guard type == CURLINFO_HEADER_IN, let data, let context, size > 0 else { return 0 }
    let client = Unmanaged<SMTPClient>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) { client.heard(String(line)) }
    return 0
}
