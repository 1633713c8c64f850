import Foundation
import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Watches the content and templates folders and reports changed paths relative to them.
///
/// On Linux it uses inotify (one watch per folder, added as folders appear): a save is reported within a millisecond.
/// Elsewhere (or with `TANDEM_WATCH=poll`) it compares file sizes and modification times every `pollInterval`.
final class FileWatcher: @unchecked Sendable {
    enum Root: Int { case content = 0, templates = 1 }

    private let roots: [(root: Root, path: String)]
    private let onChange: @Sendable (SourceChanges) -> Void
    private let pollInterval: TimeInterval
    private let stopped = Locked(false)
    private var thread: Thread?
    /// "inotify" or "polling", for the log.
    let method: String

    /// `templates` nil: the built-in theme alone, nothing to watch but the content.
    init(content: String, templates: String?, pollInterval: TimeInterval = 0.3, onChange: @escaping @Sendable (SourceChanges) -> Void) {
        roots =
            [(.content, URL(fileURLWithPath: content).standardizedFileURL.path)]
            + (templates.map { [(.templates, URL(fileURLWithPath: $0).standardizedFileURL.path)] } ?? [])
        self.onChange = onChange
        self.pollInterval = pollInterval
        #if os(Linux)
            method = ProcessInfo.processInfo.environment["TANDEM_WATCH"] == "poll" ? "polling" : "inotify"
        #else
            method = "polling"
        #endif
    }

    func start() {
        #if os(Linux)
            if method == "inotify", let inotify = Inotify(roots: roots, stopped: stopped, onChange: onChange) {
                let thread = Thread { inotify.run() }
                thread.name = "tandem-watch"
                self.thread = thread
                thread.start()
                return
            }
        #endif
        let poller = Poller(roots: roots, interval: pollInterval, stopped: stopped, onChange: onChange)
        let thread = Thread { poller.run() }
        thread.name = "tandem-watch"
        self.thread = thread
        thread.start()
    }

    func stop() { stopped.write { $0 = true } }

    /// Names a watcher never reports: hidden files, editor backups and swap files.
    static func isNoise(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name == "4913"
    }

    /// Template changes that matter: templates, strings and assets (not an editor's temporary files).
    static func isTemplateSource(_ relative: String) -> Bool {
        relative.hasSuffix(".mustache") || relative.hasSuffix(".yml") || relative.hasPrefix("assets/") || !relative.contains(".")
    }

    static func changes(_ paths: [(Root, String)], rescan: Set<Root> = []) -> SourceChanges {
        var changes = SourceChanges(rescanContent: rescan.contains(.content), rescanTemplates: rescan.contains(.templates))
        for (root, relative) in paths {
            switch root {
            case .content: changes.content.insert(relative)
            case .templates: if isTemplateSource(relative) { changes.templates.insert(relative) }
            }
        }
        return changes
    }
}

