/// What a template's context provides: the shape of the values a renderer hands to a template, so that a name the
/// template asks for and no scope provides (a typo such as `{{nmae}}`) is found before anyone reads the page.
public indirect enum TemplateSchema: Sendable, Equatable {
    case text
    case number
    case flag
    /// A list whose items all have this shape.
    case list(TemplateSchema)
    /// Named fields.
    case fields([String: TemplateSchema])
    /// A value whose shape is open (the UI strings `t`, a map keyed by data): every name inside it counts as provided.
    case anything

    var kind: String {
        switch self {
        case .text: return "a text"
        case .number: return "a number"
        case .flag: return "a flag"
        case .list: return "a list"
        case .fields: return "a set of named values"
        case .anything: return "a value"
        }
    }
}

/// A tag whose name no scope of the context provides.
public struct TemplateSchemaFinding: Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// No scope has the name (or a dotted name's later part is missing).
        case notProvided
        /// The transform does not apply to the value's kind (e.g. `count` of a text), or does not exist.
        case transform(String, appliedTo: String)
        /// `first()`, `index()` and the like outside a list section.
        case positionOutsideList
    }

    /// The template (file name without `.mustache`) in which the tag stands: a partial's, when it is in a partial.
    public let template: String
    /// The name as written in the tag, e.g. `nmae`, `person.nmae`, `count(topics)`.
    public let name: String
    public let line: Int
    public let column: Int
    public let problem: Problem
}

/// Walks a parsed template with the schema of its context, following Mustache's lookup rules as `TemplateRenderer`
/// applies them: a name is looked up from the innermost section's value outwards; dotted names follow fields;
/// `.` is the current value, `.name` looks in it alone; transforms change the shape (`count(list)` is a number);
/// a list section's body sees one item; an inverted section's body sees the scopes around it; partials are walked
/// with the caller's scopes; a parent's blocks are walked with the child's overrides.
struct TemplateSchemaWalker {
    let templates: [String: Template]
    private(set) var findings: [TemplateSchemaFinding] = []
    private var reported = Set<String>()
    /// The partials being walked, to stop at a partial that includes itself.
    private var partialChain: [String] = []

    init(templates: [String: Template]) { self.templates = templates }

    struct Scope {
        var stack: [TemplateSchema]
        /// Inside a list section: `first()`, `index()` … answer (reset by partials, blocks and value sections, as when rendering).
        var inList = false
        /// Blocks overridden by child templates: their nodes and the template they are written in.
        var overrides: [String: (template: String, nodes: [TemplateNode])] = [:]
    }

    /// The findings for page template `name` rendered with a context of shape `schema`, in the order of the tags.
    static func check(_ name: String, schema: TemplateSchema, templates: [String: Template]) -> [TemplateSchemaFinding] {
        guard let template = templates[name] else { return [] }
        var walker = TemplateSchemaWalker(templates: templates)
        walker.walk(template.nodes, in: name, Scope(stack: [schema]))
        return walker.findings
    }

    private mutating func report(_ name: TemplateName, _ problem: TemplateSchemaFinding.Problem, in template: String) {
        guard reported.insert("\(template)\u{0}\(name.offset)").inserted, let parsed = templates[template] else { return }
        let position = parsed.position(of: name.offset)
        findings.append(
            TemplateSchemaFinding(
                template: template, name: name.written, line: position.line, column: position.column, problem: problem))
    }

    mutating func walk(_ nodes: [TemplateNode], in template: String, _ scope: Scope) {
        for node in nodes {
            switch node {
            case .text, .contentType, .blockDefinition:
                break

            case .variable(let name, _):
                _ = resolve(name, scope, in: template)

            case .section(let name, let body):
                var inner = scope
                switch resolve(name, scope, in: template) {
                case .list(let item)?:
                    inner.stack.append(item)
                    inner.inList = true
                case .flag?:
                    break
                case let value?:
                    inner.stack.append(value)
                    inner.inList = false
                case nil:
                    // Already reported; the body is still checked, against anything so as not to repeat the finding.
                    inner.stack.append(.anything)
                    inner.inList = false
                }
                walk(body, in: template, inner)

            case .invertedSection(let name, let body):
                // Rendered when the value is false, missing or an empty list: the body sees the scopes around it
                // (and an empty list, which provides nothing).
                var inner = scope
                if case .list? = resolve(name, scope, in: template) { inner.inList = false }
                walk(body, in: template, inner)

            case .partial(let partial, let dynamic, _, let overrides, let offset):
                if dynamic {
                    _ = resolve(TemplateName(partial, transforms: [], at: offset), scope, in: template)
                    continue
                }
                guard let included = templates[partial], !partialChain.contains(partial) else { continue }
                var inner = Scope(stack: scope.stack)
                inner.overrides = scope.overrides
                for (block, body) in overrides ?? [:] where inner.overrides[block] == nil {
                    inner.overrides[block] = (template, body)
                }
                partialChain.append(partial)
                walk(included.nodes, in: partial, inner)
                partialChain.removeLast()

            case .block(let name, let body, _):
                var inner = scope
                inner.inList = false
                if let override = scope.overrides[name] {
                    // As when rendering: a block of the same name inside the override shows its own content.
                    inner.overrides[name] = nil
                    walk(override.nodes, in: override.template, inner)
                } else {
                    walk(body, in: template, inner)
                }
            }
        }
    }

