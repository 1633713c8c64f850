import CSV
import XCTest

@testable import TandemKit

/// The byte-level CSV splitter against CSV.swift's reader, which defines the rules: the same records and fields for
/// every input, the odd ones (stray quotes, CR alone, a delimiter at the end, multi-byte characters after a quote)
/// included.
final class CSVRecordsTests: XCTestCase {
    private func reference(_ text: String, delimiter: Character) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter == ";" ? ";" : ",")
        var records: [[String]] = []
        while let record = reader.next() { records.append(record) }
        return records
    }

    private func assertSame(_ text: String, delimiter: Character, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try reference(text, delimiter: delimiter)
        let actual = CSVRecords.split(text, delimiter: delimiter)
        XCTAssertEqual(actual, expected, "input: \(text.debugDescription), delimiter \(delimiter)", file: file, line: line)
    }

    func testCasesFromTheSpreadsheetsWeMeet() throws {
        let cases = [
            "", "id,name\n", "id,name\r\nanna,\"Muster, Anna\"\r\n", "a,b\rc,d", "a,b,\n", "a,b,", "\"\"", "\"a\"\"b\",c",
            "\"a\"x,b\n", "\"a\"é,b", "\"a\"日本,b", "a\"b,c", "\"multi\nline\",x\n", "\n\n\na\n", ",,,", "\"open",
            "\"a\"\r", "\"a\"\rb", "id;name\nanna;\"A; B\"\n", "\u{FEFF}id,name\n",
        ]
        for text in cases {
            try assertSame(text, delimiter: ",")
            try assertSame(text, delimiter: ";")
        }
    }

    func testRandomInputAgreesWithCSVSwift() throws {
        let alphabet: [String] = [",", ";", "\"", "\"", "\r", "\n", "\r\n", "a", "b", " ", "\t", "é", "日", "🙂", "ü"]
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...30, using: &rng)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            try assertSame(text, delimiter: ",")
            try assertSame(text, delimiter: ";")
        }
    }
}
