import Yams

/// A YAML node together with the file it came from and the line where that file's YAML starts,
/// so every value can be reported at its real `path:line:column`.
public struct YAMLValue {
    let node: Node
    let path: String
    /// Added to Yams' 1-based line numbers (front matter starts on line 2 of a Markdown file).
    let lineOffset: Int

    var line: Int? { node.mark.map { $0.line + lineOffset } }
    var column: Int? { node.mark?.column }

    /// The scalar text, or nil for mappings and sequences.
    var scalarText: String? { node.scalar?.string }

    var isNull: Bool { node.scalar.map { $0.style == .plain && ["", "~", "null", "Null", "NULL"].contains($0.string) } ?? false }

    /// Keys of a mapping with their values, in file order.
    var entries: [(key: String, keyLine: Int?, keyColumn: Int?, value: YAMLValue)]? {
        guard let mapping = node.mapping else { return nil }
        return mapping.map { pair in
            (
                pair.key.string ?? "", pair.key.mark.map { $0.line + lineOffset }, pair.key.mark?.column,
                YAMLValue(node: pair.value, path: path, lineOffset: lineOffset)
            )
        }
    }

    var items: [YAMLValue]? {
        node.sequence.map { $0.map { YAMLValue(node: $0, path: path, lineOffset: lineOffset) } }
    }
}

enum YAMLDocument {
    /// Passed explicitly: Yams' defaults read the process environment (`Parser.Encoding.default`) or build a new
    /// constructor on every call, which costs more than parsing a small front matter.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// Parses `text`; a syntax error becomes a positioned diagnostic. An empty document yields an empty mapping.
    static func parse(_ text: String, path: String, lineOffset: Int = 0, diagnostics: inout Diagnostics) -> YAMLValue? {
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
