import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The tables of a programme folder given as Excel workbooks: `participants.xlsx`, `pairs.xlsx`, `meetings.xlsx`
/// are read into the same `CSVTable` records as their CSV counterparts, with the workbook's row numbers as lines and
/// `participants.xlsx:Sheet` as the path, so every message reads `participants.xlsx:Teilnehmende:12: error: …`.
enum WorkbookTable {
    /// Sheet names that select a table's sheet in a workbook with several (else the first visible sheet is read).
    static let sheetNames: [String: [String]] = [
        "participants": ["participants", "teilnehmende", "teilnehmer", "teilnehmer:innen", "participant·e·s", "partecipanti"],
        "pairs": ["pairs", "tandems", "paare", "paires", "binômes", "coppie"],
        "meetings": ["meetings", "treffen", "rencontres", "réunions", "incontri"],
    ]
    /// Columns that hold dates: a day number there reads as a date even when the cell is not formatted as one.
    static let dateColumns: Set<String> = ["date", "started"]

    /// The file that holds `table` (`participants`): `participants.csv`, `participants.xlsx` or, to be refused with
    /// a clear message, `participants.xls`. Both a CSV and a workbook is an error (the CSV is read, so its own
    /// problems are reported too). Without any of them: the CSV name, so a missing file is reported as before.
    static func file(for table: String, root: URL, display: (String) -> String, diagnostics: inout Diagnostics) -> String {
        func exists(_ name: String) -> Bool {
            var info = stat()
            return lstat(root.appendingPathComponent(name).path, &info) == 0
        }
        let csv = table + ".csv"
        let xlsx = table + ".xlsx"
        let xls = table + ".xls"
        let hasCSV = exists(csv)
        let workbook = exists(xlsx) ? xlsx : exists(xls) ? xls : nil
        guard let workbook else { return csv }
        if hasCSV {
            diagnostics.error(
                display(workbook), "both \(csv) and \(workbook) hold the \(table) table; keep one of them (\(csv) is read for now)")
            return csv
        }
        return workbook
    }

    /// Reads the table's sheet as `CSVTable.parse` reads a CSV file: header problems, overlong cells and control
    /// characters are reported the same way.
    static func parse(
        bytes: [UInt8], path: String, table: String, required: [String], known: [String], diagnostics: inout Diagnostics
    ) -> CSVTable? {
        let sheet: WorksheetRows
        do {
            sheet = try Workbook.readSheet(bytes, preferredNames: sheetNames[table] ?? [table])
        } catch let problem as WorkbookProblem {
            diagnostics.error(path, problem.message)
            return nil
        } catch {
            diagnostics.error(path, "cannot read the workbook: \(error)")
            return nil
        }
        let sheetPath = path + ":" + sheet.sheetName
        guard let headerIndex = headerRow(sheet.rows, known: known) else {
            diagnostics.error(sheetPath, line: 1, "the sheet is empty; it needs a header row (\(required.joined(separator: ", ")))")
            return nil
        }
        let headerRow = sheet.rows[headerIndex]
        let names = headerRow.cells.map { Workbook.text(of: $0, dayOnly: false, date1904: sheet.date1904).trimmingWhitespace.lowercased() }
        var seen = Set<String>()
        for name in names where !name.isEmpty {
            if !seen.insert(name).inserted {
                diagnostics.error(sheetPath, line: headerRow.line, "column '\(name)' appears twice in the header")
            }
            if !known.contains(name) {
                diagnostics.warning(sheetPath, line: headerRow.line, "unknown column '\(name)' is ignored")
            }
        }
        for name in required where !names.contains(name) {
            diagnostics.error(
                sheetPath, line: headerRow.line,
                "missing required column '\(name)' (the header has: \(names.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        var rows: [CSVRow] = []
        for (line, cells) in sheet.rows[(headerIndex + 1)...] {
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() where !name.isEmpty && values[name] == nil {
                guard index < cells.count else {
                    values[name] = ""
                    continue
                }
                let cell = cells[index]
                switch cell {
                case .error(let code):
                    diagnostics.error(
                        sheetPath, line: line,
                        "column '\(name)' (cell \(Workbook.columnLetters(index))\(line)) holds the error \(code); correct the value or formula"
                    )
                    values[name] = ""
                case .formulaWithoutValue:
                    diagnostics.error(
                        sheetPath, line: line,
                        "column '\(name)' (cell \(Workbook.columnLetters(index))\(line)) has a formula whose result was never saved; open the workbook in your spreadsheet program and save it again"
                    )
                    values[name] = ""
                default:
                    let text = Workbook.text(of: cell, dayOnly: dateColumns.contains(name), date1904: sheet.date1904)
                    values[name] = CSVTable.checkedCell(text, column: name, line: line, path: sheetPath, diagnostics: &diagnostics)
                }
            }
            rows.append(CSVRow(line: line, values: values))
        }
        // List cells separate their items with `;`, as in a comma-delimited CSV file.
        return CSVTable(path: sheetPath, delimiter: ",", columns: names, rows: rows, encoding: .utf8)
    }

    /// The header: among the first rows, the one that names the most known columns (title rows above it and a
    /// first header row of merged group titles are skipped); when none names any, the first row.
    static func headerRow(_ rows: [(line: Int, cells: [WorkbookCell])], known: [String]) -> Int? {
        guard !rows.isEmpty else { return nil }
        var best = 0
        var bestCount = 0
        for (i, row) in rows.prefix(20).enumerated() {
            let count = row.cells.reduce(0) { sum, cell in
                guard case .text(let text) = cell else { return sum }
                return sum + (known.contains(text.trimmingWhitespace.lowercased()) ? 1 : 0)
            }
            if count > bestCount {
                best = i
                bestCount = count
            }
        }
        return best
    }
}
