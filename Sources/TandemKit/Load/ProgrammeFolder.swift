import Foundation

/// The raw records of a programme folder: parsed files, not yet checked against each other.
struct ProgrammeSources {
    var settings: YAMLValue?
    var settingsPath: String
    var participants: CSVTable?
    var pairs: CSVTable?
    var meetings: CSVTable?
    var profiles: [MarkdownSource] = []
    var feedback: [MarkdownSource] = []
    var pages: [MarkdownSource] = []
    /// Tandem portraits (tandems/<tandem-id>.md and their translations).
    var tandems: [MarkdownSource] = []
    /// Files below `assets/`, as paths relative to it, sorted.
    var assets: [String] = []
    /// The content folder as the user named it (for messages) and as an absolute URL (for reading).
    var displayRoot: String
    var root: URL
}

/// Column names of the CSV files, as SPEC.md lists them.
enum Columns {
    static let participantsRequired = ["id", "name", "role", "organisation"]
    static let participants = participantsRequired + ["position", "email", "languages", "topics", "publish", "photo", "gender"]
    static let pairsRequired = ["mentor", "mentee"]
    /// `score` and `reasons` are written by `tandem match`; the build ignores them.
    static let pairs = ["id"] + pairsRequired + ["started", "goals", "status", "score", "reasons"]
    static let meetingsRequired = ["pair", "date"]
    static let meetings = meetingsRequired + ["minutes", "format", "topics", "note"]
}

