/// The shapes of the contexts the renderers hand to the page templates, for `Theme.checkContexts`.
///
/// Empty for now: the schemas of the real contexts are described by the renderers' owners. A template listed here
/// is checked on every `tandem check` and `tandem build`.
enum TemplateContexts {
    /// Schema by page template name (e.g. `participant`).
    static let schemas: [String: TemplateSchema] = [:]
    /// How the warnings name each context, e.g. `participant`: "the participant page".
    static let descriptions: [String: String] = [:]
}
