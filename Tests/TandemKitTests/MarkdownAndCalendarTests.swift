import Foundation
import XCTest

@testable import TandemKit

/// Markdown rendering as it shows on the site, and the calendar file.
final class MarkdownAndCalendarTests: TandemTestCase {
    // MARK: Markdown

    func testHeadingsGetIDsAndQuotesAreTypographic() {
        let result = fixture.build()
        assertSucceeded(result)
        guard let page = readText(output, "site/about.html") else { return XCTFail("site/about.html is missing") }
        XCTAssertTrue(page.contains("id=\"ablauf\""), "the heading '## Ablauf' has no id 'ablauf'")
        XCTAssertTrue(page.contains(">Ablauf</h"), "the heading text is missing")
        XCTAssertTrue(page.contains("„hier“"), "\"hier\" is not rendered with German typographic quotes")
        XCTAssertFalse(page.contains("&quot;hier&quot;"))
        XCTAssertTrue(page.contains("Über das Programm"))
    }

    func testHeadingIDsAreSlugsAndUnique() {
        fixture.write(
            "pages/about.md",
            """
            ---
            title: Über das Programm
            ---
            ## Ziele & Ablauf

            ### Über uns

            ## Ablauf

            ## Ablauf

            """)
        let result = fixture.build()
        assertSucceeded(result)
        let page = readText(output, "site/about.html") ?? ""
        XCTAssertTrue(page.contains("id=\"ziele-ablauf\""), page)
        XCTAssertTrue(page.contains("id=\"ueber-uns\""), page)
        XCTAssertTrue(page.contains("id=\"ablauf\""), page)
        XCTAssertTrue(page.contains("id=\"ablauf-2\""), page)
    }

    // MARK: Calendar

    private static let longTitle =
        "Schlussveranstaltung für Mentorinnen, Mentees; Gäste – Übergabe der Zertifikate und Rückblick auf äußerst spannende Monate in Zürich"

    private func buildCalendar(file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
        fixture.replace(
            "programme.yml", "    location: \"Bern\"\n",
            with:
                "    location: \"Bern\"\n  - date: 2026-09-24\n    title: \"\(Self.longTitle)\"\n    location: \"Zürich, Kongresshaus; Saal 1\"\n"
        )
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        return Array(FileManager.default.contents(atPath: output + "/site/programme.ics") ?? Data())
    }

    func testCalendarLinesEndWithCRLFAndAreFolded() {
        let bytes = buildCalendar()
        XCTAssertFalse(bytes.isEmpty, "site/programme.ics is missing")
        XCTAssertNotNil(String(validating: bytes, as: UTF8.self), "programme.ics is not valid UTF-8 (a fold split a character?)")
        XCTAssertEqual(Array(bytes.suffix(2)), [0x0D, 0x0A], "the file does not end with CRLF")
        // Every LF is preceded by CR; no bare CR.
        for (i, byte) in bytes.enumerated() {
            if byte == 0x0A { XCTAssertTrue(i > 0 && bytes[i - 1] == 0x0D, "bare LF at byte \(i)") }
            if byte == 0x0D { XCTAssertTrue(i + 1 < bytes.count && bytes[i + 1] == 0x0A, "bare CR at byte \(i)") }
        }
        // No line longer than 75 octets (without its CRLF).
        var lineStart = 0
        var lineNumber = 1
        for (i, byte) in bytes.enumerated() where byte == 0x0D {
            let length = i - lineStart
            XCTAssertLessThanOrEqual(length, 75, "line \(lineNumber) has \(length) octets")
            lineStart = i + 2
            lineNumber += 1
        }
        // Each line is valid UTF-8 on its own: folding never splits a character.
        let text = String(decoding: bytes, as: UTF8.self)
        for piece in text.components(separatedBy: "\r\n") {
            XCTAssertNotNil(String(validating: Array(piece.utf8), as: UTF8.self))
        }
        XCTAssertTrue(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        XCTAssertTrue(text.hasSuffix("END:VCALENDAR\r\n"))
        XCTAssertEqual(text.components(separatedBy: "BEGIN:VEVENT").count - 1, 2, "expected two events")
    }

    func testCalendarTextIsEscapedAndUnfoldsToTheTitle() {
        let bytes = buildCalendar()
        let text = String(decoding: bytes, as: UTF8.self)
        // Unfolding (RFC 5545 3.1): remove CRLF followed by one space.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        let lines = unfolded.components(separatedBy: "\r\n")
        let expectedSummary =
            "SUMMARY:Reverse Mentoring Test: "
            + Self.longTitle.replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: ";", with: "\\;")
        XCTAssertTrue(lines.contains(expectedSummary), "no line '\(expectedSummary)' in:\n\(unfolded)")
        XCTAssertTrue(lines.contains("LOCATION:Zürich\\, Kongresshaus\\; Saal 1"), "location not escaped:\n\(unfolded)")
        XCTAssertTrue(lines.contains("DTSTART;VALUE=DATE:20260924"), unfolded)
        XCTAssertTrue(lines.contains("SUMMARY:Reverse Mentoring Test: Kick-off"), unfolded)
        XCTAssertFalse(text.contains("@"), "the calendar contains an '@'")
    }

    func testCalendarIsFoldedForLongASCIITitles() {
        fixture.replace("programme.yml", "title: \"Kick-off\"", with: "title: \"\(String(repeating: "a", count: 200))\"")
        assertSucceeded(fixture.build())
        let bytes = Array(FileManager.default.contents(atPath: output + "/site/programme.ics") ?? Data())
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.utf8.count, 75, "line too long: \(line)")
        }
        XCTAssertTrue(
            text.replacingOccurrences(of: "\r\n ", with: "").contains(
                "SUMMARY:Reverse Mentoring Test: " + String(repeating: "a", count: 200) + "\r\n"))
    }
}
