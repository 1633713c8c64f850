import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One cell of a worksheet as Excel stored it, before it is turned into text for a column.
enum WorkbookCell: Sendable, Equatable {
    case text(String)
    /// A number; `date` when the cell's number format shows a date or time (Excel keeps dates as day numbers).
    case number(Double, date: Bool)
    case bool(Bool)
    /// An Excel error value (`#DIV/0!`, `#N/A` ...).
    case error(String)
    /// A formula whose result was never saved (files written by some libraries, not by a spreadsheet program).
    case formulaWithoutValue(String)

    var isEmpty: Bool {
        if case .text(let text) = self { return text.trimmingWhitespace.isEmpty }
        return false
    }
}

/// The rows of one worksheet: Excel row numbers and the cells by 0-based column.
struct WorksheetRows: Sendable {
    var sheetName: String
    var rows: [(line: Int, cells: [WorkbookCell])]
    /// The workbook counts days from 1904-01-01 (old Mac workbooks) instead of 1899-12-30.
    var date1904 = false
}

/// Why a workbook cannot be read at all (the message is shown as it is, after the workbook's path).
struct WorkbookProblem: Error {
    let message: String
}

/// Reads Excel workbooks (.xlsx, Office Open XML): a ZIP container (ZIPFoundation) of XML parts (Foundation's
/// XMLParser, which never loads external entities). Only what a table needs is read: the sheet list, shared strings,
/// number formats (to know a date from a number) and the cells with their cached values.
enum Workbook {
    /// The most bytes one part of the container may unpack to (a roster of 100,000 people is far below): a small
    /// file that unpacks to gigabytes is refused instead of filling the memory.
    static let maxPartBytes = 256 << 20
    /// The most columns a row may have (Excel's own limit is 16,384).
    static let maxColumns = 16_384

