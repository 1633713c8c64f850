import Foundation

/// The built-in link check: every internal `href`/`src` (and `<meta http-equiv="refresh">` target) of the HTML pages in
/// site/, print/ and internal/ must name a file of the build, and its `#anchor` an `id` (or `name`) in that page.
///
/// Runs on the in-memory `OutputTree` before anything is written: one pass over each page's bytes collects its
/// links and ids (a small tag scanner, no regular expressions), then every link is resolved against the tree, so the
/// cost grows with the number of links, not pages × links.
public enum LinkChecker {
    /// The output folders whose HTML pages are checked (mail/ holds .eml files with absolute links only).
    public static let folders = ["site/", "print/", "internal/"]
    /// Every finding's message starts with this, so callers can tell link findings from others.
    public static let messagePrefix = "broken link to '"

    /// What one check found.
    public struct Report: Sendable {
        public var pages = 0
        public var links = 0
        public var diagnostics: [Diagnostic] = []
    }

    /// What the check reads of a build: every file it holds and the links and ids of each checked page. A build that
    /// writes as it renders keeps only this, not the pages' bytes.
    public struct Index: Sendable {
        /// Every file of the build (generated and copied), by path below the output folder.
        var paths: Set<String> = []
        /// The checked pages (`isChecked`) by path.
        var scans: [String: PageScan] = [:]
        /// A page's bytes, read again only for a finding's line and column.
        var bytes: @Sendable (String) -> [UInt8]? = { _ in nil }

        /// The index of an output in memory (its pages scanned on `workers` threads).
        init(_ tree: OutputTree, workers: Int) {
            let pagePaths = tree.files.keys.filter(LinkChecker.isChecked)
            let scanned = LinkChecker.parallelMap(pagePaths.count, workers: workers) { index in
                LinkChecker.scan(tree.files[pagePaths[index]] ?? [])
            }
            scans = Dictionary(uniqueKeysWithValues: zip(pagePaths, scanned))
            paths = Set(tree.files.keys)
            paths.formUnion(tree.copies.keys)
            bytes = { tree.files[$0] }
        }

        init() {}

        /// Adds the files of a rendered part, scanning its checked pages. Kept until every part is rendered, so kept
        /// small: a link its pages repeat (the menu, the footer, a person's page) is stored once, and each page's
        /// list takes no more room than its links.
        mutating func add(_ tree: OutputTree) {
            var strings = Set<String>()
            for (path, bytes) in tree.files {
                paths.insert(path)
                guard LinkChecker.isChecked(path) else { continue }
                var scan = LinkChecker.scan(bytes)
                for i in scan.links.indices { scan.links[i].value = strings.insert(scan.links[i].value).memberAfterInsert }
                scan.links = scan.links.withUnsafeBufferPointer { Array($0) }
                scans[path] = scan
            }
            paths.formUnion(tree.copies.keys)
        }

        /// Adds the files of `other`; its scans replace those of the same pages.
        mutating func merge(_ other: Index) {
            paths.formUnion(other.paths)
            scans.merge(other.scans) { _, new in new }
        }
    }

    /// Whether the page at `path` (below the output folder) is checked: HTML in site/, print/ or internal/.
    static func isChecked(_ path: String) -> Bool {
        path.hasSuffix(".html") && folders.contains { path.hasPrefix($0) }
    }

    /// Checks `tree`; diagnostics name the page as the user sees it below `outputPath` (e.g. `Output/site/x.html`).
    public static func check(
        _ tree: OutputTree, outputPath: String = "Output", severity: Severity = .warning,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, kept: KeptOutput? = nil
    ) -> Report {
        check(Index(tree, workers: workers), outputPath: outputPath, severity: severity, workers: workers, kept: kept)
    }

