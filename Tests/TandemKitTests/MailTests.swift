import Foundation
import XCTest

@testable import TandemKit

/// Output/mail/: one announcement e-mail per tandem (issue 3), read back with Python's `email` package.
final class MailTests: TandemTestCase {
    /// What Python's `email` parser (policy.default) makes of a message.
    struct Parsed: Decodable {
        var defects: [String]
        var parts: [String]
        var to: [[String]]
        var from: [[String]]
        var subject: String
        var date: String
        var messageID: String
        var headers: [String]
        var text: String
        var html: String
        var attachments: [[String]]

        enum CodingKeys: String, CodingKey {
            case defects, parts, to, from, subject, date, headers, text, html, attachments
            case messageID = "message_id"
        }
    }

    static let parser = """
        import email, json, sys
        from email import policy
        out = {}
        for path in sys.argv[1:]:
            m = email.message_from_bytes(open(path, 'rb').read(), policy=policy.default)
            defects = []
            for part in m.walk():
                defects += [type(d).__name__ + ': ' + str(d) for d in part.defects]
                for key in part.keys():
                    defects += [key + ': ' + type(d).__name__ for d in getattr(part[key], 'defects', [])]
            def mailboxes(name):
                header = m[name]
                return [[a.display_name, a.addr_spec] for a in header.addresses] if header is not None else []
            out[path] = {
                'defects': defects,
                'parts': [p.get_content_type() for p in m.walk()],
                'to': mailboxes('To'), 'from': mailboxes('From'),
                'subject': str(m['Subject'] or ''), 'date': str(m['Date'] or ''), 'message_id': str(m['Message-ID'] or ''),
                'headers': list(m.keys()),
                'text': m.get_body(('plain',)).get_content(),
                'html': m.get_body(('html',)).get_content(),
                'attachments': [[a.get_filename() or '', a.get_content_type(), a.get_content() if isinstance(a.get_content(), str) else a.get_content().decode('utf-8')] for a in m.iter_attachments()],
            }
        print(json.dumps(out))
        """

    /// Parses `mail/<tandem>.eml` of the default output folder.
    func parse(_ tandem: String, file: StaticString = #filePath, line: UInt = #line) throws -> Parsed {
        let path = output + "/mail/\(tandem).eml"
        XCTAssertTrue(fileExists(path), "\(path) is missing", file: file, line: line)
        let json = try Tool.run("python3", ["-c", Self.parser, path])
        let all = try JSONDecoder().decode([String: Parsed].self, from: Data(json.utf8))
        guard let parsed = all[path] else { throw XCTSkip("python3 printed nothing for \(path)") }
        return parsed
    }