    /// Checks the first bytes: an `.xls` (old binary) or a password-protected workbook is an OLE compound file, not ZIP.
    static func containerProblem(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return nil }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // An encrypted .xlsx is an OLE file with the streams EncryptionInfo and EncryptedPackage (names in UTF-16LE).
            let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if contains(bytes, marker) {
                return
                    "the workbook is password-protected (encrypted) and cannot be read: open it in your spreadsheet program, remove the password to open it (Excel: File › Info › Protect Workbook › Encrypt with Password, empty) and save it as Excel Workbook (.xlsx)"
            }
            return
                "this is an old binary Excel workbook (.xls), which Tandem does not read: open it in your spreadsheet program and save it as Excel Workbook (.xlsx)"
        }
        return "not an Excel workbook (.xlsx): save the file as Excel Workbook (.xlsx), or as CSV UTF-8"
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The rows of the sheet named like one of `preferredNames` (case-insensitive), else of the first visible sheet.
    static func readSheet(_ bytes: [UInt8], preferredNames: [String]) throws -> WorksheetRows {
        if let problem = containerProblem(bytes) { throw WorkbookProblem(message: problem) }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw WorkbookProblem(message: "the workbook is damaged (its ZIP container cannot be read): \(error)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= UInt64(maxPartBytes) else {
                throw WorkbookProblem(message: "the workbook's part \(path) unpacks to more than \(maxPartBytes >> 20) MB")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard data.count + chunk.count <= maxPartBytes else {
                        throw WorkbookProblem(message: "the workbook's part \(path) unpacks to more than \(maxPartBytes >> 20) MB")
                    }
                    data.append(chunk)
                }
            } catch let problem as WorkbookProblem {
                throw problem
            } catch {
                throw WorkbookProblem(message: "the workbook is damaged (its part \(path) cannot be unpacked): \(error)")
            }
            return data
        }
        guard let workbookXML = try part("xl/workbook.xml") else {
            throw WorkbookProblem(message: "not an Excel workbook (.xlsx): it has no xl/workbook.xml (is it a Word or PowerPoint file?)")
        }
        let book = try parse(workbookXML, part: "xl/workbook.xml", into: WorkbookHandler())
        let relations = try part("xl/_rels/workbook.xml.rels").map {
            try parse($0, part: "xl/_rels/workbook.xml.rels", into: RelationsHandler())
        }
        let visible = book.sheets.filter { !$0.hidden }
        let lowered = preferredNames.map { $0.lowercased() }
        guard
            let sheet = book.sheets.first(where: { lowered.contains($0.name.trimmingWhitespace.lowercased()) }) ?? visible.first
                ?? book.sheets.first
        else {
            throw WorkbookProblem(message: "the workbook has no sheet")
        }
        guard let target = relations?.targets[sheet.relation] else {
            throw WorkbookProblem(message: "the workbook is damaged: the part of sheet '\(sheet.name)' is not listed")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetXML = try part(sheetPath) else {
            throw WorkbookProblem(message: "the workbook is damaged: sheet '\(sheet.name)' (\(sheetPath)) is missing")
        }
        let strings =
            try part("xl/sharedStrings.xml").map { try parse($0, part: "xl/sharedStrings.xml", into: SharedStringsHandler()).strings } ?? []
        let styles = try part("xl/styles.xml").map { try parse($0, part: "xl/styles.xml", into: StylesHandler()) }
        let handler = SheetHandler(strings: strings, dateStyles: styles?.dateStyles ?? [])
        let parsed = try parse(sheetXML, part: sheetPath, into: handler)
        if let problem = parsed.problem { throw WorkbookProblem(message: "sheet '\(sheet.name)': \(problem)") }
        return WorksheetRows(sheetName: sheet.name, rows: parsed.filledRows(), date1904: book.date1904)
    }

    private static func parse<Handler: NSObject & XMLParserDelegate>(_ data: Data, part: String, into handler: Handler) throws -> Handler {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML"
            throw WorkbookProblem(message: "the workbook is damaged: \(part) line \(parser.lineNumber): \(reason)")
        }
        return handler
    }

    // MARK: Cells as text

    /// The cell as the text a CSV export of it would hold. A date cell reads `YYYY-MM-DD` (with ` HH:MM:SS` when it
    /// has a time and `dayOnly` is false); a day number in a date column (`dayOnly`) reads as that day, as Excel
    /// shows it once the column is formatted as a date; whole numbers have no decimals; TRUE/FALSE read `yes`/`no`.
    static func text(of cell: WorkbookCell, dayOnly: Bool, date1904: Bool) -> String {
        switch cell {
        case .text(let text): return text
        case .bool(let value): return value ? "yes" : "no"
        case .error(let code): return code
        case .formulaWithoutValue: return ""
        case .number(let value, let isDate):
            if isDate || (dayOnly && value >= 1 && value < 2_958_466 && value == value.rounded()) {
                if let text = dateText(serial: value, dayOnly: dayOnly, date1904: date1904) { return text }
            }
            return numberText(value)
        }
    }

    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Excel's day number as an ISO date (and time): day 1 is 1900-01-01 and, as in Excel, 1900 has a 29 February
    /// (day 60), so days from 61 on count from 1899-12-30; with `date1904`, day 0 is 1904-01-01.
    static func dateText(serial: Double, dayOnly: Bool, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        // Rounded to the second, so 0.999999 of a day is the next day's midnight, as Excel shows it.
        let totalSeconds = Int((serial * 86_400).rounded())
        var days = totalSeconds / 86_400
        let seconds = totalSeconds % 86_400
        let epoch: Day
        if date1904 {
            epoch = Day(year: 1904, month: 1, day: 1)
        } else if days >= 61 {
            epoch = Day(year: 1899, month: 12, day: 30)
        } else {
            epoch = Day(year: 1899, month: 12, day: 31)
            if days == 60 { days = 59 }
        }
        let day = Day(ordinal: epoch.ordinal + days)
        if days == 0 && !date1904 && seconds > 0 && !dayOnly { return timeText(seconds) }
        if dayOnly || seconds == 0 { return day.iso }
        return day.iso + " " + timeText(seconds)
    }

    private static func timeText(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        return String(twoDigits: h) + ":" + String(twoDigits: m) + ":" + String(twoDigits: s)
    }

    /// Whether a number format shows a date or time: a built-in date format, or a format code with day, month,
    /// year, hour or second parts outside quoted text and [colour] brackets.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) { return true }
        guard let code else { return false }
        let section = code.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? code
        var quoted = false
        var bracket = false
        var skipNext = false
        for character in section {
            if skipNext {
                skipNext = false
                continue
            }
            switch character {
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "\\", "_", "*": if !quoted { skipNext = true }
            default:
                if !quoted && !bracket, "dmyhsDMYHS".contains(character) { return true }
            }
        }
        return false
    }

    /// Excel writes characters XML cannot hold as `_xHHHH_` (a carriage return is `_x000D_`), and a literal `_x` as
    /// `_x005F_x`.
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.prefix(4), radix: 16), let scalar = Unicode.Scalar(value) {
                out.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }

    /// `B12` → (row 12, column 1); nil for anything else.
    static func reference(_ text: String) -> (row: Int?, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A where digits == 0:
                column = column * 26 + Int(byte - 0x40)
                letters += 1
            case 0x61...0x7A where digits == 0:
                column = column * 26 + Int(byte - 0x60)
                letters += 1
            case 0x30...0x39:
                row = row * 10 + Int(byte - 0x30)
                digits += 1
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0 else { return nil }
        return (digits > 0 ? row : nil, column - 1)
    }

    /// `C` → 2.
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}

