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
    /// The content and theme folders (the output folder must be neither inside them nor contain them).
    let protecting: [String]
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    private var latest: LiveSnapshot?
    private var dirty = Set<String>()
    private var needsFull = true
    private var busy = false
    /// The last write failed for a reason a retry does not fix; the next snapshot tries again.
    private var failed = false
    private var stopped = false
    private var thread: Thread?

    init(outputPath: String, protecting: [String] = [], log: @escaping @Sendable (String) -> Void) {
        self.outputPath = outputPath
        self.protecting = protecting
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
        failed = false
        condition.signal()
        condition.unlock()
    }

    /// True while a write runs or waits.
    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return busy || (latest != nil && !failed && (needsFull || !dirty.isEmpty))
    }

    /// Waits until everything queued is written (or `timeout` passed); true when idle.
    @discardableResult
    func drain(timeout: TimeInterval) -> Bool {
        // An infinite (or huge) timeout waits without a deadline: NSCondition traps on a date it cannot convert.
        let deadline = timeout.isFinite && timeout < 1e9 ? Date().addingTimeInterval(timeout) : nil
        condition.lock()
        defer { condition.unlock() }
        while busy || (latest != nil && !failed && (needsFull || !dirty.isEmpty)) {
            if let deadline {
                if !condition.wait(until: deadline) { return false }
            } else {
                condition.wait()
            }
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
            while !stopped && (latest == nil || failed || (!needsFull && dirty.isEmpty)) { condition.wait() }
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
            var busy = false
            do {
                if full {
                    let warnings = try OutputWriter.write(snapshot.outputTree, to: outputPath, protecting: protecting)
                    if !warnings.isEmpty { log(warnings.map(\.description).joined(separator: "\n")) }
                    log(
                        "Wrote \(snapshot.files.count + snapshot.copies.count) files into \(outputPath)/ (\(Self.duration(since: started)))"
                    )
                } else {
                    try patch(paths, from: snapshot)
                }
            } catch let error as OutputWriter.WriteError {
                ok = false
                busy = error.busy
                let again =
                    busy
                    ? "the output folder will be written when it is free" : "the output folder will be written again after the next change"
                log("\(error.path): error: \(error.message) (\(again))")
            } catch {
                ok = false
                log("\(outputPath): error: \(error) (the output folder will be written again after the next change)")
            }
            condition.lock()
            if !ok { needsFull = true }
            // A refusal or write error waits for the next change; a busy lock is tried again.
            failed = !ok && !busy
            self.busy = false
            condition.broadcast()
            // Another build holds the lock: try again in a moment instead of waiting for the next edit.
            if busy, !stopped { _ = condition.wait(until: Date().addingTimeInterval(1)) }
            condition.unlock()
        }
    }

    struct PatchError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes, copies or removes each path as the snapshot has it, holding the output folder's lock. Nothing is
    /// written or removed through a link: folders are checked with `lstat`, files are made new beside their target
    /// (`O_EXCL | O_NOFOLLOW`) and renamed over it, copied files are read only when they are regular files.
    private func patch(_ paths: Set<String>, from snapshot: LiveSnapshot) throws {
        let location: OutputLocation
        let lock: OutputLocation.Lock
        do {
            location = try OutputLocation(outputPath, protecting: protecting)
            lock = try location.lock()
        } catch {
            throw OutputWriter.WriteError(path: error.diagnostic.path, message: error.diagnostic.message, busy: error.busy)
        }
        defer { lock.unlock() }
        let root = location.folder
        var info = stat()
        guard lstat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw PatchError(description: "the output folder is gone")
        }
        let temporaryPrefix = ".tandem-serve-\(ProcessInfo.processInfo.processIdentifier)-"
        for path in paths.sorted() {
            guard Self.isContained(path) else { throw PatchError(description: "refusing to write outside the output folder: \(path)") }
            let target = root + "/" + path
            let bytes: [UInt8]
            if let generated = snapshot.files[path] {
                bytes = generated
            } else if let source = snapshot.copies[path] {
                guard let copied = ContentPolicy.bytesToCopy(source) else {
                    throw PatchError(description: "cannot read \(source) (not a regular file)")
                }
                bytes = copied
            } else {
                if let failed = FileIO.remove(target) { throw PatchError(description: "cannot remove \(failed)") }
                continue
            }
            if let refusal = location.makeFolders(for: path) { throw PatchError(description: refusal) }
            let temporary = (target as NSString).deletingLastPathComponent + "/" + temporaryPrefix + (target as NSString).lastPathComponent
            FileIO.remove(temporary)
            if let error = FileIO.writeNew(temporary, bytes) {
                throw PatchError(description: "cannot write \(temporary): \(String(cString: strerror(error)))")
            }
            guard rename(temporary, target) == 0 else {
                let error = errno
                FileIO.remove(temporary)
                throw PatchError(description: "cannot replace \(target): \(String(cString: strerror(error)))")
            }
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