    func raw(_ tandem: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: output + "/mail/\(tandem).eml") ?? Data())
    }

    // MARK: One message per tandem

    func testEveryTandemGetsAWellFormedMessage() throws {
        assertSucceeded(fixture.build())
        XCTAssertEqual(snapshot(output + "/mail").keys.sorted(), ["anna-bruno.eml", "clara-dieter.eml"], "public or not, every tandem")

        let mail = try parse("anna-bruno")
        XCTAssertEqual(mail.defects, [])
        XCTAssertEqual(mail.parts, ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"])
        XCTAssertEqual(mail.to, [["Anna Muster", "anna.muster@alpha.example.ch"], ["Bruno Beispiel", "bruno@beta.example.ch"]])
        XCTAssertEqual(mail.from, [["Programmbüro", "programm@forum-test.example.ch"]])
        XCTAssertEqual(mail.subject, "Ihr Tandem im Programm «Reverse Mentoring Test»: Anna Muster & Bruno Beispiel")
        XCTAssertEqual(mail.date, "Thu, 05 Mar 2026 09:00:00 +0000", "the tandem's start at 09:00 UTC")
        XCTAssertEqual(mail.messageID, "<anna-bruno.announcement@mentoring.example.ch>")
        for header in ["MIME-Version", "Date", "Message-ID", "Subject"] { XCTAssertTrue(mail.headers.contains(header), header) }

        // It introduces each to the other and lists the milestones.
        for text in [mail.text, mail.html] {
            for expected in [
                "Anna Muster", "Social-Media-Managerin", "Alpha AG", "Bruno Beispiel", "CEO", "Beta AG", "TikTok", "Deutsch",
                "Instagram verstehen", "KI ausprobieren", "Kick-off", "5. März 2026", "Bern",
                "https://mentoring.example.ch/participants/anna-muster.html", "https://mentoring.example.ch/tandems/anna-bruno.html",
                "anna.muster@alpha.example.ch", "bruno@beta.example.ch",
            ] {
                XCTAssertTrue(text.contains(expected), "the message lacks '\(expected)'")
            }
        }
        XCTAssertEqual(mail.attachments.first?[0], "programme.ics")
        XCTAssertEqual(mail.attachments.first?[1], "text/calendar")
        XCTAssertTrue(mail.attachments.first?[2].contains("BEGIN:VCALENDAR") ?? false)

        let hidden = try parse("clara-dieter")
        XCTAssertEqual(hidden.defects, [])
        XCTAssertEqual(hidden.to.map { $0[1] }, ["clara.geheim@gamma.example.ch", "dieter@delta.example.ch"])
        XCTAssertFalse(hidden.text.contains("participants/clara-geheim.html"), "no profile link for an unpublished participant")
        XCTAssertFalse(hidden.text.contains("tandems/clara-dieter.html"), "no link to a tandem page that does not exist")
        XCTAssertEqual(hidden.date, "Fri, 06 Mar 2026 09:00:00 +0000")
    }

    func testMessagesAreRawRFC5322() {
        assertSucceeded(fixture.build())
        for tandem in ["anna-bruno", "clara-dieter"] {
            let bytes = raw(tandem)
            XCTAssertFalse(bytes.isEmpty)
            XCTAssertTrue(bytes.allSatisfy { $0 < 0x80 }, "7-bit: UTF-8 text is encoded")
            var line: [UInt8] = []
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == 0x0A {
                    XCTAssertEqual(previous, 0x0D, "\(tandem): a bare LF")
                    XCTAssertLessThanOrEqual(line.count - 1, 78, "\(tandem): line longer than 78: \(String(decoding: line, as: UTF8.self))")
                    line = []
                } else {
                    line.append(byte)
                }
                previous = byte
            }
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertTrue(text.hasSuffix("\r\n"))
            XCTAssertTrue(text.contains("Content-Transfer-Encoding: quoted-printable"))
            XCTAssertFalse(
                text.contains(ProgrammeFixture.meetingNotes[0]) || text.contains(ProgrammeFixture.meetingNotes[1]), "no meeting note")
        }
    }

    func testMessagesAreDeterministic() {
        assertSucceeded(fixture.build())
        let first = snapshot(output + "/mail")
        assertSucceeded(fixture.build(output: fixture.outputPath("Second")))
        XCTAssertEqual(snapshot(fixture.outputPath("Second") + "/mail"), first)
    }

    // MARK: Header safety

    func testHostileNamesCannotAddRecipientsOrHeaders() throws {
        // A quoted CSV cell may hold commas, quotes and angle brackets (the model refuses line breaks in a name;
        // MIME.singleLine would turn them into spaces, see testHeaderEncodingUnits).
        fixture.replace(
            "participants.csv", "anna-muster,Anna Muster,",
            with: "anna-muster,\"Eve \"\"Evil\"\", <x@evil.example> Bcc: spy@evil.example\",")
        fixture.replace("participants.csv", "bruno-beispiel,Bruno Beispiel,", with: "bruno-beispiel,Zoë Müller-Lüdenscheidt =?x?=,")
        assertSucceeded(fixture.build())
        let mail = try parse("anna-bruno")
        XCTAssertEqual(mail.defects, [])
        XCTAssertEqual(mail.to.map { $0[1] }, ["anna.muster@alpha.example.ch", "bruno@beta.example.ch"], "exactly the two members")
        XCTAssertEqual(mail.to.map { $0[0] }, ["Eve \"Evil\", <x@evil.example> Bcc: spy@evil.example", "Zoë Müller-Lüdenscheidt =?x?="])
        XCTAssertFalse(mail.headers.contains("Bcc"), "a name cannot start a header")
        let text = String(decoding: raw("anna-bruno"), as: UTF8.self)
        let header = text.components(separatedBy: "\r\n\r\n")[0]
        XCTAssertFalse(header.contains("\r\nBcc:"))
        XCTAssertTrue(header.contains("=?UTF-8?B?"), "non-ASCII names are RFC 2047 encoded")
        XCTAssertTrue(mail.subject.contains("Zoë Müller-Lüdenscheidt"))
    }

    func testHeaderEncodingUnits() {
        XCTAssertEqual(MIME.phrase("Anna \"A\" Muster, Dr."), ["\"Anna \\\"A\\\" Muster, Dr.\""])
        XCTAssertEqual(MIME.phrase("Zoë"), ["=?UTF-8?B?Wm/Dqw==?="])
        XCTAssertEqual(MIME.singleLine(" a\r\nBcc: b\t c "), "a Bcc: b c")
        XCTAssertEqual(MIME.singleLine("a\u{2028}b\u{85}c"), "a b c")
        for word in MIME.encodedWords(String(repeating: "äöü€😀", count: 20)) { XCTAssertLessThanOrEqual(word.count, 75) }
        XCTAssertEqual(MIME.date(Day(iso: "2026-03-09")!), "Mon, 09 Mar 2026 09:00:00 +0000")
        XCTAssertEqual(MIME.quotedPrintable("a=b ü\nend "), "a=3Db =C3=BC\r\nend=20")
        let long = MIME.quotedPrintable(String(repeating: "é", count: 100))
        XCTAssertTrue(long.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        XCTAssertFalse(long.contains("=\r\n9"), "a soft break never splits an escape")
    }

    // MARK: Missing addresses

    func testMemberWithoutAddressIsLeftOutWithAWarning() throws {
        fixture.replace("participants.csv", ",bruno@beta.example.ch,", with: ",,")
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(
            result, .warning, in: "participants.csv", line: 3,
            contains: ["Bruno Beispiel", "no e-mail address", "anna-bruno.eml", "addressed to Anna Muster only"])
        let mail = try parse("anna-bruno")
        XCTAssertEqual(mail.defects, [])
        XCTAssertEqual(mail.to, [["Anna Muster", "anna.muster@alpha.example.ch"]])
    }

    func testMissingContactFallsBackToAnInvalidSenderWithAWarning() throws {
        fixture.replace("programme.yml", "contact:\n  name: \"Programmbüro\"\n  email: \"programm@forum-test.example.ch\"\n", with: "")
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(result, .warning, in: "programme.yml", line: nil, contains: ["contact", "programme-office@tandem.invalid"])
        let mail = try parse("anna-bruno")
        XCTAssertEqual(mail.defects, [])
        XCTAssertEqual(mail.from, [["Forum Test", "programme-office@tandem.invalid"]])
        XCTAssertFalse(fixture.build(strict: true).succeeded, "--strict turns the warning into an error")
    }
}