    /// The shape `name` has in `scope`, after its transforms; nil (and a finding) when nothing provides it.
    private mutating func resolve(_ name: TemplateName, _ scope: Scope, in template: String) -> TemplateSchema? {
        var value: TemplateSchema
        switch name.scope {
        case .current:
            value = scope.stack.last ?? .anything
        case .position:
            guard scope.inList, let question = name.transforms.last else {
                report(name, .positionOutsideList, in: template)
                return nil
            }
            switch question {
            case "first", "last", "even", "odd": value = .flag
            case "index": value = .number
            default:
                report(name, .transform(question, appliedTo: "a list position"), in: template)
                return nil
            }
            return apply(name.transforms.dropLast(), to: value, name, in: template)
        case .local:
            guard let found = Self.follow(name.components[...], from: scope.stack.last ?? .anything) else {
                report(name, .notProvided, in: template)
                return nil
            }
            value = found
        case .stack:
            guard let first = name.components.first else { return scope.stack.last }
            var found: TemplateSchema?
            for level in scope.stack.reversed() {
                if case .fields(let fields) = level, let child = fields[first] {
                    found = child
                    break
                }
                if case .anything = level {
                    found = .anything
                    break
                }
            }
            guard let child = found, let deeper = Self.follow(name.components.dropFirst(), from: child) else {
                report(name, .notProvided, in: template)
                return nil
            }
            value = deeper
        }
        return apply(name.transforms[...], to: value, name, in: template)
    }

    private static func follow(_ components: ArraySlice<String>, from start: TemplateSchema) -> TemplateSchema? {
        var value = start
        for component in components {
            switch value {
            case .fields(let fields):
                guard let child = fields[component] else { return nil }
                value = child
            case .anything:
                return .anything
            default:
                return nil
            }
        }
        return value
    }

    /// Transforms inside out, with the shapes `TemplateValue.transform` gives.
    private mutating func apply(
        _ transforms: ArraySlice<String>, to start: TemplateSchema, _ name: TemplateName, in template: String
    ) -> TemplateSchema? {
        var value = start
        for transform in transforms.reversed() {
            guard let transformed = Self.transform(transform, value) else {
                report(name, .transform(transform, appliedTo: value.kind), in: template)
                return nil
            }
            value = transformed
        }
        return value
    }

    static func transform(_ name: String, _ value: TemplateSchema) -> TemplateSchema? {
        switch value {
        case .anything:
            return .anything
        case .text:
            switch name {
            case "empty": return .flag
            case "capitalized", "lowercased", "uppercased", "reversed": return .text
            default: return nil
            }
        case .number:
            switch name {
            case "equalzero", "even", "odd": return .flag
            case "plusone", "minusone": return .number
            default: return nil
            }
        case .list(let item):
            switch name {
            case "first", "last": return item
            case "reversed": return value
            case "sorted": return item == .text || item == .anything ? value : nil
            case "count": return .number
            case "empty": return .flag
            default: return nil
            }
        case .fields:
            switch name {
            case "count": return .number
            case "empty": return .flag
            case "enumerated", "sorted": return .list(.fields(["key": .text, "value": .anything]))
            default: return nil
            }
        case .flag:
            return nil
        }
    }
}

extension TemplateName {
    /// The name as the tag wrote it: `person.name`, `.`, `count(topics)`, `first()`.
    var written: String {
        var text: String
        switch scope {
        case .current: text = "."
        case .position: text = ""
        case .local: text = "." + components.joined(separator: ".")
        case .stack: text = components.joined(separator: ".")
        }
        for transform in transforms.reversed() { text = transform + "(" + text + ")" }
        return text
    }
}

extension Theme {
    /// Checks page templates against the shapes of their contexts (`schemas` by template name; a template without a
    /// schema is not checked). Each tag no scope provides becomes a warning at its file, line and column (an error
    /// with --strict): `Templates/site/participant.mustache:5:9: warning: 'nmae' is not provided by the participant
    /// page's context`. `descriptions` names a template's context for the message ("the participant page").
    func checkContexts(_ schemas: [String: TemplateSchema], descriptions: [String: String] = [:], diagnostics: inout Diagnostics) {
        var reported = Set<String>()
        for page in schemas.keys.sorted() {
            guard let schema = schemas[page] else { continue }
            let context = (descriptions[page] ?? "the '\(page)' template") + "'s context"
            for finding in TemplateSchemaWalker.check(page, schema: schema, templates: templates) {
                let path = templatePaths[finding.template] ?? missingFilePath(finding.template + ".mustache")
                guard reported.insert("\(path):\(finding.line):\(finding.column)").inserted else { continue }
                let message: String
                switch finding.problem {
                case .notProvided:
                    message = "'\(finding.name)' is not provided by \(context)"
                case .transform(let transform, let kind):
                    message = "'\(finding.name)': the transform '\(transform)' does not apply to \(kind) (in \(context))"
                case .positionOutsideList:
                    message = "'\(finding.name)' is only available inside a list section"
                }
                diagnostics.warning(path, line: finding.line, column: finding.column, message)
            }
        }
    }
}
