import Foundation
import XCTest
import ZIPFoundation

@testable import TandemKit

/// A cell of a test workbook written by `TestWorkbook`.
enum TestCell {
    case text(String)
    case number(Double)
    case date(Double)
    case formula(String, cached: String?)
    case error(String)
    case empty
}

/// Writes small .xlsx files the way Excel lays them out (shared-string-free: inline strings), for the cases a
/// spreadsheet program's file cannot easily be made to show (a formula without a saved value, an error cell).
enum TestWorkbook {
    static func bytes(sheets: [(name: String, rows: [[TestCell]], hidden: Bool)], merges: [String] = []) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var book = "<?xml version=\"1.0\"?><workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\"><sheets>"
        var rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (i, sheet) in sheets.enumerated() {
            book += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\" \(sheet.hidden ? "state=\"hidden\" " : "")r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            var xml = "<?xml version=\"1.0\"?><worksheet xmlns=\"\(ns)\"><sheetData>"
            for (r, row) in sheet.rows.enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, cell) in row.enumerated() {
                    let ref = Workbook.columnLetters(c) + "\(r + 1)"
                    switch cell {
                    case .text(let text):
                        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                        xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(escaped)</t></is></c>"
                    case .number(let value): xml += "<c r=\"\(ref)\"><v>\(value)</v></c>"
                    case .date(let value): xml += "<c r=\"\(ref)\" s=\"1\"><v>\(value)</v></c>"
                    case .formula(let formula, let cached):
                        xml += "<c r=\"\(ref)\" t=\"str\"><f>\(formula)</f>\(cached.map { "<v>\($0)</v>" } ?? "")</c>"
                    case .error(let code): xml += "<c r=\"\(ref)\" t=\"e\"><v>\(code)</v></c>"
                    case .empty: break
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            if i == 0 && !merges.isEmpty {
                xml += "<mergeCells>" + merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
            }
            try add("xl/worksheets/sheet\(i + 1).xml", xml + "</worksheet>")
        }
        try add("xl/workbook.xml", book + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        try add(
            "xl/styles.xml",
            "<?xml version=\"1.0\"?><styleSheet xmlns=\"\(ns)\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"d/m/yyyy\"/></numFmts>"
                + "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>")
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return [UInt8](data)
    }
}

/// `participants.xlsx`, `pairs.xlsx` and `meetings.xlsx` instead of the CSV files, end to end from the CLI.
final class WorkbookTests: TandemTestCase {
    static let fixtures = ProgrammeFixture.packageRoot.appendingPathComponent("Tests/TandemKitTests/Fixtures/Workbooks")

    private func run(_ arguments: [String]) throws -> TandemRun { try runTandem(arguments, in: fixture.root) }

    private func build(_ content: String, _ output: String) throws -> TandemRun {
        try run(["build", "--content", content, "--templates", ProgrammeFixture.templatesPath, "--output", output])
    }

