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
    /// Files below `assets/`, as paths relative to it, sorted.
    var assets: [String] = []
    /// The content folder as the user named it (for messages) and as an absolute URL (for reading).
    var displayRoot: String
    var root: URL
}

/// Column names of the CSV files, as SPEC.md lists them.
enum Columns {
    static let participantsRequired = ["id", "name", "role", "organisation"]
    static let participants = participantsRequired + ["position", "email", "languages", "topics", "publish", "photo"]
    static let pairsRequired = ["mentor", "mentee"]
    /// `score` and `reasons` are written by `tandem match`; the build ignores them.
    static let pairs = ["id"] + pairsRequired + ["started", "goals", "status", "score", "reasons"]
    static let meetingsRequired = ["pair", "date"]
    static let meetings = meetingsRequired + ["minutes", "format", "topics", "note"]
}

enum ProgrammeFolder {
    /// Reads every file SPEC.md names below `contentPath`. Unreadable or malformed files become diagnostics.
    /// The Markdown folders (profiles, feedback, pages) are read and split on `workers` threads; their diagnostics
    /// are merged in file order, so the result does not depend on the number of workers.
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

        func read(_ relative: String, required: Bool) -> [UInt8]? {
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

        if let bytes = read("programme.yml", required: true) {
            let yaml = YAMLDocument.parse(
                text("programme.yml", bytes: bytes), path: display("programme.yml"), diagnostics: &diagnostics)
            if let yaml, yaml.entries == nil {
                diagnostics.error(display("programme.yml"), line: yaml.line ?? 1, "programme.yml must be a mapping of keys to values")
            } else {
                sources.settings = yaml
            }
        }
        if let bytes = read("participants.csv", required: true) {
            sources.participants = CSVTable.parse(
                bytes: bytes, path: display("participants.csv"), required: Columns.participantsRequired,
                known: Columns.participants, diagnostics: &diagnostics)
        }
        if let bytes = read("pairs.csv", required: true) {
            sources.pairs = CSVTable.parse(
                bytes: bytes, path: display("pairs.csv"), required: Columns.pairsRequired, known: Columns.pairs,
                diagnostics: &diagnostics)
        }
        if let bytes = read("meetings.csv", required: false) {
            sources.meetings = CSVTable.parse(
                bytes: bytes, path: display("meetings.csv"), required: Columns.meetingsRequired,
                known: Columns.meetings, diagnostics: &diagnostics)
        }

        // Every Markdown file of the three folders, in folder then name order; read and split in parallel.
        var files: [(folder: Int, relative: String)] = []
        let folders = ["profiles", "feedback", "pages"]
        for (index, folder) in folders.enumerated() {
            for name in listFiles(root.appendingPathComponent(folder)).sorted() {
                let relative = folder + "/" + name
                guard name.hasSuffix(".md") else {
                    if !name.hasPrefix(".") { diagnostics.warning(display(relative), "not a Markdown (.md) file; ignored") }
                    continue
                }
                files.append((index, relative))
            }
        }
        progress.begin("load", total: files.count)
        let rootPath = root.path
        let parsed: [(source: MarkdownSource?, diagnostics: Diagnostics)] = Parallel.map(files.count, workers: workers) { i in
            var local = Diagnostics()
            defer { if i % 100 == 99 { progress.advance(100) } }
            let relative = files[i].relative
            guard let bytes = FileIO.read(rootPath + "/" + relative) else {
                local.error(display(relative), "cannot read file")
                return (nil, local)
            }
            let (text, encoding) = TextDecoding.decode(bytes)
            if encoding != .utf8 { local.warning(display(relative), "file is not UTF-8; read as \(encoding.rawValue)") }
            return (MarkdownSource.parse(text, path: display(relative), diagnostics: &local), local)
        }
        var markdown: [[MarkdownSource]] = [[], [], []]
        for (file, result) in zip(files, parsed) {
            diagnostics.append(contentsOf: result.diagnostics)
            if let source = result.source { markdown[file.folder].append(source) }
        }
        sources.profiles = markdown[0]
        sources.feedback = markdown[1]
        sources.pages = markdown[2]
        sources.assets = listAssets(root.appendingPathComponent("assets"), display: display("assets"), diagnostics: &diagnostics)
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
