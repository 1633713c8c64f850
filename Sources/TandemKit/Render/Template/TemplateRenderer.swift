/// Renders parsed templates into UTF-8 bytes: one output buffer, one value stack, no dynamic casts.
///
/// The rules are swift-mustache's (lookup from the innermost value outwards, truthiness, partial and block
/// indentation, parents overriding blocks), so its themes render unchanged.
struct TemplateRenderer {
    /// The theme's templates by name, for partials and parents.
    let templates: [String: Template]
    private(set) var output: [UInt8] = []
    private var stack: [TemplateValue] = []
    /// The templates being rendered, outermost first. A partial or parent already among them is not entered again:
    /// a theme whose template includes itself (`{{>page}}` in page.mustache, or through others) would otherwise
    /// recurse until the stack overflows. Tandem's contexts are not recursive, so a theme never needs recursion.
    private var including: [String] = []
    /// Each self-inclusion met, as `a → b → a` and the template included again (`a`), for the caller's diagnostics.
    private(set) var recursions: [(chain: String, template: String)] = []

    /// Where rendering stands besides the value stack: what swift-mustache keeps in its context.
    struct Scope {
        /// The position in the list a section is iterating over, for `{{#first()}}` and friends.
        var position: (index: Int, first: Bool, last: Bool)?
        /// Prefixed to each line of a standalone partial or block.
        var indentation = ""
        /// The blocks a child template overrides, by name.
        var overrides: [String: [TemplateNode]]?
        /// HTML-escape `{{name}}` (false after `{{% CONTENT_TYPE: TEXT}}`).
        var html = true
    }

    init(templates: [String: Template]) {
        self.templates = templates
        output.reserveCapacity(16_384)
    }

    /// Renders `template` with `context` as the outermost value; returns the bytes (an array of exactly their size:
    /// 20,000 pages held until the write must not each keep a half-empty buffer).
    /// `name` is the template's own name (a partial of that name inside it is a recursion).
    mutating func render(_ template: Template, _ context: TemplateValue, name: String? = nil) -> [UInt8] {
        output.removeAll(keepingCapacity: true)
        stack = [context]
        including = name.map { [$0] } ?? []
        recursions = []
        render(template.nodes, Scope())
        return output.withUnsafeBufferPointer { Array($0) }
    }

    private mutating func render(_ nodes: [TemplateNode], _ initial: Scope) {
        var scope = initial
        if scope.indentation.isEmpty {
            for node in nodes { render(node, &scope) }
            return
        }
        // swift-mustache's rule: a node's output that starts where this template's own output ended a line gets
        // the indentation in front of it.
        let start = output.count
        for node in nodes {
            let before = output.count
            render(node, &scope)
            if output.count > before, before > start, output[before - 1] == 0x0A,
                before - 1 == start || output[before - 2] != 0x0D
            {
                output.insert(contentsOf: scope.indentation.utf8, at: before)
            }
        }
    }

    private mutating func render(_ node: TemplateNode, _ scope: inout Scope) {
        switch node {
        case .text(let text):
            output.append(contentsOf: text.utf8)

        case .variable(let name, let escaped):
            guard let value = lookup(name, scope) else { return }
            let text = value.renderedText
            if escaped && scope.html { Escape.appendHTML(text, to: &output) } else { output.append(contentsOf: text.utf8) }

        case .section(let name, let body):
            switch lookup(name, scope) {
            case .list(let items)?:
                var inner = scope
                for (index, item) in items.enumerated() {
                    inner.position = (index, index == 0, index == items.count - 1)
                    stack.append(item)
                    render(body, inner)
                    stack.removeLast()
                }
            case .flag(let flag)?:
                if flag { render(body, scope) }
            case .null?, nil:
                return
            case let value?:
                var inner = scope
                inner.position = nil
                stack.append(value)
                render(body, inner)
                stack.removeLast()
            }

        case .invertedSection(let name, let body):
            switch lookup(name, scope) {
            case .list(let items)?:
                guard items.isEmpty else { return }
                var inner = scope
                inner.position = nil
                stack.append(.list(items))
                render(body, inner)
                stack.removeLast()
            case .flag(let flag)?:
                if !flag { render(body, scope) }
            case .null?, nil:
                render(body, scope)
            case .some:
                return
            }

        case .partial(let name, let dynamic, let indentation, let overrides, _):
            var templateName = name
            if dynamic {
                guard case .text(let text)? = lookup(TemplateName(name, transforms: []), scope) else { return }
                templateName = text
            }
            guard let template = templates[templateName] else { return }
            if including.contains(templateName) {
                let chain = (including + [templateName]).joined(separator: " → ")
                if !recursions.contains(where: { $0.chain == chain }) { recursions.append((chain, templateName)) }
                return
            }
            including.append(templateName)
            defer { including.removeLast() }
            var inner = Scope()
            inner.indentation = scope.indentation + (indentation ?? "")
            if let overrides {
                inner.overrides = scope.overrides.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
            } else {
                inner.overrides = scope.overrides
            }
            render(template.nodes, inner)

        case .block(let name, let body, let indentation):
            var inner = scope
            inner.position = nil
            inner.indentation = scope.indentation + indentation
            if let override = scope.overrides?[name] {
                // A block of the same name inside the override renders its own content: overriding it with the
                // override again would recurse until the stack overflows.
                inner.overrides?[name] = nil
                render(override, inner)
            } else {
                render(body, inner)
            }

        case .blockDefinition:
            return

        case .contentType(let html):
            scope.html = html
        }
    }

    /// The value a tag names, after its transforms; nil when something along the way is missing.
    private func lookup(_ name: TemplateName, _ scope: Scope) -> TemplateValue? {
        var value: TemplateValue
        switch name.scope {
        case .current:
            value = stack[stack.count - 1]
        case .position:
            // `{{#first()}}`, `{{index()}}`: the innermost transform asks the position in the enclosing list.
            guard let position = scope.position, let question = name.transforms.last else { return nil }
            switch question {
            case "first": value = .flag(position.first)
            case "last": value = .flag(position.last)
            case "index": value = .number(position.index)
            case "even": value = .flag(position.index & 1 == 0)
            case "odd": value = .flag(position.index & 1 == 1)
            default: return nil
            }
            return Self.apply(name.transforms.dropLast(), to: value)
        case .local:
            guard let found = Self.follow(name.keys[...], from: stack[stack.count - 1]) else { return nil }
            value = found
        case .stack:
            let first = name.keys[0]
            var found: TemplateValue?
            var level = stack.count - 1
            while level >= 0 {
                if case .map(let map) = stack[level], let child = map[first] {
                    found = child
                    break
                }
                level -= 1
            }
            guard let child = found else { return nil }
            if name.keys.count == 1 {
                value = child
            } else {
                guard let deeper = Self.follow(name.keys.dropFirst(), from: child) else { return nil }
                value = deeper
            }
        }
        if case .null = value { return nil }
        return Self.apply(name.transforms[...], to: value)
    }

    /// Applies transforms inside out: `count(reversed(list))` reverses first.
    private static func apply(_ transforms: ArraySlice<String>, to start: TemplateValue) -> TemplateValue? {
        var value = start
        for transform in transforms.reversed() {
            guard let transformed = value.transform(transform) else { return nil }
            value = transformed
        }
        return value
    }

    private static func follow(_ components: ArraySlice<TemplateKey>, from start: TemplateValue) -> TemplateValue? {
        var value = start
        for component in components {
            guard let child = value.child(component) else { return nil }
            value = child
        }
        return value
    }
}
