#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one place that decides how Tandem reads files it did not write: the content folder (programme.yml, the CSV
/// tables, profiles/, feedback/, pages/, assets/) and, through the same functions, the theme folder and the copies
/// the writer makes. The rules (docs/security-content.md explains them for programme managers and reviewers):
///
/// - Every entry is examined without following links (`lstat`, `fstatat(AT_SYMLINK_NOFOLLOW)` or the type `readdir`
///   reports). A symbolic link or a special file (FIFO, socket, device) is never opened: the caller skips it with the
///   warning `diagnostic(for:path:)` gives.
/// - A file is opened with `O_NOFOLLOW | O_NONBLOCK` and read only when `fstat` on the open descriptor says it is a
///   regular file, so replacing it by a link or a FIFO between the check and the open is caught too.
/// - Folders below the content folder are opened one component at a time with `O_NOFOLLOW | O_DIRECTORY`, so a
///   folder that is a link (`profiles -> /etc`) is never entered. Only the content folder itself, as typed on the
///   command line, may be a link: that one link was chosen by the user.
/// - A file larger than its limit is refused from its size before anything is read into memory.
/// - A folder or file that exists but cannot be opened is an error naming it, never a silent gap in the output.
enum ContentFile {
    /// Largest programme.yml and Markdown file read (16 MiB; a long profile is a few KB).
    static let textLimit = 16 << 20
    /// Largest CSV table read (64 MiB; 10,000 participants are about 2 MB).
    static let tableLimit = 64 << 20

    /// What an entry is, seen without following it.
    enum EntryType: Equatable, Sendable {
        case regular
        case folder
        case symbolicLink
        /// A FIFO, socket or device; the name says which.
        case special(String)
    }

