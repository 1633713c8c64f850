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
        let location: OutputLocation
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
        let lock: OutputLocation.Lock
        do {
            lock = try location.lock()
            // Checked again now that no other build can change it.
            _ = try OutputLocation(outputPath, protecting: sources)
        } catch {
            throw WriteError(path: error.diagnostic.path, message: error.diagnostic.message, busy: error.busy)
        }
        defer { lock.unlock() }
        // Checked (again) with the lock held: no other build can remove them before they are linked.
        if let missing = missingKeptFolders(required, in: outputPath).first {
            throw WriteError(path: missing.path, message: missing.message)
        }
        var warnings = location.removeLeftovers(workers: workers)

        let pid = ProcessInfo.processInfo.processIdentifier
        let stagingPath = location.staging(pid: pid)
        let staging = URL(fileURLWithPath: stagingPath, isDirectory: true)
        if let error = FileIO.makeDirectory(stagingPath) {
            throw WriteError(path: outputPath, message: "cannot create the output folder: \(String(cString: strerror(error)))")
        }
        do {
            // Every path is checked before anything is written.
            let generated = tree.files.keys.sorted()
            let copied = tree.copies.keys.sorted()
            for relative in generated + copied where !isContained(relative) {
                throw WriteError(path: relative, message: "refusing to write outside the output folder")
            }
            // One mkdir per folder, parents first.
            var folders = Set<String>()
            for relative in generated + copied {
                var folder = Substring(relative)
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    if !folders.insert(String(folder)).inserted { break }
                }
            }
            let root = stagingPath
            for folder in folders.sorted() {
                if let error = FileIO.makeDirectory(root + "/" + folder) {
                    throw WriteError(path: outputPath + "/" + folder, message: "cannot create folder: \(String(cString: strerror(error)))")
                }
            }
            let outputFolder = location.folder + "/"
            let total = generated.count + copied.count
            progress.begin("write", total: total)
            let step = max(1, total / 100)
            let failures: [WriteError?] = Parallel.map(total, workers: workers) { i in
                defer { if i % step == 0 { progress.advance(step) } }
                if i < generated.count {
                    let relative = generated[i]
                    guard let bytes = tree.files[relative] else { return nil }
                    if let error = FileIO.write(root + "/" + relative, bytes) {
                        return WriteError(
                            path: outputPath + "/" + relative, message: "cannot write file: \(String(cString: strerror(error)))")
                    }
                    return nil
                }
                let relative = copied[i - generated.count]
                guard let source = tree.copies[relative] else { return nil }
                // A file of the current output taken over (a social card whose drawing has not changed): a hard link to
                // the same bytes instead of a copy, so a rebuild does not read and write them again.
                if source.hasPrefix(outputFolder), linkRegularFile(source, to: root + "/" + relative) { return nil }
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
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
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
            try finishing?(staging)
            warnings += try swap(staging: stagingPath, into: location, outputPath: outputPath, workers: workers)
        } catch {
            FileIO.removeTree(stagingPath, workers: workers)
            if let error = error as? WriteError { throw error }
            throw WriteError(path: outputPath, message: "cannot write the build: \(error.localizedDescription)")
        }
        return warnings
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
