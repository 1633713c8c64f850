import Foundation

/// The built-in default theme: every file of the repository's Templates/, compiled into TandemKit by the EmbedTheme
/// build plugin (`encodedFiles` is generated at build time), so a lone `tandem` executable needs no files beside it.
enum BuiltInTheme {
    struct File: Sendable {
        /// The path below Templates/, e.g. `site/home.mustache`.
        let path: String
        let bytes: [UInt8]
    }

    /// The files, decoded once (about 300 KB, well under a millisecond).
    static let files: [File] = encodedFiles.map { File(path: $0.path, bytes: [UInt8](Data(base64Encoded: $0.base64) ?? Data())) }
}

/// The theme's files by role, the override folder's files laid over the built-in ones.
struct ThemeLayers {
    enum Origin {
        case builtIn([UInt8])
        /// An absolute path in the override folder, already checked to be a regular file.
        case file(String)
    }

    struct Entry {
        let relative: String
        /// The path diagnostics show.
        let shown: String
        let origin: Origin
    }

    /// Templates by name: an override replaces the built-in template of the same file name, wherever it sits.
    private var templates: [String: Entry] = [:]
    /// Strings files by path, the built-in file first: merged key by key, the later layer winning.
    private var strings: [String: [Entry]] = [:]
    /// Assets by path below assets/.
    private var assets: [String: Entry] = [:]

    /// The template name of a `.mustache` file (its file name without the extension).
    static func templateName(_ relative: String) -> String? {
        guard relative.hasSuffix(".mustache"), !relative.hasPrefix("assets/") else { return nil }
        let file = relative.split(separator: "/").last.map(String.init) ?? relative
        return String(file.dropLast(".mustache".count))
    }

    mutating func add(relative: String, shown: String, origin: Origin) {
        let entry = Entry(relative: relative, shown: shown, origin: origin)
        if relative.hasPrefix("assets/") {
            assets[String(relative.dropFirst("assets/".count))] = entry
        } else if let name = Self.templateName(relative) {
            templates[name] = entry
        } else if relative.hasPrefix("strings/"), relative.hasSuffix(".yml") {
            strings[relative, default: []].append(entry)
        }
    }

    private static func bytes(_ entry: Entry, diagnostics: inout Diagnostics) -> [UInt8]? {
        switch entry.origin {
        case .builtIn(let bytes): return bytes
        case .file(let path):
            guard case .success(let bytes) = ContentFile.read(path: path) else {
                diagnostics.error(entry.shown, "cannot read this file (or it is not a regular file)")
                return nil
            }
            return bytes
        }
    }

