import Foundation

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
        /// A symbolic link below assets/ (not copied, with a warning).
        case assetLink
        /// A file the load stage could not read.
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

    init(parsed: Parsed, hash: UInt64?, diagnostics: [Diagnostic], rowsByID: [String: [Int]] = [:]) {
        self.parsed = parsed
        self.hash = hash
        self.diagnostics = diagnostics
        self.rowsByID = rowsByID
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
    /// False when the folder itself is missing.
    private(set) var folderExists = true

    static let tables = ["participants.csv", "pairs.csv", "meetings.csv"]
    static let markdownFolders = ["profiles", "feedback", "pages", "tandems"]

    init(contentPath: String) {
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
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1, markdownFolders.contains(relative) || relative == "assets" { return .folder }
        if parts.count == 2, markdownFolders.contains(String(parts[0])) { return .markdownFolderEntry }
        if parts.count >= 2, parts[0] == "assets" { return .asset }
        return .other
    }

    /// The participant id a profile file belongs to (`profiles/anna.fr.md` → `anna`), nil for other paths.
    static func profileID(_ relative: String) -> String? {
        guard relative.hasPrefix("profiles/"), relative.hasSuffix(".md"), kind(of: relative) == .markdownFolderEntry else { return nil }
        return ModelBuilder.splitTranslation(relative).base
    }

    // MARK: Reading

    /// Reads everything, like `ProgrammeFolder.load`. Entries whose bytes did not change keep their parse.
    @discardableResult
    mutating func scanAll() -> Set<String> {
        var isDirectory: ObjCBool = false
        folderExists = FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
        var seen = Set<String>()
        var changed = Set<String>()
        if folderExists {
            for name in ["programme.yml"] + Self.tables {
                seen.insert(name)
                if refreshFile(name) { changed.insert(name) }
            }
            for folder in Self.markdownFolders {
                for name in Self.listFiles(root.appendingPathComponent(folder)) {
                    let relative = folder + "/" + name
                    seen.insert(relative)
                    if refreshFile(relative) { changed.insert(relative) }
                }
            }
            for relative in walkAssets("assets") {
                seen.insert(relative)
                if refreshFile(relative) { changed.insert(relative) }
            }
        }
        for relative in entries.keys where !seen.contains(relative) {
            remove(relative)
            changed.insert(relative)
        }
        return changed
    }

    /// Re-reads the given paths (files or folders, relative to the content folder) after the watcher saw them change.
    /// Returns the paths whose load result changed (created, deleted or different bytes) with what they were before
    /// (nil: the path was not there).
    mutating func refresh(_ paths: Set<String>) -> [String: CachedSource?] {
        var changed = Set<String>()
        var previous: [String: CachedSource?] = [:]
        for relative in paths.sorted() {
            switch Self.kind(of: relative) {
            case .settings, .table, .markdownFolderEntry:
                let old = entries[relative]
                if refreshFile(relative) {
                    changed.insert(relative)
                    if previous[relative] == nil { previous[relative] = .some(old) }
                }
            case .asset, .folder:
                let prefix = relative + "/"
                let before = entries.filter { $0.key == relative || $0.key.hasPrefix(prefix) }
                for path in refreshTree(relative) where previous[path] == nil { previous[path] = .some(before[path]) }
            case .other:
                continue
            }
        }
        return previous
    }

    /// A folder (or a path below assets/) that may have appeared, disappeared or changed: re-list it.
    private mutating func refreshTree(_ relative: String) -> Set<String> {
        var changed = Set<String>()
        var present = Set<String>()
        if Self.markdownFolders.contains(relative) {
            for name in Self.listFiles(root.appendingPathComponent(relative)) { present.insert(relative + "/" + name) }
        } else if relative == "assets" || relative.hasPrefix("assets/") {
            // Walk from the path itself, keeping the walk's rules (hidden names and links) for every segment above it.
            if !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }), ancestorsAreFolders(relative) {
                present = Set(walkAssets(relative))
            }
        }
        let prefix = relative + "/"
        for key in entries.keys where (key == relative || key.hasPrefix(prefix)) && !present.contains(key) {
            remove(key)
            changed.insert(key)
        }
        for key in present where refreshFile(key) { changed.insert(key) }
        return changed
    }

    /// True when every folder between assets/ and `relative` is a real folder (the walk does not follow links).
    private func ancestorsAreFolders(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/").map(String.init)
        guard parts.count > 2 else { return true }
        for count in 2..<parts.count {
            let path = root.appendingPathComponent(parts[0..<count].joined(separator: "/")).path
            guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type == .typeDirectory
            else { return false }
        }
        return true
    }

    /// Reads one file again. Returns true when its load result changed.
    @discardableResult
    private mutating func refreshFile(_ relative: String) -> Bool {
        guard let fresh = load(relative) else {
            if entries[relative] != nil {
                remove(relative)
                return true
            }
            return false
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
            (.assetLink, .assetLink), (.unreadable, .unreadable):
            return true
        default: return false
        }
    }

    /// What the load stage makes of `relative` now, or nil when it does not take part (missing, a folder, hidden ...).
    private func load(_ relative: String) -> CachedSource? {
        let url = root.appendingPathComponent(relative)
        var diagnostics = Diagnostics()
        switch Self.kind(of: relative) {
        case .settings, .table:
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                diagnostics.error(display(relative), "cannot read file")
                return CachedSource(parsed: .unreadable, hash: nil, diagnostics: diagnostics.all)
            }
            let bytes = [UInt8](data)
            let hash = Self.hash(bytes)
            if relative == "programme.yml" {
                let yaml = YAMLDocument.parse(
                    text(relative, bytes: bytes, diagnostics: &diagnostics), path: display(relative), diagnostics: &diagnostics)
                var settings: YAMLValue?
                if let yaml, yaml.entries == nil {
                    diagnostics.error(display(relative), line: yaml.line ?? 1, "programme.yml must be a mapping of keys to values")
                } else {
                    settings = yaml
                }
                return CachedSource(parsed: .settings(settings), hash: hash, diagnostics: diagnostics.all)
            }
            let (required, known): ([String], [String]) =
                switch relative {
                case "participants.csv": (Columns.participantsRequired, Columns.participants)
                case "pairs.csv": (Columns.pairsRequired, Columns.pairs)
                default: (Columns.meetingsRequired, Columns.meetings)
                }
            let table = CSVTable.parse(bytes: bytes, path: display(relative), required: required, known: known, diagnostics: &diagnostics)
            let keys =
                switch relative {
                case "participants.csv": ["id"]
                case "pairs.csv": ["mentor", "mentee"]
                default: ["pair"]
                }
            return CachedSource(
                parsed: .table(table), hash: hash, diagnostics: diagnostics.all, rowsByID: CachedSource.index(table, columns: keys))
        case .markdownFolderEntry:
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            let name = url.lastPathComponent
            guard name.hasSuffix(".md") else {
                if !name.hasPrefix(".") { diagnostics.warning(display(relative), "not a Markdown (.md) file; ignored") }
                return CachedSource(parsed: .skipped, hash: nil, diagnostics: diagnostics.all)
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                diagnostics.error(display(relative), "cannot read file")
                return CachedSource(parsed: .unreadable, hash: nil, diagnostics: diagnostics.all)
            }
            let bytes = [UInt8](data)
            let source = MarkdownSource.parse(
                text(relative, bytes: bytes, diagnostics: &diagnostics), path: display(relative), diagnostics: &diagnostics)
            return CachedSource(parsed: .markdown(source), hash: Self.hash(bytes), diagnostics: diagnostics.all)
        case .asset:
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let type = attributes[.type] as? FileAttributeType
            else { return nil }
            switch type {
            case .typeRegular:
                // Assets are copied, not read: a change of size or time is a change.
                let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
                let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                return CachedSource(parsed: .asset, hash: size &* 31 &+ UInt64(bitPattern: Int64(time * 1_000_000)), diagnostics: [])
            case .typeSymbolicLink:
                diagnostics.warning(display(relative), "symbolic link in assets is not copied")
                return CachedSource(parsed: .assetLink, hash: nil, diagnostics: diagnostics.all)
            default: return nil
            }
        case .folder, .other:
            return nil
        }
    }

    private func text(_ relative: String, bytes: [UInt8], diagnostics: inout Diagnostics) -> String {
        let (text, encoding) = TextDecoding.decode(bytes)
        if encoding != .utf8 { diagnostics.warning(display(relative), "file is not UTF-8; read as \(encoding.rawValue)") }
        return text
    }

    /// Regular files directly in `folder` (none when it does not exist), as `ProgrammeFolder` lists them.
    private static func listFiles(_ folder: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    /// Regular files and links below `relative` (assets/ or a path in it), skipping hidden names, like `ProgrammeFolder`.
    private func walkAssets(_ relative: String) -> [String] {
        var result: [String] = []
        func list(_ url: URL, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") { walk(url.appendingPathComponent(name), prefix + "/" + name) }
        }
        func walk(_ url: URL, _ prefix: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let type = attributes[.type] as? FileAttributeType
            else { return }
            switch type {
            case .typeDirectory: list(url, prefix)
            case .typeRegular, .typeSymbolicLink: result.append(prefix)
            default: break
            }
        }
        // assets/ itself is listed even when it is a link (as ProgrammeFolder does); below it, links are not followed.
        if relative == "assets" {
            list(root.appendingPathComponent(relative), relative)
        } else {
            walk(root.appendingPathComponent(relative), relative)
        }
        return result
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
            entries[job.relative] = CachedSource(parsed: .markdown(source), hash: entry.hash, diagnostics: entry.diagnostics)
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
        profiles: Set<String>, feedback: Set<String>, pages: Set<String>, tandems: Set<String> = [], previous: [String: CachedSource?] = [:]
    ) -> (
        ProgrammeSources, Diagnostics
    ) {
        var diagnostics = Diagnostics()
        var sources = ProgrammeSources(settingsPath: display("programme.yml"), displayRoot: displayRoot, root: root)
        guard folderExists else {
            diagnostics.error(displayRoot, "content folder not found")
            return (sources, diagnostics)
        }
        func entry(_ relative: String, required: Bool) -> CachedSource? {
            guard let entry = previous[relative] ?? entries[relative] else {
                if required { diagnostics.error(display(relative), "required file is missing") }
                return nil
            }
            for diagnostic in entry.diagnostics { diagnostics.append(diagnostic) }
            return entry
        }
        if case .settings(let yaml)? = entry("programme.yml", required: true)?.parsed { sources.settings = yaml }
        if case .table(let table)? = entry("participants.csv", required: true)?.parsed { sources.participants = table }
        if case .table(let table)? = entry("pairs.csv", required: true)?.parsed { sources.pairs = table }
        if case .table(let table)? = entry("meetings.csv", required: false)?.parsed { sources.meetings = table }
        func markdown(_ paths: Set<String>) -> [MarkdownSource] {
            var result: [MarkdownSource] = []
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