    /// What tells a file's content changed without reading it: device, inode, size, modification and change time.
    /// `stable(loadedAt:)` guards against timestamps too coarse to see a second write in the same tick.
    struct Identity: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int
        /// Nanoseconds since 1970.
        let modified: Int64
        let changed: Int64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int(info.st_size)
            modified = Self.nanoseconds(info.st_mtim)
            changed = Self.nanoseconds(info.st_ctim)
        }

        /// True when the file was last touched at least a second before `loadedAt` (nanoseconds since 1970): a write
        /// in the same second as the read could otherwise leave the identity unchanged.
        func stable(loadedAt: Int64) -> Bool { max(modified, changed) < loadedAt &- 1_000_000_000 }

        static func nanoseconds(_ time: timespec) -> Int64 {
            let (seconds, overflow) = Int64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? Int64(time.tv_sec) : seconds &+ Int64(time.tv_nsec)
        }

        /// Now, in the same unit.
        static func now() -> Int64 {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return nanoseconds(time)
        }
    }

    /// The identity of `name` in `folder`, not following it; nil when it is gone or not a regular file.
    static func identity(_ name: String, in folder: Int32) -> Identity? {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, type(of: info) == .regular else { return nil }
        return Identity(info)
    }

    /// Why a file or folder was not read.
    enum Failure: Error, Equatable, Sendable {
        /// Nothing by that name (or a parent is missing).
        case missing
        case symbolicLink
        case special(String)
        /// A folder where a file was expected.
        case folder
        /// A file where a folder was expected.
        case notAFolder
        case tooLarge(size: Int, limit: Int)
        /// The system refused (errno), e.g. EACCES for a file or folder without read permission.
        case system(Int32)
    }

    // MARK: Diagnostics

    /// The diagnostic for a file that was not read, nil for `.missing` (whether that matters is the caller's call).
    /// Links and special files are warnings (they are skipped); everything else is an error.
    static func diagnostic(for failure: Failure, path: String) -> Diagnostic? {
        switch failure {
        case .missing:
            return nil
        case .symbolicLink:
            return Diagnostic(
                path: path, severity: .warning,
                message:
                    "symbolic link is not followed; Tandem reads only regular files inside the content folder (replace the link with the file itself)"
            )
        case .special(let kind):
            return Diagnostic(path: path, severity: .warning, message: "\(kind) is not a regular file; it is not read")
        case .folder:
            return Diagnostic(path: path, severity: .error, message: "cannot read file: it is a folder")
        case .notAFolder:
            return Diagnostic(path: path, severity: .error, message: "cannot read folder: it is a file")
        case .tooLarge(let size, let limit):
            return Diagnostic(
                path: path, severity: .error,
                message: "file is \(megabytes(size)) MB; the limit is \(megabytes(limit)) MB for this kind of file, so it is not read")
        case .system(let code):
            return Diagnostic(path: path, severity: .error, message: "cannot read file: \(String(cString: strerror(code)))")
        }
    }

    /// The diagnostic for a folder that could not be opened or listed (its files would be missing from the build).
    static func folderDiagnostic(for failure: Failure, path: String) -> Diagnostic? {
        switch failure {
        case .system(let code):
            return Diagnostic(
                path: path, severity: .error,
                message: "cannot read folder: \(String(cString: strerror(code))); none of its files can be used")
        default:
            return diagnostic(for: failure, path: path)
        }
    }

    /// `size` in MiB with one decimal, rounded up (so a file just over the limit never reads as "16.0 MB").
    static func megabytes(_ size: Int) -> String {
        let kibibytes = size / 1024 + (size % 1024 > 0 ? 1 : 0)
        let tenths = (kibibytes * 10 + 1023) / 1024
        let whole = tenths / 10
        let fraction = tenths % 10
        return fraction == 0 && size % (1 << 20) == 0 ? "\(whole)" : "\(whole).\(fraction)"
    }

    // MARK: Folders

    /// Opens the content (or theme) folder as the user named it. This one path is resolved like any path the user
    /// types (a link to a folder is followed); nothing below it is. The caller closes the descriptor.
    static func openRoot(_ path: String) -> Result<Int32, Failure> {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(failure(errno, atPath: path)) }
        return .success(fd)
    }

    /// Opens `relative` (`profiles`, `assets/photos`) below the folder `base`, one component at a time, following no
    /// link. The caller closes the descriptor; `relative` empty gives a duplicate of `base`.
    static func openFolder(_ relative: String, in base: Int32) -> Result<Int32, Failure> {
        var current = dup(base)
        guard current >= 0 else { return .failure(.system(errno)) }
        for component in relative.split(separator: "/") where component != "." {
            guard component != ".." else {
                close(current)
                return .failure(.missing)
            }
            let name = String(component)
            switch entryType(name, in: current) {
            case .failure(let failure):
                close(current)
                return .failure(failure)
            case .success(.symbolicLink):
                close(current)
                return .failure(.symbolicLink)
            case .success(.special(let kind)):
                close(current)
                return .failure(.special(kind))
            case .success(.regular):
                close(current)
                return .failure(.notAFolder)
            case .success(.folder):
                break
            }
            let next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let error = errno
            close(current)
            guard next >= 0 else { return .failure(error == ELOOP ? .symbolicLink : error == ENOTDIR ? .notAFolder : failure(error)) }
            current = next
        }
        return .success(current)
    }

    /// What `name` in the folder `folder` is, without following it.
    static func entryType(_ name: String, in folder: Int32) -> Result<EntryType, Failure> {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(failure(errno)) }
        return .success(type(of: info))
    }

    /// Size and modification time (nanoseconds since 1970) of `name` in `folder`, not following it; nil when gone.
    static func sizeAndTime(_ name: String, in folder: Int32) -> (size: Int, time: Int64)? {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        let seconds = Int64(info.st_mtim.tv_sec)
        let (time, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return (Int(info.st_size), overflow ? seconds : time &+ Int64(info.st_mtim.tv_nsec))
    }

    /// The entries of an open folder (without `.` and `..`), unsorted, typed without following links.
    static func list(_ folder: Int32) -> Result<[(name: String, type: EntryType)], Failure> {
        let copy = dup(folder)
        guard copy >= 0 else { return .failure(.system(errno)) }
        guard let dir = fdopendir(copy) else {
            let error = errno
            close(copy)
            return .failure(.system(error))
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var result: [(name: String, type: EntryType)] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { return .failure(.system(errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type: EntryType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): type = .regular
            case Int32(DT_DIR): type = .folder
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_FIFO): type = .special("FIFO")
            case Int32(DT_SOCK): type = .special("socket")
            case Int32(DT_CHR), Int32(DT_BLK): type = .special("device")
            default:
                // DT_UNKNOWN (some file systems): ask without following; a vanished entry is left out.
                guard case .success(let found) = entryType(name, in: folder) else { continue }
                type = found
            }
            result.append((name, type))
        }
        return .success(result)
    }

    // MARK: Files

    /// Reads the regular file `name` in the open folder `folder`: checked without following first (a link or special
    /// file is never opened), opened with `O_NOFOLLOW | O_NONBLOCK`, checked again with `fstat`, refused from its size
    /// when larger than `limit` (nil: no limit), then read.
    static func read(_ name: String, in folder: Int32, limit: Int?) -> Result<[UInt8], Failure> {
        readWithIdentity(name, in: folder, limit: limit).map(\.bytes)
    }

    /// `read(_:in:limit:)` with the identity of the file that was read (from `fstat` of the open descriptor).
    static func readWithIdentity(_ name: String, in folder: Int32, limit: Int?) -> Result<(bytes: [UInt8], identity: Identity), Failure> {
        switch entryType(name, in: folder) {
        case .failure(let failure): return .failure(failure)
        case .success(.regular): break
        case .success(.symbolicLink): return .failure(.symbolicLink)
        case .success(.special(let kind)): return .failure(.special(kind))
        case .success(.folder): return .failure(.folder)
        }
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ELOOP ? .symbolicLink : failure(errno)) }
        defer { close(fd) }
        return read(open: fd, limit: limit)
    }

    /// Reads the file at `path` without following a link in its last component (`O_NOFOLLOW | O_NONBLOCK`, then
    /// `fstat` must say regular file). For files whose folders the loader has already checked: the asset copies the
    /// writer makes and the theme's files.
    static func read(path: String, limit: Int? = nil) -> Result<[UInt8], Failure> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(failure(errno)) }
        let type = type(of: info)
        guard type == .regular else {
            switch type {
            case .symbolicLink: return .failure(.symbolicLink)
            case .special(let kind): return .failure(.special(kind))
            default: return .failure(.folder)
            }
        }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ELOOP ? .symbolicLink : failure(errno)) }
        defer { close(fd) }
        return read(open: fd, limit: limit).map(\.bytes)
    }

    /// The bytes of `path` for a copy into the output, or nil when the policy refuses it (see `read(path:limit:)`).
    static func bytesToCopy(_ path: String) -> [UInt8]? {
        if case .success(let bytes) = read(path: path) { return bytes }
        return nil
    }

    /// Reads an open descriptor that must be a regular file of at most `limit` bytes.
    private static func read(open fd: Int32, limit: Int?) -> Result<(bytes: [UInt8], identity: Identity), Failure> {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.system(errno)) }
        let type = type(of: info)
        guard type == .regular else {
            if case .special(let kind) = type { return .failure(.special(kind)) }
            return .failure(type == .folder ? .folder : .symbolicLink)
        }
        let size = max(Int(info.st_size), 0)
        if let limit, size > limit { return .failure(.tooLarge(size: size, limit: limit)) }
        // One byte more than the size says, to notice growth; a file that grows past the limit while read is refused.
        var capacity = size + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == capacity {
                if let limit, count > limit { return .failure(.tooLarge(size: count, limit: limit)) }
                capacity = capacity * 2
                bytes.append(contentsOf: repeatElement(0, count: capacity - count))
            }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, capacity - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.system(errno))
            }
            if n == 0 { break }
            count += n
        }
        if let limit, count > limit { return .failure(.tooLarge(size: count, limit: limit)) }
        bytes.removeSubrange(count...)
        return .success((bytes, Identity(info)))
    }

    // MARK: Helpers

    private static func type(of info: stat) -> EntryType {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .special("FIFO")
        case S_IFSOCK: return .special("socket")
        default: return .special("device")
        }
    }

    private static func failure(_ code: Int32, atPath path: String? = nil) -> Failure {
        switch code {
        case ENOENT: return .missing
        case ENOTDIR: return path == nil ? .missing : .notAFolder
        case ELOOP: return .symbolicLink
        case ENXIO: return .special("socket")
        default: return .system(code)
        }
    }
}

// The libc call under a name that does not clash with the methods above.
@inline(__always) private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// The read policy for modules outside TandemKit (the preview server serves and syncs the same copies the writer makes).
public enum ContentPolicy {
    /// The bytes of a file the build copies (an asset), read without following a link and only when it is a regular
    /// file; nil otherwise. See `ContentFile.read(path:limit:)`.
    public static func bytesToCopy(_ path: String) -> [UInt8]? { ContentFile.bytesToCopy(path) }
}
