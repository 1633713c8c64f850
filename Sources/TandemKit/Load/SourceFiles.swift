import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the load stage made of one file of the content folder, kept so an unchanged file is never read or parsed again.
/// A class, so copying the table of ten thousand of them (the last good build keeps one) costs a reference each.
final class CachedSource {
    enum Parsed {
        /// programme.yml (nil when it could not be parsed or is not a mapping).
        case settings(YAMLValue?)
        /// participants.csv, pairs.csv, meetings.csv (nil when unreadable or empty).
        case table(CSVTable?)
        /// A `.md` file in profiles/, feedback/ or pages/.
        case markdown(MarkdownSource)
        /// A file in profiles/, feedback/ or pages/ that `ProgrammeFolder.load` skips (with a warning unless hidden).
        case skipped
        /// A regular file below assets/.
        case asset
        /// A symbolic link or special file anywhere in the folder, or a folder that cannot be entered: never opened,
        /// only its diagnostic is kept.
        case notRead
        /// A file the load stage could not read (no permission, too large ...).
        case unreadable
    }

    let parsed: Parsed
    /// FNV-1a of the bytes (nil for assets, which are copied rather than read).
    let hash: UInt64?
    /// Diagnostics the load stage gives for this file, in the order it gives them.
    let diagnostics: [Diagnostic]
    /// For the tables: row positions by the ids they name (participants.csv: `id`; pairs.csv: `mentor` and `mentee`;
    /// meetings.csv: `pair`), so a neighbourhood is found without reading every row.
    let rowsByID: [String: [Int]]
    /// The file as it was when read, and when that was: an entry whose file still has this identity (and was not
    /// touched in the second of the read) is taken as it is, without reading the file again.
    let identity: ContentFile.Identity?
    let loadedAt: Int64

    init(
        parsed: Parsed, hash: UInt64?, diagnostics: [Diagnostic], rowsByID: [String: [Int]] = [:],
        identity: ContentFile.Identity? = nil, loadedAt: Int64 = 0
    ) {
        self.parsed = parsed
        self.hash = hash
        self.diagnostics = diagnostics
        self.rowsByID = rowsByID
        self.identity = identity
        self.loadedAt = loadedAt
    }

    static func index(_ table: CSVTable?, columns: [String]) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (position, row) in (table?.rows ?? []).enumerated() {
            for column in columns {
                if let id = row[column] { result[id, default: []].append(position) }
            }
        }
        return result
    }
}

/// The files of a content folder with their parsed records, updated file by file.
///
/// It mirrors `ProgrammeFolder.load` (same files, same parsers, same diagnostics in the same order), but keeps every
/// file's result: after an edit only the files named in the change are read and parsed again. `sources()` assembles
/// the `ProgrammeSources` the model stage takes, exactly as `ProgrammeFolder.load` would return them.
struct SourceFiles {
    /// The content folder as the user named it (for messages) and as an absolute URL (for reading).
    let displayRoot: String
    let root: URL
    /// Relative path (`profiles/anna.md`, `assets/photos/a.jpg`) → what it holds.
    private(set) var entries: [String: CachedSource] = [:]
    /// Profile files by participant id (`profiles/anna.md` and `profiles/anna.fr.md` under `anna`).
    private(set) var profilesByID: [String: Set<String>] = [:]
    /// Feedback files by the tandem id in their front matter (`pair`).
    private(set) var feedbackByPair: [String: Set<String>] = [:]
    /// Paths by top-level folder (profiles, feedback, pages, assets).
    private(set) var folders: [String: Set<String>] = [:]
    /// The asset paths in the order `ProgrammeFolder`'s walk lists them (nil: to be sorted again after a change).
    private var sortedAssets: [String]? = []
    /// Markdown files whose body has not been rendered yet, and the main language the others were rendered for.
    private var unrendered = Set<String>()
    private var renderedMain: String?
    /// Why the content folder itself could not be opened (nil: it could).
    private(set) var rootFailure: ContentFile.Failure?
    /// Files that may be absent without an error (`tandem match` does without pairs.csv).
    var optionalFiles: Set<String> = ["meetings.csv"]

