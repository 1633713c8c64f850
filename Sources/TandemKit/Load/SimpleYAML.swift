/// A reader for the YAML nearly every front matter is written in: block mappings and sequences of `key: value` lines
/// whose values are one-line plain, 'single-quoted' or "double-quoted" scalars. For such text it gives exactly the
/// nodes Yams gives (texts, styles, lines and columns), at a fraction of the cost; for anything else (comments, tabs,
/// flow collections, multi-line or escaped scalars, anchors, tags, duplicate keys, errors ...) it gives nil, and
/// the caller reads the text with Yams, so values and messages never depend on which reader ran.
struct SimpleYAML {
    /// A line that is not blank: its 1-based number, where its text starts, where it ends (before trailing spaces
    /// and the line break) and how many spaces indent it.
    private struct Line {
        let number: Int
        let start: Int
        let end: Int
        let indent: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let lines: [Line]
    /// The line being read.
    private var next = 0

    /// The document's root node, or nil when the text needs the full YAML reader. A text of blank lines is an
    /// empty mapping without position (as the caller makes of Yams' empty document).
    static func parse(_ text: String) -> YAMLNode? {
        var text = text
        return text.withUTF8 { bytes -> YAMLNode? in
            guard let lines = split(bytes) else { return nil }
            guard let first = lines.first else { return .mapping([], nil) }
            guard first.indent == 0 else { return nil }
            var reader = SimpleYAML(bytes: bytes, lines: lines)
            guard let root = reader.mapping(indent: 0, firstKey: first.start), reader.next == lines.count else { return nil }
            return root
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, lines: [Line]) {
        self.bytes = bytes
        self.lines = lines
    }

    // MARK: Lines

    /// The text's non-blank lines; nil when a character needs the full reader: a tab, a comment (`#`), a control
    /// character, a carriage return not followed by a line feed, a line break YAML knows beyond LF (NEL, U+2028,
    /// U+2029), a byte-order mark or a non-character, or a document marker (`---`, `...`).
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Line]? {
        let count = bytes.count
        var lines: [Line] = []
        var number = 1
        var start = 0
        var i = 0
        while i <= count {
            if i < count, bytes[i] != newline {
                let byte = bytes[i]
                if byte < 0x20 {
                    guard byte == carriageReturn, i + 1 < count, bytes[i + 1] == newline else { return nil }
                } else if byte == hash || byte == 0x7F {
                    return nil
                } else if byte >= 0xC2 {
                    // Multi-byte characters: the text is valid UTF-8, so their continuation bytes are there.
                    if byte == 0xC2, bytes[i + 1] < 0xA0 { return nil }  // C1 controls and NEL
                    if byte == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 { return nil }
                    if byte == 0xEF, bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF || bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE {
                        return nil
                    }
                }
                i += 1
                continue
            }
            // A line ends at i (a line feed or the end of the text).
            var end = i
            if end > start, bytes[end - 1] == carriageReturn { end -= 1 }
            while end > start, bytes[end - 1] == space { end -= 1 }
            var indent = 0
            while start + indent < end, bytes[start + indent] == space { indent += 1 }
            if start + indent < end {
                if indent == 0, end - start >= 3 {
                    let a = bytes[start]
                    if (a == dash || a == dot) && bytes[start + 1] == a && bytes[start + 2] == a { return nil }
                }
                lines.append(Line(number: number, start: start, end: end, indent: indent))
            }
            number += 1
            i += 1
            start = i
        }
        return lines
    }

    // MARK: Nodes

    /// A mapping or sequence whose first line is the current one, indented by `indent`.
    private mutating func block(indent: Int) -> YAMLNode? {
        let line = lines[next]
        if isItem(line, at: line.start + indent) { return sequence(indent: indent) }
        return mapping(indent: indent, firstKey: line.start + indent)
    }

    /// `key: value` lines at column `indent`; the first key starts at byte `firstKey` of the current line (after
    /// the indentation, or after `- ` for a mapping in a sequence).
    private mutating func mapping(indent: Int, firstKey: Int) -> YAMLNode? {
        var entries: [YAMLEntry] = []
        /// The keys so far, once there are many (a few are compared one by one).
        var keys: Set<String>?
        let mark = YAMLMark(line: lines[next].number, column: indent + 1)
        var keyStart = firstKey
        while true {
            let line = lines[next]
            guard let colon = keyEnd(line, from: keyStart) else { return nil }
            let key = string(keyStart, colon)
            if keys == nil, entries.count >= 16 { keys = Set(entries.map(\.key)) }
            if keys != nil {
                guard keys!.insert(key).inserted else { return nil }
            } else if entries.contains(where: { $0.key == key }) {
                return nil
            }
            var valueStart = colon + 1
            while valueStart < line.end, bytes[valueStart] == space { valueStart += 1 }
            let value: YAMLNode
            if valueStart < line.end {
                guard let scalar = scalar(line, from: valueStart) else { return nil }
                value = scalar
                next += 1
            } else {
                next += 1
                if next < lines.count, lines[next].indent > indent {
                    guard let nested = block(indent: lines[next].indent) else { return nil }
                    value = nested
                } else if next < lines.count, lines[next].indent == indent, isItem(lines[next], at: lines[next].start + indent) {
                    // A sequence may start at its key's column.
                    guard let sequence = sequence(indent: indent) else { return nil }
                    value = sequence
                } else {
                    // No value: an empty plain scalar where the `:` ends.
                    value = .scalar("", plain: true, YAMLMark(line: line.number, column: column(line, colon) + 2))
                }
            }
            entries.append(YAMLEntry(key: key, keyMark: YAMLMark(line: line.number, column: indent + 1), value: value))
            guard next < lines.count else { break }
            let following = lines[next]
            if following.indent < indent { break }
            if following.indent > indent { return nil }
            keyStart = following.start + indent
        }
        return .mapping(entries, mark)
    }

