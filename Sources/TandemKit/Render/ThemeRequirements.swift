/// What a programme needs of a theme, checked before anything is rendered so renderers never report problems:
/// UI strings for every published language, the templates every output renders, the print stylesheet.
extension Theme {
    /// Templates the renderers call by name (partials and parents are checked where they are used).
    static let requiredTemplates = [
        "home", "participants", "participant", "tandems", "tandem", "timeline", "page", "404", "language-index",
        "handout", "announcement", "mail-text", "mail-html", "report",
        "card-tandem", "card-tandem-portrait", "card-programme",
    ]

    /// The UI strings per published language (English where a language has none, with a warning) and the theme's
    /// problems for this programme.
    func strings(for programme: Programme, diagnostics: inout Diagnostics) -> [String: UIStrings]? {
        var result: [String: UIStrings] = [:]
        for code in programme.languages {
            if let found = strings[code] {
                result[code] = found
            } else if let english = strings["en"] {
                diagnostics.warning(missingFilePath("strings/\(code).yml"), "UI strings for '\(code)' are missing; using English")
                result[code] = english
            } else {
                diagnostics.error(missingFilePath("strings/\(code).yml"), "UI strings for '\(code)' are missing")
            }
        }
        for name in Self.requiredTemplates where templates[name] == nil {
            if name == "language-index" && programme.languages.count < 2 { continue }
            diagnostics.error(missingFilePath(name + ".mustache"), "template '\(name)' is missing")
        }
        if !assets.contains(PrintRenderer.stylesheet) {
            diagnostics.warning(missingFilePath("assets/" + PrintRenderer.stylesheet), "print stylesheet is missing; print/ is unstyled")
        }
        return result.count == programme.languages.count ? result : nil
    }
}
