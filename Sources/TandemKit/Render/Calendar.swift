import Foundation

/// The milestones as an RFC 5545 calendar (programme.ics): escaped text, lines folded at 75 octets, no '@' anywhere.
///
/// A milestone with a `time` is a timed event in the programme's `timezone` (`DTSTART;TZID=…`), described by a
/// VTIMEZONE component generated from the system's tz database for the years the events span; without a time it is
/// an all-day event (`VALUE=DATE`). An event ends at the time's end (`HH:MM-HH:MM`); with a start time only, at the end
/// of its agenda's last item when that is later, else one hour after the start.
enum Calendar {
    static func ics(_ programme: Programme, language: String) -> String {
        let host = programme.baseURL.flatMap(hostName) ?? "tandem.invalid"
        let stamp = programme.start.compact + "T000000Z"
        let zoneName = programme.timezone
        let timed = programme.milestones.filter { $0.time != nil }
        let zone = timed.isEmpty ? nil : TimeZone(identifier: zoneName)
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Tandem//Mentoring Programme//\(language.uppercased())",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text(programme.title.text(in: language)),
        ]
        if let zone {
            lines.append("X-WR-TIMEZONE:" + text(zoneName))
            lines += timeZoneComponent(zone, name: zoneName, years: Set(timed.map(\.date.year)))
        }
        let programmeTitle = programme.title.text(in: language)
        for milestone in programme.milestones {
            lines += [
                "BEGIN:VEVENT",
                // No '@' in the UID: the public site must not contain anything that looks like an e-mail address.
                "UID:\(host)-\(milestone.date.compact)-\(milestone.index + 1)-\(slugify(milestone.title.text(in: programme.language)))",
                "DTSTAMP:\(stamp)",
            ]
            if let time = milestone.time, zone != nil {
                let end = endMinutes(of: milestone, time: time)
                let endDay = Day(ordinal: milestone.date.ordinal + end / 1440)
                lines += [
                    "DTSTART;TZID=\(zoneName):\(milestone.date.compact)T\(clock(time.start.minutes))",
                    "DTEND;TZID=\(zoneName):\(endDay.compact)T\(clock(end % 1440))",
                ]
            } else {
                lines += [
                    "DTSTART;VALUE=DATE:\(milestone.date.compact)",
                    "DTEND;VALUE=DATE:\(Day(ordinal: milestone.date.ordinal + 1).compact)",
                ]
            }
            lines.append("SUMMARY:" + text(programmeTitle + ": " + milestone.title.text(in: language)))
            let place = [milestone.location, milestone.address].compactMap { $0?.text(in: language) }
                .flatMap { $0.split(whereSeparator: \.isNewline) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !place.isEmpty { lines.append("LOCATION:" + text(place.joined(separator: ", "))) }
            var description: [String] = []
            if let text = milestone.description?.text(in: language) { description.append(text) }
            if !milestone.agenda.isEmpty {
                description.append(
                    milestone.agenda.map { item in
                        let time = item.time.end.map { "\(item.time.start)–\($0)" } ?? item.time.start.description
                        let speaker = item.speaker.map { " – " + $0.text(in: language) } ?? ""
                        return time + " " + item.title.text(in: language) + speaker
                    }.joined(separator: "\n"))
            }
            if !description.isEmpty { lines.append("DESCRIPTION:" + text(description.joined(separator: "\n\n"))) }
            if let url = milestone.url {
                lines.append("URL:" + uri(url))
            } else if let base = programme.baseURL {
                lines.append("URL:" + uri(base + "timeline.html"))
            }
            lines += [milestone.time != nil && zone != nil ? "TRANSP:OPAQUE" : "TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Minutes after the day's midnight at which a timed milestone ends (may pass midnight: 1440 and more).
    static func endMinutes(of milestone: Milestone, time: TimeRange) -> Int {
        if let end = time.end { return end.minutes }
        let agendaEnd = milestone.agenda.map { ($0.time.end ?? $0.time.start).minutes }.max() ?? 0
        return max(time.start.minutes + 60, agendaEnd)
    }

    /// `HHMMSS` for minutes after midnight.
    private static func clock(_ minutes: Int) -> String {
        String(twoDigits: minutes / 60) + String(twoDigits: minutes % 60) + "00"
    }

    /// The VTIMEZONE of `zone` (RFC 5545 3.6.5): one STANDARD or DAYLIGHT observance per transition of the tz database in
    /// each year that has events and the year before it (so the offset in force on 1 January is defined); a zone without
    /// transitions there (UTC, most of Asia) gets one STANDARD observance with its fixed offset. Only the years with
    /// events are scanned, so a milestone in 9999 next to one in 2026 costs a few observances, not thousands.
    static func timeZoneComponent(_ zone: TimeZone, name: String, years: Set<Int>) -> [String] {
        var utc = Foundation.Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
        var transitions = Set<Date>()
        for year in years {
            guard let from = utc.date(from: DateComponents(year: year - 1, month: 1, day: 1)),
                let until = utc.date(from: DateComponents(year: year + 1, month: 1, day: 1))
            else { continue }
            var cursor = from
            // A tz database zone changes its offset a few times a year at most; the bound only guards the loop.
            for _ in 0..<32 {
                guard let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < until, next > cursor else { break }
                transitions.insert(next)
                cursor = next
            }
        }
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + text(name)]
        for transition in transitions.sorted() {
            let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: transition)
            let kind = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
            // DTSTART is the local time of the onset as the clock showed it before the change.
            let local = utc.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: transition.addingTimeInterval(Double(before)))
            lines += ["BEGIN:\(kind)", "DTSTART:" + stamp(local), "TZOFFSETFROM:" + offset(before), "TZOFFSETTO:" + offset(after)]
            if let abbreviation = zone.abbreviation(for: transition), abbreviation.allSatisfy(\.isLetter) {
                lines.append("TZNAME:" + abbreviation)
            }
            lines.append("END:\(kind)")
        }
        if transitions.isEmpty {
            let reference = utc.date(from: DateComponents(year: years.min() ?? 1970, month: 7, day: 1)) ?? Date(timeIntervalSince1970: 0)
            let fixed = zone.secondsFromGMT(for: reference)
            lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset(fixed), "TZOFFSETTO:" + offset(fixed)]
            if let abbreviation = zone.abbreviation(for: reference), abbreviation.allSatisfy(\.isLetter) {
                lines.append("TZNAME:" + abbreviation)
            }
            lines.append("END:STANDARD")
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// A UTC offset as `+HHMM` (or `+HHMMSS` for the rare offsets with seconds).
    private static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        let hhmm = String(twoDigits: value / 3600) + String(twoDigits: value % 3600 / 60)
        return sign + hhmm + (value % 60 == 0 ? "" : String(twoDigits: value % 60))
    }