#if os(Linux)
    /// inotify: a watch on every folder below the roots; folders that appear get their own watch.
    private final class Inotify: @unchecked Sendable {
        // <sys/inotify.h>
        static let closeWrite: UInt32 = 0x0000_0008
        static let movedFrom: UInt32 = 0x0000_0040
        static let movedTo: UInt32 = 0x0000_0080
        static let create: UInt32 = 0x0000_0100
        static let delete: UInt32 = 0x0000_0200
        static let deleteSelf: UInt32 = 0x0000_0400
        static let moveSelf: UInt32 = 0x0000_0800
        static let overflow: UInt32 = 0x0000_4000
        static let ignored: UInt32 = 0x0000_8000
        static let onlyDir: UInt32 = 0x0100_0000
        static let isDir: UInt32 = 0x4000_0000
        /// A file counts once it is complete: closed after writing, or renamed into place (how many editors save).
        /// Not on every write (IN_MODIFY), which would read a file half written; creation only matters for folders.
        static let mask = closeWrite | movedFrom | movedTo | create | delete | deleteSelf | moveSelf | onlyDir

        let fd: Int32
        let roots: [(root: FileWatcher.Root, path: String)]
        let stopped: Locked<Bool>
        let onChange: @Sendable (SourceChanges) -> Void
        /// Watch descriptor → root and folder relative to it ("" for the root itself).
        var watches: [Int32: (root: FileWatcher.Root, folder: String)] = [:]
        var watchedRoots = Set<Int>()

        init?(roots: [(root: FileWatcher.Root, path: String)], stopped: Locked<Bool>, onChange: @escaping @Sendable (SourceChanges) -> Void)
        {
            let fd = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
            guard fd >= 0 else { return nil }
            self.fd = fd
            self.roots = roots
            self.stopped = stopped
            self.onChange = onChange
            for index in roots.indices { watchRoot(index) }
        }

        @discardableResult
        func watchRoot(_ index: Int) -> Bool {
            let (root, path) = roots[index]
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
            watchTree(root, path: path, folder: "")
            watchedRoots.insert(index)
            return true
        }

        /// Watches the folder at `path` and the folders below it. `found` gets the other entries met (relative to
        /// the root): for a folder that has just appeared, they were written before its watch existed, so no event
        /// will report them (a folder of profiles copied in at once).
        func watchTree(_ root: FileWatcher.Root, path: String, folder: String, found: ((String) -> Void)? = nil) {
            let wd = inotify_add_watch(fd, path, Self.mask)
            guard wd >= 0 else { return }
            watches[wd] = (root, folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names where !name.hasPrefix(".") {
                let child = path + "/" + name
                let relative = folder.isEmpty ? name : folder + "/" + name
                var isDirectory: ObjCBool = false
                // Folders only, not links to folders (the load stage does not follow them either).
                if let type = (try? FileManager.default.attributesOfItem(atPath: child))?[.type] as? FileAttributeType,
                    type == .typeDirectory,
                    FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory)
                {
                    watchTree(root, path: child, folder: relative, found: found)
                } else if !FileWatcher.isNoise(name) {
                    found?(relative)
                }
            }
        }

        func rootPath(_ root: FileWatcher.Root) -> String { roots.first { $0.root == root }!.path }

        func run() {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while !stopped.read({ $0 }) {
                pollDescriptor.revents = 0
                let ready = poll(&pollDescriptor, 1, 250)
                if ready <= 0 {
                    // A root that was deleted or moved away: watch it again once it is back.
                    var rescan = Set<FileWatcher.Root>()
                    for index in roots.indices where !watchedRoots.contains(index) && watchRoot(index) { rescan.insert(roots[index].root) }
                    if !rescan.isEmpty { onChange(FileWatcher.changes([], rescan: rescan)) }
                    continue
                }
                var paths: [(FileWatcher.Root, String)] = []
                var rescan = Set<FileWatcher.Root>()
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    var offset = 0
                    while offset + 16 <= count {
                        let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                            (
                                raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                                raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                                Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                            )
                        }
                        let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                        let name = String(decoding: nameBytes, as: UTF8.self)
                        offset += 16 + length
                        handle(wd: wd, mask: mask, name: name, paths: &paths, rescan: &rescan)
                    }
                }
                let changes = FileWatcher.changes(paths, rescan: rescan)
                if !changes.isEmpty { onChange(changes) }
            }
            close(fd)
        }

        func handle(wd: Int32, mask: UInt32, name: String, paths: inout [(FileWatcher.Root, String)], rescan: inout Set<FileWatcher.Root>) {
            if mask & Self.overflow != 0 {
                rescan.formUnion([.content, .templates])
                return
            }
            guard let (root, folder) = watches[wd] else { return }
            if mask & Self.ignored != 0 {
                watches[wd] = nil
                return
            }
            if mask & (Self.deleteSelf | Self.moveSelf) != 0 {
                if folder.isEmpty {
                    // The root itself went away (e.g. replaced by a checkout): read it again when it is back.
                    inotify_rm_watch(fd, wd)
                    watches = watches.filter { $0.value.root != root }
                    if let index = roots.firstIndex(where: { $0.root == root }) { watchedRoots.remove(index) }
                    rescan.insert(root)
                }
                return
            }
            guard !name.isEmpty, !FileWatcher.isNoise(name) else { return }
            let relative = folder.isEmpty ? name : folder + "/" + name
            if mask & Self.isDir != 0, mask & (Self.create | Self.movedTo) != 0 {
                var inside: [String] = []
                watchTree(root, path: rootPath(root) + "/" + relative, folder: relative) { inside.append($0) }
                paths += inside.map { (root, $0) }
            } else if mask & Self.isDir == 0, mask & Self.create != 0 {
                return  // an empty new file: its IN_CLOSE_WRITE follows
            }
            paths.append((root, relative))
        }
    }
#endif

/// The fallback: sizes and modification times of every file, compared every `interval`.
private final class Poller: @unchecked Sendable {
    let roots: [(root: FileWatcher.Root, path: String)]
    let interval: TimeInterval
    let stopped: Locked<Bool>
    let onChange: @Sendable (SourceChanges) -> Void

    init(
        roots: [(root: FileWatcher.Root, path: String)], interval: TimeInterval, stopped: Locked<Bool>,
        onChange: @escaping @Sendable (SourceChanges) -> Void
    ) {
        self.roots = roots
        self.interval = interval
        self.stopped = stopped
        self.onChange = onChange
    }

    struct Stamp: Equatable {
        var size: Int
        var modified: TimeInterval
        var isFolder: Bool
    }

    func scan(_ path: String) -> [String: Stamp] {
        var result: [String: Stamp] = [:]
        let root = URL(fileURLWithPath: path)
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isDirectoryKey],
                options: [.skipsHiddenFiles])
        else { return result }
        let prefix = root.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isDirectoryKey])
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(prefix) else { continue }
            result[String(full.dropFirst(prefix.count))] = Stamp(
                size: values?.fileSize ?? 0, modified: values?.contentModificationDate?.timeIntervalSince1970 ?? 0,
                isFolder: values?.isDirectory ?? false)
        }
        return result
    }

    func run() {
        var previous = roots.map { scan($0.path) }
        while !stopped.read({ $0 }) {
            Thread.sleep(forTimeInterval: interval)
            var paths: [(FileWatcher.Root, String)] = []
            for (index, root) in roots.enumerated() {
                let current = scan(root.path)
                for (relative, stamp) in current
                where previous[index][relative] != stamp && !(stamp.isFolder && previous[index][relative] != nil) {
                    paths.append((root.root, relative))
                }
                for relative in previous[index].keys where current[relative] == nil { paths.append((root.root, relative)) }
                previous[index] = current
            }
            let changes = FileWatcher.changes(paths)
            if !changes.isEmpty { onChange(changes) }
        }
    }
}
