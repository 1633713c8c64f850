import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one policy for the folder a build replaces (`tandem build --output`, `tandem serve`'s background writer).
///
/// A build replaces the output folder as a whole (written aside, swapped in, the old one deleted), so the path must
/// name a folder that is Tandem's to replace. Refused, with nothing touched:
/// - an empty path, `/`, the home folder (or a folder containing it), the current folder or a folder containing it;
/// - anything that exists and is not a folder (file, device, FIFO, socket);
/// - a symbolic link, even to a folder: replacing the link would orphan its target, deleting through it would delete
///   files Tandem never made;
/// - a folder inside the content or theme folder (the next build would publish it) or one that contains them.
///
/// Paths are checked with `lstat`, never through a link; the parent folders are resolved (`realpath`) only to compare
/// locations. Diagnostics name the path as the user gave it.
public struct OutputLocation: Sendable {
    /// The path as given (diagnostics use it).
    public let path: String
    /// The resolved parent folder (absolute, no links) and the folder's own name in it.
    public let parent: String
    public let name: String

    /// The absolute, resolved output folder.
    public var folder: String { parent == "/" ? "/" + name : parent + "/" + name }

    /// The hidden siblings a build uses: `.Output.staging-<pid>`, `.Output.previous-<pid>`, `.Output.lock`.
    func staging(pid: Int32) -> String { sibling(".\(name).staging-\(pid)") }
    func previous(pid: Int32) -> String { sibling(".\(name).previous-\(pid)") }
    var lockFile: String { sibling(".\(name).lock") }
    func sibling(_ entry: String) -> String { parent == "/" ? "/" + entry : parent + "/" + entry }

    /// Why a path was refused (or a write could not start), as the user sees it.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let diagnostic: Diagnostic
        /// Another build holds the lock (worth trying again later).
        public let busy: Bool
        public var description: String { diagnostic.description }
        init(_ path: String, _ message: String, busy: Bool = false) {
            diagnostic = Diagnostic(path: path, severity: .error, message: message)
            self.busy = busy
        }
    }

    /// The refusals for `path` (empty when it may be used); `protecting` are the content and theme folders.
    public static func check(_ path: String, protecting sources: [String] = []) -> [Diagnostic] {
        do {
            _ = try OutputLocation(path, protecting: sources)
            return []
        } catch {
            return [error.diagnostic]
        }
    }

    /// Resolves and checks `path`; throws the refusal otherwise.
    public init(_ path: String, protecting sources: [String] = []) throws(Refusal) {
        self.path = path
        guard !path.isEmpty else {
            throw Refusal("--output", "the output folder is empty (''); pass a folder Tandem may replace, e.g. --output Output")
        }
        // "Output/" and "Output/." would make the kernel follow a link named Output: look at the entry itself.
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let absolute = trimmed.hasPrefix("/") ? trimmed : Self.currentDirectory() + "/" + trimmed
        let lexicalName = (absolute as NSString).lastPathComponent
        let resolved: String
        if lexicalName == "." || lexicalName == ".." || absolute == "/" {
            resolved = Self.resolve(absolute)
        } else {
            resolved = Self.resolve((absolute as NSString).deletingLastPathComponent) + "/" + lexicalName
        }
        let normal = resolved.hasPrefix("//") ? String(resolved.dropFirst()) : resolved
        if normal == "/" {
            throw Refusal(path, "the output folder would be the root folder '/'; Tandem replaces the output folder as a whole")
        }
        parent = (normal as NSString).deletingLastPathComponent
        name = (normal as NSString).lastPathComponent
        let folder = normal

        var info = stat()
        if lstat(folder, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: break
            case S_IFLNK:
                let target = Self.readLink(folder) ?? "?"
                throw Refusal(
                    path,
                    "the output folder is a symbolic link (to \(target)); Tandem replaces the output folder as a whole and never "
                        + "writes or deletes through a link, which could delete files it never made: pass the real folder instead "
                        + "(--output \(Self.resolve(folder))) or remove the link")
            default:
                throw Refusal(
                    path,
                    "exists and is not a folder (it is \(Self.kind(info.st_mode))); Tandem replaces the output folder as a whole, "
                        + "so it leaves this alone: pass a folder, or a path that does not exist yet")
            }
        } else if errno != ENOENT {
            throw Refusal(path, "cannot be used as the output folder: \(String(cString: strerror(errno)))")
        }

        if let home = Self.home(), folder == home || home.hasPrefix(folder + "/") {
            throw Refusal(
                path,
                "the output folder would be \(folder == home ? "your home folder" : "a folder containing your home folder"); "
                    + "Tandem replaces the output folder as a whole: pass a folder of its own, e.g. --output Output")
        }
        let current = Self.resolve(Self.currentDirectory())
        if folder == current || current.hasPrefix(folder + "/") {
            throw Refusal(
                path,
                "the output folder would be \(folder == current ? "the current folder" : "a folder containing the current folder"); "
                    + "Tandem replaces the output folder as a whole: pass a folder of its own, e.g. --output Output")
        }
        for source in sources where !source.isEmpty {
            let resolvedSource = Self.resolve(source.hasPrefix("/") ? source : Self.currentDirectory() + "/" + source)
            if folder == resolvedSource || folder.hasPrefix(resolvedSource + "/") {
                throw Refusal(
                    path,
                    "the output folder is inside \(source); the next build would read (and publish) its own output: "
                        + "choose a folder outside \(source)")
            }
            if resolvedSource.hasPrefix(folder + "/") {
                throw Refusal(
                    path, "the output folder contains \(source); replacing it would delete \(source): choose a folder beside it")
            }
        }
    }

    // MARK: The lock

    /// Held while a build writes the output folder; released on `unlock()` or when the process ends.
    public final class Lock: @unchecked Sendable {
        private var fd: Int32
        init(fd: Int32) { self.fd = fd }
        public func unlock() {
            guard fd >= 0 else { return }
            close(fd)  // releases the flock
            fd = -1
        }
        deinit { unlock() }
    }

    /// Takes `.Output.lock` beside the output folder (`flock`, never waits): a second build into the same folder fails
    /// with the first one's pid instead of waiting without a word or mixing two builds. The file stays (removing a lock
    /// file races with the next taker); it holds the pid of the last build that wrote.
    public func lock() throws(Refusal) -> Lock {
        let fd = open(lockFile, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            throw Refusal(path, "cannot create the lock file \(lockFile): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw Refusal(path, "the lock file \(lockFile) is not a regular file; remove it")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, 31, 0)
            close(fd)
            if error == EWOULDBLOCK {
                let pid =
                    count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
                throw Refusal(path, "another tandem build is writing to \(path) (pid \(pid)); run again when it has finished", busy: true)
            }
            throw Refusal(path, "cannot lock \(lockFile): \(String(cString: strerror(error)))")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return Lock(fd: fd)
    }

    // MARK: Leftovers

    /// Removes `.Output.staging-*` and `.Output.previous-*` of earlier builds (call with the lock held: no other build
    /// can be using them). Links are removed, never followed. Returns a warning per leftover that could not be removed.
    public func removeLeftovers(workers: Int) -> [Diagnostic] {
        guard let entries = FileIO.list(parent, followLinks: false) else { return [] }
        var warnings: [Diagnostic] = []
        let prefixes = [".\(name).staging-", ".\(name).previous-"]
        for entry in entries.sorted(by: { $0.name < $1.name }) where prefixes.contains(where: entry.name.hasPrefix) {
            let leftover = sibling(entry.name)
            if let failed = FileIO.removeTree(leftover, workers: workers) {
                warnings.append(
                    Diagnostic(
                        path: leftover, severity: .warning,
                        message: "cannot remove this leftover of an earlier build (\(failed)); remove it by hand"))
            }
        }
        return warnings
    }

    /// Makes the folders of `relative` below the output folder, refusing any that exists as a link or non-folder,
    /// so a patch never writes through a link someone put into the output folder. Returns the refusal's message.
    public func makeFolders(for relative: String) -> String? {
        var current = folder
        for component in relative.split(separator: "/").dropLast() {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) == 0 {
                if (info.st_mode & S_IFMT) != S_IFDIR { return "refusing to write through \(current): not a folder" }
            } else if errno == ENOENT {
                if mkdir(current, 0o755) != 0 { return "cannot create \(current): \(String(cString: strerror(errno)))" }
            } else {
                return "cannot use \(current): \(String(cString: strerror(errno)))"
            }
        }
        return nil
    }

    // MARK: Helpers

    static func currentDirectory() -> String { FileManager.default.currentDirectoryPath }

    /// `realpath` of the longest existing prefix, the rest appended as written ("." dropped, ".." going up).
    static func resolve(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let parent = (path as NSString).deletingLastPathComponent
        let last = (path as NSString).lastPathComponent
        if parent == path || parent.isEmpty { return path }
        let base = resolve(parent)
        switch last {
        case ".", "": return base
        case "..": return (base as NSString).deletingLastPathComponent
        default: return base == "/" ? "/" + last : base + "/" + last
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, Int(PATH_MAX))
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func home() -> String? {
        var candidates: [String] = []
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { candidates.append(home) }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { candidates.append(String(cString: dir)) }
        for candidate in candidates {
            let resolved = resolve(candidate)
            if resolved != "/" { return resolved }
        }
        return nil
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a file"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "not a folder"
        }
    }
}