    /// The tables by name; each is a CSV file or an Excel workbook (`WorkbookTable`).
    static let tableNames = ["participants", "pairs", "meetings"]
    static let tables = tableNames.flatMap { [$0 + ".csv", $0 + ".xlsx", $0 + ".xls"] }
    static let markdownFolders = ["profiles", "feedback", "pages", "tandems"]

    /// False for a one-time load (`tandem build`, `check`, `match`): no content hashes, row and id indexes or
    /// stale-entry sweep, which only serve a later `refresh`.
    let keepsCache: Bool

    /// Nothing is read until `scanAll` (everything) or `refresh` (the named paths).
    init(contentPath: String, keepsCache: Bool = true) {
        self.keepsCache = keepsCache
        displayRoot = contentPath.hasSuffix("/") && contentPath.count > 1 ? String(contentPath.dropLast()) : contentPath
        root = URL(fileURLWithPath: contentPath, isDirectory: true).standardizedFileURL
    }

    func display(_ relative: String) -> String { displayRoot + "/" + relative }

    /// Which kind of path `relative` is for the load stage.
    enum Kind: Equatable {
        case settings, table, markdownFolderEntry, asset, folder, other
    }

    static func kind(of relative: String) -> Kind {
        if relative == "programme.yml" { return .settings }
        if tables.contains(relative) { return .table }
        // Called for every file of every scan: look at the first slash instead of splitting the path.
        guard let slash = relative.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            return markdownFolders.contains(relative) || relative == "assets" ? .folder : .other
        }
        let first = relative[..<slash]
        if first == "assets" { return .asset }
        let rest = relative.utf8[relative.utf8.index(after: slash)...]
        if markdownFolders.contains(where: { first == $0 }), !rest.contains(UInt8(ascii: "/")) { return .markdownFolderEntry }
        return .other
    }

    /// The participant id a profile file belongs to (`profiles/anna.fr.md` → `anna`), nil for other paths.
    static func profileID(_ relative: String) -> String? {
        guard relative.hasPrefix("profiles/"), relative.hasSuffix(".md"), kind(of: relative) == .markdownFolderEntry else { return nil }
        return ModelBuilder.splitTranslation(relative).base
    }

    // MARK: Reading

    /// An entry a listing found, before it is read: its folder (an index into the scan's open folders), its name
    /// there and its type seen without following it. `preset` is the whole result for a folder that cannot be entered.
    private struct Found {
        let relative: String
        let folder: Int
        let name: String
        let type: ContentFile.EntryType
        var preset: CachedSource? = nil
    }

    /// The folders one scan opened (descriptors for `openat`), closed when the scan is done.
    private final class OpenFolders {
        var descriptors: [Int32] = []
        func add(_ fd: Int32) -> Int {
            descriptors.append(fd)
            return descriptors.count - 1
        }
        func close(_ index: Int) {
            _ = Glibc.close(descriptors[index])
            descriptors[index] = -1
        }
        deinit { for fd in descriptors where fd >= 0 { _ = Glibc.close(fd) } }
    }

    /// Reads everything (the build's load stage, and serve's first build and rescans). Entries whose bytes did not
    /// change keep their parse. Files are read and parsed on `workers` threads; the result does not depend on their number.
    /// Returns the paths whose load result changed (always empty without `keepsCache`).
    @discardableResult
    mutating func scanAll(workers: Int = Parallel.defaultWorkers, progress: ProgressReporter = ProgressReporter(nil)) -> Set<String> {
        Set(refreshTree("", workers: workers, progress: progress).keys)
    }

    /// Re-reads the given paths (files or folders, relative to the content folder) after the watcher saw them change,
    /// or the few files a command needs (`tandem match`). Returns the paths whose load result changed (created,
    /// deleted or different bytes) with what they were before (nil: the path was not there).
    mutating func refresh(_ paths: Set<String>, workers: Int = 1) -> [String: CachedSource?] {
        var previous: [String: CachedSource?] = [:]
        for relative in paths.sorted() where Self.kind(of: relative) != .other {
            for (path, before) in refreshTree(relative, workers: workers) where previous[path] == nil { previous[path] = .some(before) }
        }
        return previous
    }

    /// Lists and loads `relative` ("" for the whole folder) and everything below it again: entries that are gone are
    /// removed, the others replaced when their load result changed. Returns the changed paths with their old entries.
    private mutating func refreshTree(
        _ relative: String, workers: Int, progress: ProgressReporter = ProgressReporter(nil)
    ) -> [String: CachedSource?] {
        let folders = OpenFolders()
        let found = collect(relative, folders: folders)
        progress.begin("load", total: found.count)
        let loaded = Parallel.map(found.count, workers: found.count < 8 ? 1 : workers) { i in
            defer { if i % 100 == 99 { progress.advance(100) } }
            return load(found[i], folders: folders)
        }
        var changed: [String: CachedSource?] = [:]
        if found.count > 64 { entries.reserveCapacity(entries.count + found.count) }
        guard keepsCache else {
            // A one-time load: nobody asks what changed.
            for (item, fresh) in zip(found, loaded) {
                if let fresh { _ = apply(item.relative, fresh) }
            }
            return [:]
        }
        var present = Set<String>()
        for (item, fresh) in zip(found, loaded) {
            guard let fresh else { continue }
            present.insert(item.relative)
            let before = entries[item.relative]
            if apply(item.relative, fresh) { changed[item.relative] = .some(before) }
        }
        for key in staleCandidates(relative) where !present.contains(key) {
            changed[key] = .some(entries[key])
            remove(key)
        }
        return changed
    }

    /// The cached paths at or below `relative` (without looking at every entry: an edit must not cost a scan of
    /// ten thousand paths).
    private func staleCandidates(_ relative: String) -> [String] {
        if relative.isEmpty { return Array(entries.keys) }
        var result = entries[relative] == nil ? [] : [relative]
        switch Self.kind(of: relative) {
        case .settings, .table, .markdownFolderEntry, .other:
            break
        case .folder:
            result += folders[relative] ?? []
        case .asset:
            let prefix = relative + "/"
            result += (folders["assets"] ?? []).filter { $0.hasPrefix(prefix) }
        }
        return result
    }

    /// The entries the load stage takes in at or below `relative` ("" for all), found without following any link.
    private mutating func collect(_ relative: String, folders: OpenFolders) -> [Found] {
        let root: Int32
        switch ContentFile.openRoot(self.root.path) {
        case .success(let fd):
            root = fd
            rootFailure = nil
        case .failure(let failure):
            rootFailure = failure
            return []
        }
        let rootIndex = folders.add(root)
        var found: [Found] = []
        func visit(_ relative: String, _ name: String, _ type: ContentFile.EntryType, folder: Int) {
            let kind = Self.kind(of: relative)
            let hidden = name.hasPrefix(".")
            guard type == .folder else {
                // Hidden files are ignored, except a hidden `.md` file (it is a Markdown file like any other).
                if kind == .other || (hidden && (type != .regular || kind == .asset)) { return }
                var item = Found(relative: relative, folder: folder, name: name, type: type)
                if kind == .asset, type == .regular {
                    // Only looked at, now, so the folder can be closed after its listing (a deep assets tree must
                    // not hold a descriptor per folder).
                    guard let entry = Self.assetEntry(name, in: folders.descriptors[folder]) else { return }
                    item.preset = entry
                }
                found.append(item)
                return
            }
            switch kind {
            case .settings, .table:
                found.append(Found(relative: relative, folder: folder, name: name, type: type))
            case .folder, .asset:
                if hidden { return }
                switch ContentFile.openFolder(name, in: folders.descriptors[folder]) {
                case .failure(let failure):
                    if let diagnostic = ContentFile.folderDiagnostic(for: failure, path: display(relative)) {
                        var item = Found(relative: relative, folder: folder, name: name, type: type)
                        item.preset = CachedSource(parsed: .notRead, hash: nil, diagnostics: [diagnostic])
                        found.append(item)
                    }
                case .success(let fd):
                    let index = folders.add(fd)
                    switch ContentFile.list(fd) {
                    case .failure(let failure):
                        var item = Found(relative: relative, folder: folder, name: name, type: type)
                        let diagnostic = ContentFile.folderDiagnostic(for: failure, path: display(relative))
                        item.preset = CachedSource(parsed: .notRead, hash: nil, diagnostics: diagnostic.map { [$0] } ?? [])
                        found.append(item)
                    case .success(let children):
                        // Unsorted: `sources()` puts the files in order.
                        for child in children {
                            visit(relative + "/" + child.name, child.name, child.type, folder: index)
                        }
                        if kind == .asset || relative == "assets" { folders.close(index) }
                    }
                }
            case .markdownFolderEntry, .other:
                return
            }
        }
        if relative.isEmpty {
            for name in ["programme.yml"] + Self.tables + Self.markdownFolders + ["assets"] {
                if case .success(let type) = ContentFile.entryType(name, in: root) { visit(name, name, type, folder: rootIndex) }
            }
            return found
        }
        // One path: open its parent without following links (so nothing below a linked folder is read), then visit it.
        let parts = relative.split(separator: "/").map(String.init)
        guard let name = parts.last, !(parts.first == "assets" && parts.contains { $0.hasPrefix(".") }) else { return [] }
        var parent = rootIndex
        if parts.count > 1 {
            guard case .success(let fd) = ContentFile.openFolder(parts.dropLast().joined(separator: "/"), in: root) else { return [] }
            parent = folders.add(fd)
        }
        if case .success(let type) = ContentFile.entryType(name, in: folders.descriptors[parent]) {
            visit(parts.joined(separator: "/"), name, type, folder: parent)
        }
        return found
    }

    /// What the load stage makes of one entry a listing found, or nil when it does not take part.
    private func load(_ item: Found, folders: OpenFolders) -> CachedSource? {
        if let preset = item.preset { return preset }
        let relative = item.relative
        let kind = Self.kind(of: relative)
        switch item.type {
        case .symbolicLink, .special:
            // Never opened: a link could lead anywhere (/etc/passwd), a FIFO blocks, a device never ends.
            let failure: ContentFile.Failure = item.type == .symbolicLink ? .symbolicLink : .special(Self.specialName(item.type))
            let diagnostics = ContentFile.diagnostic(for: failure, path: display(relative)).map { [$0] } ?? []
            return CachedSource(parsed: .notRead, hash: nil, diagnostics: diagnostics)
        case .regular, .folder:
            break
        }
        let folder = folders.descriptors[item.folder]
        var diagnostics = Diagnostics()
        // Unchanged since it was read (same inode, size and times): keep the entry, parse and render included.
        if item.type == .regular, let cached = entries[relative], let identity = cached.identity,
            identity.stable(loadedAt: cached.loadedAt), ContentFile.identity(item.name, in: folder) == identity
        {
            return cached
        }
        let loadedAt = keepsCache ? ContentFile.Identity.now() : 0
        var identity: ContentFile.Identity?
        /// The file's bytes, or nil with the reason as a diagnostic (`unreadable`) or nothing (it vanished).
        func read(limit: Int) -> (bytes: [UInt8]?, entry: CachedSource?) {
            switch ContentFile.readWithIdentity(item.name, in: folder, limit: limit) {
            case .success(let read):
                identity = read.identity
                return (read.bytes, nil)
            case .failure(.missing): return (nil, nil)
            case .failure(let failure):
                let parsed: CachedSource.Parsed
                switch failure {
                case .symbolicLink, .special: parsed = .notRead
                default: parsed = .unreadable
                }
                let diagnostic = ContentFile.diagnostic(for: failure, path: display(relative))
                return (nil, CachedSource(parsed: parsed, hash: nil, diagnostics: diagnostic.map { [$0] } ?? []))
            }
        }
        switch kind {
        case .settings, .table:
            let (bytes, failed) = read(limit: kind == .table ? ContentFile.tableLimit : ContentFile.textLimit)
            guard let bytes else { return failed }
            let hash = keepsCache ? Self.hash(bytes) : nil
            if relative == "programme.yml" {
                let yaml = YAMLDocument.parse(
                    text(relative, bytes: bytes, diagnostics: &diagnostics), path: display(relative), diagnostics: &diagnostics)
                var settings: YAMLValue?
                if let yaml, yaml.entries == nil {
                    diagnostics.error(display(relative), line: yaml.line ?? 1, "programme.yml must be a mapping of keys to values")
                } else {
                    settings = yaml
                }
                return CachedSource(
                    parsed: .settings(settings), hash: hash, diagnostics: diagnostics.all, identity: identity, loadedAt: loadedAt)
            }
            let name = String(relative.prefix { $0 != "." })
            let (required, known, keys): ([String], [String], [String]) =
                switch name {
                case "participants": (Columns.participantsRequired, Columns.participants, ["id"])
                case "pairs": (Columns.pairsRequired, Columns.pairs, ["mentor", "mentee"])
                default: (Columns.meetingsRequired, Columns.meetings, ["pair"])
                }
            let table =
                relative.hasSuffix(".csv")
                ? CSVTable.parse(bytes: bytes, path: display(relative), required: required, known: known, diagnostics: &diagnostics)
                : WorkbookTable.parse(
                    bytes: bytes, path: display(relative), table: name, required: required, known: known, diagnostics: &diagnostics)
            return CachedSource(
                parsed: .table(table), hash: hash, diagnostics: diagnostics.all,
                rowsByID: keepsCache ? CachedSource.index(table, columns: keys) : [:],
                identity: identity, loadedAt: loadedAt)
        case .markdownFolderEntry:
            guard item.type == .regular else { return nil }
            guard item.name.hasSuffix(".md") else {
                if !item.name.hasPrefix(".") { diagnostics.warning(display(relative), "not a Markdown (.md) file; ignored") }
                return CachedSource(parsed: .skipped, hash: nil, diagnostics: diagnostics.all)
            }
            let (bytes, failed) = read(limit: ContentFile.textLimit)
            guard let bytes else { return failed }
            let source = MarkdownSource.parse(
                text(relative, bytes: bytes, diagnostics: &diagnostics), path: display(relative), diagnostics: &diagnostics)
            return CachedSource(
                parsed: .markdown(source), hash: keepsCache ? Self.hash(bytes) : nil, diagnostics: diagnostics.all, identity: identity,
                loadedAt: loadedAt)
        case .asset:
            return item.type == .regular ? Self.assetEntry(item.name, in: folder) : nil
        case .folder, .other:
            return nil
        }
    }

    /// An asset is copied, not read (the writer reads it with the same rules): a change of size or time is a change.
    private static func assetEntry(_ name: String, in folder: Int32) -> CachedSource? {
        guard let (size, time) = ContentFile.sizeAndTime(name, in: folder) else { return nil }
        return CachedSource(parsed: .asset, hash: UInt64(truncatingIfNeeded: size) &* 31 &+ UInt64(bitPattern: time), diagnostics: [])
    }

    private static func specialName(_ type: ContentFile.EntryType) -> String {
        if case .special(let name) = type { return name }
        return "special file"
    }

    /// Stores a freshly loaded entry. Returns true when its load result changed.
    private mutating func apply(_ relative: String, _ fresh: CachedSource) -> Bool {
        guard keepsCache else {
            // A one-time load: the entry and its folder are all `sources()` needs.
            if entries.updateValue(fresh, forKey: relative) == nil, let slash = relative.firstIndex(of: "/") {
                folders[String(relative[..<slash]), default: []].insert(relative)
                if relative.hasPrefix("assets/") { sortedAssets = nil }
            }
            return true
        }
        if let old = entries[relative], old.hash == fresh.hash, old.diagnostics == fresh.diagnostics,
            Self.sameKind(old.parsed, fresh.parsed)
        {
            return false
        }
        if let old = entries[relative] {
            // The same path again: the folder and id indexes stay as they are (copying them would cost more than the edit).
            let (before, after) = (Self.pair(of: old, relative), Self.pair(of: fresh, relative))
            if before != after {
                if let before {
                    feedbackByPair[before]?.remove(relative)
                    if feedbackByPair[before]?.isEmpty == true { feedbackByPair[before] = nil }
                }
                if let after { feedbackByPair[after, default: []].insert(relative) }
            }
            entries[relative] = fresh
        } else {
            entries[relative] = fresh
            if let slash = relative.firstIndex(of: "/") { folders[String(relative[..<slash]), default: []].insert(relative) }
            if relative.hasPrefix("assets/") { sortedAssets = nil }
            if let id = Self.profileID(relative) { profilesByID[id, default: []].insert(relative) }
            if let pair = Self.pair(of: fresh, relative) { feedbackByPair[pair, default: []].insert(relative) }
        }
        if case .markdown = fresh.parsed { unrendered.insert(relative) } else { unrendered.remove(relative) }
        return true
    }

    private mutating func remove(_ relative: String) {
        guard let old = entries.removeValue(forKey: relative) else { return }
        if let slash = relative.firstIndex(of: "/") { folders[String(relative[..<slash])]?.remove(relative) }
        if relative.hasPrefix("assets/") { sortedAssets = nil }
        if let id = Self.profileID(relative) {
            profilesByID[id]?.remove(relative)
            if profilesByID[id]?.isEmpty == true { profilesByID[id] = nil }
        }
        if let pair = Self.pair(of: old, relative) {
            feedbackByPair[pair]?.remove(relative)
            if feedbackByPair[pair]?.isEmpty == true { feedbackByPair[pair] = nil }
        }
        unrendered.remove(relative)
    }

    /// The tandem a feedback file names (`pair:` in its front matter).
    static func pair(of entry: CachedSource, _ relative: String) -> String? {
        guard relative.hasPrefix("feedback/"), case .markdown(let source) = entry.parsed else { return nil }
        return source.frontMatter?.entries?.first { $0.key == "pair" }?.value.scalarText
    }

    private static func sameKind(_ a: CachedSource.Parsed, _ b: CachedSource.Parsed) -> Bool {
        switch (a, b) {
        case (.settings, .settings), (.table, .table), (.markdown, .markdown), (.skipped, .skipped), (.asset, .asset),
            (.notRead, .notRead), (.unreadable, .unreadable):
            return true
        default: return false
        }
    }

    private func text(_ relative: String, bytes: [UInt8], diagnostics: inout Diagnostics) -> String {
        let (text, encoding) = TextDecoding.decode(bytes)
        if encoding != .utf8 { diagnostics.warning(display(relative), "file is not UTF-8; read as \(encoding.rawValue)") }
        return text
    }

    /// FNV-1a over the bytes: detects an unchanged save without keeping the bytes.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    // MARK: Preparing

    /// Gets the records ready for `sources()`: renders the body of every Markdown file that has no render yet in the
    /// language the model will ask for, as the parse stage (`ModelBuilder.renderMarkdown`) does for a whole folder
    /// (after an edit: only the edited files), and puts the assets in the walk's order once per change of the list.
    mutating func prepare(workers: Int) {
        if sortedAssets == nil {
            // The walk visits each folder's names sorted: compare path segments, not whole strings ("a/b" vs "a-b").
            let keyed = (folders["assets"] ?? []).map { ($0, $0.split(separator: "/")) }
            sortedAssets = keyed.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)
        }
        var ignored = Diagnostics()
        var main = "de"
        if case .settings(let yaml?)? = entries["programme.yml"]?.parsed {
            main = ProgrammeSettings.read(yaml, diagnostics: &ignored).language
        }
        // A new main language changes what every file is rendered in; otherwise only new or changed files need it.
        let candidates: [String] = main == renderedMain ? Array(unrendered) : Array(entries.keys)
        renderedMain = main
        unrendered = []
        var jobs: [(relative: String, source: MarkdownSource, language: String)] = []
        for relative in candidates {
            guard case .markdown(let source)? = entries[relative]?.parsed else { continue }
            let language = relative.hasPrefix("feedback/") ? main : (ModelBuilder.splitTranslation(relative).language ?? main)
            if source.rendered == nil || source.renderedLanguage != language { jobs.append((relative, source, language)) }
        }
        guard !jobs.isEmpty else { return }
        let rendered = Parallel.map(jobs.count, workers: jobs.count < 8 ? 1 : workers) { i in
            Markdown.render(jobs[i].source.body, language: jobs[i].language)
        }
        for (job, html) in zip(jobs, rendered) {
            var source = job.source
            source.rendered = html
            source.renderedLanguage = job.language
            guard let entry = entries[job.relative] else { continue }
            entries[job.relative] = CachedSource(
                parsed: .markdown(source), hash: entry.hash, diagnostics: entry.diagnostics, identity: entry.identity,
                loadedAt: entry.loadedAt)
        }
    }

    // MARK: Assembling

    /// The records `ProgrammeFolder.load` would return for the folder as it is now, and its diagnostics in its order.
    func sources() -> (ProgrammeSources, Diagnostics) {
        sources(
            profiles: folders["profiles"] ?? [], feedback: folders["feedback"] ?? [], pages: folders["pages"] ?? [],
            tandems: folders["tandems"] ?? [])
    }

    /// Like `sources()` with only the given Markdown files (the tables are the caller's to filter).
    func sources(
        profiles: Set<String>, feedback: Set<String>, pages: Set<String>, tandems: Set<String> = [],
        previous: [String: CachedSource?] = [:]
    ) -> (ProgrammeSources, Diagnostics) {
        var diagnostics = Diagnostics()
        var sources = ProgrammeSources(settingsPath: display("programme.yml"), displayRoot: displayRoot, root: root)
        if let rootFailure {
            switch rootFailure {
            case .missing, .notAFolder: diagnostics.error(displayRoot, "content folder not found")
            default:
                if let diagnostic = ContentFile.folderDiagnostic(for: rootFailure, path: displayRoot) { diagnostics.append(diagnostic) }
            }
            return (sources, diagnostics)
        }
        func entry(_ relative: String, required: Bool) -> CachedSource? {
            guard let entry = (previous.isEmpty ? nil : previous[relative]) ?? entries[relative] else {
                if required { diagnostics.error(display(relative), "required file is missing") }
                return nil
            }
            for diagnostic in entry.diagnostics { diagnostics.append(diagnostic) }
            if required, case .notRead = entry.parsed {
                diagnostics.error(display(relative), "required file is missing (a link or special file is not read)")
            }
            return entry
        }
        // A folder that is a link or cannot be read: its diagnostic stands for all its files.
        for folder in Self.markdownFolders + ["assets"] {
            for diagnostic in entries[folder]?.diagnostics ?? [] { diagnostics.append(diagnostic) }
        }
        if case .settings(let yaml)? = entry("programme.yml", required: true)?.parsed { sources.settings = yaml }
        for table in Self.tableNames {
            // `participants.csv` or an Excel workbook `participants.xlsx`; both at once is an error.
            let name = WorkbookTable.file(for: table, root: root, display: display, diagnostics: &diagnostics)
            guard case .table(let parsed)? = entry(name, required: !optionalFiles.contains(table + ".csv"))?.parsed else { continue }
            switch table {
            case "participants": sources.participants = parsed
            case "pairs": sources.pairs = parsed
            default: sources.meetings = parsed
            }
        }
        func markdown(_ paths: Set<String>) -> [MarkdownSource] {
            var result: [MarkdownSource] = []
            result.reserveCapacity(paths.count)
            // ProgrammeFolder sorts the names within the folder; the paths share the prefix, so this is the same order.
            for relative in paths.sorted() {
                guard let cached = entry(relative, required: false) else { continue }
                if case .markdown(let source) = cached.parsed { result.append(source) }
            }
            return result
        }
        sources.profiles = markdown(profiles)
        sources.feedback = markdown(feedback)
        sources.pages = markdown(pages)
        sources.tandems = markdown(tandems)
        let assets =
            sortedAssets
            ?? (folders["assets"] ?? []).sorted { $0.split(separator: "/").lexicographicallyPrecedes($1.split(separator: "/")) }
        for relative in assets {
            guard let cached = entries[relative] else { continue }
            switch cached.parsed {
            case .asset: sources.assets.append(String(relative.dropFirst("assets/".count)))
            default: for diagnostic in cached.diagnostics { diagnostics.append(diagnostic) }
            }
        }
        return (sources, diagnostics)
    }
}
