import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file access for the thousands of small files a large programme has: one open/read or
/// open/write/close per file, one readdir per folder, no Foundation objects per file (measured: several times
/// faster than `FileManager.createFile`, `Data(contentsOf:)` and `contentsOfDirectory` + `fileExists` at 10,000 files).
enum FileIO {
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
        var result: [(name: String, type: EntryType)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var type: EntryType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): type = .file
            case Int32(DT_DIR): type = .directory
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_UNKNOWN): type = entryType(folder + "/" + name, follow: false) ?? .other
            default: type = .other
            }
            // A link that leads nowhere stays a link.
            if type == .symbolicLink, followLinks { type = entryType(folder + "/" + name, follow: true) ?? .symbolicLink }
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

    /// Removes a folder and everything below it, `workers` files at a time. Symbolic links are removed, not followed.
    static func removeTree(_ path: String, workers: Int) {
        var files: [String] = []
        var folders: [String] = []
        func walk(_ folder: String) {
            folders.append(folder)
            for entry in list(folder, followLinks: false) ?? [] {
                let child = folder + "/" + entry.name
                if entry.type == .directory { walk(child) } else { files.append(child) }
            }
        }
        walk(path)
        _ = Parallel.map(files.count, workers: workers) { unlink(files[$0]) }
        for folder in folders.reversed() { rmdir(folder) }
    }
}

// The libc calls under names that do not clash with the methods above.
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
