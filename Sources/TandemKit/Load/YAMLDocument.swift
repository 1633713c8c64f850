import Foundation
import Yams

// libyaml as Yams bundles it: its token scanner finds anchors and aliases before any tree exists.
#if canImport(CYaml)
    internal import CYaml
#endif

/// A position in a YAML text: 1-based line and column (columns count Unicode scalars, as libyaml does).
struct YAMLMark: Equatable {
    let line: Int
    let column: Int
}

/// A YAML node as Tandem reads it: scalars with their text and whether they were written plain (unquoted),
/// mappings with their keys in file order, sequences; each with the position where it starts.
indirect enum YAMLNode: Equatable {
    case scalar(String, plain: Bool, YAMLMark?)
    case mapping([YAMLEntry], YAMLMark?)
    case sequence([YAMLNode], YAMLMark?)

    var mark: YAMLMark? {
        switch self {
        case .scalar(_, _, let mark), .mapping(_, let mark), .sequence(_, let mark): return mark
        }
    }

    /// The node of a Yams tree (keys that are not scalars read as "", as `Node.string` gives them).
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar): self = .scalar(scalar.string, plain: scalar.style == .plain, YAMLMark(scalar.mark))
        case .mapping(let mapping):
            self = .mapping(
                mapping.map { YAMLEntry(key: $0.key.string ?? "", keyMark: YAMLMark($0.key.mark), value: YAMLNode($0.value)) },
                YAMLMark(mapping.mark))
        case .sequence(let sequence): self = .sequence(sequence.map(YAMLNode.init), YAMLMark(sequence.mark))
        case .alias(let alias): self = .scalar("", plain: true, YAMLMark(alias.mark))
        }
    }
}

/// One key of a mapping with its position and value.
struct YAMLEntry: Equatable {
    let key: String
    let keyMark: YAMLMark?
    let value: YAMLNode
}

extension YAMLMark {
    init?(_ mark: Mark?) {
        guard let mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }
}

/// A YAML node together with the file it came from and the line where that file's YAML starts,
/// so every value can be reported at its real `path:line:column`.
public struct YAMLValue {
    let root: YAMLNode
    let path: String
    /// Added to the YAML text's 1-based line numbers (front matter starts on line 2 of a Markdown file).
    let lineOffset: Int

    init(root: YAMLNode, path: String, lineOffset: Int) {
        self.root = root
        self.path = path
        self.lineOffset = lineOffset
    }

    init(node: Node, path: String, lineOffset: Int) {
        self.init(root: YAMLNode(node), path: path, lineOffset: lineOffset)
    }

    var line: Int? { root.mark.map { $0.line + lineOffset } }
    var column: Int? { root.mark?.column }

    /// The scalar text, or nil for mappings and sequences.
    var scalarText: String? {
        if case .scalar(let text, _, _) = root { return text }
        return nil
    }

