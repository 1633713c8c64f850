/// One data row of a CSV file with the line it starts on.
public struct CSVRow: Sendable {
    public let line: Int
    let values: [String: String]

    /// The trimmed cell of `column`, or nil when it is empty or the column is absent.
    public subscript(column: String) -> String? {
        guard let raw = values[column] else { return nil }
        let trimmed = raw.trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// A CSV file read as SPEC.md describes: delimiter detected, any column order, list cells split.
public struct CSVTable: Sendable {
    public let path: String
    public let delimiter: Character
    public let columns: [String]
    public let rows: [CSVRow]
    public let encoding: TextEncoding
    /// Lines of rows that could not be read (an unbalanced quote): their ids are unknown, so references to ids missing
    /// from the table are not reported as errors of their own (the row's error says what is wrong).
    public var unreadableLines: [Int] = []

    /// The most characters a cell may have (a profile text belongs in profiles/, not in a cell).
    public static let maxCellCharacters = 10_000

    /// Items of a list cell are separated by `;` in a comma file and by `,` in a semicolon file.
    public var listSeparator: Character { delimiter == ";" ? "," : ";" }

    /// Splits a list cell into trimmed, non-empty items.
    public func list(_ row: CSVRow, _ column: String) -> [String] {
        guard let cell = row[column] else { return [] }
        return cell.split(separator: listSeparator).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// Parses `bytes`; header problems (missing required or unknown columns) go to `diagnostics`.
    static func parse(
        bytes: [UInt8], path: String, required: [String], known: [String], diagnostics: inout Diagnostics
    ) -> CSVTable? {
        let (decoded, encoding) = TextDecoding.decode(bytes)
        if encoding == .utf16LittleEndianWithoutBOM || encoding == .utf16BigEndianWithoutBOM {
            diagnostics.warning(path, line: 1, "the file is UTF-16 without a byte-order mark; read as \(encoding.rawValue)")
        }
        let delimiter = detectDelimiter(decoded)
        // Rows with an unbalanced quote are blanked (their lines kept, so every other row keeps its line number).
        let (text, unreadable) = removingUnbalancedQuotes(decoded, delimiter: delimiter, path: path, diagnostics: &diagnostics)
        var line = 1
        var header: [String]?
        var rows: [CSVRow] = []
        var columnOrder: [String] = []
        for fields in CSVRecords.split(text, delimiter: delimiter == ";" ? ";" : ",") {
            let rowLine = line
            line += 1 + fields.reduce(0) { $0 + $1.lineBreakCount }
            if fields.allSatisfy({ $0.trimmingWhitespace.isEmpty }) { continue }
            guard let columns = header else {
                let names = fields.map { $0.trimmingWhitespace.lowercased() }
                header = names
                columnOrder = names
                var seen = Set<String>()
                for name in names {
                    if name.isEmpty { continue }
                    if !seen.insert(name).inserted {
                        diagnostics.error(path, line: rowLine, "column '\(name)' appears twice in the header")
                    }
                    if !known.contains(name) {
                        diagnostics.warning(path, line: rowLine, "unknown column '\(name)' is ignored")
                    }
                }
                for name in required where !names.contains(name) {
                    diagnostics.error(
                        path, line: rowLine,
                        "missing required column '\(name)' (the header has: \(names.filter { !$0.isEmpty }.joined(separator: ", ")))"
                    )
                }
                continue
            }
            if fields.count > columns.count, fields[columns.count...].contains(where: { !$0.trimmingWhitespace.isEmpty }) {
                diagnostics.warning(
                    path, line: rowLine,
                    "row has \(fields.count) cells but the header has \(columns.count) columns; the extra cells are ignored (a '\(delimiter)' inside a value needs quotes)"
                )
            }
            var values: [String: String] = [:]
            for (index, name) in columns.enumerated() where !name.isEmpty && values[name] == nil {
                values[name] =
                    index < fields.count
                    ? checkedCell(fields[index], column: name, line: rowLine, path: path, diagnostics: &diagnostics) : ""
            }
            rows.append(CSVRow(line: rowLine, values: values))
        }
        if header == nil {
            diagnostics.error(path, line: 1, "the file is empty; it needs a header row (\(required.joined(separator: ", ")))")
            return nil
        }
        var table = CSVTable(path: path, delimiter: delimiter, columns: columnOrder, rows: rows, encoding: encoding)
        table.unreadableLines = unreadable
        return table
    }

    /// `cell` when it is short and free of control characters; otherwise an error naming the line and column, and
    /// the cell cut to a short excerpt, so no later message repeats a long text.
    static func checkedCell(_ cell: String, column: String, line: Int, path: String, diagnostics: inout Diagnostics) -> String {
        var controlCharacter: Unicode.Scalar?
        var long = false
        // One pass over the bytes; most cells are short ASCII without controls.
        var bytes = 0
        var scanned = false
        for byte in cell.utf8 {
            bytes += 1
            if !scanned, byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F || byte == 0xC2 {
                controlCharacter = TextChecks.firstControlCharacter(cell)
                scanned = true
            }
        }
        if bytes > maxCellCharacters {
            let count = cell.count
            if count > maxCellCharacters {
                long = true
                diagnostics.error(
                    path, line: line,
                    "column '\(column)' has a cell of \(count) characters; a cell may have at most \(maxCellCharacters) (it starts '\(TextChecks.excerpt(cell))')"
                )
            }
        }
        if let scalar = controlCharacter {
            diagnostics.error(
                path, line: line,
                "column '\(column)' contains the control character \(TextChecks.name(scalar)) (in '\(TextChecks.excerpt(cell))'); remove it (often a broken export or a pasted terminal text)"
            )
        }
        return long ? String(cell.prefix(100)) : cell
    }

    /// The text with every row that has an unbalanced quote blanked (its line breaks kept), and those rows' lines.
    /// CSV.swift reads a cell that starts with `"` up to the next lone `"`, across lines and rows: one stray quote
    /// would merge the rest of the file into one cell. The rules here are CSV.swift's, so what is left reads as the
    /// user wrote it.
    static func removingUnbalancedQuotes(_ text: String, delimiter: Character, path: String, diagnostics: inout Diagnostics)
        -> (String, [Int])
    {
        guard text.utf8.contains(0x22) else { return (text, []) }
        var bytes = Array(text.utf8)
        let separator: UInt8 = delimiter == ";" ? 0x3B : 0x2C
        var unreadable: [Int] = []
        var i = 0
        var line = 1
        var rowStart = 0
        var rowLine = 1
        var fieldStart = true
        let count = bytes.count
        /// Blanks the row from `rowStart` to the end of the line where the trouble is (`end`), keeping line breaks.
        func blank(upTo end: Int) {
            var j = rowStart
            while j < end && j < count {
                if bytes[j] != 0x0A && bytes[j] != 0x0D { bytes[j] = 0x20 }
                j += 1
            }
        }
        while i < count {
            let byte = bytes[i]
            if fieldStart && byte == 0x22 {
                let openLine = line
                var j = i + 1
                var closeLine = line
                var closed = false
                var problem: String?
                /// A quote followed by other text inside the quoted cell: CSV.swift keeps reading the cell (one line
                /// read that way is accepted as it reads it), but across lines it is the sign of a stray quote.
                var strayQuote = false
                while j < count {
                    let b = bytes[j]
                    if b == 0x0A || (b == 0x0D && (j + 1 == count || bytes[j + 1] != 0x0A)) { closeLine += 1 }
                    if b == 0x22 {
                        if j + 1 < count, bytes[j + 1] == 0x22 {
                            j += 2
                            continue
                        }
                        let next: UInt8? = j + 1 < count ? bytes[j + 1] : nil
                        if next == nil || next == 0x0A || next == 0x0D || next == separator {
                            closed = true
                            if strayQuote && closeLine > openLine {
                                problem =
                                    "the cell that starts here with '\"' only ends on line \(closeLine), after quotes followed by more text: an unbalanced '\"'? (a quote inside a cell is written \"\" and the whole cell quoted); this row is not read"
                            }
                            break
                        }
                        strayQuote = true
                    }
                    j += 1
                }
                if !closed && problem == nil {
                    problem =
                        "the '\"' that starts a cell here is never closed: the rest of the file would be read as one cell; add the closing quote or remove this one; this row is not read"
                }
                if let problem {
                    diagnostics.error(path, line: openLine, problem)
                    unreadable.append(rowLine)
                    // The row ends at the end of the line where the quote was opened; the rest is read again. A
                    // carriage return alone ends a line too (CSV saved by Excel for Mac): the loop below counts it.
                    var end = i
                    while end < count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                    blank(upTo: end)
                    i = end
                    fieldStart = true
                    continue
                }
                // A well-formed quoted cell: skip it, counting its line breaks.
                var k = i + 1
                while k < j {
                    if bytes[k] == 0x0A || (bytes[k] == 0x0D && bytes[k + 1] != 0x0A) { line += 1 }
                    k += 1
                }
                i = j + 1
                fieldStart = false
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D, i + 1 < count, bytes[i + 1] == 0x0A { i += 1 }
                line += 1
                rowStart = i + 1
                rowLine = line
                fieldStart = true
            } else {
                fieldStart = byte == separator
            }
            i += 1
        }
        guard !unreadable.isEmpty else { return (text, []) }
        return (String(decoding: bytes, as: UTF8.self), unreadable)
    }

    /// `;` when the header line has more semicolons than commas (outside quotes), else `,`.
    static func detectDelimiter(_ text: String) -> Character {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted.toggle()
            case "," where !quoted: commas += 1
            case ";" where !quoted: semicolons += 1
            case "\n", "\r": if !quoted { return semicolons > commas ? ";" : "," }
            default: break
            }
        }
        return semicolons > commas ? ";" : ","
    }
}

/// Checks of user text shared by the readers: control characters and short excerpts for messages.
enum TextChecks {
    /// A control character (Unicode category Cc) other than tab, line feed and carriage return, which are legal
    /// in Tandem's texts; nil when there is none.
    static func firstControlCharacter(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            let v = scalar.value
            return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (v >= 0x7F && v <= 0x9F)
        }
    }

