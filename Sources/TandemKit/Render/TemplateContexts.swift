/// The shapes of the contexts the renderers hand to the page templates, for `Theme.checkContexts`: read from the
/// typed context types (`TemplateCatalogue`), so a name a template asks for and no context provides is reported.
enum TemplateContexts {
    /// Schema by page template name (e.g. `participant`).
    static let schemas: [String: TemplateSchema] = TemplateCatalogue.shapes.mapValues(schema)
    /// How the warnings name each context, e.g. `participant`: "the participant page".
    static let descriptions: [String: String] = Dictionary(
        TemplateCatalogue.entries.map { ($0.template, "the \($0.template) \($0.output == "site" ? "page" : $0.output + " page")") },
        uniquingKeysWith: { a, _ in a })

    /// A context shape as the checker reads it: an optional is its value (its names count where it is not false).
    static func schema(_ shape: ContextShape) -> TemplateSchema {
        switch shape {
        case .text: return .text
        case .number: return .number
        case .flag: return .flag
        case .open: return .anything
        case .optional(let inner): return schema(inner)
        case .list(let item): return .list(schema(item))
        case .map(let fields, _): return .fields(fields.mapValues(schema))
        }
    }
}
