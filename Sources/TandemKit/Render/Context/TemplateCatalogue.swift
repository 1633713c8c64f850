/// Which context each template a renderer calls receives: the theme check looks template names up in these shapes,
/// and `docs/theme-variables.md` is generated from them.
enum TemplateCatalogue {
    /// A template and the shape of its context.
    struct Entry {
        let template: String
        /// Where its output goes: site, print, mail or internal.
        let output: String
        let shape: ContextShape
    }

    static let entries: [Entry] = [
        Entry(template: "home", output: "site", shape: .of(SitePage<HomePage>.self)),
        Entry(template: "participants", output: "site", shape: .of(SitePage<ParticipantsPage>.self)),
        Entry(template: "participant", output: "site", shape: .of(SitePage<ParticipantPage>.self)),
        Entry(template: "tandems", output: "site", shape: .of(SitePage<TandemsPage>.self)),
        Entry(template: "tandem", output: "site", shape: .of(SitePage<TandemPage>.self)),
        Entry(template: "timeline", output: "site", shape: .of(SitePage<TimelinePage>.self)),
        Entry(template: "page", output: "site", shape: .of(SitePage<FreePageContext>.self)),
        Entry(template: "404", output: "site", shape: .of(SitePage<NoFields>.self)),
        Entry(template: "language-index", output: "site", shape: .of(SitePage<LanguageIndexPage>.self)),
        Entry(template: "handout", output: "print", shape: .of(PrintPage<HandoutPage>.self)),
        Entry(template: "announcement", output: "print", shape: .of(PrintPage<AnnouncementPage>.self)),
        Entry(template: "mail-text", output: "mail", shape: .of(MailMessage.self)),
        Entry(template: "mail-html", output: "mail", shape: .of(MailMessage.self)),
        Entry(template: "report", output: "internal", shape: .of(ReportPage.self)),
        Entry(template: "matching", output: "internal", shape: .of(MatchPage.self)),
        Entry(template: "card-tandem", output: "cards", shape: .of(TandemCardImage.self)),
        Entry(template: "card-tandem-portrait", output: "cards", shape: .of(TandemCardImage.self)),
        Entry(template: "card-programme", output: "cards", shape: .of(ProgrammeCardImage.self)),
    ]

    /// The shapes by template name.
    static let shapes: [String: ContextShape] = Dictionary(entries.map { ($0.template, $0.shape) }, uniquingKeysWith: { a, _ in a })
}

/// Writes the theme's variable reference (docs/theme-variables.md) from the context shapes and the doc comments of
/// the context types (`descriptions[type][field]`, `typeDescriptions[type]`, read from the Swift sources by the test
/// that keeps the file current).
enum ThemeReference {
    static func markdown(descriptions: [String: [String: String]], typeDescriptions: [String: String]) -> String {
        var out = """
            # Template variables

            Generated from the context types in `Sources/TandemKit/Render/Context/` by `ThemeReferenceTests`
            (`TANDEM_UPDATE_DOCS=1 swift test --filter ThemeReferenceTests` rewrites it). Do not edit by hand.

            Each template below receives the names listed for it. Inside a section (`{{#tandems}}…{{/tandems}}`) the
            names of the list item come first, then those of the enclosing values (Mustache looks names up from the
            innermost value outwards). A value marked *or false* is `false` when absent, so `{{#photo}}…{{/photo}}`
            shows its block only when there is one. `t` holds every UI string of the page's language
            (`Templates/strings/`), e.g. `{{t.nav_home}}`.

            Cards that appear on several pages are described once, under *Cards*.


            """
        var cards: [String: [String: ContextShape]] = [:]
        func collect(_ shape: ContextShape) {
            switch shape {
            case .list(let item), .optional(let item): collect(item)
            case .map(let fields, let type):
                if let type, cards[type] == nil, fields.count > 2 { cards[type] = fields }
                for field in fields.values { collect(field) }
            default: break
            }
        }
        for entry in TemplateCatalogue.entries { collect(entry.shape) }

        func kind(_ shape: ContextShape) -> String {
            switch shape {
            case .text: return "text"
            case .number: return "number"
            case .flag: return "true/false"
            case .open: return "open (any name)"
            case .optional(let inner): return kind(inner) + ", or false"
            case .list(let item): return "list of " + kind(item)
            case .map(_, let type?) where cards[type] != nil: return "[\(title(type))](#\(anchor(type)))"
            case .map: return "values (below)"
            }
        }
        func describe(_ fields: [String: ContextShape], type: String?, indent: String) -> String {
            var text = ""
            for name in fields.keys.sorted() {
                let field = fields[name]!
                var line = "\(indent)- `\(name)`: \(kind(field))"
                if let note = type.flatMap({ descriptions[$0]?[name] }), !note.isEmpty { line += ". " + note }
                text += line + "\n"
                var inner = field.unwrapped
                if case .list(let item) = inner { inner = item.unwrapped }
                if case .map(let nested, let nestedType) = inner, nestedType.map({ cards[$0] == nil }) ?? true {
                    text += describe(nested, type: nestedType, indent: indent + "  ")
                }
            }
            return text
        }
        func title(_ type: String) -> String {
            type.reduce(into: "") { out, c in
                if c.isUppercase, !out.isEmpty { out += " " }
                out += String(c).lowercased()
            }
        }
        func anchor(_ type: String) -> String { title(type).replacingOccurrences(of: " ", with: "-") }

        for output in ["site", "print", "cards", "mail", "internal"] {
            let entries = TemplateCatalogue.entries.filter { $0.output == output }
            guard !entries.isEmpty else { continue }
            out += "## \(output)/\n\n"
            for entry in entries {
                out += "### \(entry.template).mustache\n\n"
                if case .map(let fields, _) = entry.shape {
                    // The page's own names first, then those every page of this output has.
                    let common = output == "site" ? "SitePageCommon" : (output == "print" ? "PrintPageCommon" : "")
                    let commonNames = Set(descriptions[common]?.keys.map { $0 } ?? [])
                    let own = fields.filter { !commonNames.contains($0.key) }
                    // The type that holds exactly these names (the fewest fields, then by name: the same on every run).
                    let owner = descriptions.keys.sorted()
                        .filter { type in type != common && !own.isEmpty && Set(own.keys).isSubset(of: Set(descriptions[type]!.keys)) }
                        .min { (descriptions[$0]!.count, $0) < (descriptions[$1]!.count, $1) }
                    if !common.isEmpty {
                        out += "Every name of a \(output) page (see [every \(output) page](#every-\(output)-page)), and:\n\n"
                    }
                    out += own.isEmpty ? "(nothing else)\n" : describe(own, type: owner, indent: "")
                }
                out += "\n"
            }
        }
        out += "## Every page\n\n"
        for (common, output) in [("SitePageCommon", "site"), ("PrintPageCommon", "print")] {
            guard
                let entry = TemplateCatalogue.entries.first(where: { $0.output == output }),
                case .map(let fields, _) = entry.shape
            else { continue }
            let names = Set(descriptions[common]?.keys.map { $0 } ?? [])
            out += "### Every \(output) page\n\n" + describe(fields.filter { names.contains($0.key) }, type: common, indent: "") + "\n"
        }
        out += "## Cards\n\n"
        for type in cards.keys.sorted() {
            out += "### \(title(type).prefix(1).uppercased() + title(type).dropFirst())\n\n"
            if let note = typeDescriptions[type] { out += note + "\n\n" }
            out += describe(cards[type]!, type: type, indent: "") + "\n"
        }
        return out
    }
}
