import Foundation
import XCTest

@testable import TandemKit

/// Rosters as spreadsheets export them: Windows-1252 or UTF-8 with BOM, semicolons, CRLF.
final class EncodingTests: TandemTestCase {
    /// A semicolon roster: list cells use `,` (quoted for Anna's languages, unquoted for her topics).
    private static let semicolonRoster = [
        "id;name;role;organisation;position;email;languages;topics;publish;photo",
        "anna-muster;Zoë Müller;mentor;Zürcher Medien AG;Leiterin – Digital;zoe@zuercher.example.ch;\"de,fr\";TikTok,KI-Tools;yes;",
        "bruno-beispiel;Bruno Beispiel;mentee;Beta AG;CEO;;de;TikTok;yes;",
        "clara-geheim;Clara Geheimnis;mentor;Gamma AG;Redaktorin;;fr;Podcasts;no;",
        "dieter-daten;Dieter Daten;mentee;Delta AG;CFO;;\"de, fr\";Podcasts;yes;",
    ].joined(separator: "\r\n") + "\r\n"

    /// Encodes `text` as Windows-1252 (Latin-1 plus the 0x80–0x9F block used here).
    private func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "–": return 0x96
            case "€": return 0x80
            default:
                precondition(scalar.value <= 0xFF, "not encodable: \(scalar)")
                return UInt8(scalar.value)
            }
        }
    }

    private func assertRosterReadCorrectly(file: StaticString = #filePath, line: UInt = #line) {
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        XCTAssertFalse(
            result.diagnostics.contains { $0.path == fixture.path("participants.csv") && $0.message.contains("column") },
            "the header was not read cleanly:\n\(listing(result))", file: file, line: line)
        guard let page = readText(output, "site/participants/anna-muster.html") else {
            return XCTFail("site/participants/anna-muster.html is missing", file: file, line: line)
        }
        XCTAssertTrue(page.contains("Zoë Müller"), "the name is not decoded correctly", file: file, line: line)
        XCTAssertTrue(page.contains("Zürcher Medien AG"), file: file, line: line)
        XCTAssertTrue(page.contains("Leiterin – Digital"), "the en dash (0x96) is not decoded", file: file, line: line)
        XCTAssertFalse(page.contains("\u{FFFD}"), "replacement characters in the output", file: file, line: line)
        XCTAssertFalse(page.contains("Ã"), "UTF-8 read as Latin-1 (mojibake)", file: file, line: line)
        // Languages de and fr, parsed from "de,fr".
        XCTAssertTrue(page.contains("Deutsch"), "language de missing", file: file, line: line)
        XCTAssertTrue(page.contains("Französisch"), "language fr missing", file: file, line: line)
        XCTAssertFalse(page.contains("de,fr"), "the language cell was not split", file: file, line: line)
        // Topics split at ',' in a semicolon file.
        XCTAssertTrue(page.contains("<li>TikTok</li>"), "topic TikTok missing", file: file, line: line)
        XCTAssertTrue(page.contains("<li>KI-Tools</li>"), "topic KI-Tools missing", file: file, line: line)
        XCTAssertEqual(result.programme?.participants.first { $0.id == "anna-muster" }?.languages, ["de", "fr"], file: file, line: line)
        XCTAssertEqual(result.programme?.participants.first { $0.id == "dieter-daten" }?.languages, ["de", "fr"], file: file, line: line)
        XCTAssertEqual(result.programme?.participants.first { $0.id == "anna-muster" }?.topics, ["TikTok", "KI-Tools"], file: file, line: line)
        // The name also reaches the tandem page.
        XCTAssertTrue(readText(output, "site/tandems/anna-bruno.html")?.contains("Zoë Müller") ?? false, file: file, line: line)
    }

    func testWindows1252SemicolonCRLFRoster() {
        let bytes = windows1252(Self.semicolonRoster)
        XCTAssertTrue(bytes.contains(0xEB) && bytes.contains(0xFC) && bytes.contains(0x96))
        fixture.write("participants.csv", bytes: bytes)
        assertRosterReadCorrectly()
    }

    func testUTF8WithBOMSemicolonCRLFRoster() {
        fixture.write("participants.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.semicolonRoster.utf8))
        assertRosterReadCorrectly()
    }

    func testErrorLinesInWindows1252CRLFRoster() {
        let roster = Self.semicolonRoster + "eva-extra;Eva Fähndrich;coach;Epsilon AG;;;de;;no;\r\n"
        fixture.write("participants.csv", bytes: windows1252(roster))
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, in: "participants.csv", line: 6, contains: ["coach"])
    }

    func testColumnsInAnyOrderAndCase() {
        fixture.write(
            "participants.csv",
            """
            Publish,Organisation,Role,Name,ID,Languages
            yes,Alpha AG,mentor,Anna Muster,anna-muster,de;en
            yes,Beta AG,mentee,Bruno Beispiel,bruno-beispiel,de
            no,Gamma AG,mentor,Clara Geheimnis,clara-geheim,fr
            yes,Delta AG,mentee,Dieter Daten,dieter-daten,de

            """)
        let result = fixture.build()
        assertSucceeded(result)
        let page = readText(output, "site/participants/anna-muster.html") ?? ""
        XCTAssertTrue(page.contains("Anna Muster"))
        XCTAssertTrue(page.contains("Alpha AG"))
        XCTAssertTrue(page.contains("Englisch"))
        XCTAssertFalse(fileExists(output + "/site/participants/clara-geheim.html"))
    }

    func testUTF8PairsWithCRLFAndBOM() {
        let pairs = "\u{FEFF}id;mentor;mentee;started;goals\r\nanna-bruno;anna-muster;bruno-beispiel;2026-03-05;Instagram verstehen,KI ausprobieren\r\nclara-dieter;clara-geheim;dieter-daten;2026-03-06;\r\n"
        fixture.write("pairs.csv", pairs)
        let result = fixture.build()
        assertSucceeded(result)
        XCTAssertEqual(result.programme?.tandems.first { $0.id == "anna-bruno" }?.goals, ["Instagram verstehen", "KI ausprobieren"])
        let page = readText(output, "site/tandems/anna-bruno.html") ?? ""
        XCTAssertTrue(page.contains("Instagram verstehen"))
        XCTAssertTrue(page.contains("KI ausprobieren"))
    }
}
