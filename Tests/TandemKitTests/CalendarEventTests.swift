import Foundation
import XCTest

@testable import TandemKit

/// programme.ics with timed milestones, read back by a real iCalendar parser (Debian's python3-icalendar, installed by
/// `make deps`): the VTIMEZONE Tandem writes must put each event at the right instant, in winter and in summer.
final class CalendarEventTests: TandemTestCase {
    private static let milestones = """
        milestones:
          - date: 2026-03-05
            title: "Kick-off"
            time: "18:00-20:30"
            location: "Kornhausforum"
            address: |
              Kornhausplatz 18
              3011 Bern
            url: "https://events.example.ch/kickoff"
            agenda:
              - time: "18:00"
                title: "Begrüssung"
                speaker: "Programmbüro"
              - time: "18:30-19:30"
                title: "Speed-Dating; die Tandems, erstmals"
          - date: 2026-06-20
            title: "Zwischenbilanz"
            time: "09:15"
            location: "Zürich"
          - date: 2026-08-31
            title: "Abschluss"
            location: "Bern"

        """

    private func writeProgramme(timezone: String? = nil) {
        var programme = fixture.read("programme.yml").components(separatedBy: "\n").filter { !$0.hasPrefix("timezone:") }
            .joined(separator: "\n")
        let start = programme.range(of: "milestones:\n")!.lowerBound
        let end = programme.range(of: "feedback:\n")!.lowerBound
        programme.replaceSubrange(start..<end, with: Self.milestones)
        if let timezone { programme += "timezone: \(timezone)\n" }
        fixture.write("programme.yml", programme)
    }

    /// What python3-icalendar reads from `ics`: the time zones and, per event, its fields and its start and end as UTC
    /// instants worked out with the file's own VTIMEZONE (not the parser's tz database).
    private struct Parsed: Decodable {
        struct Event: Decodable {
            var summary: String
            var tzid: String?
            var allDay: Bool
            var start: String
            var end: String
            var location: String?
            var url: String?
            var description: String?
        }
        var timezones: [String]
        var events: [Event]
    }