    var isNull: Bool {
        guard case .scalar(let text, let plain, _) = root, plain else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    var isMapping: Bool {
        if case .mapping = root { return true }
        return false
    }

    /// Keys of a mapping with their values, in file order.
    var entries: [(key: String, keyLine: Int?, keyColumn: Int?, value: YAMLValue)]? {
        guard case .mapping(let entries, _) = root else { return nil }
        return entries.map { entry in
            (
                entry.key, entry.keyMark.map { $0.line + lineOffset }, entry.keyMark?.column,
                YAMLValue(root: entry.value, path: path, lineOffset: lineOffset)
            )
        }
    }

    var items: [YAMLValue]? {
        guard case .sequence(let items, _) = root else { return nil }
        return items.map { YAMLValue(root: $0, path: path, lineOffset: lineOffset) }
    }

    /// The mapping without `key` (positions kept, so messages still point at the right lines).
    func removing(_ key: String) -> YAMLValue {
        guard case .mapping(let entries, let mark) = root, entries.contains(where: { $0.key == key }) else { return self }
        return YAMLValue(root: .mapping(entries.filter { $0.key != key }, mark), path: path, lineOffset: lineOffset)
    }
}

enum YAMLDocument {
    /// Where the first anchor (`&name`) or alias (`*name`) of `text` is, as libyaml's scanner sees it: a `&` or `*`
    /// inside a quoted, plain or block scalar is text and not found. The scanner reads tokens one by one and keeps
    /// nothing of them, so a document of nested aliases costs what its bytes cost. Nil when there is none (or the
    /// text has a syntax error before one: Yams reports that error).
    static func firstAnchorOrAlias(_ text: String) -> (name: String, isAlias: Bool, line: Int, column: Int)? {
        // Most texts have neither character: no scanner needed.
        var text = text
        let candidate = text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x26, bytes.count) != nil || memchr(base, 0x2A, bytes.count) != nil
        }
        guard candidate else { return nil }
        #if canImport(CYaml)
            return text.withUTF8 { bytes -> (name: String, isAlias: Bool, line: Int, column: Int)? in
                var parser = yaml_parser_t()
                guard yaml_parser_initialize(&parser) == 1 else { return nil }
                defer { yaml_parser_delete(&parser) }
                yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
                yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
                var token = yaml_token_t()
                while yaml_parser_scan(&parser, &token) == 1 {
                    defer { yaml_token_delete(&token) }
                    let line = Int(token.start_mark.line) + 1
                    let column = Int(token.start_mark.column) + 1
                    switch token.type {
                    case YAML_ANCHOR_TOKEN:
                        return (Self.string(token.data.anchor.value), false, line, column)
                    case YAML_ALIAS_TOKEN:
                        return (Self.string(token.data.alias.value), true, line, column)
                    case YAML_STREAM_END_TOKEN:
                        return nil
                    default:
                        continue
                    }
                }
                return nil
            }
        #else
            return nil
        #endif
    }

    /// A name from libyaml, shortened for a message.
    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String {
        guard let pointer else { return "" }
        let name = String(cString: pointer)
        return name.count > 40 ? String(name.prefix(40)) + "…" : name
    }

    /// Passed explicitly: Yams' defaults read the process environment (`Parser.Encoding.default`) or build a new
    /// constructor on every call, which costs more than parsing a small front matter.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// Parses `text`; a syntax error becomes a positioned diagnostic. An empty document yields an empty mapping.
    /// The plain `key: value` YAML of nearly every front matter is read by `SimpleYAML`; anything else by Yams.
    static func parse(_ text: String, path: String, lineOffset: Int = 0, diagnostics: inout Diagnostics) -> YAMLValue? {
        if let root = SimpleYAML.parse(text) {
            return YAMLValue(root: root, path: path, lineOffset: lineOffset)
        }
        return parseWithYams(text, path: path, lineOffset: lineOffset, diagnostics: &diagnostics)
    }

    /// Parses `text` with Yams (libyaml): the whole of YAML, with its error messages.
    static func parseWithYams(_ text: String, path: String, lineOffset: Int = 0, diagnostics: inout Diagnostics) -> YAMLValue? {
        if let anchor = firstAnchorOrAlias(text) {
            let what = anchor.isAlias ? "an alias (*\(anchor.name))" : "an anchor (&\(anchor.name))"
            diagnostics.error(
                path, line: anchor.line + lineOffset, column: anchor.column,
                "YAML anchors and aliases (&name, *name) are not accepted: found \(what); Tandem's files never need them, "
                    + "and aliases can multiply a small file into gigabytes; write the value out, or quote a text that starts with & or *"
            )
            return nil
        }
        do {
            let node = try Yams.compose(yaml: text, .default, constructor, .utf8) ?? Node.mapping(Node.Mapping([]))
            return YAMLValue(node: node, path: path, lineOffset: lineOffset)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let where_ = context.map { " (\($0.text))" } ?? ""
                diagnostics.error(path, line: mark.line + lineOffset, column: mark.column, "invalid YAML: \(problem)\(where_)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                diagnostics.error(
                    path, line: context.mark.line + lineOffset, column: context.mark.column,
                    "invalid YAML: duplicate key \(duplicates.joined(separator: ", "))")
            case .reader(let problem, _, _, _):
                diagnostics.error(path, line: 1 + lineOffset, "invalid YAML: \(problem)")
            default:
                diagnostics.error(path, line: 1 + lineOffset, "invalid YAML: \(error)")
            }
            return nil
        } catch {
            diagnostics.error(path, line: 1 + lineOffset, "invalid YAML: \(error)")
            return nil
        }
    }
}
