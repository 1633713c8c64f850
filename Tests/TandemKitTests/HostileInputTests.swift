import Foundation
import XCTest

@testable import TandemKit

/// Input written to hurt: it must not crash, hang or leak, and the messages must point at the real problem.
/// Each test reproduces a finding of the outside audit (see docs/security-input.md).
final class HostileInputTests: TandemTestCase {
    /// 9 levels of `&x [*w, *w, …]`: 342 bytes that expand to 9^9 nodes.
    static let aliasBomb: String = {
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            lines.append("\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ",") + "]")
            previous = name
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    private func timed(_ body: () -> BuildResult) -> (BuildResult, TimeInterval) {
        let start = Date()
        let result = body()
        return (result, Date().timeIntervalSince(start))
    }

    private func assertOutputUnchanged(_ before: [String: Data], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(snapshot(output), before, "a failed build must leave the output folder as it was", file: file, line: line)
    }

    // MARK: 1. YAML aliases

    func testAliasBombInProgrammeIsRefusedBeforeItExpands() {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        let lines = fixture.read("programme.yml").split(separator: "\n", omittingEmptySubsequences: false).count
        fixture.write("programme.yml", fixture.read("programme.yml") + Self.aliasBomb)
        let (result, seconds) = timed { fixture.build() }
        XCTAssertFalse(result.succeeded)
        let found = assertDiagnostic(result, in: "programme.yml", line: lines, contains: ["anchors and aliases", "never need them"])
        XCTAssertEqual(found?.column, 4)
        XCTAssertLessThan(seconds, 5)
        assertOutputUnchanged(before)
    }

    func testAliasInFrontMatterIsRefused() {
        fixture.write("pages/bomb.md", "---\ntitle: Bombe\n" + Self.aliasBomb + "---\nText\n")
        let result = fixture.build()
        assertDiagnostic(result, in: "pages/bomb.md", line: 3, contains: ["anchor (&a)"])
        // Text that merely contains & and * (quoted, plain, in a sequence) is not an anchor.
        fixture.write("pages/bomb.md", "---\ntitle: \"Tom & *Jerry*\"\nslug: tom-jerry\n---\nText & *more*\n")
        assertSucceeded(fixture.build())
    }

    // MARK: 2. cmark's quadratic case and cell sizes

    func testQuadraticMarkdownIsRefusedQuickly() {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        // 1.2 MB: over the size limit.
        fixture.write("profiles/anna-muster.md", String(repeating: "![[]()", count: 200_000))
        var (result, seconds) = timed { fixture.build() }
        assertDiagnostic(result, in: "profiles/anna-muster.md", line: nil, contains: ["at most 512 KB"])
        XCTAssertLessThan(seconds, 5)
        // 96 KB below the size limit, still seconds of cmark 0.30 time: refused by the bracket count, at its line.
        fixture.write(
            "profiles/anna-muster.md", "---\nquote: \"Hallo\"\n---\nErster Absatz.\n\n" + String(repeating: "![[]()", count: 16_000) + "\n")
        (result, seconds) = timed { fixture.build() }
        assertDiagnostic(result, in: "profiles/anna-muster.md", line: 6, contains: ["16000 image openers", "split the block"])
        XCTAssertLessThan(seconds, 5)
        assertOutputUnchanged(before)
    }

    func testOverlongCSVCellIsAnErrorNamingItsRow() {
        fixture.replace("participants.csv", "Social-Media-Managerin", with: String(repeating: "x", count: 10_001))
        let result = fixture.build()
        let found = assertDiagnostic(
            result, in: "participants.csv", line: 2, contains: ["column 'position'", "10001 characters", "at most 10000"])
        XCTAssertLessThan(found?.message.count ?? 0, 300, "a message quotes only an excerpt of the cell")
    }

    // MARK: 3. Sample size

    func testSampleRefusesAnOutOfRangeSizeWithTheAllowedRange() {
        let folder = fixture.root.appendingPathComponent("Sample").path
        XCTAssertThrowsError(try SampleProgramme.write(participants: Int.max, seed: 1, to: folder)) { error in
            XCTAssertEqual(
                "\(error)", "--participants 9223372036854775807 is out of range; a sample has 2 to 1000000 participants")
        }
        XCTAssertThrowsError(try SampleProgramme.write(participants: -5, seed: 1, to: folder))
        XCTAssertFalse(fileExists(folder))
    }

    // MARK: 4. E-mail addresses

    func testAddressVariantsNeverReachThePublicSite() throws {
        fixture.write(
            "profiles/anna-muster.md",
            """
            Schreiben Sie an laura@zürich-medien.ch oder laura.schmid@*firma*.example.ch.

            Auch x@[192.168.0.1], "x"@beispiel.example.ch und laura@firma\u{200B}.example.ch (mit Nullbreitenzeichen).

            Kein Treffer: @media und 5@3.
            """)
        let result = fixture.build()
        assertSucceeded(result)
        let page = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        for leak in ["zürich-medien", "192.168.0.1", "firma", "beispiel.example.ch", "laura"] {
            XCTAssertFalse(page.contains(leak), "'\(leak)' is on the public page")
        }
        XCTAssertTrue(page.contains("@media und 5@3"))
        for text in ["x@[10.0.0.1]", "\"x\"@example.ch", "a@bücher.example", "a@b\u{200B}.example.ch"] {
            XCTAssertEqual(PublicText.scrub("an \(text) schreiben"), "an […] schreiben", text)
        }
    }

    func testBaseURLWithUserInfoIsRefused() {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        fixture.replace("programme.yml", "https://mentoring.example.ch/", with: "https://programm@forum.example.ch/")
        let result = fixture.build()
        assertDiagnostic(result, in: "programme.yml", line: 4, contains: ["must not contain a user name"])
        assertOutputUnchanged(before)
    }

    func testTextAssetWithAnAddressIsCopiedWithAWarning() throws {
        fixture.write("assets/docs/kontakt.txt", "Kontakt\n\nSchreiben Sie an info@forum-test.example.ch\n")
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(result, .warning, in: "assets/docs/kontakt.txt", line: 3, contains: ["e-mail address"])
    }

    // MARK: 5. Control characters

    func testControlCharactersAreErrorsAtTheirLine() {
        assertSucceeded(fixture.build())
        let before = snapshot(output)
        fixture.replace("participants.csv", "Bruno Beispiel", with: "Bruno\u{1B}[31mBeispiel")
        fixture.write("pages/about.md", "---\ntitle: Über\n---\nZeile\nmit \u{07}Glocke\n")
        fixture.replace("programme.yml", "https://mentoring.example.ch/", with: "https://mentoring.example.ch/\\0")
        fixture.replace("programme.yml", "base_url: \"", with: "base_url: \"")
        let result = fixture.build()
        assertDiagnostic(result, in: "participants.csv", line: 3, contains: ["column 'name'", "U+001B (ESC)"])
        assertDiagnostic(result, in: "pages/about.md", line: 5, contains: ["U+0007 (BEL)"])
        assertDiagnostic(result, in: "programme.yml", line: 4, contains: ["U+0000 (NUL)"])
        assertOutputUnchanged(before)
    }

    // MARK: 6. E-mail limits

    private func headerLines(_ eml: String) -> [Substring] {
        let head = eml.components(separatedBy: "\r\n\r\n").first ?? eml
        return head.split(separator: "\r\n", omittingEmptySubsequences: false).map { Substring($0) }
    }

    func testOneLongGraphemeClusterIsFoldedWithin78Characters() throws {
        let name = "A" + String(repeating: "\u{0301}", count: 1_000)
        fixture.replace("participants.csv", "Bruno Beispiel", with: name)
        assertSucceeded(fixture.build())
        let eml = try XCTUnwrap(readText(output, "mail/anna-bruno.eml"))
        for line in headerLines(eml) { XCTAssertLessThanOrEqual(line.utf8.count, 78, String(line.prefix(60))) }
        // The encoded words decode to the name again.
        let script = """
            import email, email.policy, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(str(m['To']).count('\\u0301'))
            """
        let decoded = try runPython(script, output + "/mail/anna-bruno.eml")
        XCTAssertEqual(decoded.trimmingCharacters(in: .whitespacesAndNewlines), "1000")
    }

    func testMessageIDIsASCIIAndShortForAnyHostAndTandemID() throws {
        fixture.replace("programme.yml", "https://mentoring.example.ch/", with: "https://mentoring.zürich-forum.example/")
        fixture.replace("pairs.csv", "anna-bruno,", with: String(repeating: "lange-id-", count: 10) + "anna-bruno,")
        fixture.remove("meetings.csv")
        for name in ["feedback/anna-bruno-mentee-kickoff.md", "feedback/anna-bruno-mentor-kickoff.md"] { fixture.remove(name) }
        assertSucceeded(fixture.build())
        let files = try FileManager.default.contentsOfDirectory(atPath: output + "/mail").filter { $0.hasSuffix(".eml") }
        XCTAssertEqual(files.count, 2)
        for file in files {
            let eml = try XCTUnwrap(readText(output, "mail/" + file))
            let lines = headerLines(eml)
            let index = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Message-ID:") })
            var field = String(lines[index])
            if index + 1 < lines.count, lines[index + 1].hasPrefix(" ") { field += lines[index + 1] }
            XCTAssertTrue(field.unicodeScalars.allSatisfy(\.isASCII), field)
            for line in lines { XCTAssertLessThanOrEqual(line.utf8.count, 78, String(line)) }
            XCTAssertTrue(field.contains("<") && field.contains("@") && field.hasSuffix(">"), field)
        }
    }

    // MARK: 7. Dates

    func testDatesOutsideYears0001To9998AreErrors() {
        fixture.replace("programme.yml", "  - date: 2026-03-05", with: "  - date: 9999-12-31")
        var result = fixture.build()
        assertDiagnostic(result, in: "programme.yml", line: 14, contains: ["years 0001 to 9998"])
        XCTAssertFalse(fileExists(output + "/site/programme.ics"))
        fixture.replace("programme.yml", "  - date: 9999-12-31", with: "  - date: 0000-06-01")
        result = fixture.build()
        assertDiagnostic(result, in: "programme.yml", line: 14, contains: ["years 0001 to 9998"])
        fixture.replace("programme.yml", "  - date: 0000-06-01", with: "  - date: 9998-12-31")
        result = fixture.build()
        assertSucceeded(result)
        XCTAssertTrue(readText(output, "site/programme.ics")?.contains("DTEND;VALUE=DATE:99990101") ?? false)
    }

    // MARK: 8. Messages

    func testStrayQuoteIsReportedAtItsLineWithoutCascadesOrEcho() {
        fixture.replace(
            "participants.csv", "bruno-beispiel,Bruno Beispiel,mentee,Beta AG", with: "bruno-beispiel,Bruno Beispiel,mentee,\"Beta AG")
        var result = fixture.build()
        XCTAssertEqual(errors(result).count, 1, listing(result))
        assertDiagnostic(result, in: "participants.csv", line: 3, contains: ["never closed"])
        // A quote at the start of a line: the rest of the file (with its addresses) is never echoed.
        fixture.write("participants.csv", ProgrammeFixture.defaultFiles["participants.csv"]!)
        fixture.replace("participants.csv", "\nbruno-beispiel,", with: "\n\"bruno-beispiel,")
        result = fixture.build()
        assertDiagnostic(result, in: "participants.csv", line: 3, contains: ["never closed"])
        XCTAssertEqual(errors(result).count, 1, listing(result))
        XCTAssertFalse(listing(result).contains("@"), listing(result))
    }

    func testInvalidParticipantRowGivesOneErrorAndNoneForItsReferences() {
        fixture.replace("participants.csv", "anna-muster,Anna Muster,mentor,", with: "anna-muster,Anna Muster,mentorin,")
        let result = fixture.build()
        XCTAssertEqual(errors(result).count, 1, listing(result))
        assertDiagnostic(result, in: "participants.csv", line: 2, contains: ["role 'mentorin'"])
    }

    func testOverlongIDSaysItsLength() {
        let id = String(repeating: "a", count: 150)
        fixture.replace("participants.csv", "\nclara-geheim,", with: "\n\(id),")
        let result = fixture.build()
        let found = assertDiagnostic(result, in: "participants.csv", line: 4, contains: ["is 150 characters; an id has at most 100"])
        XCTAssertLessThan(found?.message.count ?? 0, 120)
    }

    func testUTF16WithoutByteOrderMarkIsDetected() {
        let text = ProgrammeFixture.defaultFiles["participants.csv"]!
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        fixture.write("participants.csv", bytes: bytes)
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(result, .warning, in: "participants.csv", line: 1, contains: ["UTF-16 without a byte-order mark"])
        XCTAssertFalse(listing(result).contains("unknown column"), listing(result))
    }

    func testMatchListsEveryLockProblemInOneRun() {
        fixture.remove("pairs.csv")
        fixture.replace("participants.csv", "bruno@beta.example.ch", with: "bruno@beta.example.ch")
        fixture.replace("participants.csv", "Beta AG", with: "Alpha AG")
        fixture.append(
            "programme.yml",
            line: """
                matching:
                  lock:
                    - mentor: anna-muster
                      mentee: bruno-beispiel
                    - mentor: niemand
                      mentee: dieter-daten
                """)
        let outcome = MatchPipeline.run(
            MatchOptions(contentPath: fixture.contentPath, templatesPath: ProgrammeFixture.templatesPath), write: false)
        let text = outcome.diagnostics.map(\.description).joined(separator: "\n")
        XCTAssertTrue(text.contains("unknown participant 'niemand'"), text)
        XCTAssertTrue(text.contains("anna-muster and bruno-beispiel are both from 'Alpha AG'"), text)
    }

    // MARK: Helpers

    private func runPython(_ script: String, _ argument: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
