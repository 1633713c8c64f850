import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a build aside and swaps it in only when everything was written, so a failed build leaves
/// the previous output folder exactly as it was.
public enum OutputWriter {
    /// Top-level folders a build owns; anything else found in the output folder (a `.gitkeep`, a README) is carried over.
    static let ownedFolders: Set<String> = ["site", "print", "mail", "internal"]

    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        /// Another build holds the output folder's lock.
        public var busy = false
        public var description: String { "\(path): error: \(message)" }
        public init(path: String, message: String, busy: Bool = false) {
            (self.path, self.message, self.busy) = (path, message, busy)
        }

        /// `error` as a write error: itself when it is one, else one for the whole build.
        init(_ error: any Error, outputPath: String) {
            if let error = error as? WriteError {
                self = error
            } else {
                self.init(path: outputPath, message: "cannot write the build: \(error.localizedDescription)")
            }
        }
    }

    /// Writes `tree`, then runs `finishing` on the staging folder (e.g. to turn print HTML into PDF);
    /// only when both succeed is the staging folder swapped in. Folders are made once each, then the files are
    /// written on `workers` threads with plain open/write/close.
    ///
    /// The output path must pass `OutputLocation` (`protecting` are the content and theme folders); the write holds
    /// `.Output.lock` from the first to the last change and first removes leftovers of earlier builds.
    /// Returns warnings (leftovers or a previous output that could not be removed, special files not carried over).
    ///
    /// `keeping` (`tandem build --only`): owned folders taken over from the current output folder as they are, by
    /// hard links into the staging folder (a copy where the file system has none), so the new output is still swapped
    /// in as a whole, in one step. `required` of them must exist, else nothing is written: a partial build needs an
    /// earlier full one to complete.
    @discardableResult
    public static func write(
        _ tree: OutputTree, to outputPath: String, protecting sources: [String] = [], workers: Int = Parallel.defaultWorkers,
        keeping: Set<String> = [], required: Set<String> = [], finishing: ((URL) throws -> Void)? = nil
    ) throws -> [Diagnostic] {
        try write(
            tree, to: outputPath, protecting: sources, workers: workers, progress: ProgressReporter(nil), keeping: keeping,
            required: required, finishing: finishing)
    }

    static func write(
        _ tree: OutputTree, to outputPath: String, protecting sources: [String] = [], workers: Int, progress: ProgressReporter,
        keeping: Set<String> = [], required: Set<String> = [], finishing: ((URL) throws -> Void)?
    ) throws -> [Diagnostic] {
        let staging = try Staging(outputPath, protecting: sources, workers: workers, required: required)
        do {
            try staging.write(tree, workers: workers, progress: progress)
            return try staging.finish(keeping: keeping, finishing: finishing)
        } catch {
            staging.discard()
            throw WriteError(error, outputPath: outputPath)
        }
    }

    /// A build being written: the output folder's lock is held from `init` to `finish` or `discard`; files go into the
    /// staging folder beside it, from any thread, as they are rendered, so the whole output never needs to be in memory
    /// at once. `finish` swaps the staging folder in; `discard` removes it and leaves the output folder as it was.
    final class Staging: @unchecked Sendable {
        let outputPath: String
        let location: OutputLocation
        /// The staging folder (absolute).
        let root: String
        private let workers: Int
        private let lock: OutputLocation.Lock
        private var warnings: [Diagnostic]
        private let mutex = NSLock()
        /// Folders made so far below `root` (relative).
        private var folders: Set<String> = []
        /// Who wrote each path: the `order` of the part it came from (a later part replaces an earlier one's file).
        private var writers: [String: Int] = [:]
        /// Files of a path another part has written too: settled in order by `settle()`, once every part is in.
        private var repeated: [(order: Int, path: String, bytes: [UInt8]?, source: String?)] = []
        private var closed = false

        /// Locks the output folder, removes leftovers of earlier builds and makes the staging folder. `required`: kept
        /// folders (`--only`) that must exist.
        init(_ outputPath: String, protecting sources: [String], workers: Int, required: Set<String> = []) throws {
            self.outputPath = outputPath
            self.workers = workers
            do {
                location = try OutputLocation(outputPath, protecting: sources)
            } catch {
                throw WriteError(path: error.diagnostic.path, message: error.diagnostic.message)
            }
            do {
                try FileManager.default.createDirectory(atPath: location.parent, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: outputPath, message: "cannot create the output folder: \(error.localizedDescription)")
            }
            do {
                lock = try location.lock()
                // Checked again now that no other build can change it.
                _ = try OutputLocation(outputPath, protecting: sources)
            } catch {
                throw WriteError(path: error.diagnostic.path, message: error.diagnostic.message, busy: error.busy)
            }
            // Checked (again) with the lock held: no other build can remove them before they are linked.
            if let missing = missingKeptFolders(required, in: outputPath).first {
                lock.unlock()
                throw WriteError(path: missing.path, message: missing.message)
            }
            warnings = location.removeLeftovers(workers: workers)
            root = location.staging(pid: ProcessInfo.processInfo.processIdentifier)
            if let error = FileIO.makeDirectory(root) {
                lock.unlock()
                throw WriteError(path: outputPath, message: "cannot create the output folder: \(String(cString: strerror(error)))")
            }
        }

        /// Writes every file of `tree` on `workers` threads (the whole output of `OutputWriter.write`).
        func write(_ tree: OutputTree, workers: Int, progress: ProgressReporter) throws {
            let generated = tree.files.keys.sorted()
            let copied = tree.copies.keys.sorted()
            // Every path is checked before anything is written.
            for relative in generated + copied where !isContained(relative) {
                throw WriteError(path: relative, message: "refusing to write outside the output folder")
            }
            let total = generated.count + copied.count
            progress.begin("write", total: total)
            let step = max(1, total / 100)
            let failures: [WriteError?] = Parallel.map(total, workers: workers) { i in
                defer { if i % step == 0 { progress.advance(step) } }
                if i < generated.count {
                    let relative = generated[i]
                    guard let bytes = tree.files[relative] else { return nil }
                    return self.write(relative, bytes: bytes)
                }
                let relative = copied[i - generated.count]
                guard let source = tree.copies[relative] else { return nil }
                return self.write(relative, copying: source)
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        }

        /// Writes the files of one rendered part (from any thread); `order` is the part's place in the output: where
        /// two parts write the same path, the later one's file is kept, as `OutputTree.merge` keeps it.
        func write(part tree: OutputTree, order: Int) throws {
            for relative in tree.files.keys.sorted() + tree.copies.keys.sorted() where !isContained(relative) {
                throw WriteError(path: relative, message: "refusing to write outside the output folder")
            }
            for (relative, bytes) in tree.files where claim(relative, order: order, bytes: bytes, source: nil) {
                if let failure = write(relative, bytes: bytes) { throw failure }
            }
            for (relative, source) in tree.copies where claim(relative, order: order, bytes: nil, source: source) {
                if let failure = write(relative, copying: source) { throw failure }
            }
        }

        /// True when `relative` is written for the first time; else the file waits for `settle()`.
        private func claim(_ relative: String, order: Int, bytes: [UInt8]?, source: String?) -> Bool {
            mutex.lock()
            defer { mutex.unlock() }
            if writers[relative] == nil {
                writers[relative] = order
                return true
            }
            repeated.append((order, relative, bytes, source))
            return false
        }

        /// Writes the files several parts wrote, the latest part's last (after every part is in).
        func settle() throws {
            mutex.lock()
            let waiting = repeated.sorted { $0.order < $1.order }
            repeated = []
            mutex.unlock()
            for file in waiting where file.order > writers[file.path] ?? Int.min {
                writers[file.path] = file.order
                // The file written first may be a hard link to the current output: replaced, never written through.
                _ = unlink(root + "/" + file.path)
                let failure = file.bytes.map { write(file.path, bytes: $0) } ?? file.source.flatMap { write(file.path, copying: $0) }
                if let failure { throw failure }
            }
        }

        private func write(_ relative: String, bytes: [UInt8]) -> WriteError? {
            if let failure = makeFolders(of: relative) { return failure }
            if let error = FileIO.write(root + "/" + relative, bytes) {
                return WriteError(path: outputPath + "/" + relative, message: "cannot write file: \(String(cString: strerror(error)))")
            }
            return nil
        }

        private func write(_ relative: String, copying source: String) -> WriteError? {
            if let failure = makeFolders(of: relative) { return failure }
            // A file of the current output taken over (a social card whose drawing has not changed): a hard link to
            // the same bytes instead of a copy, so a rebuild does not read and write them again.
            if source.hasPrefix(location.folder + "/"), linkRegularFile(source, to: root + "/" + relative) { return nil }
            // The content policy's read: a copy never follows a link or opens a special file (one swapped in after
            // loading included).
            guard let bytes = ContentFile.bytesToCopy(source) else {
                return WriteError(path: source, message: "cannot read this regular file to copy it to \(outputPath)/\(relative)")
            }
            if let error = FileIO.write(root + "/" + relative, bytes) {
                return WriteError(path: outputPath + "/" + relative, message: "cannot write file: \(String(cString: strerror(error)))")
            }
            return nil
        }

        /// Makes the folders of `relative` in the staging folder once each, parents first.
        private func makeFolders(of relative: String) -> WriteError? {
            guard let slash = relative.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
            let folder = String(relative[..<slash])
            mutex.lock()
            defer { mutex.unlock() }
            if folders.contains(folder) { return nil }
            var missing: [String] = []
            var current = Substring(folder)
            while !folders.contains(String(current)) {
                missing.append(String(current))
                guard let up = current.lastIndex(of: "/") else { break }
                current = current[..<up]
            }
            for folder in missing.reversed() {
                if let error = FileIO.makeDirectory(root + "/" + folder) {
                    return WriteError(path: outputPath + "/" + folder, message: "cannot create folder: \(String(cString: strerror(error)))")
                }
                folders.insert(folder)
            }
            return nil
        }

        /// Takes over the kept folders (`--only`) and what the build does not own, runs `finishing` on the staging folder
        /// (e.g. to turn print HTML into PDF), swaps it in and releases the lock. Returns warnings (leftovers or a previous
        /// output that could not be removed, special files not carried over).
        func finish(keeping: Set<String> = [], finishing: ((URL) throws -> Void)? = nil) throws -> [Diagnostic] {
            try settle()
            // The outputs a partial build keeps: the same files (hard links), swapped in with the rebuilt ones.
            for folder in keeping.sorted() {
                let source = location.folder + "/" + folder
                var info = stat()
                guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                try keep(source, to: root + "/" + folder, display: outputPath + "/" + folder, workers: workers, warnings: &warnings)
            }
            // Carry over what the build does not own (e.g. Output/.gitkeep), without following links or reading special files.
            if let existing = FileIO.list(location.folder, followLinks: false) {
                for entry in existing.sorted(by: { $0.name < $1.name }) where !ownedFolders.contains(entry.name) {
                    try carryOver(
                        location.folder + "/" + entry.name, to: root + "/" + entry.name, display: outputPath + "/" + entry.name,
                        warnings: &warnings)
                }
            }
            try finishing?(URL(fileURLWithPath: root, isDirectory: true))
            warnings += try swap(staging: root, into: location, outputPath: outputPath, workers: workers)
            closed = true
            lock.unlock()
            return warnings
        }

        /// Removes the staging folder and releases the lock: the output folder stays as it was.
        func discard() {
            guard !closed else { return }
            closed = true
            FileIO.removeTree(root, workers: workers)
            lock.unlock()
        }

        deinit { discard() }
    }

    /// Hard-links `source` to `target` when it is a regular file (never a link: `linkat` without AT_SYMLINK_FOLLOW
    /// links a link itself, so it is checked first, under the output folder's lock). False when it cannot be linked.
    static func linkRegularFile(_ source: String, to target: String) -> Bool {
        var info = stat()
        guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return linkat(AT_FDCWD, source, AT_FDCWD, target, 0) == 0
    }

    /// The errors for kept output folders (`--only`) that are not folders in the output folder, by path as the user sees it.
    static func missingKeptFolders(_ folders: Set<String>, in outputPath: String) -> [Diagnostic] {
        folders.sorted().compactMap { folder in
            let shown = outputPath.isEmpty ? folder : outputPath.hasSuffix("/") ? outputPath + folder : outputPath + "/" + folder
            var info = stat()
            if lstat(outputPath.isEmpty ? folder : shown, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return nil }
            return Diagnostic(
                path: shown, severity: .error,
                message: "does not exist: --only rebuilds some outputs and keeps the others of an earlier full build, "
                    + "and there is none here; run tandem build without --only first")
        }
    }

    /// Takes a kept output folder over into the staging folder: folders made again (same permissions), files hard-linked
    /// (copied where the file system cannot link), links made again as links. The files of one folder are linked on
    /// `workers` threads.
    private static func keep(_ source: String, to target: String, display: String, workers: Int, warnings: inout [Diagnostic]) throws {
        var info = stat()
        guard lstat(source, &info) == 0, mkdir(target, 0o755) == 0, let entries = FileIO.list(source, followLinks: false) else {
            throw WriteError(path: display, message: "cannot keep this folder: \(String(cString: strerror(errno)))")
        }
        let files = entries.filter { $0.type == .file }.map(\.name)
        let failures: [WriteError?] = Parallel.map(files.count, workers: files.count > 64 ? workers : 1) { i in
            let from = source + "/" + files[i]
            let to = target + "/" + files[i]
            if link(from, to) == 0 { return nil }
            // No hard links here (another file system, a limit): a copy of the same bytes.
            var fileInfo = stat()
            guard lstat(from, &fileInfo) == 0, let bytes = ContentFile.bytesToCopy(from) else {
                return WriteError(path: display + "/" + files[i], message: "cannot keep this file: \(String(cString: strerror(errno)))")
            }
            if let error = FileIO.write(to, bytes) {
                return WriteError(path: display + "/" + files[i], message: "cannot keep this file: \(String(cString: strerror(error)))")
            }
            _ = chmod(to, fileInfo.st_mode & 0o7777)
            return nil
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        for entry in entries.sorted(by: { $0.name < $1.name }) where entry.type != .file {
            let from = source + "/" + entry.name
            if entry.type == .directory {
                try keep(from, to: target + "/" + entry.name, display: display + "/" + entry.name, workers: workers, warnings: &warnings)
            } else {
                try carryOver(from, to: target + "/" + entry.name, display: display + "/" + entry.name, warnings: &warnings)
            }
        }
        _ = chmod(target, info.st_mode & 0o7777)
    }

    /// Copies a file, folder or link the build does not own into the new output. Regular files are read only after
    /// the descriptor shows a regular file; links are made again as links; FIFOs, sockets and devices are skipped.
    private static func carryOver(_ source: String, to target: String, display: String, warnings: inout [Diagnostic]) throws {
        var info = stat()
        guard lstat(source, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            guard let bytes = ContentFile.bytesToCopy(source) else {
                throw WriteError(path: display, message: "cannot read this file to carry it over into the new output")
            }
            if let error = FileIO.write(target, bytes) {
                throw WriteError(path: display, message: "cannot carry this file over: \(String(cString: strerror(error)))")
            }
            _ = chmod(target, info.st_mode & 0o777)
        case S_IFDIR:
            guard mkdir(target, 0o755) == 0, let entries = FileIO.list(source, followLinks: false) else {
                throw WriteError(path: display, message: "cannot carry this folder over: \(String(cString: strerror(errno)))")
            }
            for entry in entries.sorted(by: { $0.name < $1.name }) {
                try carryOver(
                    source + "/" + entry.name, to: target + "/" + entry.name, display: display + "/" + entry.name, warnings: &warnings)
            }
            _ = chmod(target, info.st_mode & 0o7777)
        case S_IFLNK:
            guard let destination = OutputLocation.readLink(source), symlink(destination, target) == 0 else {
                throw WriteError(path: display, message: "cannot carry this link over: \(String(cString: strerror(errno)))")
            }
        default:
            warnings.append(
                Diagnostic(
                    path: display, severity: .warning,
                    message: "\(OutputLocation.kind(info.st_mode)) is never read or copied; it is not carried over into the new output"))
        }
    }

    /// The new folder takes the old one's place in one step (`renameat2(RENAME_EXCHANGE)`; two renames where the file
    /// system cannot exchange); the old one is deleted last, without following links. Returns a warning when it cannot be.
    private static func swap(staging: String, into location: OutputLocation, outputPath: String, workers: Int) throws -> [Diagnostic] {
        let output = location.folder
        var info = stat()
        guard lstat(output, &info) == 0 else {
            if rename(staging, output) != 0 {
                throw WriteError(path: outputPath, message: "cannot move the new output into place: \(String(cString: strerror(errno)))")
            }
            return []
        }
        let old: String
        if exchange(staging, output) {
            old = staging
        } else {
            let retired = location.previous(pid: ProcessInfo.processInfo.processIdentifier)
            FileIO.removeTree(retired, workers: workers)
            guard rename(output, retired) == 0 else {
                throw WriteError(path: outputPath, message: "cannot move the previous output aside: \(String(cString: strerror(errno)))")
            }
            if rename(staging, output) != 0 {
                let error = errno
                _ = rename(retired, output)
                throw WriteError(path: outputPath, message: "cannot move the new output into place: \(String(cString: strerror(error)))")
            }
            old = retired
        }
        if let failed = FileIO.removeTree(old, workers: workers) {
            return [
                Diagnostic(
                    path: old, severity: .warning,
                    message: "the previous output could not be deleted (\(failed): \(String(cString: strerror(errno)))); "
                        + "the next build tries again, or remove it by hand")
            ]
        }
        return []
    }

    /// `renameat2(…, RENAME_EXCHANGE)`: swaps two paths atomically (Linux 3.15+; glibc does not export it to Swift,
    /// so it is looked up once). False where the call or the file system does not support it.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
            guard let call = renameat2 else { return false }
            return call(AT_FDCWD, a, AT_FDCWD, b, 1 << 1) == 0
        #else
            return false
        #endif
    }

    #if os(Linux)
        private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif

    /// True for a plain relative path that cannot climb out of its folder.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
