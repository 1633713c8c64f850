import Foundation

/// The theme folder: Mustache templates, UI strings per language and static assets (CSS, icons).
public struct Theme: Sendable {
    public let root: URL
    /// The parsed templates by name.
    let templates: [String: Template]
    /// UI strings per language code.
    let strings: [String: UIStrings]
    /// Files below Templates/assets/, relative to it.
    let assets: [String]
    /// Each template's file as messages name it (`Templates/partials/card.mustache`), by template name.
    var templatePaths: [String: String] = [:]

    /// Loads every `.mustache` file and every `strings/*.yml`; syntax errors become positioned diagnostics.
    static func load(path: String, diagnostics: inout Diagnostics) -> Theme? {
        let display = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(display, "templates folder not found")
            return nil
        }
        var templates: [String: Template] = [:]
        var templatePaths: [String: String] = [:]
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
                if !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                    assets.append(String(relative.dropFirst("assets/".count)))
                }
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
                    templates[name] = try Template(TextDecoding.decode([UInt8](data)).text)
                    names.insert(name)
                    templatePaths[name] = shown
                } catch {
                    diagnostics.error(shown, line: error.line, column: error.column, "template syntax: \(error.message)")
                }
            } else if relative.hasPrefix("strings/"), relative.hasSuffix(".yml") {
                // strings/<lang>.yml and strings/<part>.<lang>.yml (e.g. print.de.yml) are merged per language.
                let stem = url.lastPathComponent.dropLast(".yml".count)
                let language = String(stem.split(separator: ".").last ?? "")
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                guard
                    let parsed = UIStrings.parse(
                        TextDecoding.decode([UInt8](data)).text, path: shown, language: language, diagnostics: &diagnostics)
                else { continue }
                if let existing = strings[language] {
                    for key in parsed.values.keys.sorted() where existing.values[key] != nil {
                        diagnostics.error(shown, "string '\(key)' is already defined in \(existing.path)")
                    }
                    strings[language] = UIStrings(
                        values: existing.values.merging(parsed.values) { a, _ in a }, path: existing.path, language: language)
                } else {
                    strings[language] = parsed
                }
            }
        }
        return Theme(root: root, templates: templates, strings: strings, assets: assets, templatePaths: templatePaths)
    }

    /// Renders template `name` with `context`; a missing template is a diagnostic.
    /// Every text of the context is stripped of e-mail addresses first (SPEC rule 2): whatever field a
    /// programme manager typed an address into, no template can publish it.
    func render(_ name: String, _ context: [String: Any], diagnostics: inout Diagnostics) -> String? {
        renderBytes(name, context, diagnostics: &diagnostics).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `render` as UTF-8 bytes, ready for the output tree. `scrub: false` keeps e-mail addresses (mail/ only).
    func renderBytes(_ name: String, _ context: [String: Any], scrub: Bool = true, diagnostics: inout Diagnostics) -> [UInt8]? {
        renderBytes(name, value: TemplateValue(context, scrub: scrub), diagnostics: &diagnostics)
    }

    /// `renderBytes` of a context already converted (one conversion for several templates, as mail/ does).
    func renderBytes(_ name: String, value: TemplateValue, diagnostics: inout Diagnostics) -> [UInt8]? {
        guard let template = templates[name] else {
            diagnostics.error(root.lastPathComponent + "/" + name + ".mustache", "template '\(name)' is missing")
            return nil
        }
        var renderer = TemplateRenderer(templates: templates)
        let bytes = renderer.render(template, value, name: name)
        guard renderer.recursions.isEmpty else {
            for (chain, repeated) in renderer.recursions {
                diagnostics.error(
                    templatePaths[repeated] ?? root.lastPathComponent + "/" + repeated + ".mustache",
                    "template '\(repeated)' includes itself (\(chain)); a partial or parent cannot include a template it is part of")
            }
            return nil
        }
        return bytes
    }
}

/// The UI strings of one language (Templates/strings/<lang>.yml), nested maps and lists allowed.
struct UIStrings: @unchecked Sendable {
    let values: [String: Any]
    let path: String
    /// `values` for templates (`t` in every context), converted once and stripped of e-mail addresses.
    let template: TemplateValue

    /// The top-level texts, the month names and the nested label maps, looked up on every page: read once.
    private let texts: [String: String]
    let months: [String]
    private let labels: [String: [String: String]]
    /// Texts that depend on a number, written as `key: {one: "…", other: "…"}` (see `format(_:_:count:)`).
    private let plurals: [String: (one: String?, other: String)]
    /// The language of the file (`de.yml`, `report.de.yml` → `de`): it decides which numbers take `one`.
    let language: String

    init(values: [String: Any], path: String, language: String) {
        self.values = values
        self.path = path
        template = TemplateValue(values, scrub: true)
        texts = values.compactMapValues { $0 as? String }
        months = (values["months"] as? [Any])?.compactMap { $0 as? String } ?? []
        labels = values.compactMapValues { ($0 as? [String: Any])?.compactMapValues { $0 as? String } }
        plurals = labels.compactMapValues { forms in
            guard let other = forms["other"], Set(forms.keys).isSubset(of: ["one", "other"]) else { return nil }
            return (forms["one"], other)
        }
        self.language = language
    }

    static func parse(_ text: String, path: String, language: String, diagnostics: inout Diagnostics) -> UIStrings? {
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
        return UIStrings(values: values, path: path, language: language)
    }

    /// A top-level string; the key itself when missing, so a gap shows up on the page rather than as a crash.
    subscript(key: String) -> String { texts[key] ?? plurals[key]?.other ?? key }

    /// A string with `{name}` placeholders filled in. With `count`, a text written as `{one: …, other: …}` takes the
    /// form for that number: `one` for 1 (in French for 0 and 1 too), `other` for every other number
    /// (CLDR's cardinal rules for de, en, fr and it); a plain text is the same for every number.
    func format(_ key: String, _ arguments: [String: String], count: Int? = nil) -> String {
        var template = self[key]
        if let count, let forms = plurals[key], let one = forms.one, Self.takesOne(count, language: language) { template = one }
        guard template.utf8.contains(0x7B) else { return template }
        // One pass: each `{name}` whose name is an argument is replaced; anything else stays as written.
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = arguments[String(rest[afterOpen..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out += "{"
                rest = rest[afterOpen...]
            }
        }
        return out + rest
    }

    /// CLDR's `one` category for whole numbers: French counts 0 and 1 as singular, German, English and Italian only 1.
    static func takesOne(_ count: Int, language: String) -> Bool {
        language == "fr" ? (count == 0 || count == 1) : count == 1
    }

    /// A long date in the language's style, from `date_long` (e.g. "{day}. {month} {year}").
    func longDate(_ day: Day) -> String {
        let month = months.count == 12 ? months[day.month - 1] : String(twoDigits: day.month)
        return format("date_long", ["day": String(day.day), "month": month, "year": String(day.year)])
    }

    /// A whole number with the language's thousands separator.
    func number(_ value: Int) -> String {
        let separator = texts["thousands_separator"] ?? ""
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
        labels[group]?[key] ?? key
    }
}