    /// Checks the pages of `index` against its files (and, with `--only`, the kept outputs).
    public static func check(
        _ input: Index, outputPath: String = "Output", severity: Severity = .warning,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, kept: KeptOutput? = nil
    ) -> Report {
        let pagePaths = input.scans.keys.sorted()
        let scans = input.scans
        let scanned = pagePaths.map { scans[$0] ?? PageScan() }
        let paths = input.paths
        let folderSet = LazyFolders(paths)
        let prefix = outputPath.isEmpty ? "" : (outputPath.hasSuffix("/") ? outputPath : outputPath + "/")
        // Then every link against the tree. Pages are sorted, so a folder's pages come in a row and share their
        // answers (the menu, the footer ...); each worker takes a run of pages.
        let chunks = max(1, min(pagePaths.count, workers * 4))
        let perChunk = (pagePaths.count + chunks - 1) / max(1, chunks)
        let findings = parallelMap(chunks, workers: workers) { chunk -> [Diagnostic] in
            var diagnostics: [Diagnostic] = []
            var answers: [String: String?] = [:]
            var answersFolder: Substring = ""
            var directory: [String] = []
            for index in min(pagePaths.count, chunk * perChunk)..<min(pagePaths.count, (chunk + 1) * perChunk) {
                let path = pagePaths[index]
                let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
                let folder = slash.map { path[..<$0] } ?? ""
                if folder != answersFolder || index == chunk * perChunk {
                    answers.removeAll(keepingCapacity: true)
                    answersFolder = folder
                    directory = slash == nil ? [] : folder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                }
                var lines: LineTable?
                for link in scanned[index].links {
                    let problem: String?
                    // A same-page link (`#x`, `?q`) depends on the page, any other link only on the page's folder.
                    let first = link.value.utf8.first
                    if first == UInt8(ascii: "#") || first == UInt8(ascii: "?") {
                        problem = Self.problem(
                            link.value, directory: directory, page: path, pageScan: scanned[index], paths: paths, scans: scans,
                            folders: folderSet, kept: kept)
                    } else if let known = answers[link.value] {
                        problem = known
                    } else {
                        problem = Self.problem(
                            link.value, directory: directory, page: path, pageScan: scanned[index], paths: paths, scans: scans,
                            folders: folderSet, kept: kept)
                        answers[link.value] = problem
                    }
                    guard let problem else { continue }
                    if lines == nil, let bytes = input.bytes(path) { lines = LineTable(bytes) }
                    let position = lines?.position(of: link.offset)
                    diagnostics.append(
                        Diagnostic(
                            path: prefix + path, line: position?.line, column: position?.column, severity: severity,
                            message: messagePrefix + link.value + "'" + problem))
                }
            }
            return diagnostics
        }
        var report = Report()
        report.pages = pagePaths.count
        report.links = scanned.reduce(0) { $0 + $1.links.count }
        report.diagnostics = findings.flatMap { $0 }
        return report
    }