enum ProgrammeFolder {
    /// Reads every file SPEC.md names below `contentPath`. Unreadable or malformed files become diagnostics.
    /// The CSV tables and the Markdown folders (profiles, feedback, pages, tandems) are parsed on `workers` threads; their
    /// diagnostics are merged in file order, so the result does not depend on the number of workers.
    static func load(
        contentPath: String, diagnostics: inout Diagnostics, workers: Int = Parallel.defaultWorkers,
        progress: ProgressReporter = ProgressReporter(nil)
    ) -> ProgrammeSources {
        let displayRoot = contentPath.hasSuffix("/") && contentPath.count > 1 ? String(contentPath.dropLast()) : contentPath
        let root = URL(fileURLWithPath: contentPath, isDirectory: true).standardizedFileURL
        func display(_ relative: String) -> String { displayRoot + "/" + relative }

        var sources = ProgrammeSources(settingsPath: display("programme.yml"), displayRoot: displayRoot, root: root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(displayRoot, "content folder not found")
            return sources
        }

        func read(_ relative: String, required: Bool, diagnostics: inout Diagnostics) -> [UInt8]? {
            let url = root.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else {
                if required { diagnostics.error(display(relative), "required file is missing") }
                return nil
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                diagnostics.error(display(relative), "cannot read file")
                return nil
            }
            return [UInt8](data)
        }

        func text(_ relative: String, bytes: [UInt8]) -> String {
            let (text, encoding) = TextDecoding.decode(bytes)
            if encoding != .utf8 {
                diagnostics.warning(display(relative), "file is not UTF-8; read as \(encoding.rawValue)")
            }
            return text
        }

        if let bytes = read("programme.yml", required: true, diagnostics: &diagnostics) {
            let yaml = YAMLDocument.parse(
                text("programme.yml", bytes: bytes), path: display("programme.yml"), diagnostics: &diagnostics)
            if let yaml, yaml.entries == nil {
                diagnostics.error(display("programme.yml"), line: yaml.line ?? 1, "programme.yml must be a mapping of keys to values")
            } else {
                sources.settings = yaml
            }
        }
        // The tables are read here and parsed below, in parallel with the Markdown files.
        struct Table {
            let name: String
            let bytes: [UInt8]?
            let required: [String]
            let known: [String]
            /// "required file is missing" or "cannot read file", in the order they were found.
            let diagnostics: Diagnostics
        }
        var tables: [Table] = []
        for (table, required, known, isRequired) in [
            ("participants", Columns.participantsRequired, Columns.participants, true),
            ("pairs", Columns.pairsRequired, Columns.pairs, true),
            ("meetings", Columns.meetingsRequired, Columns.meetings, false),
        ] {
            var found = Diagnostics()
            // `participants.csv` or an Excel workbook `participants.xlsx` (see WorkbookTable).
            let name = WorkbookTable.file(for: table, root: root, display: display, diagnostics: &found)
            let bytes = read(name, required: isRequired, diagnostics: &found)
            tables.append(Table(name: name, bytes: bytes, required: required, known: known, diagnostics: found))
        }

        // Every Markdown file of the three folders, in folder then name order; read and split in parallel.
        var files: [(folder: Int, relative: String)] = []
        var listing = Diagnostics()
        let folders = ["profiles", "feedback", "pages", "tandems"]
        for (index, folder) in folders.enumerated() {
            for name in listFiles(root.appendingPathComponent(folder)).sorted() {
                let relative = folder + "/" + name
                guard name.hasSuffix(".md") else {
                    if !name.hasPrefix(".") { listing.warning(display(relative), "not a Markdown (.md) file; ignored") }
                    continue
                }
                files.append((index, relative))
            }
        }
        progress.begin("load", total: files.count)
        let rootPath = root.path
        /// What one job produced: a parsed table (the first jobs) or a Markdown file, with its diagnostics.
        enum Loaded {
            case table(CSVTable?)
            case markdown(MarkdownSource?)
        }
        let parsed: [(loaded: Loaded, diagnostics: Diagnostics)] = Parallel.map(tables.count + files.count, workers: workers) { job in
            var local = Diagnostics()
            if job < tables.count {
                let table = tables[job]
                local = table.diagnostics
                guard let bytes = table.bytes else { return (.table(nil), local) }
                if !table.name.hasSuffix(".csv") {
                    let parsed = WorkbookTable.parse(
                        bytes: bytes, path: display(table.name), table: String(table.name.prefix { $0 != "." }),
                        required: table.required, known: table.known, diagnostics: &local)
                    return (.table(parsed), local)
                }
                let parsed = CSVTable.parse(
                    bytes: bytes, path: display(table.name), required: table.required, known: table.known, diagnostics: &local)
                return (.table(parsed), local)
            }
            let i = job - tables.count
            defer { if i % 100 == 99 { progress.advance(100) } }
            let relative = files[i].relative
            guard let bytes = FileIO.read(rootPath + "/" + relative) else {
                local.error(display(relative), "cannot read file")
                return (.markdown(nil), local)
            }
            let (text, encoding) = TextDecoding.decode(bytes)
            if encoding != .utf8 { local.warning(display(relative), "file is not UTF-8; read as \(encoding.rawValue)") }
            return (.markdown(MarkdownSource.parse(text, path: display(relative), diagnostics: &local)), local)
        }
        for (job, result) in parsed.prefix(tables.count).enumerated() {
            diagnostics.append(contentsOf: result.diagnostics)
            guard case .table(let table) = result.loaded else { continue }
            switch job {
            case 0: sources.participants = table
            case 1: sources.pairs = table
            default: sources.meetings = table
            }
        }
        diagnostics.append(contentsOf: listing)
        var markdown: [[MarkdownSource]] = [[], [], [], []]
        for (file, result) in zip(files, parsed.dropFirst(tables.count)) {
            diagnostics.append(contentsOf: result.diagnostics)
            if case .markdown(let source?) = result.loaded { markdown[file.folder].append(source) }
        }
        sources.profiles = markdown[0]
        sources.feedback = markdown[1]
        sources.pages = markdown[2]
        sources.tandems = markdown[3]
        sources.assets = listAssets(root.appendingPathComponent("assets"), display: display("assets"), diagnostics: &diagnostics)
        diagnostics.append(
            contentsOf: PublicText.addressWarnings(assetsFolder: root.path + "/assets", assets: sources.assets, display: display("assets")))
        return sources
    }

    /// Files directly in `folder` (anything but a folder, following links; none when it does not exist).
    private static func listFiles(_ folder: URL) -> [String] {
        guard let entries = FileIO.list(folder.path, followLinks: true) else { return [] }
        return entries.filter { $0.type == .file || $0.type == .other }.map(\.name)
    }

    /// Every regular file below `assets/`, relative to it. Symbolic links are skipped so nothing outside is copied.
    private static func listAssets(_ folder: URL, display: String, diagnostics: inout Diagnostics) -> [String] {
        var result: [String] = []
        func walk(_ url: URL, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = url.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: child.path),
                    let type = attributes[.type] as? FileAttributeType
                else { continue }
                switch type {
                case .typeDirectory: walk(child, relative)
                case .typeRegular: result.append(relative)
                case .typeSymbolicLink:
                    diagnostics.warning(display + "/" + relative, "symbolic link in assets is not copied")
                default: break
                }
            }
        }
        walk(folder, "")
        return result
    }
}
