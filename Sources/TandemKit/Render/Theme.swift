import Foundation
import Mustache

/// The theme folder: Mustache templates, UI strings per language and static assets (CSS, icons).
public struct Theme: Sendable {
    public let root: URL
    let library: MustacheLibrary
    /// Template names: the file name without `.mustache`, whatever folder it is in.
    let templateNames: Set<String>
    /// UI strings per language code.
    let strings: [String: UIStrings]
    /// Files below Templates/assets/, relative to it.
    let assets: [String]

    /// Loads every `.mustache` file and every `strings/*.yml`; syntax errors become positioned diagnostics.
    static func load(path: String, diagnostics: inout Diagnostics) -> Theme? {
        let display = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(display, "templates folder not found")
            return nil
        }
        var library = MustacheLibrary()
        var names = Set<String>()
        var strings: [String: UIStrings] = [:]
        var assets: [String] = []
        let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
        for relative in files {
            let url = root.appendingPathComponent(relative)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let shown = display + "/" + relative
            if relative.hasPrefix("assets/") {
                if !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { assets.append(String(relative.dropFirst("assets/".count))) }
            } else if relative.hasSuffix(".mustache") {
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    diagnostics.error(shown, "cannot read template")
                    continue
                }
                // Templates are known by their file name alone: Mustache tag names cannot contain '/'.
                let name = String(url.lastPathComponent.dropLast(".mustache".count))
                if let other = names.first(where: { $0 == name }) {
                    diagnostics.error(shown, "a second template named '\(other)'; template file names must be unique across folders")
                    continue
                }
                do {
                    library.register(try MustacheTemplate(string: TextDecoding.decode([UInt8](data)).text), named: name)
                    names.insert(name)
                } catch let error as MustacheTemplate.ParserError {
                    diagnostics.error(
                        shown, line: error.context.lineNumber, column: error.context.columnNumber + 1, "template syntax: \(error.error)")
                } catch {
                    diagnostics.error(shown, "template syntax: \(error)")
                }
            } else if relative.hasPrefix("strings/"), relative.hasSuffix(".yml") {
                // strings/<lang>.yml and strings/<part>.<lang>.yml (e.g. print.de.yml) are merged per language.
                let stem = url.lastPathComponent.dropLast(".yml".count)
                let language = String(stem.split(separator: ".").last ?? "")
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                guard let parsed = UIStrings.parse(TextDecoding.decode([UInt8](data)).text, path: shown, diagnostics: &diagnostics)
                else { continue }
                if let existing = strings[language] {
                    for key in parsed.values.keys.sorted() where existing.values[key] != nil {
                        diagnostics.error(shown, "string '\(key)' is already defined in \(existing.path)")
                    }
                    strings[language] = UIStrings(values: existing.values.merging(parsed.values) { a, _ in a }, path: existing.path)
                } else {
                    strings[language] = parsed
                }
            }
        }
        return Theme(root: root, library: library, templateNames: names, strings: strings, assets: assets)
    }

    /// Renders template `name` with `context`; a missing template is a diagnostic.
    /// Every text of the context is stripped of e-mail addresses first (SPEC rule 2): whatever field a
    /// programme manager typed an address into, no template can publish it.
    func render(_ name: String, _ context: [String: Any], diagnostics: inout Diagnostics) -> String? {
        guard templateNames.contains(name), let text = library.render(PublicText.scrub(context), withTemplate: name) else {
            diagnostics.error(root.lastPathComponent + "/" + name + ".mustache", "template '\(name)' is missing")
            return nil
        }
        return text
    }
}

/// The UI strings of one language (Templates/strings/<lang>.yml), nested maps and lists allowed.
struct UIStrings: @unchecked Sendable {
    let values: [String: Any]
    let path: String

    static func parse(_ text: String, path: String, diagnostics: inout Diagnostics) -> UIStrings? {
        guard let yaml = YAMLDocument.parse(text, path: path, diagnostics: &diagnostics) else { return nil }
        func convert(_ value: YAMLValue) -> Any {
            if let entries = value.entries {
                return Dictionary(entries.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { a, _ in a })
            }
            if let items = value.items { return items.map(convert) }
            return value.scalarText ?? ""
        }
        guard let values = convert(yaml) as? [String: Any] else {
            diagnostics.error(path, line: 1, "strings file must be a mapping of keys to texts")
            return nil
        }
        return UIStrings(values: values, path: path)
    }

    /// A top-level string; the key itself when missing, so a gap shows up on the page rather than as a crash.
    subscript(key: String) -> String { values[key] as? String ?? key }

    /// A string with `{name}` placeholders filled in.
    func format(_ key: String, _ arguments: [String: String]) -> String {
        var text = self[key]
        for (name, value) in arguments { text = text.replacingAll("{\(name)}", with: value) }
        return text
    }

    /// The names of the twelve months, from `months:`.
    var months: [String] { values["months"] as? [String] ?? [] }

    /// A long date in the language's style, from `date_long` (e.g. "{day}. {month} {year}").
    func longDate(_ day: Day) -> String {
        let month = months.count == 12 ? months[day.month - 1] : String(twoDigits: day.month)
        return format("date_long", ["day": String(day.day), "month": month, "year": String(day.year)])
    }

    /// A whole number with the language's thousands separator.
    func number(_ value: Int) -> String {
        let separator = values["thousands_separator"] as? String ?? ""
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += separator }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// A label from a nested map such as `roles: {mentor: ...}`.
    func label(_ group: String, _ key: String) -> String {
        (values[group] as? [String: Any])?[key] as? String ?? key
    }
}