    /// A local DATE-TIME without zone (`YYYYMMDDTHHMMSS`).
    private static func stamp(_ c: DateComponents) -> String {
        String(format4: c.year ?? 1970) + String(twoDigits: c.month ?? 1) + String(twoDigits: c.day ?? 1) + "T"
            + String(twoDigits: c.hour ?? 0) + String(twoDigits: c.minute ?? 0) + String(twoDigits: c.second ?? 0)
    }

    /// TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks; other controls removed.
    static func text(_ value: String) -> String {
        let value = PublicText.scrub(value)
        var out = ""
        var previousCR = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
            previousCR = scalar == "\r"
        }
        return out
    }

    /// A URI value: no controls or spaces.
    private static func uri(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
    }

    /// Folds a content line into chunks of at most 75 octets, never splitting a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += size
        }
        return result
    }

    static func hostName(_ url: String) -> String? {
        guard let range = url.range(of: "://") else { return nil }
        let rest = url[range.upperBound...]
        // Never a user name (`user@host`): the host is published in calendar UIDs and Message-IDs.
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let host = hostAndPort.prefix { $0 != ":" }
        return host.isEmpty ? nil : String(host).lowercased()
    }
}

extension Day {
    /// The day `ordinal` days after 1970-01-01.
    init(ordinal: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }
}