    /// `- item` lines at column `indent`, starting with the current line; an item is a one-line scalar or a mapping.
    private mutating func sequence(indent: Int) -> YAMLNode? {
        var items: [YAMLNode] = []
        let mark = YAMLMark(line: lines[next].number, column: indent + 1)
        while next < lines.count {
            let line = lines[next]
            if line.indent < indent { break }
            if line.indent > indent { return nil }
            let dash = line.start + indent
            guard isItem(line, at: dash) else { break }
            var start = dash + 1
            while start < line.end, bytes[start] == space { start += 1 }
            guard start < line.end, !isItem(line, at: start) else { return nil }
            if isKeyLine(line, from: start) {
                guard let item = mapping(indent: start - line.start, firstKey: start) else { return nil }
                items.append(item)
            } else {
                guard let item = scalar(line, from: start) else { return nil }
                items.append(item)
                next += 1
            }
        }
        return .sequence(items, mark)
    }

    /// The scalar from byte `start` to the end of the line.
    private func scalar(_ line: Line, from start: Int) -> YAMLNode? {
        let mark = YAMLMark(line: line.number, column: column(line, start) + 1)
        let end = line.end
        let first = bytes[start]
        if first == doubleQuote {
            // Without escapes: the text between the quotes as it is.
            guard end - start >= 2, bytes[end - 1] == doubleQuote else { return nil }
            for i in start + 1..<end - 1 where bytes[i] == doubleQuote || bytes[i] == backslash { return nil }
            return .scalar(string(start + 1, end - 1), plain: false, mark)
        }
        if first == singleQuote {
            // `''` stands for one quote.
            guard end - start >= 2, bytes[end - 1] == singleQuote else { return nil }
            var i = start + 1
            var escaped = false
            while i < end - 1 {
                if bytes[i] == singleQuote {
                    guard i + 1 < end - 1, bytes[i + 1] == singleQuote else { return nil }
                    escaped = true
                    i += 2
                } else {
                    i += 1
                }
            }
            let text = string(start + 1, end - 1)
            return .scalar(escaped ? text.replacingAll("''", with: "'") : text, plain: false, mark)
        }
        // Plain: no indicator first (a `-` only before a non-space), no `: ` inside, no `:` at the end.
        if Self.indicators.contains(first), !(first == dash && start + 1 < end && bytes[start + 1] != space) { return nil }
        for i in start..<end where bytes[i] == colon && (i + 1 == end || bytes[i + 1] == space) { return nil }
        return .scalar(string(start, end), plain: true, mark)
    }

    // MARK: Pieces of lines

    /// `-` followed by a space or the end of the line.
    private func isItem(_ line: Line, at position: Int) -> Bool {
        position < line.end && bytes[position] == dash && (position + 1 == line.end || bytes[position + 1] == space)
    }

    /// Whether the text from `start` reads as `key:` (followed by a space or the end of the line) rather than a scalar.
    private func isKeyLine(_ line: Line, from start: Int) -> Bool {
        let first = bytes[start]
        if first == doubleQuote || first == singleQuote { return false }
        for i in start..<line.end where bytes[i] == colon && (i + 1 == line.end || bytes[i + 1] == space) { return true }
        return false
    }

    /// The position of the `:` ending a simple key that starts at `start`: letters, digits (any script), `_`, `-`,
    /// `.` and `/`, starting with a letter, digit or `_`, then `:` and a space or the end of the line.
    private func keyEnd(_ line: Line, from start: Int) -> Int? {
        guard start < line.end, Self.isKeyByte(bytes[start]), bytes[start] != dash, bytes[start] != dot, bytes[start] != slash
        else { return nil }
        var i = start + 1
        while i < line.end, Self.isKeyByte(bytes[i]) { i += 1 }
        guard i < line.end, bytes[i] == colon, i + 1 == line.end || bytes[i + 1] == space else { return nil }
        return i
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
            || byte == underscore || byte == dash || byte == dot || byte == slash
    }

    /// The 0-based column of byte `position`: characters (Unicode scalars) since the start of the line.
    private func column(_ line: Line, _ position: Int) -> Int {
        var column = 0
        var i = line.start
        while i < position {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Characters that may not start a plain scalar.
    private static let indicators: Set<UInt8> = Set("-?:,[]{}#&*!|>'\"%@`".utf8)
}

private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let space = UInt8(ascii: " ")
private let hash = UInt8(ascii: "#")
private let dash = UInt8(ascii: "-")
private let dot = UInt8(ascii: ".")
private let slash = UInt8(ascii: "/")
private let colon = UInt8(ascii: ":")
private let underscore = UInt8(ascii: "_")
private let doubleQuote = UInt8(ascii: "\"")
private let singleQuote = UInt8(ascii: "'")
private let backslash = UInt8(ascii: "\\")