    func theme(overridePath: String?, diagnostics: inout Diagnostics) -> Theme? {
        var parsed: [String: Template] = [:]
        var paths: [String: String] = [:]
        for name in templates.keys.sorted() {
            guard let entry = templates[name], let data = Self.bytes(entry, diagnostics: &diagnostics) else { continue }
            do {
                parsed[name] = try Template(TextDecoding.decode(data).text)
                paths[name] = entry.shown
            } catch {
                diagnostics.error(entry.shown, line: error.line, column: error.column, "template syntax: \(error.message)")
            }
        }
        Self.checkPartials(parsed, paths: paths, diagnostics: &diagnostics)

        var languages: [String: UIStrings] = [:]
        for relative in strings.keys.sorted() {
            // strings/<lang>.yml and strings/<part>.<lang>.yml (e.g. print.de.yml) are merged per language.
            let file = relative.split(separator: "/").last.map(String.init) ?? relative
            let language = String(file.dropLast(".yml".count).split(separator: ".").last ?? "")
            var merged: UIStrings?
            for entry in strings[relative] ?? [] {
                guard let data = Self.bytes(entry, diagnostics: &diagnostics),
                    let layer = UIStrings.parse(
                        TextDecoding.decode(data).text, path: entry.shown, language: language, diagnostics: &diagnostics)
                else { continue }
                // An override file replaces the built-in file's values key by key (a top-level key as a whole).
                merged =
                    merged.map {
                        UIStrings(values: $0.values.merging(layer.values) { _, override in override }, path: layer.path, language: language)
                    } ?? layer
            }
            guard let parsed = merged else { continue }
            if let existing = languages[language] {
                for key in parsed.values.keys.sorted() where existing.values[key] != nil {
                    diagnostics.error(parsed.path, "string '\(key)' is already defined in \(existing.path)")
                }
                languages[language] = UIStrings(
                    values: existing.values.merging(parsed.values) { a, _ in a }, path: existing.path, language: language)
            } else {
                languages[language] = parsed
            }
        }

        var sources: [String: Theme.AssetSource] = [:]
        for (asset, entry) in assets where !asset.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            switch entry.origin {
            case .builtIn(let bytes): sources[asset] = .builtIn(bytes)
            case .file(let path): sources[asset] = .file(path)
            }
        }
        return Theme(overridePath: overridePath, templates: parsed, templatePaths: paths, strings: languages, assetSources: sources)
    }

    /// Every `{{>name}}` and `{{<name}}` must name a template of the theme (a dynamic `{{>*name}}` is decided while
    /// rendering): otherwise it would render as nothing, silently.
    static func checkPartials(_ templates: [String: Template], paths: [String: String], diagnostics: inout Diagnostics) {
        for name in templates.keys.sorted() {
            guard let template = templates[name], let path = paths[name] else { continue }
            func visit(_ nodes: [TemplateNode]) {
                for node in nodes {
                    switch node {
                    case .section(_, let body), .invertedSection(_, let body), .block(_, let body, _), .blockDefinition(_, let body):
                        visit(body)
                    case .partial(let partial, let dynamic, _, let overrides, let offset):
                        if !dynamic, templates[partial] == nil {
                            let position = template.position(of: offset)
                            let kind = overrides == nil ? "partial" : "parent"
                            diagnostics.error(path, line: position.line, column: position.column, "\(kind) '\(partial)' does not exist")
                        }
                        for key in (overrides ?? [:]).keys.sorted() { visit(overrides?[key] ?? []) }
                    case .text, .variable, .contentType:
                        break
                    }
                }
            }
            visit(template.nodes)
        }
        checkSelfInclusion(templates, paths: paths, diagnostics: &diagnostics)
    }

    /// A template may not include itself, directly or through others (`a → b → a`): rendering would never end.
    /// Tandem's data is not recursive, so no theme needs it; the error names the tag that closes the circle.
    static func checkSelfInclusion(_ templates: [String: Template], paths: [String: String], diagnostics: inout Diagnostics) {
        /// Each template's static partials and parents, with the offset of their tag.
        var references: [String: [(name: String, offset: Int)]] = [:]
        for (name, template) in templates {
            var found: [(name: String, offset: Int)] = []
            func visit(_ nodes: [TemplateNode]) {
                for node in nodes {
                    switch node {
                    case .section(_, let body), .invertedSection(_, let body), .block(_, let body, _), .blockDefinition(_, let body):
                        visit(body)
                    case .partial(let partial, let dynamic, _, let overrides, let offset):
                        if !dynamic, templates[partial] != nil { found.append((partial, offset)) }
                        for key in (overrides ?? [:]).keys.sorted() { visit(overrides?[key] ?? []) }
                    case .text, .variable, .contentType:
                        break
                    }
                }
            }
            visit(template.nodes)
            references[name] = found
        }
        for start in templates.keys.sorted() {
            guard let template = templates[start], let path = paths[start] else { continue }
            // The shortest way back to `start` from each of its own tags (breadth first over template names).
            for first in references[start] ?? [] {
                var previous: [String: String] = [first.name: start]
                var queue = [first.name]
                var chain: [String]?
                while !queue.isEmpty, chain == nil {
                    let current = queue.removeFirst()
                    if current == start {
                        var names = [start]
                        var step = start
                        repeat {
                            step = previous[step] ?? start
                            names.append(step)
                        } while step != start || names.count == 1
                        chain = names.reversed()
                        break
                    }
                    for next in references[current] ?? [] where previous[next.name] == nil {
                        previous[next.name] = current
                        queue.append(next.name)
                    }
                }
                guard let chain else { continue }
                let position = template.position(of: first.offset)
                diagnostics.error(
                    path, line: position.line, column: position.column,
                    "template '\(start)' includes itself (\(chain.joined(separator: " → "))); a partial or parent cannot include a template it is part of"
                )
                break
            }
        }
    }
}

