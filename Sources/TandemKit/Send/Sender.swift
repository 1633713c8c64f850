import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `tandem send` is asked to do.
public struct SendOptions: Sendable {
    public var build: BuildOptions
    /// `smtp://host[:port]` (STARTTLS, default port 587) or `smtps://host[:port]` (TLS, default 465).
    public var server: String
    public var user: String?
    /// Only these tandems (empty: all).
    public var only: [String] = []
    /// Send these tandems again even though the log has them (a new Message-ID).
    public var resend: [String] = []
    /// Messages a minute, at most.
    public var rate: String = "30/min"
    /// False: a dry run that lists what would be sent and sends nothing.
    public var confirmed = false
    /// A blind copy of each message to the programme office (`contact.email`).
    public var bccOffice = false
    /// A PEM file of certificate authorities to trust instead of the system's (an internal CA, a test server).
    public var caFile: String?
    /// Asked for the password once, just before connecting (never for a dry run or without `user`).
    public var password: @Sendable () -> String? = { nil }
    /// Told each line of progress (stdout), as it happens.
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(build: BuildOptions, server: String) {
        self.build = build
        self.server = server
    }
}

/// How a `tandem send` ended: every diagnostic of the run, the summary line and the exit status.
public struct SendResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var summary: String
    public var exitCode: Int32
}

/// `tandem send`: the announcement e-mails of the current build through the organisation's SMTP server, each once.
public enum Sender {
    /// One tandem's message and what to do with it.
    struct Item {
        var tandem: Tandem
        var path: String
        var announcement: Announcement
        var recipients: [String]
        var names: [String]
        var hash: String
        enum Action: Equatable { case send, resend, alreadySent, changed, uncertain, noRecipient }
        var action: Action
        var logRecord: SendLog.Record?
    }

