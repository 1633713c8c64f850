import FlyingFox
import FlyingSocks
import Foundation
import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How `tandem serve` runs.
public struct ServeOptions: Sendable {
    public var build: BuildOptions
    /// The address to listen on; loopback unless asked otherwise.
    public var host: String
    /// 0 picks a free port (see `PreviewServer.port`).
    public var port: UInt16
    /// Quiet time after the last file event before a rebuild starts (a save can touch several files at once).
    public var debounce: TimeInterval
    /// Write each successful build into the output folder (in the background).
    public var writeOutput: Bool
    /// Open the preview in the desktop's browser (`xdg-open`) once the server listens.
    public var openBrowser: Bool

    public init(
        build: BuildOptions, host: String = "127.0.0.1", port: UInt16 = 8000, debounce: TimeInterval = 0.01, writeOutput: Bool = true,
        openBrowser: Bool = false
    ) {
        self.build = build
        self.host = host
        self.port = port
        self.debounce = debounce
        self.writeOutput = writeOutput
        self.openBrowser = openBrowser
    }

    /// True for 127.0.0.0/8, ::1 and localhost: only then are internal/ and mail/ served.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Why the server could not start.
public enum ServeError: Error, CustomStringConvertible, Equatable {
    case portInUse(UInt16)
    case permissionDenied(UInt16)
    case badHost(String)
    case cannotListen(String)

    public var description: String {
        switch self {
        case .portInUse(let port): "port \(port) is already in use (try --port \(port == UInt16.max ? port - 1 : port + 1))"
        case .permissionDenied(let port): "not allowed to listen on port \(port) (ports below 1024 need privileges; try --port 8000)"
        case .badHost(let host): "--host '\(host)' is not an IP address (use e.g. 127.0.0.1 or ::1)"
        case .cannotListen(let message): "cannot listen: \(message)"
        }
    }
}

/// The live preview: serves the latest build from memory over HTTP, rebuilds when the content or templates change,
/// and tells the open pages to reload.
///
/// - `/` is site/ (directories answer with their index.html), `/print/`, `/internal/` and `/mail/` the other output
///   folders (internal/ and mail/ only on a loopback address: they are private). Unknown paths get site/404.html.
/// - HTML responses get a small script that listens to `/__tandem/events` (Server-Sent Events) and, while the latest
///   rebuild has errors, an overlay listing them over the last good page. Files written to the output folder never do.
public final class PreviewServer: @unchecked Sendable {
    public let options: ServeOptions
    /// Tells pages served by an earlier run of `tandem serve` that they are out of date.
    public let instance = UUID().uuidString
    private let log: @Sendable (String) -> Void
    private let hub = EventHub()
    private let state = Locked<LiveSnapshot?>(nil)
    private var http: HTTPServer?
    private var gate: RequestGate?
    private var socketFolder: String?
    private var serverTask: Task<Void, Never>?
    private var pingTask: Task<Void, Never>?
    private var watcher: FileWatcher?
    private var loop: BuildLoop?
    private let sync: OutputSync?
    /// The port listened on (the chosen one when `options.port` is 0).
    public private(set) var port: UInt16 = 0

    public init(options: ServeOptions, log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.options = options
        self.log = log
        sync =
            options.writeOutput
            ? OutputSync(
                outputPath: options.build.outputPath,
                protecting: [options.build.contentPath, options.build.templatesPath].compactMap { $0 }, log: log) : nil
    }

    /// The latest build (nil while the first one runs).
    public var snapshot: LiveSnapshot? { state.read { $0 } }

    /// `http://127.0.0.1:8000/`
    public var url: String {
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return "http://\(host):\(port)/"
    }

    /// Listens, then builds in the background and watches the folders. Throws `ServeError` when it cannot listen.
    public func start() async throws {
        try await listen()
        let loop = BuildLoop(options: options.build, debounce: options.debounce) { [weak self] snapshot in self?.publish(snapshot) }
        self.loop = loop
        sync?.start()
        loop.start()
        let watcher = FileWatcher(content: options.build.contentPath, templates: options.build.templatesPath) { [weak loop] changes in
            loop?.post(changes)
        }
        self.watcher = watcher
        watcher.start()
        pingTask = Task { [hub] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                hub.ping()
            }
        }
    }

    /// How files are watched ("inotify" or "polling").
    public var watchMethod: String { watcher?.method ?? "" }

