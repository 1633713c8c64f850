/// A parsed Mustache template: the nodes of one `.mustache` file of the theme.
///
/// Tandem parses and renders the theme itself (see `TemplateRenderer`) because rendering is the hot path of a large
/// build. The language is the one swift-mustache implements, with the same whitespace rules, so a theme written
/// for it works unchanged: variables, `{{{raw}}}`/`{{&raw}}`, sections, inverted sections, comments, partials
/// (`{{>name}}`, dynamic `{{>*name}}`), parents with blocks (`{{<base}}{{$main}}…{{/main}}{{/base}}`),
/// set-delimiter tags, `{{% CONTENT_TYPE: TEXT}}` and transforms such as `{{^empty(topics)}}`.
public struct Template: Sendable {
    let nodes: [TemplateNode]
    /// The character offset of each line break, to turn a tag's offset into a line and column for diagnostics.
    private let lineBreaks: [Int]

    /// Parses `text`; a syntax error carries its line and column.
    public init(_ text: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(text)
        do {
            nodes = try parser.parse(TemplateParser.State())
        } catch let reason {
            let position = parser.position(of: parser.index)
            throw TemplateSyntaxError(line: position.line, column: position.column, message: reason.message)
        }
        lineBreaks = parser.characters.indices.filter { parser.characters[$0].isNewline }
    }

    /// The 1-based line and column of a character offset (where a tag starts), as `TemplateSyntaxError` counts them.
    func position(of offset: Int) -> (line: Int, column: Int) {
        // The number of line breaks before `offset`, by binary search.
        var low = 0
        var high = lineBreaks.count
        while low < high {
            let middle = (low + high) / 2
            if lineBreaks[middle] < offset { low = middle + 1 } else { high = middle }
        }
        let lineStart = low == 0 ? 0 : lineBreaks[low - 1] + 1
        return (low + 1, offset - lineStart + 1)
    }
}

/// A syntax error in a template, at a 1-based line and column.
public struct TemplateSyntaxError: Error, Sendable {
    public let line: Int
    public let column: Int
    public let message: String
}

/// A name as written in a tag: `name`, `a.b`, `.` (the current value), `.name` (only the current value's key),
/// with transforms applied inside out: `empty(topics)` has the transforms `["empty"]`.
struct TemplateName: Sendable {
    enum Scope: Sendable {
        /// `.` or an empty name: the current value.
        case current
        /// An empty name with a transform, e.g. `{{#first()}}`: the position in the enclosing list.
        case position
        /// `.name`: looked up in the current value only.
        case local
        /// `name`: looked up from the innermost value outwards.
        case stack
    }

    let scope: Scope
    let components: [String]
    /// `components` with their fingerprints, as the renderer looks them up.
    let keys: [TemplateKey]
    let transforms: [String]
    /// Where the tag starts in its template (a character offset; see `Template.position(of:)`).
    let offset: Int

    init(_ name: String, transforms: [String], at offset: Int = 0) {
        self.transforms = transforms
        self.offset = offset
        components = name.split(separator: ".").map(String.init)
        keys = components.map(TemplateKey.init)
        if name == "." {
            scope = .current
        } else if name.isEmpty, !transforms.isEmpty {
            scope = .position
        } else if name.first == "." {
            scope = components.isEmpty ? .current : .local
        } else {
            scope = components.isEmpty ? .current : .stack
        }
    }
}

/// One piece of a parsed template.
indirect enum TemplateNode: Sendable {
    case text(String)
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, [TemplateNode])
    case invertedSection(TemplateName, [TemplateNode])
    /// `{{>name}}` (no overrides) or a parent `{{<name}}` with the blocks it overrides; `indentation` for a standalone tag;
    /// `offset` is where the tag starts (for the theme check).
    case partial(String, dynamic: Bool, indentation: String?, overrides: [String: [TemplateNode]]?, offset: Int)
    /// `{{$name}}default{{/name}}` where a parent template places a block.
    case block(String, default: [TemplateNode], indentation: String)
    /// `{{$name}}…{{/name}}` inside `{{<parent}}`: the text that replaces the parent's block.
    case blockDefinition(String, [TemplateNode])
    case contentType(html: Bool)
}