// MARK: - XML parts

// The delegates below are used on one thread, for one part each. Each conforms itself: on Linux the protocol's
// methods are not Objective-C messages, so a subclass's methods would not replace a base class's defaults.

/// `xl/workbook.xml`: the sheets in order, and the date system.
final class WorkbookHandler: NSObject, XMLParserDelegate {
    struct Sheet {
        let name: String
        let relation: String
        let hidden: Bool
    }
    var sheets: [Sheet] = []
    var date1904 = false

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch localName(element) {
        case "sheet":
            let relation = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value ?? ""
            let state = attributes["state"] ?? "visible"
            sheets.append(Sheet(name: attributes["name"] ?? "", relation: relation, hidden: state != "visible"))
        case "workbookPr":
            let value = attributes["date1904"] ?? ""
            date1904 = value == "1" || value == "true"
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relation id → part path.
final class RelationsHandler: NSObject, XMLParserDelegate {
    var targets: [String: String] = [:]

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if localName(element) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
            targets[id] = target
        }
    }
}

/// `xl/sharedStrings.xml`: the texts cells refer to by number; rich text is the concatenation of its runs, without
/// phonetic guides (`rPh`).
final class SharedStringsHandler: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phonetic = 0

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch localName(element) {
        case "si": current = ""
        case "t": inText = phonetic == 0
        case "rPh": phonetic += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(element) {
        case "si": strings.append(Workbook.unescape(current))
        case "t": inText = false
        case "rPh": phonetic -= 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// `xl/styles.xml`: which cell styles show a date.
final class StylesHandler: NSObject, XMLParserDelegate {
    private var formats: [Int: String] = [:]
    private var styleFormats: [Int] = []
    private var inCellXfs = false

    var dateStyles: Set<Int> {
        Set(styleFormats.enumerated().filter { Workbook.isDateFormat(id: $0.element, code: formats[$0.element]) }.map(\.offset))
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch localName(element) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }) { formats[id] = attributes["formatCode"] ?? "" }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: styleFormats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if localName(element) == "cellXfs" { inCellXfs = false }
    }
}

/// A worksheet part: cells with their cached values, and merged ranges.
final class SheetHandler: NSObject, XMLParserDelegate {
    private let strings: [String]
    private let dateStyles: Set<Int>
    /// Row number → column → cell; rows in the order they appear.
    private(set) var rows: [(line: Int, cells: [Int: WorkbookCell])] = []
    private var merges: [(top: Int, left: Int, bottom: Int, right: Int)] = []
    private(set) var problem: String?

    private var rowNumber = 0
    private var cellColumn = 0
    private var cellType = "n"
    private var cellStyle = 0
    private var value: String?
    private var formula: String?
    private var inline = ""
    private var capture: String?
    private var inInline = false
    private var phonetic = 0

