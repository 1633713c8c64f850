import CSV

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
        let (text, encoding) = TextDecoding.decode(bytes)
        let delimiter = detectDelimiter(text)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter == ";" ? ";" : ",")
        } catch {
            diagnostics.error(path, line: 1, "cannot read CSV: \(error)")
            return nil
        }
        var line = 1
        var header: [String]?
        var rows: [CSVRow] = []
        var columnOrder: [String] = []
        while let fields = reader.next() {
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
                values[name] = index < fields.count ? fields[index] : ""
            }
            rows.append(CSVRow(line: rowLine, values: values))
        }
        if header == nil {
            diagnostics.error(path, line: 1, "the file is empty; it needs a header row (\(required.joined(separator: ", ")))")
            return nil
        }
        return CSVTable(path: path, delimiter: delimiter, columns: columnOrder, rows: rows, encoding: encoding)
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