/// Reads template text into nodes, following swift-mustache's parser rule for rule (standalone lines,
/// indentation of partials and blocks), so a theme renders byte for byte as it did with that library.
struct TemplateParser {
    struct Failure: Error {
        let message: String
    }

    struct State {
        var sectionName: String?
        var sectionTransforms: [String] = []
        var newLine = true
        var partialDefinition = false
        var partialDefinitionTopLevel = false
        var startDelimiter: [Character] = ["{", "{"]
        var endDelimiter: [Character] = ["}", "}"]
        var partialDefinitionIndent: Int?

        func inSection(_ name: String, newLine: Bool, transforms: [String] = []) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = transforms
            state.partialDefinitionTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }

        func inParent(_ name: String) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = []
            state.newLine = true
            state.partialDefinition = true
            state.partialDefinitionTopLevel = true
            return state
        }
    }

    let characters: [Character]
    var index = 0

    init(_ text: String) { characters = Array(text) }

    var atEnd: Bool { index >= characters.count }
    /// The current character, or NUL at the end (as swift-mustache's parser answers).
    var current: Character { atEnd ? "\0" : characters[index] }

    func position(of index: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in characters[..<min(index, characters.count)] {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    @discardableResult
    mutating func read(while predicate: (Character) -> Bool) -> String {
        let start = index
        while !atEnd && predicate(characters[index]) { index += 1 }
        return String(characters[start..<index])
    }

    mutating func readSpacesAndTabs() -> String { read { $0 == " " || $0 == "\t" } }

    mutating func read(_ text: [Character]) -> Bool {
        guard index + text.count <= characters.count, Array(characters[index..<index + text.count]) == text else { return false }
        index += text.count
        return true
    }

    mutating func parse(_ initial: State) throws(Failure) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var state = initial
        var whiteSpaceBefore = ""
        while !atEnd {
            if state.newLine {
                let whiteSpace = readSpacesAndTabs()
                if state.partialDefinition, !state.partialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whiteSpaceBefore = String(whiteSpace.dropFirst(indent))
                    } else {
                        state.partialDefinitionIndent = whiteSpace.count
                    }
                } else {
                    whiteSpaceBefore = whiteSpace
                }
            }
            let text = readUntilDelimiterOrNewline(state)
            if current.isNewline {
                nodes.append(.text(whiteSpaceBefore + text + String(current)))
                state.newLine = true
                index += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                state.newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            // The tag's opening delimiter has just been read: its first character is where diagnostics point.
            let tagStart = index - state.startDelimiter.count
            func flushWhiteSpace() {
                if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = ""
                }
            }
            switch current {
            case "#", "^":
                let inverted = current == "^"
                index += 1
                let (name, transforms) = try parseName(state)
                if isStandalone(state) {
                    setNewLine = true
                } else {
                    flushWhiteSpace()
                }
                let children = try parse(state.inSection(name, newLine: setNewLine, transforms: transforms))
                let tag = TemplateName(name, transforms: transforms, at: tagStart)
                nodes.append(inverted ? .invertedSection(tag, children) : .section(tag, children))

            case "/":
                index += 1
                let start = index
                let (name, transforms) = try parseName(state)
                guard name == state.sectionName, transforms == state.sectionTransforms else {
                    index = start
                    if let open = state.sectionName {
                        throw Failure(message: "'{{/\(name)}}' does not close the open section '\(open)'")
                    }
                    throw Failure(message: "'{{/\(name)}}' closes a section that was never opened")
                }
                if !isStandalone(state) { flushWhiteSpace() }
                return nodes

            case "!":
                index += 1
                try skipComment(state)
                setNewLine = isStandalone(state)

            case "{", "&":
                let triple = current == "{"
                flushWhiteSpace()
                index += 1
                let (name, transforms) = try parseName(state)
                if triple {
                    guard current == "}" else { throw Failure(message: "'{{{' needs a closing '}}}'") }
                    index += 1
                }
                nodes.append(.variable(TemplateName(name, transforms: transforms, at: tagStart), escaped: false))

            case ">":
                index += 1
                read { $0.isWhitespace }
                var dynamic = false
                if current == "*" {
                    index += 1
                    dynamic = true
                }
                let name = try parsePartialName(state)
                if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) {
                    setNewLine = true
                    nodes.append(.partial(name, dynamic: dynamic, indentation: whiteSpaceBefore, overrides: nil, offset: tagStart))
                } else {
                    nodes.append(.partial(name, dynamic: dynamic, indentation: nil, overrides: nil, offset: tagStart))
                }
                whiteSpaceBefore = ""

            case "<":
                index += 1
                read { $0.isWhitespace }
                let sectionName = try parsePartialName(state)
                let dynamic = sectionName.first == "*"
                let name = dynamic ? String(sectionName.dropFirst()) : sectionName
                if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) { setNewLine = true }
                let start = index
                let children = try parse(state.inParent(sectionName))
                var overrides: [String: [TemplateNode]] = [:]
                for child in children {
                    switch child {
                    case .blockDefinition(let block, let body): overrides[block] = body
                    case .text: break
                    default:
                        index = start
                        throw Failure(message: "only blocks ({{$name}}…{{/name}}) may stand inside the parent '{{<\(sectionName)}}'")
                    }
                }
                nodes.append(.partial(name, dynamic: dynamic, indentation: whiteSpaceBefore, overrides: overrides, offset: tagStart))
                whiteSpaceBefore = ""

            case "$":
                index += 1
                let (name, transforms) = try parseName(state)
                guard transforms.isEmpty else { throw Failure(message: "a block ({{$\(name)}}) cannot have a transform") }
                if state.partialDefinitionTopLevel {
                    if isStandalone(state) { setNewLine = true }
                    nodes.append(.blockDefinition(name, try parse(state.inSection(name, newLine: setNewLine))))
                } else {
                    if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                    if isStandalone(state) { setNewLine = true }
                    let body = try parse(state.inSection(name, newLine: setNewLine))
                    nodes.append(.block(name, default: body, indentation: whiteSpaceBefore))
                    whiteSpaceBefore = ""
                }

            case "=":
                index += 1
                state = try parseSetDelimiter(state)
                setNewLine = isStandalone(state)

            case "%":
                index += 1
                if let node = try parsePragma(state) { nodes.append(node) }
                setNewLine = isStandalone(state)

            default:
                flushWhiteSpace()
                let (name, transforms) = try parseName(state)
                nodes.append(.variable(TemplateName(name, transforms: transforms, at: tagStart), escaped: true))
            }
            state.newLine = setNewLine
        }
        if let open = state.sectionName {
            throw Failure(message: "'{{#\(open)}}' (or '{{^', '{{$', '{{<') is never closed with '{{/\(open)}}'")
        }
        return nodes
    }

    /// Text up to a line break or the start delimiter (which it consumes).
    mutating func readUntilDelimiterOrNewline(_ state: State) -> String {
        guard let first = state.startDelimiter.first else { return "" }
        var text = ""
        while !atEnd {
            text += read { $0 != "\n" && $0 != "\r\n" && $0 != first }
            if current.isNewline { break }
            if current == first {
                if read(state.startDelimiter) { break }
                text.append(first)
                index += 1
            }
        }
        return text
    }

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
    private static let partialNameCharacters = nameCharacters.union("()/")

    /// A tag's name up to the end delimiter, split into the name and its transforms: `empty(topics)`.
    mutating func parseName(_ state: State) throws(Failure) -> (String, [String]) {
        read { $0.isWhitespace }
        let text = read { Self.nameCharacters.contains($0) || $0 == "(" || $0 == ")" }
        read { $0.isWhitespace }
        guard read(state.endDelimiter) else { throw Failure(message: "unfinished tag: expected '\(String(state.endDelimiter))'") }
        let characters = Array(text)
        var i = 0
        func readName() -> String {
            let start = i
            while i < characters.count && Self.nameCharacters.contains(characters[i]) { i += 1 }
            return String(characters[start..<i])
        }
        let first = readName()
        if i == characters.count { return (text, []) }
        let malformed = Failure(message: "malformed transform in '\(text)': write it as transform(name)")
        guard characters[i] == "(" else { throw malformed }
        i += 1
        var transforms = [first]
        while true {
            let name = readName()
            guard i < characters.count else { throw malformed }
            if characters[i] == "(" {
                i += 1
                transforms.append(name)
                continue
            }
            guard characters[i] == ")" else { throw malformed }
            i += 1
            var closing = 0
            while i < characters.count && characters[i] == ")" {
                closing += 1
                i += 1
            }
            guard closing + 1 == transforms.count, i == characters.count else { throw malformed }
            return (name, transforms)
        }
    }

    mutating func parsePartialName(_ state: State) throws(Failure) -> String {
        read { $0.isWhitespace }
        let text = read { Self.partialNameCharacters.contains($0) }
        read { $0.isWhitespace }
        guard read(state.endDelimiter) else { throw Failure(message: "unfinished partial tag: expected '\(String(state.endDelimiter))'") }
        return text
    }

    mutating func skipComment(_ state: State) throws(Failure) {
        while !atEnd {
            if read(state.endDelimiter) { return }
            index += 1
        }
        throw Failure(message: "comment is never closed with '\(String(state.endDelimiter))'")
    }

    mutating func parseSetDelimiter(_ state: State) throws(Failure) -> State {
        let invalid = Failure(message: "invalid set-delimiter tag: write it as {{=<% %>=}}")
        read { $0.isWhitespace }
        let start = read { !$0.isWhitespace }
        guard !atEnd else { throw invalid }
        read { $0.isWhitespace }
        let end = read { $0 != "=" && !$0.isWhitespace }
        guard !atEnd else { throw invalid }
        read { $0.isWhitespace }
        guard current == "=" else { throw invalid }
        index += 1
        guard read(state.endDelimiter), !start.isEmpty, !end.isEmpty else { throw invalid }
        var state = state
        state.startDelimiter = Array(start)
        state.endDelimiter = Array(end)
        state.partialDefinitionTopLevel = false
        return state
    }

    mutating func parsePragma(_ state: State) throws(Failure) -> TemplateNode? {
        let invalid = Failure(message: "invalid pragma: write {{% CONTENT_TYPE: HTML}} or {{% CONTENT_TYPE: TEXT}}")
        read { $0.isWhitespace }
        let variable = read { Self.nameCharacters.contains($0) }
        read { $0.isWhitespace }
        guard current == ":" else { throw invalid }
        index += 1
        read { $0.isWhitespace }
        let value = read { Self.nameCharacters.contains($0) }
        read { $0.isWhitespace }
        guard read(state.endDelimiter), !variable.isEmpty, !value.isEmpty else { throw invalid }
        guard variable == "CONTENT_TYPE", value == "HTML" || value == "TEXT" else { throw invalid }
        return .contentType(html: value == "HTML")
    }

    /// A tag alone on its line: the rest of the line is blank, and the line break is consumed.
    mutating func isStandalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var probe = index
        while probe < characters.count && (characters[probe] == " " || characters[probe] == "\t") { probe += 1 }
        if probe < characters.count && characters[probe].isNewline {
            index = probe + 1
            return true
        }
        return false
    }
}
