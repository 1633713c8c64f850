import CSV
import Foundation

/// A survey export (Microsoft Forms, Google Forms or any survey tool) as rows of text: the header row's column names
/// and, per answer, its cells with the line (CSV) or Excel row (workbook) it is on.
struct SurveyExport {
    /// The path messages name: `export.csv`, or `export.xlsx:Sheet1` for a workbook.
    var path: String
    var columns: [String]
    var rows: [(line: Int, row: Int, cells: [String])]

    /// Reads `bytes` as a workbook (by its first bytes) or as CSV (delimiter detected, UTF-8 with or without BOM,
    /// UTF-16 or Windows-1252, quoted line breaks).
    static func read(bytes: [UInt8], path: String, diagnostics: inout Diagnostics) -> SurveyExport? {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xls") || bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return readWorkbook(bytes, path: path, diagnostics: &diagnostics)
        }
        let (decoded, _) = TextDecoding.decode(bytes)
        let delimiter = CSVTable.detectDelimiter(decoded)
        let (text, _) = CSVTable.removingUnbalancedQuotes(decoded, delimiter: delimiter, path: path, diagnostics: &diagnostics)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter == ";" ? ";" : ",")
        } catch {
            diagnostics.error(path, line: 1, "cannot read CSV: \(error)")
            return nil
        }
        var line = 1
        var rowNumber = 0
        var columns: [String]?
        var rows: [(line: Int, row: Int, cells: [String])] = []
        while let fields = reader.next() {
            let rowLine = line
            rowNumber += 1
            line += 1 + fields.reduce(0) { $0 + $1.lineBreakCount }
            if fields.allSatisfy({ $0.trimmingWhitespace.isEmpty }) { continue }
            if columns == nil {
                columns = fields.map { $0.trimmingWhitespace }
                continue
            }
            rows.append((rowLine, rowNumber, fields))
        }
        guard let columns else {
            diagnostics.error(path, line: 1, "the export is empty; it needs a header row with the questions")
            return nil
        }
        return SurveyExport(path: path, columns: columns, rows: rows)
    }

    private static func readWorkbook(_ bytes: [UInt8], path: String, diagnostics: inout Diagnostics) -> SurveyExport? {
        let sheet: WorksheetRows
        do {
            sheet = try Workbook.readSheet(bytes, preferredNames: [])
        } catch let problem as WorkbookProblem {
            diagnostics.error(path, problem.message)
            return nil
        } catch {
            diagnostics.error(path, "cannot read the workbook: \(error)")
            return nil
        }
        let sheetPath = path + ":" + sheet.sheetName
        guard let header = sheet.rows.first else {
            diagnostics.error(sheetPath, line: 1, "the sheet is empty; it needs a header row with the questions")
            return nil
        }
        func text(_ cell: WorkbookCell) -> String { Workbook.text(of: cell, dayOnly: false, date1904: sheet.date1904) }
        let columns = header.cells.map { text($0).trimmingWhitespace }
        let rows = sheet.rows.dropFirst().map { row in (row.line, row.line, row.cells.map(text)) }
        return SurveyExport(path: sheetPath, columns: columns, rows: rows)
    }

    /// The index of the column named `name` (case, spacing and a trailing colon or question mark's spacing ignored).
    func column(_ name: String) -> Int? {
        let wanted = Self.normalized(name)
        return columns.firstIndex { Self.normalized($0) == wanted }
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .replacingOccurrences(of: " ?", with: "?").replacingOccurrences(of: " :", with: ":")
    }

    /// The first column whose name is one of `names`, in the order of `names`.
    func firstColumn(_ names: [String]) -> Int? {
        for name in names { if let index = column(name) { return index } }
        return nil
    }
}

/// Column names Microsoft Forms and Google Forms write, in German, French, Italian and English.
enum SurveyColumns {
    /// The respondent's e-mail address.
    static let email = [
        "E-Mail", "Email", "E-Mail-Adresse", "Email Address", "E-mail address", "Adresse de messagerie", "Adresse e-mail",
        "Adresse électronique", "Courriel", "Posta elettronica", "Indirizzo email", "Indirizzo e-mail",
    ]
    /// When the answer was given: completion time first (Microsoft Forms), then the time stamp (Google Forms), then
    /// the start time.
    static let date = [
        "Completion time", "Fertigstellungszeit", "Heure de fin", "Ora di completamento", "Timestamp", "Zeitstempel",
        "Horodateur", "Informazioni cronologiche", "Start time", "Startzeit", "Heure de début", "Ora di inizio",
    ]
    /// Words that start a "yes" to the consent question.
    static let yes = ["ja", "yes", "oui", "sì", "si"]
}

/// Dates as survey tools write them: `2026-05-12 14:03:22`, `2026/05/12 2:03:22 PM GMT+2` (Google Forms),
/// `12.05.2026 14:03` (German), `12/05/2026` (French, Italian; `monthFirst` for US exports). A time and zone after
/// the date are ignored: the day is the one the respondent saw.
enum SurveyDates {
    static func day(_ text: String, monthFirst: Bool) -> Day? {
        let trimmed = text.trimmingWhitespace
        let datePart = String(trimmed.prefix { !$0.isWhitespace && $0 != "T" })
        if let day = Day(iso: datePart) { return day }
        let separator: Character = datePart.contains(".") ? "." : "/"
        let parts = datePart.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }),
            let a = Int(parts[0]), let b = Int(parts[1]), var c = Int(parts[2])
        else { return nil }
        var (year, month, day): (Int, Int, Int)
        if parts[0].count == 4 {
            (year, month, day) = (a, b, c)
        } else {
            if parts[2].count == 2 { c += 2000 }
            year = c
            // Day first unless the export is American (`monthFirst`) or the numbers leave no choice.
            let monthComesFirst = separator == "/" && (a > 12 ? false : b > 12 ? true : monthFirst)
            (month, day) = monthComesFirst ? (a, b) : (b, a)
        }
        guard Day.years.contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else {
            return nil
        }
        return Day(iso: String(format4: year) + "-" + String(twoDigits: month) + "-" + String(twoDigits: day))
    }
}