    /// Copies the fixture programme: its CSV files, or its LibreOffice workbooks in their place.
    private func copyProgramme(to name: String, workbooks: Bool) throws -> URL {
        let folder = fixture.root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let programme = Self.fixtures.appendingPathComponent("Programme")
        try FileManager.default.copyItem(
            at: programme.appendingPathComponent("programme.yml"), to: folder.appendingPathComponent("programme.yml"))
        for table in ["participants", "pairs", "meetings"] {
            let source =
                workbooks
                ? Self.fixtures.appendingPathComponent(table + ".xlsx") : programme.appendingPathComponent(table + ".csv")
            try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(source.lastPathComponent))
        }
        return folder
    }

    /// Done when: a programme given only as workbooks made by a spreadsheet program (date cells, a formula column, a
    /// title row, a hidden column, rich text, a number stored as text, a day number) builds byte-identical to the
    /// same programme given as CSV.
    func testWorkbookProgrammeBuildsByteIdenticalToCSV() throws {
        _ = try copyProgramme(to: "CSV", workbooks: false)
        _ = try copyProgramme(to: "XLSX", workbooks: true)
        let csv = try build("CSV", "OutCSV")
        let xlsx = try build("XLSX", "OutXLSX")
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(xlsx.status, 0, xlsx.stderr)
        XCTAssertFalse(xlsx.stderr.contains("xlsx"), "no message about the workbooks expected:\n\(xlsx.stderr)")
        let expected = snapshot(fixture.root.appendingPathComponent("OutCSV").path)
        let actual = snapshot(fixture.root.appendingPathComponent("OutXLSX").path)
        XCTAssertGreaterThan(expected.count, 10)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        for (path, data) in expected where actual[path] != data {
            XCTFail("\(path) differs between the CSV and the workbook build")
        }
        // The meeting log's formula, text number and day number arrived: 90 + 60 + 45 + 30 + 120 minutes.
        let report = try String(contentsOf: fixture.root.appendingPathComponent("OutXLSX/internal/report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("Lonza Visp") || report.contains("petra-quentin"), "report lacks the roster")
    }

    /// Errors name the workbook, the sheet and the Excel row (below a title row and an empty row).
    func testErrorsNameWorkbookSheetAndExcelRow() throws {
        let header: [TestCell] = ["id", "name", "role", "organisation", "email", "publish"].map { .text($0) }
        var rows: [[TestCell]] = [[.text("Teilnehmende 2026")], [], header]
        for (id, role, org) in [
            ("anna-muster", "mentor", "Alpha AG"), ("bruno-beispiel", "mentee", "Beta AG"), ("clara-geheim", "coach", "Gamma AG"),
            ("dieter-daten", "mentee", "Delta AG"),
        ] {
            rows.append([.text(id), .text(id.capitalized), .text(role), .text(org), .text("\(id)@example.ch"), .text("yes")])
        }
        let bytes = try TestWorkbook.bytes(sheets: [
            (name: "Anleitung", rows: [[.text("Bitte ausfüllen")]], hidden: true), (name: "Teilnehmende", rows: rows, hidden: false),
        ])
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/participants.csv"))
        fixture.write("participants.xlsx", bytes: bytes)
        let before = snapshot(fixture.root.appendingPathComponent("Output").path)
        let run = try build("Content", "Output")
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/participants.xlsx:Teilnehmende:6: error: "), run.stderr)
        XCTAssertTrue(run.stderr.contains("coach"), run.stderr)
        XCTAssertEqual(snapshot(fixture.root.appendingPathComponent("Output").path), before)
    }

    /// A formula whose result was never saved and an Excel error value are errors naming the cell; a vertically
    /// merged organisation applies to every row it spans.
    func testFormulaWithoutValueErrorCellsAndMergedCells() throws {
        let header: [TestCell] = ["pair", "date", "minutes", "format"].map { .text($0) }
        let bytes = try TestWorkbook.bytes(sheets: [
            (
                name: "Treffen",
                rows: [
                    header,
                    [.text("anna-bruno"), .date(46093), .formula("B2*0+60", cached: nil), .text("video")],
                    [.text("clara-dieter"), .number(46096), .error("#DIV/0!"), .text("phone")],
                ], hidden: false
            )
        ])
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/meetings.csv"))
        fixture.write("meetings.xlsx", bytes: bytes)
        let run = try build("Content", "Output")
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(
            run.stderr.contains(
                "Content/meetings.xlsx:Treffen:2: error: column 'minutes' (cell C2) has a formula whose result was never saved"), run.stderr
        )
        XCTAssertTrue(
            run.stderr.contains("Content/meetings.xlsx:Treffen:3: error: column 'minutes' (cell C3) holds the error #DIV/0!"), run.stderr)

        // Merged cells: the organisation typed once for two people.
        let people: [[TestCell]] = [
            ["id", "name", "role", "organisation", "publish"].map { .text($0) },
            [.text("anna-muster"), .text("Anna"), .text("mentor"), .text("Alpha AG"), .text("yes")],
            [.text("clara-geheim"), .text("Clara"), .text("mentor"), .empty, .text("no")],
            [.text("bruno-beispiel"), .text("Bruno"), .text("mentee"), .text("Beta AG"), .text("yes")],
            [.text("dieter-daten"), .text("Dieter"), .text("mentee"), .text("Delta AG"), .text("yes")],
        ]
        var diagnostics = Diagnostics()
        let table = WorkbookTable.parse(
            bytes: try TestWorkbook.bytes(sheets: [(name: "Sheet1", rows: people, hidden: false)], merges: ["D2:D3"]),
            path: "participants.xlsx", table: "participants", required: Columns.participantsRequired, known: Columns.participants,
            diagnostics: &diagnostics)
        XCTAssertEqual(table?.rows.map { $0["organisation"] ?? "" }, ["Alpha AG", "Alpha AG", "Beta AG", "Delta AG"])
        XCTAssertEqual(table?.rows.map(\.line), [2, 3, 4, 5])
        XCTAssertFalse(diagnostics.hasErrors, "\(diagnostics.all)")
    }

    /// Both a CSV and a workbook for one table is an error; an old .xls and a password-protected workbook say to
    /// save as .xlsx; the output folder stays as it was.
    func testBothFilesOldXLSAndEncryptedWorkbookAreClearErrors() throws {
        XCTAssertEqual(try build("Content", "Output").status, 0)
        let before = snapshot(fixture.root.appendingPathComponent("Output").path)

        fixture.write(
            "pairs.xlsx",
            bytes: try TestWorkbook.bytes(sheets: [(name: "Tandems", rows: [[.text("mentor"), .text("mentee")]], hidden: false)]))
        var run = try build("Content", "Output")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("Content/pairs.xlsx: error: both pairs.csv and pairs.xlsx hold the pairs table"), run.stderr)
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/pairs.xlsx"))

        // An OLE compound file: the container of .xls workbooks and of encrypted .xlsx ones.
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/meetings.csv"))
        fixture.write("meetings.xls", bytes: ole)
        let encrypted = ole + Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/participants.csv"))
        fixture.write("participants.xlsx", bytes: encrypted)
        run = try build("Content", "Output")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains("Content/meetings.xls: error: this is an old binary Excel workbook (.xls)")
                && run.stderr.contains("save it as Excel Workbook (.xlsx)"), run.stderr)
        XCTAssertTrue(run.stderr.contains("Content/participants.xlsx: error: the workbook is password-protected"), run.stderr)
        XCTAssertEqual(snapshot(fixture.root.appendingPathComponent("Output").path), before)
    }

    /// Excel's day numbers: 1900 system (with its 29 February 1900) and 1904 system; times; number formats.
    func testDayNumbersAndDateFormats() {
        XCTAssertEqual(Workbook.dateText(serial: 46093, dayOnly: true, date1904: false), "2026-03-12")
        XCTAssertEqual(Workbook.dateText(serial: 46099.7291666667, dayOnly: false, date1904: false), "2026-03-18 17:30:00")
        XCTAssertEqual(Workbook.dateText(serial: 46099.7291666667, dayOnly: true, date1904: false), "2026-03-18")
        XCTAssertEqual(Workbook.dateText(serial: 1, dayOnly: true, date1904: false), "1900-01-01")
        XCTAssertEqual(Workbook.dateText(serial: 61, dayOnly: true, date1904: false), "1900-03-01")
        XCTAssertEqual(Workbook.dateText(serial: 44631, dayOnly: true, date1904: true), "2026-03-12")
        XCTAssertTrue(Workbook.isDateFormat(id: 14, code: nil))
        XCTAssertTrue(Workbook.isDateFormat(id: 165, code: "dd\\.mm\\.yyyy"))
        XCTAssertFalse(Workbook.isDateFormat(id: 164, code: "General"))
        XCTAssertFalse(Workbook.isDateFormat(id: 170, code: "#,##0 \"Tage\""))
        XCTAssertFalse(Workbook.isDateFormat(id: 171, code: "[Red]0.00"))
        XCTAssertEqual(Workbook.text(of: .number(60, date: false), dayOnly: false, date1904: false), "60")
        XCTAssertEqual(Workbook.text(of: .number(1.5, date: false), dayOnly: false, date1904: false), "1.5")
        XCTAssertEqual(Workbook.text(of: .bool(true), dayOnly: false, date1904: false), "yes")
        XCTAssertEqual(Workbook.unescape("a_x000D_b_x005F_x0041_"), "a\rb_x0041_")
    }
}