    private func parse(_ ics: String, file: StaticString = #filePath, line: UInt = #line) throws -> Parsed {
        let script = """
            import json, sys
            from datetime import datetime
            import pytz
            from icalendar import Calendar
            cal = Calendar.from_ical(sys.stdin.read())
            zones = {str(z['TZID']): z.to_tz() for z in cal.walk('VTIMEZONE')}
            def instant(prop):
                value = prop.dt
                if not isinstance(value, datetime):
                    return value.isoformat()
                tzid = prop.params.get('TZID')
                if tzid:
                    value = zones[str(tzid)].localize(value.replace(tzinfo=None))
                return value.astimezone(pytz.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
            events = []
            for e in cal.walk('VEVENT'):
                events.append({
                    'summary': str(e['SUMMARY']), 'tzid': e['DTSTART'].params.get('TZID'),
                    'allDay': not isinstance(e['DTSTART'].dt, datetime),
                    'start': instant(e['DTSTART']), 'end': instant(e['DTEND']),
                    'location': str(e['LOCATION']) if 'LOCATION' in e else None,
                    'url': str(e['URL']) if 'URL' in e else None,
                    'description': str(e['DESCRIPTION']) if 'DESCRIPTION' in e else None,
                })
            print(json.dumps({'timezones': sorted(zones), 'events': events}))
            """
        let process = Process()
        // Debian's interpreter, where apt installs python3-icalendar (not a python3 of some other install on PATH).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(ics.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            XCTFail("python3-icalendar could not read programme.ics (make deps installs it):\n\(errors)", file: file, line: line)
            throw CocoaError(.fileReadCorruptFile)
        }
        return try JSONDecoder().decode(Parsed.self, from: data)
    }

    private func buildCalendar(timezone: String? = nil) throws -> (ics: String, parsed: Parsed) {
        writeProgramme(timezone: timezone)
        assertSucceeded(fixture.build())
        let ics = try XCTUnwrap(readText(output, "site/programme.ics"))
        return (ics, try parse(ics))
    }

    func testTimedEventsAreAtTheRightInstantInWinterAndSummer() throws {
        let (ics, parsed) = try buildCalendar()
        XCTAssertEqual(parsed.timezones, ["Europe/Zurich"], "one VTIMEZONE, for the programme's zone (the default)")
        XCTAssertEqual(parsed.events.count, 3)
        guard parsed.events.count == 3 else { return }
        let (kickoff, midterm, closing) = (parsed.events[0], parsed.events[1], parsed.events[2])

        // Winter: CET, UTC+1. The end time is the one given.
        XCTAssertEqual(kickoff.summary, "Reverse Mentoring Test: Kick-off")
        XCTAssertEqual(kickoff.tzid, "Europe/Zurich")
        XCTAssertFalse(kickoff.allDay)
        XCTAssertEqual(kickoff.start, "2026-03-05T17:00:00Z")
        XCTAssertEqual(kickoff.end, "2026-03-05T19:30:00Z")
        XCTAssertEqual(kickoff.location, "Kornhausforum, Kornhausplatz 18, 3011 Bern")
        XCTAssertEqual(kickoff.url, "https://events.example.ch/kickoff")
        XCTAssertEqual(
            kickoff.description, "18:00 Begrüssung – Programmbüro\n18:30–19:30 Speed-Dating; die Tandems, erstmals",
            "the agenda, one line an item")

        // Summer: CEST, UTC+2. Without an end time the event lasts an hour.
        XCTAssertEqual(midterm.summary, "Reverse Mentoring Test: Zwischenbilanz")
        XCTAssertEqual(midterm.tzid, "Europe/Zurich")
        XCTAssertEqual(midterm.start, "2026-06-20T07:15:00Z")
        XCTAssertEqual(midterm.end, "2026-06-20T08:15:00Z")
        XCTAssertEqual(midterm.url, "https://mentoring.example.ch/timeline.html", "without its own url: the timeline page")

        // No time: an all-day date.
        XCTAssertTrue(closing.allDay)
        XCTAssertNil(closing.tzid)
        XCTAssertEqual(closing.start, "2026-08-31")
        XCTAssertEqual(closing.end, "2026-09-01")
        XCTAssertEqual(closing.summary, "Reverse Mentoring Test: Abschluss")

        // As written: escaped, folded, no '@'.
        let lines = ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        XCTAssertTrue(lines.contains("DTSTART;TZID=Europe/Zurich:20260305T180000"), ics)
        XCTAssertTrue(lines.contains("DTEND;TZID=Europe/Zurich:20260620T101500"), ics)
        XCTAssertTrue(lines.contains("DTSTART;VALUE=DATE:20260831"), ics)
        XCTAssertTrue(lines.contains("TZID:Europe/Zurich"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("DESCRIPTION:") && $0.contains("Speed-Dating\\; die Tandems\\, erstmals") })
        for line in ics.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 75, line) }
        XCTAssertFalse(ics.contains("@"))

        // The e-mails attach the same calendar.
        let mail = try XCTUnwrap(readText(output, "mail/anna-bruno.eml"))
        let attachment = mail.components(separatedBy: "filename=\"programme.ics\"").last ?? ""
        let body = attachment.components(separatedBy: "\r\n\r\n").dropFirst().first ?? ""
        let base64 = (body.components(separatedBy: "\r\n--").first ?? "").replacingOccurrences(of: "\r\n", with: "")
        XCTAssertEqual(Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }, ics)
    }

    func testOtherZonesWithAndWithoutSummerTime() throws {
        let (_, tokyo) = try buildCalendar(timezone: "Asia/Tokyo")
        XCTAssertEqual(tokyo.timezones, ["Asia/Tokyo"])
        XCTAssertEqual(tokyo.events.first?.tzid, "Asia/Tokyo")
        XCTAssertEqual(tokyo.events.map(\.start).prefix(2), ["2026-03-05T09:00:00Z", "2026-06-20T00:15:00Z"])

        let (_, newYork) = try buildCalendar(timezone: "America/New_York")
        XCTAssertEqual(newYork.events.map(\.start).prefix(2), ["2026-03-05T23:00:00Z", "2026-06-20T13:15:00Z"])
        XCTAssertEqual(newYork.events.first?.end, "2026-03-06T01:30:00Z")
    }

    func testAllDayOnlyCalendarHasNoTimeZone() throws {
        writeProgramme()
        fixture.write(
            "programme.yml",
            fixture.read("programme.yml").replacingOccurrences(of: "    time: \"18:00-20:30\"\n", with: "")
                .replacingOccurrences(of: "    time: \"09:15\"\n", with: ""))
        assertSucceeded(fixture.build())
        let ics = try XCTUnwrap(readText(output, "site/programme.ics"))
        let parsed = try parse(ics)
        XCTAssertEqual(parsed.timezones, [])
        XCTAssertTrue(parsed.events.allSatisfy(\.allDay))
        XCTAssertFalse(ics.contains("VTIMEZONE"))
    }

    /// A time without an end, late in the evening: the hour runs past midnight into the next day.
    func testAnEventWithoutEndTimeCanRunPastMidnight() throws {
        writeProgramme()
        fixture.write("programme.yml", fixture.read("programme.yml").replacingOccurrences(of: "time: \"09:15\"", with: "time: \"23:30\""))
        assertSucceeded(fixture.build())
        let parsed = try parse(try XCTUnwrap(readText(output, "site/programme.ics")))
        XCTAssertEqual(parsed.events[1].start, "2026-06-20T21:30:00Z")
        XCTAssertEqual(parsed.events[1].end, "2026-06-20T22:30:00Z")
    }

    /// From the command line: a zone the tz database does not know is an error at its line, and nothing is written.
    func testAnInvalidTimeZoneIsAnErrorAtItsLine() throws {
        writeProgramme(timezone: "Europe/Bern")
        let lines = fixture.read("programme.yml").components(separatedBy: "\n")
        let line = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("timezone:") }) + 1
        let run = try runTandem(
            ["build", "--content", fixture.contentPath, "--output", output], in: URL(fileURLWithPath: fixture.contentPath))
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("programme.yml:\(line):"), run.stderr)
        XCTAssertTrue(run.stderr.contains("error: 'timezone' must be an IANA time zone name"), run.stderr)
        XCTAssertFalse(fileExists(output + "/site/programme.ics"))
    }
}
