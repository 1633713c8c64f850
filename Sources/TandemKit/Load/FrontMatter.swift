/// A Markdown file split into its optional YAML front matter and its body.
struct MarkdownSource {
    let path: String
    /// Nil when the file has no front matter.
    let frontMatter: YAMLValue?
    let body: String

    /// Splits `text` at the `---` lines. Front matter keys keep their real line numbers in the file.
    static func parse(_ text: String, path: String, diagnostics: inout Diagnostics) -> MarkdownSource {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, isFence(first, opening: true) else {
            return MarkdownSource(path: path, frontMatter: nil, body: text)
        }
        guard let close = lines.dropFirst().firstIndex(where: { isFence($0, opening: false) }) else {
            diagnostics.error(path, line: 1, "front matter starts with '---' but has no closing '---' line")
            return MarkdownSource(path: path, frontMatter: nil, body: "")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        // YAML line 1 is file line 2.
        let value = YAMLDocument.parse(yaml, path: path, lineOffset: 1, diagnostics: &diagnostics)
        if let value, value.entries == nil, !value.isNull {
            diagnostics.error(path, line: 2, "front matter must be a mapping of keys to values")
            return MarkdownSource(path: path, frontMatter: nil, body: body)
        }
        return MarkdownSource(path: path, frontMatter: value, body: body)
    }

    private static func isFence(_ line: Substring, opening: Bool) -> Bool {
        let trimmed = line.trimmingSuffix(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
        return trimmed == "---" || (!opening && trimmed == "...")
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
