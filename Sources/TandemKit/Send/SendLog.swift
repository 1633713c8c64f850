import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `Content/.tandem/sent.csv`: what `tandem send` handed to the mail server, one line a step, appended and flushed to
/// disk (fsync) before the run goes on. It lives in the programme folder, not in Output/, which every build replaces.
///
/// Columns: `time,event,tandem,message_id,recipients,bcc,content_hash,reply`. Events:
/// - `sending`: written just before the message's last byte goes to the server; from here on it may arrive.
/// - `sent`: the server accepted the message (its reply in `reply`).
/// - `failed`: the server refused it, or the connection failed before its end was sent: it did not arrive.
/// - `uncertain`: the connection failed after its end was sent: it may or may not have arrived.
/// A `sending` without a later `sent`, `failed` or `uncertain` of the same message: the run stopped in between.
struct SendLog {
    static let header = "time,event,tandem,message_id,recipients,bcc,content_hash,reply"

    struct Record: Equatable {
        var time: String
        var event: String
        var tandem: String
        var messageID: String
        var recipients: String
        var bcc: String
        var contentHash: String
        var reply: String
        /// The line in sent.csv (1 is the header).
        var line = 0

        var fields: [String] { [time, event, tandem, messageID, recipients, bcc, contentHash, reply] }
    }

    /// Where a tandem stands according to the log.
    enum State {
        case never
        /// Accepted by the server; `record` is the last `sent` line.
        case sent(Record)
        /// A message was being sent (or its connection failed after the end) with no answer recorded.
        case uncertain(Record)
    }

    /// The path as the user sees it (`Content/.tandem/sent.csv`).
    let path: String
    private(set) var records: [Record] = []

    static func path(content: String) -> String { content + "/.tandem/sent.csv" }

    /// Reads the log; a missing file is an empty log. Problems are errors at their line: with a log that cannot be
    /// read, nobody can tell what was sent, so nothing is sent.
    static func read(content: String, diagnostics: inout Diagnostics) -> SendLog? {
        let path = Self.path(content: content)
        var log = SendLog(path: path)
        var info = stat()
        let folder = content + "/.tandem"
        if lstat(folder, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            diagnostics.error(folder, "is not a folder (a symbolic link or a file): the send log must be a plain file in a plain folder")
            return nil
        }
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return log }
            diagnostics.error(path, "cannot read the send log: \(String(cString: strerror(errno)))")
            return nil
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            diagnostics.error(path, "is not a plain file (a symbolic link?): the send log is not followed elsewhere")
            return nil
        }
        guard let bytes = FileIO.read(path) else {
            diagnostics.error(path, "cannot read the send log: \(String(cString: strerror(errno)))")
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if !text.isEmpty, !text.hasSuffix("\n") {
            let last = text.split(separator: "\n", omittingEmptySubsequences: false).count
            diagnostics.error(
                path, line: last,
                "the last line is incomplete (the machine stopped while it was written): check with the office's Sent folder whether that tandem's message arrived, then complete or delete the line"
            )
            return nil
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if number == 1 {
                if line != header {
                    diagnostics.error(path, line: 1, "expected the header '\(header)'")
                    return nil
                }
                continue
            }
            if line.isEmpty { continue }
            guard let cells = Self.split(line), cells.count == 8 else {
                diagnostics.error(path, line: number, "expected 8 cells (\(header))")
                return nil
            }
            guard ["sending", "sent", "failed", "uncertain"].contains(cells[1]), !cells[2].isEmpty else {
                diagnostics.error(path, line: number, "unknown event '\(cells[1])' (sending, sent, failed or uncertain)")
                return nil
            }
            log.records.append(
                Record(
                    time: cells[0], event: cells[1], tandem: cells[2], messageID: cells[3], recipients: cells[4], bcc: cells[5],
                    contentHash: cells[6], reply: cells[7], line: number))
        }
        return log
    }

    /// Where `tandem` stands: its last `sent`, else an unanswered `sending`/`uncertain`, else never sent. A message whose
    /// `sending` line has a later `failed` line did not arrive.
    func state(of tandem: String) -> State {
        var lastSent: Record?
        var open: [String: Record] = [:]
        for record in records where record.tandem == tandem {
            switch record.event {
            case "sending", "uncertain": open[record.messageID] = record
            case "sent":
                open[record.messageID] = nil
                lastSent = record
            default: open[record.messageID] = nil
            }
        }
        // An open message after the last sent one (a resend that stopped) counts first: it may have arrived.
        if let pending = open.values.max(by: { $0.line < $1.line }), pending.line > (lastSent?.line ?? 0) { return .uncertain(pending) }
        if let lastSent { return .sent(lastSent) }
        return .never
    }

    /// How many distinct messages were handed over for `tandem` (a resend gets a Message-ID of its own).
    func attempts(of tandem: String) -> Int {
        Set(records.filter { $0.tandem == tandem && $0.event != "failed" }.map(\.messageID)).count
    }

    /// One CSV line: cells quoted when needed, line breaks and controls made spaces (one record, one line).
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            let flat = String(field.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
            if flat.contains(",") || flat.contains("\"") || flat.hasPrefix(" ") || flat.hasSuffix(" ") {
                return "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return flat
        }.joined(separator: ",") + "\n"
    }

    /// Splits one CSV line written by `line(_:)`; nil when a quote is unbalanced.
    static func split(_ line: String) -> [String]? {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = line[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        cell.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
        }
        guard !quoted else { return nil }
        cells.append(cell)
        return cells
    }
}

/// The open send log of a run that sends: locked against a second `tandem send` on the same programme, appended to
/// one line at a time, each line on disk (fsync) before the function returns.
final class SendLogWriter {
    let path: String
    private let fd: Int32
    /// The next record's line number.
    private(set) var nextLine: Int

    /// Opens (creates) `Content/.tandem/sent.csv` and locks it. Never follows a symbolic link.
    init(content: String, lines: Int) throws(SendError) {
        let folder = content + "/.tandem"
        path = SendLog.path(content: content)
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw SendError(folder, "cannot create the send log's folder: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SendError(folder, "is not a folder (a symbolic link or a file)")
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SendError(path, "cannot open the send log: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw SendError(path, "another 'tandem send' is running for this programme (the send log is locked); nothing was sent")
        }
        self.fd = fd
        var size = stat()
        fstat(fd, &size)
        nextLine = max(lines, 1) + 1
        if size.st_size == 0 {
            guard Self.append(fd, SendLog.header + "\n") else {
                close(fd)
                throw SendError(path, "cannot write the send log: \(String(cString: strerror(errno)))")
            }
            nextLine = 2
        }
    }

    deinit { close(fd) }

    /// Appends `record` and flushes it to disk. False when that failed (then nothing more may be sent).
    func append(_ record: SendLog.Record) -> Bool {
        guard Self.append(fd, SendLog.line(record.fields)) else { return false }
        nextLine += 1
        return true
    }

    private static func append(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        return written && fsync(fd) == 0
    }
}
