import Foundation

/// The theme: Mustache templates, UI strings per language and static assets (CSS, icons).
///
/// Two layers: the built-in default theme compiled into the binary (the repository's Templates/, see
/// `BuiltInTheme`) and, optionally, an override folder whose files replace the built-in ones one by one.
/// Templates are known by file name, strings are merged key by key, assets are replaced by path.
public struct Theme: Sendable {
    /// How diagnostics name a file of the built-in theme: `(built-in theme)/site/home.mustache`.
    public static let builtInDisplay = "(built-in theme)"

    /// The override folder as the user gave it; nil when the built-in theme is used alone.
    public let overridePath: String?
    /// The parsed templates by name.
    let templates: [String: Template]
    /// Each template's file as diagnostics name it: the user's path for an override, `(built-in theme)/…` otherwise.
    let templatePaths: [String: String]
    /// UI strings per language code.
    let strings: [String: UIStrings]
    /// Files below assets/, relative to it.
    let assets: [String]
    /// Where each asset's bytes come from.
    private let assetSources: [String: AssetSource]

    enum AssetSource: Sendable {
        /// Compiled into the binary.
        case builtIn([UInt8])
        /// A file of the override folder (its path for the output writer to copy; checked not to be a link).
        case file(String)
    }

    /// Loads the built-in theme and, when `path` is given, the override folder on top of it. Every template is
    /// parsed, every `strings/*.yml` read; syntax errors and partials or parents that do not exist become
    /// positioned diagnostics.
    static func load(path: String?, diagnostics: inout Diagnostics) -> Theme? {
        var display: String?
        var overrides: [ThemeOverrides.File] = []
        if let path {
            let shown = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
            display = shown
            guard let files = ThemeOverrides.scan(path, display: shown, diagnostics: &diagnostics) else { return nil }
            overrides = files
        }
        var layers = ThemeLayers()
        for file in BuiltInTheme.files {
            layers.add(relative: file.path, shown: builtInDisplay + "/" + file.path, origin: .builtIn(file.bytes))
        }
        var overrideNames: [String: String] = [:]
        for file in overrides {
            if let name = ThemeLayers.templateName(file.relative) {
                // Templates are known by their file name alone: Mustache tag names cannot contain '/'.
                if let other = overrideNames[name] {
                    diagnostics.error(
                        file.shown,
                        "a second template named '\(name)' (the first is \(other)); template file names must be unique across folders")
                    continue
                }
                overrideNames[name] = file.shown
            }
            layers.add(relative: file.relative, shown: file.shown, origin: .file(file.absolute))
        }
        return layers.theme(overridePath: display, diagnostics: &diagnostics)
    }

    init(
        overridePath: String?, templates: [String: Template], templatePaths: [String: String], strings: [String: UIStrings],
        assetSources: [String: AssetSource]
    ) {
        self.overridePath = overridePath
        self.templates = templates
        self.templatePaths = templatePaths
        self.strings = strings
        self.assetSources = assetSources
        self.assets = assetSources.keys.sorted()
    }

    /// Puts theme asset `asset` (relative to assets/) into the output at `path`: the override file is copied,
    /// a built-in asset is added as bytes.
    func addAsset(_ asset: String, at path: String, to output: inout OutputTree) {
        switch assetSources[asset] {
        case .builtIn(let bytes)?: output.add(path, bytes: bytes)
        case .file(let file)?: output.copy(file, to: path)
        case nil: break
        }
    }

    /// The bytes of theme asset `asset` (built in or the override file, read without following a link); nil when missing.
    func assetBytes(_ asset: String) -> [UInt8]? {
        switch assetSources[asset] {
        case .builtIn(let bytes)?: return bytes
        case .file(let file)?: return ContentFile.bytesToCopy(file)
        case nil: return nil
        }
    }

    /// The override file behind asset `asset`, nil when it is built in or missing (the live preview re-copies it).
    func assetFile(_ asset: String) -> String? {
        if case .file(let file)? = assetSources[asset] { return file }
        return nil
    }

    /// How diagnostics name theme file `relative` (e.g. `strings/es.yml`) that is missing: where the user would add it.
    func missingFilePath(_ relative: String) -> String {
        (overridePath ?? "Templates") + "/" + relative
    }

    /// Writes every file of the built-in theme below `folder` (created when missing; refused when not empty, or
    /// when it is a symbolic link), so a designer can start from it. Returns the number of files written.
    public static func exportBuiltIn(to folder: String) throws(ThemeExportError) -> Int {
        try ThemeOverrides.export(BuiltInTheme.files, to: folder)
    }

    /// Renders template `name` with a converted context into UTF-8 bytes, ready for the output tree.
    /// The theme stage has checked that every template a renderer calls exists (`strings(for:)`, `requireTemplate`),
    /// so renderers render and never report: a template that is missing anyway renders as nothing.
    func renderBytes(_ name: String, value: TemplateValue) -> [UInt8] {
        guard let template = templates[name] else { return [] }
        var renderer = TemplateRenderer(templates: templates)
        return renderer.render(template, value, name: name)
    }

    /// An error when template `name` does not exist (for commands that render one template outside a build).
    func requireTemplate(_ name: String, diagnostics: inout Diagnostics) -> Bool {
        guard templates[name] == nil else { return true }
        diagnostics.error(missingFilePath(name + ".mustache"), "template '\(name)' is missing")
        return false
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
        guard var values = convert(yaml) as? [String: Any] else {
            diagnostics.error(path, line: 1, "strings file must be a mapping of keys to texts")
            return nil
        }
        if language == "fr", let spaced = FrenchTypography.apply(toValues: values) as? [String: Any] { values = spaced }
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

    /// A time or time range as the language writes it: `time` for each clock time, then `time_single` or
    /// `time_range` around them ("13.30–18.00 Uhr", "13 h 30 – 18 h 00", "1:30–6:00").
    func timeRange(_ range: TimeRange) -> String {
        func clock(_ time: ClockTime) -> String {
            format("time", ["hour": String(time.hour), "minute": (time.minute < 10 ? "0" : "") + String(time.minute)])
        }
        guard let end = range.end else { return format("time_single", ["time": clock(range.start)]) }
        return format("time_range", ["start": clock(range.start), "end": clock(end)])
    }

    /// A person's role label: `roles_f` or `roles_m` by the `gender` column ("Mentorin", "Mentor"), else the
    /// neutral `roles` form the programme can set in its strings.
    func roleLabel(_ role: Role, gender: Gender?) -> String {
        if let gender, let text = labels["roles_" + gender.rawValue]?[role.rawValue] { return text }
        return label("roles", role.rawValue)
    }
}