    public static func run(_ options: SendOptions) -> SendResult {
        var diagnostics = Diagnostics()
        func stop(_ summary: String) -> SendResult {
            SendResult(diagnostics: diagnostics.all, summary: summary, exitCode: 1)
        }
        let server: SMTPServer
        switch SMTPServer.parse(options.server) {
        case .success(let parsed): server = parsed
        case .failure(let error):
            diagnostics.append(error.diagnostic)
            return stop("nothing was sent")
        }
        guard let interval = parseRate(options.rate) else {
            diagnostics.error("--rate", "expected messages a minute, e.g. 30/min (from 1 to 6000), got '\(options.rate)'")
            return stop("nothing was sent")
        }

        // The current build: built first when mail/ is missing or older than the content or the theme.
        let build = options.build
        let mailFolder = build.outputPath + "/mail"
        var programme: Programme?
        if needsBuild(build) {
            options.progress("Building \(build.outputPath)/ first (mail/ is missing or older than the content)")
            let result = Pipeline.build(build)
            for d in result.diagnostics { diagnostics.append(d) }
            guard result.succeeded else { return stop("the build failed; nothing was sent") }
            programme = result.programme
        } else {
            let result = Pipeline.check(build)
            for d in result.diagnostics where d.severity == .error { diagnostics.append(d) }
            guard result.succeeded else { return stop("the programme has errors; nothing was sent") }
            programme = result.programme
        }
        guard let programme else { return stop("nothing was sent") }

        // Which tandems.
        let known = Set(programme.tandems.map(\.id))
        for id in options.only where !known.contains(id) { diagnostics.error("--only", "no tandem '\(id)' in pairs.csv") }
        for id in options.resend where !known.contains(id) { diagnostics.error("--resend", "no tandem '\(id)' in pairs.csv") }
        if diagnostics.hasErrors { return stop("nothing was sent") }
        let only = Set(options.only + options.resend)
        let tandems = programme.tandems.filter { options.only.isEmpty || only.contains($0.id) }

        guard let log = SendLog.read(content: build.contentPath, diagnostics: &diagnostics) else {
            return stop("the send log cannot be read; nothing was sent")
        }

        // The plan: read every message first, so a problem with one stops the run before anything is sent.
        var items: [Item] = []
        var sender: String?
        let resend = Set(options.resend)
        for tandem in tandems {
            let path = mailFolder + "/" + tandem.id + ".eml"
            guard let bytes = readPlainFile(path) else {
                diagnostics.error(path, "missing or not a plain file: rebuild with 'tandem build'")
                continue
            }
            guard let announcement = Announcement(bytes), let from = announcement.from else {
                diagnostics.error(path, "not an e-mail message (no header, or no From address)")
                continue
            }
            if from.lowercased() == Contact.fallbackSender {
                diagnostics.error(
                    build.contentPath + "/programme.yml",
                    "the announcements would be sent from <\(Contact.fallbackSender)>: set contact.email to the programme office's address")
                break
            }
            if let sender, sender != from {
                diagnostics.error(
                    path, "its From address <\(from)> differs from the other messages' <\(sender)>: rebuild with 'tandem build'")
                continue
            }
            sender = from
            // Recipients: exactly the To addresses of the message, each of which must be one of the tandem's members.
            let members = [tandem.mentor, tandem.mentee].compactMap { programme.participant($0) }
            var names: [String] = []
            for address in announcement.to {
                if let member = members.first(where: { $0.email?.lowercased() == address.lowercased() }) {
                    names.append("\(member.name) <\(address)>")
                } else {
                    diagnostics.error(
                        path, "its recipient <\(address)> is not a member of tandem '\(tandem.id)': rebuild with 'tandem build'")
                }
            }
            guard names.count == announcement.to.count else { continue }
            let hash = contentHash(bytes)
            var item = Item(
                tandem: tandem, path: path, announcement: announcement, recipients: announcement.to, names: names, hash: hash,
                action: .send)
            if announcement.to.isEmpty {
                item.action = .noRecipient
            } else {
                switch log.state(of: tandem.id) {
                case .never: item.action = .send
                case .sent(let record):
                    item.logRecord = record
                    item.action = resend.contains(tandem.id) ? .resend : record.contentHash == hash ? .alreadySent : .changed
                case .uncertain(let record):
                    item.logRecord = record
                    item.action = resend.contains(tandem.id) ? .resend : .uncertain
                }
            }
            items.append(item)
        }
        if diagnostics.hasErrors { return stop("nothing was sent") }

        for item in items {
            switch item.action {
            case .changed:
                diagnostics.warning(
                    item.path,
                    "changed since it was sent on \(item.logRecord?.time ?? "?") (\(log.path):\(item.logRecord?.line ?? 0)); not sent again: '--resend \(item.tandem.id)' sends the new version"
                )
            case .uncertain:
                diagnostics.warning(
                    log.path, line: item.logRecord?.line,
                    "\(item.tandem.id): an earlier run stopped while this message was being sent; it may or may not have arrived, so it is not sent again: ask \(item.names.joined(separator: " and ")) (or look in the office's Sent folder), and if it did not arrive run 'tandem send --resend \(item.tandem.id)'"
                )
            case .noRecipient:
                diagnostics.warning(item.path, "no member of '\(item.tandem.id)' has a usable e-mail address; not sent")
            default: break
            }
        }

        let toSend = items.filter { $0.action == .send || $0.action == .resend }
        let office = options.bccOffice ? sender : nil
        func count(_ action: Item.Action) -> Int { items.filter { $0.action == action }.count }
        let skipped = [
            (count(.alreadySent), "already sent"), (count(.changed), "changed since sent"), (count(.uncertain), "uncertain"),
            (count(.noRecipient), "without recipient"),
        ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }

        guard options.confirmed else {
            for item in items {
                let verb: String
                switch item.action {
                case .send: verb = "would send"
                case .resend: verb = "would resend"
                case .alreadySent: verb = "already sent"
                case .changed: verb = "changed, skipped"
                case .uncertain: verb = "uncertain, skipped"
                case .noRecipient: verb = "no recipient"
                }
                var line = "\(verb)  \(item.tandem.id)  \"\(item.announcement.subject)\"  to \(item.names.joined(separator: ", "))"
                if let office, item.action == .send || item.action == .resend { line += "  bcc <\(office)>" }
                options.progress(line)
            }
            let rest = skipped.isEmpty ? "" : " (" + skipped.joined(separator: ", ") + ")"
            let summary =
                "Dry run: \(toSend.count) message\(toSend.count == 1 ? "" : "s") would be sent through \(server.display) from <\(sender ?? "?")>\(rest). Nothing was sent; add --yes to send."
            return SendResult(diagnostics: diagnostics.all, summary: summary, exitCode: diagnostics.hasErrors ? 1 : 0)
        }

        guard !toSend.isEmpty, let sender else {
            let rest = skipped.isEmpty ? "" : " (" + skipped.joined(separator: ", ") + ")"
            return SendResult(diagnostics: diagnostics.all, summary: "Nothing to send\(rest).", exitCode: 0)
        }

        // Log in (a wrong password or certificate stops the run before anything is written), lock the log, then send.
        let password = options.user == nil ? nil : options.password()
        if options.user != nil, password == nil {
            diagnostics.error(
                PasswordPrompt.environmentVariable, "no password: set TANDEM_SMTP_PASSWORD or run 'tandem send' in a terminal to be asked")
            return stop("nothing was sent")
        }
        guard let client = SMTPClient(server: server, user: options.user, password: password, caFile: options.caFile) else {
            diagnostics.error(server.display, "cannot start libcurl")
            return stop("nothing was sent")
        }
        options.progress("Connecting to \(server.display)\(options.user.map { " as \($0)" } ?? "")")
        if let error = client.verify() {
            diagnostics.append(error.diagnostic)
            return stop("nothing was sent")
        }
        let writer: SendLogWriter
        do {
            writer = try SendLogWriter(content: build.contentPath, lines: log.records.last?.line ?? 1)
        } catch {
            diagnostics.append(error.diagnostic)
            return stop("nothing was sent")
        }
        // Another run may have sent while this one read the log: read it again under the lock.
        var relocked = Diagnostics()
        guard let current = SendLog.read(content: build.contentPath, diagnostics: &relocked), current.records == log.records else {
            for d in relocked.all { diagnostics.append(d) }
            diagnostics.error(
                writer.path, "the send log changed while this run started (another 'tandem send'?); nothing was sent: run again")
            return stop("nothing was sent")
        }

        var sent = 0
        var failed = 0
        var uncertain = 0
        var lastStart: Date?
        var attempts: [String: Int] = [:]
        for item in toSend {
            if let lastStart {
                let wait = interval - Date().timeIntervalSince(lastStart)
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
            lastStart = Date()
            // A resend gets a Message-ID of its own: mail systems drop a second message with an ID they have seen.
            var messageIDLine: String?
            var messageID = (item.announcement.messageID ?? "").trimmingCharacters(in: .whitespaces)
            if item.action == .resend {
                let previous = attempts[item.tandem.id] ?? log.attempts(of: item.tandem.id)
                attempts[item.tandem.id] = previous + 1
                let host = messageID.split(separator: "@").last.map { String($0.dropLast()) } ?? "tandem.invalid"
                let line = MIME.messageID(local: "\(item.tandem.id).announcement.\(previous + 1)", host: host)
                messageIDLine = line
                messageID = line.dropFirst("Message-ID:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let now = Date()
            let message = item.announcement.outgoing(date: now, messageID: messageIDLine)
            let recipients = item.recipients + (office.map { [$0] } ?? [])
            func record(_ event: String, _ reply: String) -> SendLog.Record {
                SendLog.Record(
                    time: isoTime(Date()), event: event, tandem: item.tandem.id, messageID: messageID,
                    recipients: item.recipients.joined(separator: " "), bcc: office ?? "", contentHash: item.hash, reply: reply)
            }
            var markerFailed = false
            let outcome = client.send(message, from: sender, to: recipients) {
                // Before the last byte: from here on the message may arrive, so the log says so first.
                markerFailed = !writer.append(record("sending", ""))
                return !markerFailed
            }
            if markerFailed {
                diagnostics.error(
                    writer.path,
                    "cannot write the send log: \(String(cString: strerror(errno))); \(item.tandem.id) was not sent, and the run stopped so nothing is sent twice"
                )
                return stop(summary(sent: sent, failed: failed, uncertain: uncertain, skipped: skipped, stopped: true))
            }
            switch outcome.kind {
            case .accepted:
                guard writer.append(record("sent", outcome.reply)) else {
                    diagnostics.error(
                        writer.path,
                        "\(item.tandem.id) was sent, but the send log cannot be written: \(String(cString: strerror(errno))); stopped so nothing is sent twice"
                    )
                    return stop(summary(sent: sent + 1, failed: failed, uncertain: uncertain, skipped: skipped, stopped: true))
                }
                sent += 1
                options.progress("sent  \(item.tandem.id)  to \(item.names.joined(separator: ", "))  (\(outcome.reply))")
            case .refused:
                // For the record: a refused message did not arrive, so a later run sends it.
                _ = writer.append(record("failed", outcome.reply))
                failed += 1
                diagnostics.error(item.path, "not sent: \(outcome.reply)")
                options.progress("FAILED  \(item.tandem.id)  \(outcome.reply)")
            case .uncertain:
                _ = writer.append(record("uncertain", outcome.reply))
                uncertain += 1
                diagnostics.error(
                    item.path,
                    "uncertain: the connection failed after the message was handed over (\(outcome.reply)); it may or may not have arrived. It is not sent again unless '--resend \(item.tandem.id)'"
                )
                options.progress("UNCERTAIN  \(item.tandem.id)  \(outcome.reply)")
            }
        }
        let failedAny = failed > 0 || uncertain > 0
        return SendResult(
            diagnostics: diagnostics.all,
            summary: summary(sent: sent, failed: failed, uncertain: uncertain, skipped: skipped, stopped: false),
            exitCode: failedAny || diagnostics.hasErrors ? 1 : 0)
    }

    private static func summary(sent: Int, failed: Int, uncertain: Int, skipped: [String], stopped: Bool) -> String {
        var parts = ["\(sent) sent"]
        if failed > 0 { parts.append("\(failed) failed") }
        if uncertain > 0 { parts.append("\(uncertain) uncertain") }
        parts += skipped
        return (stopped ? "Stopped: " : "Done: ") + parts.joined(separator: ", ") + "."
    }

    /// `30/min` or `30` → seconds between the starts of two messages.
    static func parseRate(_ text: String) -> Double? {
        var number = text.trimmingCharacters(in: .whitespaces)
        if number.hasSuffix("/min") { number = String(number.dropLast(4)) }
        guard let value = Int(number), (1...6_000).contains(value) else { return nil }
        return 60 / Double(value)
    }

    /// True when `<output>/mail` is missing or older than a file of the content folder or the theme.
    static func needsBuild(_ options: BuildOptions) -> Bool {
        var info = stat()
        guard lstat(options.outputPath + "/mail", &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return true }
        let built = info.st_mtim
        for folder in [options.contentPath, options.templatesPath].compactMap({ $0 }) {
            if newest(folder, after: built) { return true }
        }
        return false
    }

    /// Whether any file below `folder` (dot-files and folders excepted, links not followed) is newer than `time`.
    private static func newest(_ folder: String, after time: timespec) -> Bool {
        var info = stat()
        guard lstat(folder, &info) == 0 else { return false }
        if (info.st_mtim.tv_sec, info.st_mtim.tv_nsec) > (time.tv_sec, time.tv_nsec) { return true }
        guard (info.st_mode & S_IFMT) == S_IFDIR, let dir = opendir(folder) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            if newest(folder + "/" + name, after: time) { return true }
        }
        return false
    }

    /// A regular file's bytes; nil when it is missing, a symbolic link or not a plain file.
    private static func readPlainFile(_ path: String) -> [UInt8]? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIO.read(path)
    }

    /// FNV-1a over the message's bytes, as 16 hex digits: tells a rebuilt, changed message from the one sent.
    static func contentHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16).leftPadded(16)
    }

    static func isoTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
