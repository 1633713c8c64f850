import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file access for the thousands of small files a large programme has: one open/read or
/// open/write/close per file, one readdir per folder, no Foundation objects per file (measured: several times
/// faster than `FileManager.createFile`, `Data(contentsOf:)` and `contentsOfDirectory` + `fileExists` at 10,000 files).
public enum FileIO {
    /// The whole file, or nil when it cannot be opened or read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var capacity = max(Int(info.st_size), 0) + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == capacity {
                capacity *= 2
                bytes.append(contentsOf: [UInt8](repeating: 0, count: capacity - count))
            }
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc_read(fd, buffer.baseAddress! + count, capacity - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Creates or replaces `path` with `bytes` (mode 0644). Returns the errno on failure.
    static func write(_ path: String, _ bytes: [UInt8]) -> Int32? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        return write(fd: fd, bytes)
    }

    /// Writes `bytes` to `fd` and closes it. Returns the errno on failure.
    private static func write(fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc_write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0, failure == nil { failure = errno }
        return failure
    }

    /// Creates the folder (mode 0755); an existing folder is fine. Returns the errno on failure.
    static func makeDirectory(_ path: String) -> Int32? {
        if mkdir(path, 0o755) == 0 { return nil }
        let error = errno
        if error == EEXIST {
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return nil }
        }
        return error
    }

    enum EntryType { case file, directory, symbolicLink, other }

    /// The entries of a folder (without `.` and `..`), unsorted; nil when it cannot be read.
    /// Symbolic links are reported as such (`followLinks: false`) or as what they point to.
    static func list(_ folder: String, followLinks: Bool) -> [(name: String, type: EntryType)]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        return readEntries(dir) { name in entryType(folder + "/" + name, follow: false) ?? .other }.map { entry in
            // A link that leads nowhere stays a link.
            guard entry.type == .symbolicLink, followLinks else { return entry }
            return (entry.name, entryType(folder + "/" + entry.name, follow: true) ?? .symbolicLink)
        }
    }

    /// The entries of an open directory stream (without `.` and `..`); `unknown` decides the type of an entry the
    /// file system does not type in the listing itself.
    private static func readEntries(_ dir: OpaquePointer, unknown: (String) -> EntryType) -> [(name: String, type: EntryType)] {
        var result: [(name: String, type: EntryType)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type: EntryType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): type = .file
            case Int32(DT_DIR): type = .directory
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_UNKNOWN): type = unknown(name)
            default: type = .other
            }
            result.append((name, type))
        }
        return result
    }

    private static func entryType(_ path: String, follow: Bool) -> EntryType? {
        var info = stat()
        guard (follow ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Removes `path` and, when it is a folder, everything below it. Never follows a symbolic link: the walk opens
    /// each folder relative to its parent with `O_NOFOLLOW` and removes entries with `unlinkat`, so a link (even one
    /// swapped in during the walk) is removed as a link and its target is left alone. The top-level folders are removed
    /// on `workers` threads. Returns nil when everything is gone, else the first path that could not be removed.
    @discardableResult
    static func removeTree(_ path: String, workers: Int) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? nil : path }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return unlink(path) == 0 || errno == ENOENT ? nil : path }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return unlink(path) == 0 ? nil : path }
        var failure: String?
        if !removeContents(fd, path, workers: workers) { failure = path }
        close(fd)
        if rmdir(path) != 0, errno != ENOENT { return failure ?? path }
        return failure
    }

    /// Removes everything in the open folder `fd`: its files on `workers` threads (`unlinkat` on the shared
    /// descriptor), then each subfolder the same way. True when all is gone.
    private static func removeContents(_ fd: Int32, _ path: String, workers: Int) -> Bool {
        guard let entries = listEntries(fd) else { return false }
        let files = entries.filter { $0.type != .directory }
        let removed = Parallel.map(files.count, workers: files.count > 64 ? workers : 1) { i in
            unlinkat(fd, files[i].name, 0) == 0 || errno == ENOENT || removeFolder(fd, files[i].name, path, workers: 1)
        }
        var ok = !removed.contains(false)
        for entry in entries where entry.type == .directory && !removeFolder(fd, entry.name, path, workers: workers) { ok = false }
        return ok
    }

    /// Removes the folder `name` of the open folder `parent` and everything below it, never through a link
    /// (a link found in its place is removed as a link).
    private static func removeFolder(_ parent: Int32, _ name: String, _ parentPath: String, workers: Int) -> Bool {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return unlinkat(parent, name, 0) == 0 || errno == ENOENT }
        let ok = removeContents(fd, parentPath + "/" + name, workers: workers)
        close(fd)
        return unlinkat(parent, name, AT_REMOVEDIR) == 0 && ok
    }

    /// The entries of an open folder (the descriptor stays open and usable).
    private static func listEntries(_ fd: Int32) -> [(name: String, type: EntryType)]? {
        let copy = dup(fd)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        rewinddir(dir)
        return readEntries(dir) { name in
            var info = stat()
            return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
        }
    }

    /// Creates `path` (which must not exist, not even as a link) with `bytes`. Returns the errno on failure.
    public static func writeNew(_ path: String, _ bytes: [UInt8]) -> Int32? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        return write(fd: fd, bytes)
    }

    /// Removes a file, link or folder tree without following links (see `removeTree`); nil on success.
    @discardableResult
    public static func remove(_ path: String) -> String? { removeTree(path, workers: 1) }
}

// The libc calls under names that do not clash with the methods above.
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
