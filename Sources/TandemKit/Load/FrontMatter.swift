import Foundation

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
        // Limits before any parsing: a file cmark would take minutes for is refused with a message, not rendered.
        let size = text.utf8.count
        if size > Markdown.maxFileBytes {
            diagnostics.error(
                path,
                "the file is \(size / 1024) KB; a Markdown file may have at most \(Markdown.maxFileBytes / 1024) KB (split it, or move large content to assets/)"
            )
            return MarkdownSource(path: path, frontMatter: nil, body: "")
        }
        if let (line, scalar) = TextChecks.firstControlCharacterLine(text) {
            // An error rather than silent removal: such a character means a broken export or a paste from a terminal,
            // and the text around it is likely damaged too; the author should look at it.
            diagnostics.error(
                path, line: line,
                "the file contains the control character \(TextChecks.name(scalar)); remove it (only tab and line breaks are allowed)")
            return MarkdownSource(path: path, frontMatter: nil, body: "")
        }
        let source = parseUnchecked(text, path: path, diagnostics: &diagnostics)
        if let problem = Markdown.bracketProblem(source.body) {
            // The body's first line in the file: the lines of the text before it.
            let bodyLine =
                (text.utf8.count - source.body.utf8.count == 0)
                ? 1 : Substring(text).utf8.dropLast(source.body.utf8.count).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            diagnostics.error(path, line: bodyLine + problem.line - 1, problem.message)
            return MarkdownSource(path: path, frontMatter: source.frontMatter, body: "")
        }
        return source
    }

    private static func parseUnchecked(_ text: String, path: String, diagnostics: inout Diagnostics) -> MarkdownSource {
        var text = text
        /// Byte offsets of the front matter's text (after the opening line, up to the closing one) and of the body's
        /// start; nil without front matter, `.some(nil)` when it is not closed.
        let split = text.withUTF8 { bytes -> (yaml: Range<Int>, body: Int)?? in
            let count = bytes.count
            /// The end of the line starting at `start` (the index of its `\n`, or the end) and the start of the next.
            func line(from start: Int) -> (end: Int, next: Int) {
                guard start < count, let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, count - start) else {
                    return (count, count)
                }
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                return (newline, newline + 1)
            }
            /// `---` (or, closing, `...`) with nothing but trailing spaces, tabs and a carriage return.
            func isFence(_ start: Int, _ end: Int, opening: Bool) -> Bool {
                var last = end
                while last > start, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 || bytes[last - 1] == 0x0D { last -= 1 }
                guard last - start == 3 else { return false }
                let (a, b, c) = (bytes[start], bytes[start + 1], bytes[start + 2])
                return (a == 0x2D && b == 0x2D && c == 0x2D) || (!opening && a == 0x2E && b == 0x2E && c == 0x2E)
            }
            let first = line(from: 0)
            guard count > 0, isFence(0, first.end, opening: true) else { return nil }
            var position = first.next
            while position < count {
                let current = line(from: position)
                if isFence(position, current.end, opening: false) {
                    return (first.next..<position, current.next)
                }
                position = current.next
            }
            return .some(nil)
        }
        guard let split else { return MarkdownSource(path: path, frontMatter: nil, body: text) }
        guard let (range, start) = split else {
            diagnostics.error(path, line: 1, "front matter starts with '---' but has no closing '---' line")
            return MarkdownSource(path: path, frontMatter: nil, body: "")
        }
        // Copied as slices of the text (line starts are character boundaries): no second UTF-8 validation.
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }
        let yaml = String(text[index(range.lowerBound)..<index(range.upperBound)])
        let body = String(text[index(start)...])
        // YAML line 1 is file line 2.
        let value = YAMLDocument.parse(yaml, path: path, lineOffset: 1, diagnostics: &diagnostics)
        if let value, !value.isMapping, !value.isNull {
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