    /// Why `id` is not a valid id (`what` is "id" or "tandem id"), quoting at most a short excerpt of it.
    static func idProblem(_ id: String, what: String) -> String {
        let length = id.count
        if length > 100 { return "\(what) '\(excerpt(id))' is \(length) characters; an id has at most 100" }
        return "\(what) '\(excerpt(id))' is not a valid id: use lowercase letters a-z, digits and '-', starting with a letter or digit"
    }

    /// The 1-based line and the first control character (see `firstControlCharacter`) of `text`, or nil. A byte
    /// scan; only a 0xC2 byte (the lead of U+0080…U+00BF) needs a closer look.
    static func firstControlCharacterLine(_ text: String) -> (line: Int, scalar: Unicode.Scalar)? {
        // Over the bytes in place: iterating `utf8` costs several times more, and every Markdown file is scanned.
        text.utf8.withContiguousStorageIfAvailable(firstControlCharacterLine) ?? firstControlCharacterLine(text.utf8)
    }

    private static func firstControlCharacterLine<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> (line: Int, scalar: Unicode.Scalar)? {
        var line = 1
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A {
                line += 1
            } else if byte < 0x20 && byte != 0x09 && byte != 0x0D || byte == 0x7F {
                return (line, Unicode.Scalar(byte))
            } else if previous == 0xC2, byte >= 0x80, byte <= 0x9F {
                return (line, Unicode.Scalar(UInt32(byte)) ?? "\u{80}")
            }
            previous = byte
        }
        return nil
    }

    /// `U+001B (ESC)` for messages.
    static func name(_ scalar: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [
            0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
        ]
        let hex = String(scalar.value, radix: 16, uppercase: true).leftPadded(4)
        return "U+\(hex)" + (names[scalar.value].map { " (\($0))" } ?? "")
    }

    /// At most `limit` characters of `text` on one line, controls shown as `?`, with `…` when cut.
    static func excerpt(_ text: String, limit: Int = 40) -> String {
        var out = ""
        var n = 0
        for character in text {
            if n == limit {
                out += "…"
                break
            }
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
            {
                out += "?"
            } else if character.isNewline {
                out += " "
            } else {
                out.append(character)
            }
            n += 1
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (also no-break spaces).
    var trimmingWhitespace: String {
        // Most texts start and end with an ASCII character that is not a space: nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// `contains(where: \.isNewline)` without splitting the text into characters: LF, VT, FF, CR, NEL, U+2028 or U+2029
    /// (each of them is a character of its own, or with CR LF one together).
    var containsLineBreak: Bool {
        var utf8 = self.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte >= 0x0A && byte <= 0x0D { return true }
            if byte == 0xC2, utf8.next() == 0x85 { return true }
            if byte == 0xE2, utf8.next() == 0x80, let third = utf8.next(), third == 0xA8 || third == 0xA9 { return true }
        }
        return false
    }

    /// Line breaks inside the text, counting CRLF once.
    var lineBreakCount: Int {
        var count = 0
        var previousCR = false
        for unit in utf8 {
            if unit == 0x0A {
                if !previousCR { count += 1 }
                previousCR = false
            } else if unit == 0x0D {
                count += 1
                previousCR = true
            } else {
                previousCR = false
            }
        }
        return count
    }
}
