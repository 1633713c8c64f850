/// A Markdown file split into its optional YAML front matter and its body.
struct MarkdownSource {
    let path: String
    /// Nil when the file has no front matter.
    let frontMatter: YAMLValue?
    let body: String
    /// The body rendered by cmark (filled in by the parse stage, `ModelBuilder.renderMarkdown`), in `renderedLanguage`.
    var rendered: RenderedMarkdown?
    var renderedLanguage: String?

    init(path: String, frontMatter: YAMLValue?, body: String) {
        self.path = path
        self.frontMatter = frontMatter
        self.body = body
    }

    /// Splits `text` at the `---` lines (LF or CRLF). Front matter keys keep their real line numbers in the file.
    /// Works on the UTF-8 bytes: no splitting into lines or characters.
    static func parse(_ text: String, path: String, diagnostics: inout Diagnostics) -> MarkdownSource {
        let utf8 = text.utf8
        /// The end of the line starting at `start` (the index of its `\n`, or the end) and the start of the next.
        func line(from start: String.Index) -> (end: String.Index, next: String.Index) {
            guard let newline = utf8[start...].firstIndex(of: 0x0A) else { return (utf8.endIndex, utf8.endIndex) }
            return (newline, utf8.index(after: newline))
        }
        /// `---` (or, closing, `...`) with nothing but trailing spaces, tabs and a carriage return.
        func isFence(_ start: String.Index, _ end: String.Index, opening: Bool) -> Bool {
            var last = end
            while last > start {
                let before = utf8.index(before: last)
                let byte = utf8[before]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { break }
                last = before
            }
            let content = utf8[start..<last]
            return content.elementsEqual("---".utf8) || (!opening && content.elementsEqual("...".utf8))
        }
        let first = line(from: utf8.startIndex)
        guard first.end > utf8.startIndex || first.next > utf8.startIndex, isFence(utf8.startIndex, first.end, opening: true) else {
            return MarkdownSource(path: path, frontMatter: nil, body: text)
        }
        var position = first.next
        var close: (start: String.Index, next: String.Index)?
        while position < utf8.endIndex {
            let current = line(from: position)
            if isFence(position, current.end, opening: false) {
                close = (position, current.next)
                break
            }
            position = current.next
        }
        guard let close else {
            diagnostics.error(path, line: 1, "front matter starts with '---' but has no closing '---' line")
            return MarkdownSource(path: path, frontMatter: nil, body: "")
        }
        let yaml = String(text[first.next..<close.start])
        let body = String(text[close.next...])
        // YAML line 1 is file line 2.
        let value = YAMLDocument.parse(yaml, path: path, lineOffset: 1, diagnostics: &diagnostics)
        if let value, value.entries == nil, !value.isNull {
            diagnostics.error(path, line: 2, "front matter must be a mapping of keys to values")
            return MarkdownSource(path: path, frontMatter: nil, body: body)
        }
        return MarkdownSource(path: path, frontMatter: value, body: body)
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