    /// `body(i)` for `i` in `0..<count` on up to `workers` threads; the results in index order.
    static func parallelMap<T: Sendable>(_ count: Int, workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let threads = min(max(1, workers), count)
        if threads <= 1 { return (0..<count).map(body) }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for index in stride(from: worker, to: count, by: threads) { slots.set(index, body(index)) }
        }
        return slots.values
    }

    /// Result slots the workers fill: each index is written by one worker only, and read after all have finished.
    private final class Slots<T>: @unchecked Sendable {
        private let storage: UnsafeMutableBufferPointer<T?>
        init(_ count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }
        deinit {
            _ = storage.deinitialize()
            storage.deallocate()
        }
        func set(_ index: Int, _ value: T) { storage[index] = value }
        var values: [T] { storage.map { $0! } }
    }

    /// Only the diagnostics, for the pipeline.
    public static func diagnostics(_ tree: OutputTree, outputPath: String = "Output") -> [Diagnostic] {
        check(tree, outputPath: outputPath).diagnostics
    }

    // MARK: - Resolving

    /// Why `link` (as written in page `page`) is broken, or nil when it resolves.
    static func problem(
        _ link: String, directory: [String], page: String, pageScan: PageScan? = nil, paths: Set<String>, scans: [String: PageScan],
        folders: LazyFolders, kept: KeptOutput? = nil
    ) -> String? {
        if link.isEmpty || isExternal(link) { return nil }
        var rest = Substring(link)
        var fragment: Substring?
        // `#` and `?` found as characters (one that a combining mark follows is not one); in ASCII, as bytes.
        let ascii = link.utf8.allSatisfy { $0 < 0x80 }
        if let hash = ascii ? rest.utf8.firstIndex(of: UInt8(ascii: "#")) : rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let question = ascii ? rest.utf8.firstIndex(of: UInt8(ascii: "?")) : rest.firstIndex(of: "?") { rest = rest[..<question] }
        let target: String
        if rest.isEmpty {
            target = page
        } else {
            if rest.hasPrefix("/") { return ": a link from the root of a server does not work opened from disk; use a relative link" }
            guard let decoded = percentDecoded(rest) else { return ": bad percent-encoding" }
            var segments = directory
            // `/` found as a character; in ASCII text, as a byte.
            let pieces =
                decoded.utf8.allSatisfy({ $0 < 0x80 })
                ? decoded.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
                : decoded.split(separator: "/", omittingEmptySubsequences: false)
            for segment in pieces {
                switch segment {
                case "", ".": continue
                case "..":
                    if segments.isEmpty { return ": it points outside the output folder" }
                    segments.removeLast()
                default: segments.append(String(segment))
                }
            }
            let path = segments.joined(separator: "/")
            let exists = paths.contains(path) || kept?.isFile(path) == true
            if decoded.hasSuffix("/") || (!exists && (path.isEmpty || folders.value.contains(path) || kept?.isFolder(path) == true)) {
                let index = path.isEmpty ? "index.html" : path + "/index.html"
                if paths.contains(index) || kept?.isFile(index) == true {
                    return ": it names a folder, which opened from disk shows a file list; link to \(index)"
                }
                return ": there is no \(path.isEmpty ? "index.html" : index)"
            }
            guard exists else { return ": there is no \(path)" }
            target = path
        }
        guard let fragment, !fragment.isEmpty else { return nil }
        // Anchors can be checked in generated pages only (a copied asset is not read).
        guard let scan = target == page ? (pageScan ?? scans[target]) : (scans[target] ?? kept?.scan(target)) else { return nil }
        let id = percentDecoded(fragment) ?? String(fragment)
        if scan.ids.contains(id) || id.lowercased() == "top" { return nil }
        return ": \(target) has no id '\(id)'"
    }

    /// The outputs a partial build (`tandem build --only`) keeps, as they are in the output folder: links from the
    /// rebuilt pages into them resolve against the files there, and their pages' ids are read on first use.
    public final class KeptOutput: @unchecked Sendable {
        let folder: String
        let folders: Set<String>
        private var scans: [String: PageScan?] = [:]
        private let lock = NSLock()

        /// `folder`: the output folder as the user gave it; `folders`: the kept top-level folders (`print`, …).
        public init(folder: String, folders: Set<String>) {
            self.folder = folder.isEmpty ? "." : folder
            self.folders = folders
        }

        func covers(_ path: String) -> Bool {
            guard let slash = path.firstIndex(of: "/") else { return false }
            return folders.contains(String(path[..<slash]))
        }

        private func type(_ path: String) -> mode_t? {
            guard covers(path) else { return nil }
            var info = stat()
            guard lstat(folder + "/" + path, &info) == 0 else { return nil }
            return info.st_mode & S_IFMT
        }

        func isFile(_ path: String) -> Bool { type(path) == S_IFREG }
        func isFolder(_ path: String) -> Bool { type(path) == S_IFDIR }

        /// The links and ids of a kept HTML page (nil for anything else), read once.
        func scan(_ path: String) -> PageScan? {
            guard path.hasSuffix(".html"), isFile(path) else { return nil }
            lock.lock()
            if let known = scans[path] {
                lock.unlock()
                return known
            }
            lock.unlock()
            let result = FileIO.read(folder + "/" + path).map { LinkChecker.scan($0) }
            lock.lock()
            scans[path] = result
            lock.unlock()
            return result
        }
    }

    /// The folders of a tree, built on first use (from any worker, once).
    final class LazyFolders: @unchecked Sendable {
        private let paths: Set<String>
        private var folders: Set<String>?
        private let lock = NSLock()

        init(_ paths: Set<String>) { self.paths = paths }

        var value: Set<String> {
            lock.lock()
            defer { lock.unlock() }
            if let folders { return folders }
            let all = allFolders(paths)
            folders = all
            return all
        }
    }

    /// `http:`, `mailto:`, `data:` … and `//host/…`: anything with a scheme is not ours to check.
    static func isExternal(_ link: String) -> Bool {
        if link.hasPrefix("//") { return true }
        for byte in link.utf8 {
            switch byte {
            case UInt8(ascii: ":"): return true
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"): return false
            default: continue
            }
        }
        return false
    }

    /// Every folder that holds one of the files.
    static func allFolders(_ paths: Set<String>) -> Set<String> {
        var all = Set<String>()
        for file in paths {
            var folder = Substring(file)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if !all.insert(String(folder)).inserted { break }
            }
        }
        return all
    }

    static func percentDecoded<S: StringProtocol>(_ text: S) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return text.removingPercentEncoding
    }

    // MARK: - Scanning

    /// A link found in a page: the attribute value (entities decoded) and the byte offset where it starts.
    struct Link: Sendable {
        var value: String
        var offset: Int
    }

    /// What one pass over a page collects.
    struct PageScan: Sendable {
        var links: [Link] = []
        var ids: Set<String> = []
    }

    /// One pass over an HTML page: tags and their attributes; comments, `<script>` and `<style>` contents are skipped.
    static func scan(_ bytes: [UInt8]) -> PageScan {
        var result = PageScan()
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var i = 0
            while i < count {
                // Text between tags: jump to the next '<'.
                guard buffer[i] == UInt8(ascii: "<") else {
                    guard let base = buffer.baseAddress, let next = memchr(base + i, Int32(UInt8(ascii: "<")), count - i) else { break }
                    i = base.distance(to: next.assumingMemoryBound(to: UInt8.self))
                    continue
                }
                i += 1
                guard i < count else { break }
                let first = buffer[i]
                if first == UInt8(ascii: "!") {
                    if i + 2 < count, buffer[i + 1] == UInt8(ascii: "-"), buffer[i + 2] == UInt8(ascii: "-") {
                        i = find(buffer, "-->", from: i + 3).map { $0 + 3 } ?? count
                    } else {
                        i = find(buffer, ">", from: i).map { $0 + 1 } ?? count
                    }
                    continue
                }
                if first == UInt8(ascii: "/") || first == UInt8(ascii: "?") {
                    i = find(buffer, ">", from: i).map { $0 + 1 } ?? count
                    continue
                }
                guard isLetter(first) else { continue }
                // Tag name.
                let nameStart = i
                while i < count, !isSpace(buffer[i]), buffer[i] != UInt8(ascii: ">"), buffer[i] != UInt8(ascii: "/") { i += 1 }
                let tag = tagKind(buffer, nameStart, i)
                var refresh = false
                var content: Link?
                // Attributes.
                while i < count {
                    while i < count, isSpace(buffer[i]) || buffer[i] == UInt8(ascii: "/") { i += 1 }
                    guard i < count, buffer[i] != UInt8(ascii: ">") else { break }
                    let attributeStart = i
                    while i < count, !isSpace(buffer[i]), buffer[i] != UInt8(ascii: "="), buffer[i] != UInt8(ascii: ">"),
                        !(buffer[i] == UInt8(ascii: "/") && i + 1 < count && buffer[i + 1] == UInt8(ascii: ">"))
                    {
                        i += 1
                    }
                    let attributeEnd = i
                    while i < count, isSpace(buffer[i]) { i += 1 }
                    var valueStart = i
                    var valueEnd = i
                    var hasValue = false
                    if i < count, buffer[i] == UInt8(ascii: "=") {
                        hasValue = true
                        i += 1
                        while i < count, isSpace(buffer[i]) { i += 1 }
                        if i < count, buffer[i] == UInt8(ascii: "\"") || buffer[i] == UInt8(ascii: "'") {
                            let quote = buffer[i]
                            valueStart = i + 1
                            valueEnd = count
                            if valueStart < count, let base = buffer.baseAddress,
                                let found = memchr(base + valueStart, Int32(quote), count - valueStart)
                            {
                                valueEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                            }
                            i = min(count, valueEnd + 1)
                        } else {
                            valueStart = i
                            while i < count, !isSpace(buffer[i]), buffer[i] != UInt8(ascii: ">") { i += 1 }
                            valueEnd = i
                        }
                    }
                    guard hasValue else { continue }
                    switch attributeKind(buffer, attributeStart, attributeEnd) {
                    case .link:
                        result.links.append(Link(value: attributeValue(buffer, valueStart, valueEnd), offset: valueStart))
                    case .id:
                        result.ids.insert(attributeValue(buffer, valueStart, valueEnd))
                    case .name:
                        if tag == .a { result.ids.insert(attributeValue(buffer, valueStart, valueEnd)) }
                    case .httpEquiv:
                        refresh = tag == .meta && attributeValue(buffer, valueStart, valueEnd).lowercased() == "refresh"
                    case .content:
                        if tag == .meta { content = Link(value: attributeValue(buffer, valueStart, valueEnd), offset: valueStart) }
                    case .other: break
                    }
                }
                i += 1  // past '>'
                if refresh, let content, let target = refreshTarget(content.value) {
                    result.links.append(Link(value: target, offset: content.offset))
                }
                // Raw text elements: their content is not markup.
                if tag == .script || tag == .style {
                    i = findClosing(buffer, tag == .script ? "script" : "style", from: i) ?? count
                }
            }
        }
        return result
    }

    enum AttributeKind { case link, id, name, httpEquiv, content, other }

    /// The tags the scanner treats specially.
    enum TagKind { case a, meta, script, style, other }

    static func tagKind(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> TagKind {
        switch end - start {
        case 1 where lower(buffer[start]) == UInt8(ascii: "a"): return .a
        case 4 where matches(buffer, start, "meta"): return .meta
        case 5 where matches(buffer, start, "style"): return .style
        case 6 where matches(buffer, start, "script"): return .script
        default: return .other
        }
    }

    static func attributeKind(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> AttributeKind {
        switch end - start {
        case 2 where lower(buffer[start]) == UInt8(ascii: "i") && lower(buffer[start + 1]) == UInt8(ascii: "d"): return .id
        case 3 where matches(buffer, start, "src"): return .link
        case 4 where matches(buffer, start, "href"): return .link
        case 4 where matches(buffer, start, "name"): return .name
        case 7 where matches(buffer, start, "content"): return .content
        case 10 where matches(buffer, start, "xlink:href"): return .link
        case 10 where matches(buffer, start, "http-equiv"): return .httpEquiv
        default: return .other
        }
    }

    /// `0; url=de/index.html` → `de/index.html`.
    static func refreshTarget(_ content: String) -> String? {
        guard let range = content.range(of: "url=", options: .caseInsensitive) else { return nil }
        var target = content[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if let quote = target.first, quote == "'" || quote == "\"" {
            target = String(target.dropFirst().prefix { $0 != quote })
        }
        return target
    }

    static func attributeValue(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var start = start
        var end = end
        while start < end, isSpace(buffer[start]) { start += 1 }
        while end > start, isSpace(buffer[end - 1]) { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        let value = String(decoding: bytes, as: UTF8.self)
        return bytes.contains(UInt8(ascii: "&")) ? decodeEntities(value) : value
    }

    /// The character references Mustache and cmark write: `&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;`.
    static func decodeEntities(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(10).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let name = after[..<semicolon]
            var replacement: String?
            switch name {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
            }
            if let replacement {
                result += replacement
                rest = after[after.index(after: semicolon)...]
            } else {
                result += "&"
                rest = after
            }
        }
        return result + rest
    }

    static func find(_ buffer: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from start: Int) -> Int? {
        let first = needle.utf8Start[0]
        let length = needle.utf8CodeUnitCount
        var i = start
        while i + length <= buffer.count {
            guard let base = buffer.baseAddress, let hit = memchr(base + i, Int32(first), buffer.count - i) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard i + length <= buffer.count else { return nil }
            var k = 1
            while k < length, buffer[i + k] == needle.utf8Start[k] { k += 1 }
            if k == length { return i }
            i += 1
        }
        return nil
    }

    /// The start of `</tag` (any case) at or after `start`.
    static func findClosing(_ buffer: UnsafeBufferPointer<UInt8>, _ tag: String, from start: Int) -> Int? {
        let name = Array(tag.utf8)
        var i = start
        while i + 2 + name.count <= buffer.count {
            if buffer[i] == UInt8(ascii: "<"), buffer[i + 1] == UInt8(ascii: "/") {
                var k = 0
                while k < name.count, lower(buffer[i + 2 + k]) == name[k] { k += 1 }
                if k == name.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func matches(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString) -> Bool {
        for k in 0..<word.utf8CodeUnitCount where lower(buffer[start + k]) != word.utf8Start[k] { return false }
        return true
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        let l = lower(byte)
        return l >= UInt8(ascii: "a") && l <= UInt8(ascii: "z")
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// Byte offset → 1-based line and column (in characters), built only for pages with a finding.
    struct LineTable {
        let bytes: [UInt8]
        let starts: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts = [0]
            for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
            self.starts = starts
        }

        func position(of offset: Int) -> (line: Int, column: Int) {
            var low = 0
            var high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            // Columns count characters: skip UTF-8 continuation bytes.
            let column = bytes[starts[low]..<min(offset, bytes.count)].reduce(1) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
            return (low + 1, column)
        }
    }
}