    init(strings: [String], dateStyles: Set<Int>) {
        self.strings = strings
        self.dateStyles = dateStyles
        super.init()
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch localName(element) {
        case "row":
            let number = attributes["r"].flatMap { Int($0) } ?? (rowNumber + 1)
            rowNumber = max(1, number)
            cellColumn = -1
            rows.append((rowNumber, [:]))
        case "c":
            if let ref = attributes["r"], let parsed = Workbook.reference(ref) {
                cellColumn = parsed.column
            } else {
                cellColumn += 1
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
            value = nil
            formula = nil
            inline = ""
            inInline = false
        case "v": capture = ""
        case "f": capture = ""
        case "is": inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0: capture = ""
        case "mergeCell":
            if let ref = attributes["ref"] {
                let parts = ref.split(separator: ":")
                if parts.count == 2, let a = Workbook.reference(String(parts[0])), let b = Workbook.reference(String(parts[1])),
                    let top = a.row, let bottom = b.row
                {
                    merges.append((top, a.column, bottom, b.column))
                }
            }
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(element) {
        case "v":
            value = capture
            capture = nil
        case "f":
            formula = capture
            capture = nil
        case "t" where inInline && capture != nil:
            inline += capture ?? ""
            capture = nil
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "c": finishCell(parser)
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capture != nil { capture? += string }
    }

    private func finishCell(_ parser: XMLParser) {
        guard cellColumn >= 0, cellColumn < Workbook.maxColumns, !rows.isEmpty else {
            if cellColumn >= Workbook.maxColumns && problem == nil {
                problem = "row \(rowNumber) has a cell beyond column \(Workbook.maxColumns)"
                parser.abortParsing()
            }
            return
        }
        let cell: WorkbookCell?
        switch cellType {
        case "s":
            if let index = value.flatMap({ Int($0.trimmingWhitespace) }), index >= 0, index < strings.count {
                cell = .text(strings[index])
            } else {
                cell = value == nil ? nil : .error("#REF!")
            }
        case "inlineStr": cell = .text(Workbook.unescape(inline))
        case "str": cell = value.map { .text(Workbook.unescape($0)) } ?? formula.map { .formulaWithoutValue($0) }
        case "b": cell = value.map { .bool($0.trimmingWhitespace == "1" || $0 == "true") }
        case "e": cell = value.map { .error($0) }
        case "d":
            // An ISO date cell (strict OOXML): its date part.
            cell = value.map { .text(String($0.prefix(10))) }
        default:
            if let text = value?.trimmingWhitespace, !text.isEmpty {
                if let number = Double(text), number.isFinite {
                    cell = .number(number, date: dateStyles.contains(cellStyle))
                } else {
                    cell = .text(text)
                }
            } else {
                cell = formula.map { .formulaWithoutValue($0) }
            }
        }
        if let cell { rows[rows.count - 1].cells[cellColumn] = cell }
    }

    /// The rows as arrays, with every empty row left out and the value of a merged range copied down into the rows
    /// it spans (in its first column), as the eye reads a merged cell; the other columns of the range stay empty.
    func filledRows() -> [(line: Int, cells: [WorkbookCell])] {
        var index: [Int: Int] = [:]
        for (i, row) in rows.enumerated() where index[row.line] == nil { index[row.line] = i }
        for merge in merges where merge.bottom > merge.top {
            guard let first = index[merge.top], let value = rows[first].cells[merge.left] else { continue }
            for line in (merge.top + 1)...merge.bottom {
                guard let i = index[line] else { continue }
                if rows[i].cells[merge.left]?.isEmpty ?? true { rows[i].cells[merge.left] = value }
            }
        }
        return rows.compactMap { row in
            guard let last = row.cells.filter({ !$0.value.isEmpty }).keys.max() else { return nil }
            var cells = [WorkbookCell](repeating: .text(""), count: last + 1)
            for (column, cell) in row.cells where column <= last { cells[column] = cell }
            return (row.line, cells)
        }
    }
}

/// `x:sheet` → `sheet`.
private func localName(_ element: String) -> String {
    guard let colon = element.lastIndex(of: ":") else { return element }
    return String(element[element.index(after: colon)...])
}