/// The error of `Theme.exportBuiltIn`: the path and what is wrong with it.
public struct ThemeExportError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): error: \(message)" }
}

/// The override folder on disk: scanning it without following symbolic links, and exporting. Its files are read with
/// the content folder's no-follow reader (`ContentFile.read`): a link in the theme folder is never followed.
enum ThemeOverrides {
    struct File {
        /// The path below the override folder, e.g. `site/home.mustache`.
        let relative: String
        /// The path as the user gave it: `Templates/site/home.mustache`.
        let shown: String
        let absolute: String
    }

    /// The file type as lstat sees it (a link is reported as a link); nil when the path does not exist.
    static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// The regular files below the folder, sorted; links and special files are skipped with a warning, hidden
    /// files silently. Nil (with an error) when the folder itself is missing or is not a real folder.
    static func scan(_ path: String, display: String, diagnostics: inout Diagnostics) -> [File]? {
        let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.path
        switch fileType(path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path) {
        case S_IFDIR?:
            break
        case S_IFLNK?:
            diagnostics.error(display, "templates folder is a symbolic link; Tandem does not follow links (give the real folder)")
            return nil
        case nil:
            diagnostics.error(display, "templates folder not found")
            return nil
        default:
            diagnostics.error(display, "templates folder is not a folder")
            return nil
        }
        var files: [File] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? root : root + "/" + relative
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                let shown = display + "/" + child
                switch fileType(root + "/" + child) {
                case S_IFDIR?: walk(child)
                case S_IFREG?: files.append(File(relative: child, shown: shown, absolute: root + "/" + child))
                case S_IFLNK?: diagnostics.warning(shown, "symbolic link skipped: the theme does not follow links")
                case nil: break
                default: diagnostics.warning(shown, "not a regular file; skipped")
                }
            }
        }
        walk("")
        return files
    }

    static func export(_ files: [BuiltInTheme.File], to folder: String) throws(ThemeExportError) -> Int {
        let shown = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        switch fileType(shown) {
        case nil:
            break
        case S_IFDIR?:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: shown)) ?? []
            guard entries.isEmpty else {
                throw ThemeExportError(path: shown, message: "folder is not empty; export into a new or empty folder")
            }
        case S_IFLNK?:
            throw ThemeExportError(path: shown, message: "is a symbolic link; Tandem does not follow links (give the real folder)")
        default:
            throw ThemeExportError(path: shown, message: "exists and is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: shown, withIntermediateDirectories: true)
        } catch {
            throw ThemeExportError(path: shown, message: "cannot create the folder: \(error.localizedDescription)")
        }
        for file in files {
            let target = shown + "/" + file.path
            let parent = (target as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw ThemeExportError(path: parent, message: "cannot create the folder: \(error.localizedDescription)")
            }
            // A new file only: never through a link, never over something that appeared meanwhile.
            let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw ThemeExportError(path: target, message: "cannot create the file: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var written = 0
            while written < file.bytes.count {
                let count = file.bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return Foundation.write(descriptor, base + written, buffer.count - written)
                }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    throw ThemeExportError(path: target, message: "cannot write the file: \(String(cString: strerror(errno)))")
                }
                written += count
            }
        }
        return files.count
    }
}