    /// Stops listening and watching; the connections of open pages are closed (their pages reconnect to the next run).
    /// - Parameter grace: seconds open connections get to finish before they are closed.
    public func stop(grace: TimeInterval = 1) async {
        gate?.stop()
        watcher?.stop()
        loop?.stop()
        pingTask?.cancel()
        hub.closeAll()
        if let http { await http.stop(timeout: grace) }
        serverTask?.cancel()
        if let socketFolder { FileIO.remove(socketFolder) }
    }

    /// Waits until the output folder has everything built so far (or `timeout` passed); true when it has.
    @discardableResult
    public func finishWriting(timeout: TimeInterval) -> Bool { sync?.drain(timeout: timeout) ?? true }

    /// True while the output folder is being written.
    public var isWriting: Bool { sync?.isBusy ?? false }

    public func stopWriting() { sync?.stop() }

    // MARK: Listening

    /// The gate listens on the chosen address; FlyingFox listens on a Unix socket in a folder only this user can
    /// enter and sees only the requests the gate let through (see `RequestGate`).
    private func listen() async throws {
        let host = options.host == "localhost" ? "127.0.0.1" : options.host
        var template = Array((NSTemporaryDirectory() + "/tandem-serve-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ServeError.cannotListen("cannot create a private folder for the server socket") }
        let folder = String(cString: made)
        socketFolder = folder
        let socketPath = folder + "/http.sock"
        let gate: RequestGate
        do {
            gate = try RequestGate(host: host, port: options.port, upstream: socketPath)
        } catch {
            FileIO.remove(folder)
            socketFolder = nil
            throw error
        }
        let handler = Handler(server: self)
        let server = HTTPServer(address: sockaddr_un.unix(path: socketPath), timeout: 30, logger: .disabled, handler: handler)
        let failure = Locked<Error?>(nil)
        serverTask = Task {
            do { try await server.run() } catch { failure.write { $0 = error } }
        }
        // Wait until it listens or fails to (bounded: binding is immediate).
        for _ in 0..<2000 {
            if await server.isListening { break }
            if let error = failure.read({ $0 }) { throw Self.serveError(error, port: options.port) }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        guard await server.isListening else { throw ServeError.cannotListen("the server did not start") }
        http = server
        self.gate = gate
        port = gate.port
        gate.start()
    }

    /// Stops at once from any thread (a signal handler), without waiting for Swift's task threads, which a request
    /// may keep busy: the gate closes every connection, watching and rebuilding stop; the HTTP server is told to stop.
    public func stopNow() {
        gate?.stop()
        watcher?.stop()
        loop?.stop()
        pingTask?.cancel()
        hub.closeAll()
        if let http { Task.detached { await http.stop(timeout: 0) } }
        serverTask?.cancel()
        if let socketFolder { FileIO.remove(socketFolder) }
    }

    static func serveError(_ error: Error, port: UInt16) -> ServeError {
        if case SocketError.failed(_, let code, let message) = error {
            if code == EADDRINUSE { return .portInUse(port) }
            if code == EACCES { return .permissionDenied(port) }
            if code == EADDRNOTAVAIL { return .cannotListen("the address is not one of this machine's (\(message))") }
            return .cannotListen(message)
        }
        return .cannotListen("\(error)")
    }

    // MARK: Rebuilds

    /// Called on the build thread with every new snapshot.
    private func publish(_ snapshot: LiveSnapshot) {
        let previous = state.write { current -> LiveSnapshot? in
            defer { current = snapshot }
            return current
        }
        sync?.submit(snapshot)
        let errorsChanged = previous?.errors != snapshot.errors
        if previous == nil || errorsChanged || !snapshot.changedPaths.isEmpty {
            // Pages reload when they changed; every page when the overlay comes or goes, or when a stylesheet or image changed.
            let pagesOnly =
                previous != nil && !errorsChanged && snapshot.changedPaths.count <= 500
                && snapshot.changedPaths.allSatisfy(ContentTypes.isHTML)
            let paths = pagesOnly ? "[" + snapshot.changedPaths.sorted().map(PreviewPages.jsString).joined(separator: ",") + "]" : "null"
            hub.broadcast("reload", "{\"generation\":\(snapshot.generation),\"paths\":\(paths)}")
        }
        report(snapshot, previous: previous)
    }

    private func report(_ snapshot: LiveSnapshot, previous: LiveSnapshot?) {
        let time = OutputSync.format(seconds: snapshot.seconds)
        var lines: [String] = []
        if previous?.diagnostics != snapshot.diagnostics, !snapshot.diagnostics.isEmpty {
            lines += snapshot.diagnostics.map(\.description)
        }
        let errors = snapshot.errors.count
        if previous == nil {
            if errors > 0 {
                lines.append("build failed: \(errors) error\(errors == 1 ? "" : "s") (\(time)); the pages show them until they are fixed")
            } else {
                lines.append("Built \(snapshot.files.count + snapshot.copies.count) files in \(time)")
            }
        } else {
            let what = snapshot.changedSources.prefix(3).joined(separator: ", ") + (snapshot.changedSources.count > 3 ? " …" : "")
            if errors > 0 {
                lines.append("\(what): build failed: \(errors) error\(errors == 1 ? "" : "s") (\(time)); still serving the last good build")
            } else {
                let changed = snapshot.changedPaths.count
                let how: String
                switch snapshot.kind {
                case .full: how = "full rebuild, \(snapshot.renderedFiles) files rendered"
                case .profiles: how = "profile rebuild, \(snapshot.renderedFiles) files of the neighbourhood rendered"
                case .assets: how = "copied files only"
                }
                if previous?.succeeded == false { lines.append("fixed") }
                lines.append("\(what): \(changed) file\(changed == 1 ? "" : "s") changed in \(time) (\(how))")
            }
        }
        log(lines.joined(separator: "\n"))
    }

    // MARK: Requests

    fileprivate struct Handler: HTTPHandler {
        let server: PreviewServer
        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse { server.respond(request) }
    }

    fileprivate func respond(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return Self.response(
                .methodNotAllowed, "text/plain; charset=utf-8", Array("Only GET and HEAD.\n".utf8), head: false,
                extra: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        let head = request.method == .HEAD
        let rawPath = request.target.path()
        if rawPath == PreviewPages.eventsPath { return events() }
        if rawPath == PreviewPages.statusPath { return Self.response(.ok, "application/json", status(), head: head) }
        let snapshot = self.snapshot
        guard let snapshot, snapshot.hasOutput else {
            // Nothing built yet: the first build runs, or it failed.
            let page: [UInt8]
            if let snapshot {
                page = PreviewPages.statusPage(
                    title: "Build failed", message: "Tandem could not build the programme.", snapshot: snapshot, instance: instance,
                    details: options.isLoopback)
            } else {
                page = PreviewPages.statusPage(
                    title: "Building …", message: "Tandem is building the programme; this page reloads when it is ready.", snapshot: nil,
                    instance: instance)
            }
            return Self.response(.serviceUnavailable, "text/html; charset=utf-8", page, head: head, extra: [HTTPHeader("Retry-After"): "1"])
        }
        let mounts = options.isLoopback ? Route.mounts : ["print"]
        switch Route.resolve(rawPath, mounts: mounts, exists: { snapshot.files[$0] != nil || snapshot.copies[$0] != nil }) {
        case .file(let path):
            guard
                let bytes = snapshot.files[path]
                    ?? snapshot.copies[path].flatMap(ContentPolicy.bytesToCopy)
            else {
                return notFound(snapshot, head: head)
            }
            let type = ContentTypes.of(path)
            let body = type.hasPrefix("text/html") ? decorate(bytes, page: path, snapshot: snapshot) : bytes
            return Self.response(.ok, type, body, head: head)
        case .redirect(let location):
            return Self.response(
                .movedPermanently, "text/plain; charset=utf-8", Array("See \(location)\n".utf8), head: head, extra: [.location: location])
        case .listing(let folder):
            let paths = (Array(snapshot.files.keys) + Array(snapshot.copies.keys)).filter { $0.hasPrefix(folder) }.sorted()
            let page = PreviewPages.listing(folder: folder, urlPrefix: "/" + folder, paths: paths)
            return Self.response(.ok, "text/html; charset=utf-8", decorate(page, page: "", snapshot: snapshot), head: head)
        case .notFound:
            return notFound(snapshot, head: head)
        case .badRequest:
            return Self.response(
                .badRequest, "text/plain; charset=utf-8", Array("Bad request: not a path below the served folder.\n".utf8), head: head)
        }
    }

    /// site/404.html (with `<base href="/">`, as it may answer at any depth), reloading on any change.
    private func notFound(_ snapshot: LiveSnapshot, head: Bool) -> HTTPResponse {
        guard let page = snapshot.files["site/404.html"] else {
            return Self.response(.notFound, "text/plain; charset=utf-8", Array("Not found.\n".utf8), head: head)
        }
        return Self.response(.notFound, "text/html; charset=utf-8", decorate(page, page: "", snapshot: snapshot, base: "/"), head: head)
    }

    /// The reload script, and the overlay while the latest rebuild has errors.
    private func decorate(_ html: [UInt8], page: String, snapshot: LiveSnapshot, base: String? = nil) -> [UInt8] {
        let snippet =
            PreviewPages.overlay(snapshot, details: options.isLoopback)
            + PreviewPages.reloadScript(instance: instance, generation: snapshot.generation, page: page)
        return PreviewPages.inject(html, snippet: snippet, head: base.map { "<base href=\"\(PreviewPages.escape($0))\">" } ?? "")
    }

    private func events() -> HTTPResponse {
        let generation = snapshot?.generation ?? 0
        let stream = hub.subscribe(hello: "{\"instance\":\(PreviewPages.jsString(instance)),\"generation\":\(generation)}")
        var headers = HTTPHeaders()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Accel-Buffering")] = "no"
        return HTTPResponse(
            statusCode: .ok, headers: headers, body: HTTPBodySequence(from: StreamedBytes(stream: stream), suggestedBufferSize: 16 * 1024))
    }

    struct Status: Codable {
        var instance: String
        var generation: Int
        var building: Bool
        var hasOutput: Bool
        var succeeded: Bool
        var errors: [String]
        var warnings: Int
        var clients: Int
    }

    private func status() -> [UInt8] {
        let snapshot = self.snapshot
        let status = Status(
            instance: instance, generation: snapshot?.generation ?? 0, building: snapshot == nil, hasOutput: snapshot?.hasOutput ?? false,
            succeeded: snapshot?.succeeded ?? false, errors: options.isLoopback ? snapshot?.errors.map(\.description) ?? [] : [],
            warnings: snapshot?.diagnostics.filter { $0.severity == .warning }.count ?? 0, clients: hub.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(status)) ?? Data("{}".utf8))
    }

    static func response(_ status: HTTPStatusCode, _ type: String, _ body: [UInt8], head: Bool, extra: [HTTPHeader: String] = [:])
        -> HTTPResponse
    {
        var headers = HTTPHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        for (name, value) in extra { headers[name] = value }
        if head {
            headers[.contentLength] = String(body.count)
            return HTTPResponse(statusCode: status, headers: headers, body: Data())
        }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(body))
    }
}

extension HTTPStatusCode {
    static let serviceUnavailable = HTTPStatusCode(503, phrase: "Service Unavailable")
}

/// The build thread: the first build, then one rebuild per burst of changes (after `debounce` of quiet, at most
/// `maxDelay` after the first event of the burst). Builds are CPU work and never run on Swift's cooperative threads,
/// so the HTTP server answers while a long rebuild runs.
final class BuildLoop: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = SourceChanges()
    private var firstEvent: Date?
    private var lastEvent = Date.distantPast
    private var stopped = false
    private let debounce: TimeInterval
    private let maxDelay: TimeInterval
    private let live: LiveBuild
    private let publish: @Sendable (LiveSnapshot) -> Void

    init(options: BuildOptions, debounce: TimeInterval, maxDelay: TimeInterval = 0.5, publish: @escaping @Sendable (LiveSnapshot) -> Void) {
        live = LiveBuild(options: options)
        self.debounce = debounce
        self.maxDelay = maxDelay
        self.publish = publish
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "tandem-build"
        thread.stackSize = 8 << 20
        thread.start()
    }

    func post(_ changes: SourceChanges) {
        condition.lock()
        pending.formUnion(changes)
        lastEvent = Date()
        if firstEvent == nil { firstEvent = lastEvent }
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        publish(live.build())
        while true {
            condition.lock()
            while !stopped && firstEvent == nil { condition.wait() }
            // Debounce: wait for a quiet moment, but not forever.
            while !stopped, let first = firstEvent {
                let deadline = min(lastEvent.addingTimeInterval(debounce), first.addingTimeInterval(maxDelay))
                if Date() >= deadline { break }
                _ = condition.wait(until: deadline)
            }
            if stopped {
                condition.unlock()
                return
            }
            let changes = pending
            pending = SourceChanges()
            firstEvent = nil
            condition.unlock()
            if let snapshot = live.update(changes) { publish(snapshot) }
        }
    }
}
