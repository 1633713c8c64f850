import Foundation
import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps the output folder in step with what is served, on its own thread so a slow disk never delays a reload.
///
/// The first successful build is written the way `tandem build` writes (aside, then swapped in: `OutputWriter`).
/// After that only the paths a rebuild changed are written, each file replaced atomically (written beside it, then
/// renamed over it) — a profile edit rewrites one page, not twenty thousand. Failed rebuilds are never written: the
/// folder keeps the last good build. Edits that arrive while a write runs are merged into the next one.
final class OutputSync: @unchecked Sendable {
    let outputPath: String
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    private var latest: LiveSnapshot?
    private var dirty = Set<String>()
    private var needsFull = true
    private var busy = false
    private var stopped = false
    private var thread: Thread?

    init(outputPath: String, log: @escaping @Sendable (String) -> Void) {
        self.outputPath = outputPath
        self.log = log
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "tandem-write"
        self.thread = thread
        thread.start()
    }

    /// Queues a successful snapshot.
    func submit(_ snapshot: LiveSnapshot) {
        guard snapshot.succeeded, snapshot.hasOutput else { return }
        condition.lock()
        dirty.formUnion(snapshot.changedPaths)
        latest = snapshot
        condition.signal()
        condition.unlock()
    }

    /// True while a write runs or waits.
    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return busy || (latest != nil && (needsFull || !dirty.isEmpty))
    }

    /// Waits until everything queued is written (or `timeout` passed); true when idle.
    @discardableResult
    func drain(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while busy || (latest != nil && (needsFull || !dirty.isEmpty)) {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while !stopped && (latest == nil || (!needsFull && dirty.isEmpty)) { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let snapshot = latest!
            let full = needsFull
            let paths = dirty
            dirty = []
            needsFull = false
            busy = true
            condition.unlock()

            let started = Date()
            var ok = true
            do {
                if full {
                    try OutputWriter.write(snapshot.outputTree, to: outputPath)
                    log(
                        "Wrote \(snapshot.files.count + snapshot.copies.count) files into \(outputPath)/ (\(Self.duration(since: started)))"
                    )
                } else {
                    try patch(paths, from: snapshot)
                }
            } catch let error as OutputWriter.WriteError {
                ok = false
                log("\(error.path): error: \(error.message) (the output folder will be written again after the next change)")
            } catch {
                ok = false
                log("\(outputPath): error: \(error) (the output folder will be written again after the next change)")
            }
            condition.lock()
            if !ok { needsFull = true }
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    struct PatchError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes, copies or removes each path as the snapshot has it.
    private func patch(_ paths: Set<String>, from snapshot: LiveSnapshot) throws {
        let root = URL(fileURLWithPath: outputPath, isDirectory: true).standardizedFileURL.path
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: root) else { throw PatchError(description: "the output folder is gone") }
        for path in paths.sorted() {
            guard Self.isContained(path) else { throw PatchError(description: "refusing to write outside the output folder: \(path)") }
            let target = root + "/" + path
            if let bytes = snapshot.files[path] {
                try replace(target) { temporary in
                    guard fileManager.createFile(atPath: temporary, contents: Data(bytes)) else {
                        throw PatchError(description: "cannot write \(target)")
                    }
                }
            } else if let source = snapshot.copies[path] {
                try replace(target) { temporary in
                    // The content read policy: a copy never follows a link or opens a special file.
                    guard let bytes = ContentPolicy.bytesToCopy(source), fileManager.createFile(atPath: temporary, contents: Data(bytes))
                    else { throw PatchError(description: "cannot copy \(source) to \(target)") }
                }
            } else if fileManager.fileExists(atPath: target) {
                try fileManager.removeItem(atPath: target)
            }
        }
    }

    /// Makes the new file beside `target`, then renames it over `target` (atomic on one file system).
    private func replace(_ target: String, make: (String) throws -> Void) throws {
        let folder = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.tandem-serve-\(ProcessInfo.processInfo.processIdentifier)-" + (target as NSString).lastPathComponent
        try? FileManager.default.removeItem(atPath: temporary)
        try make(temporary)
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw PatchError(description: "cannot replace \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// A plain relative path that cannot climb out of the output folder.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    static func duration(since start: Date) -> String { format(seconds: Date().timeIntervalSince(start)) }

    static func format(seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
    }
}
