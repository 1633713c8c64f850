/// The milestones as an RFC 5545 calendar (programme.ics): all-day events, escaped text, lines folded at 75 octets.
enum Calendar {
    static func ics(_ programme: Programme, language: String) -> String {
        let host = programme.baseURL.flatMap(hostName) ?? "tandem.invalid"
        let stamp = programme.start.compact + "T000000Z"
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Tandem//Mentoring Programme//\(language.uppercased())",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text(programme.title.text(in: language)),
        ]
        for milestone in programme.milestones {
            let next = Day(ordinal: milestone.date.ordinal + 1)
            lines += [
                "BEGIN:VEVENT",
                // No '@' in the UID: the public site must not contain anything that looks like an e-mail address.
                "UID:\(host)-\(milestone.date.compact)-\(milestone.index + 1)-\(slugify(milestone.title.text(in: programme.language)))",
                "DTSTAMP:\(stamp)",
                "DTSTART;VALUE=DATE:\(milestone.date.compact)",
                "DTEND;VALUE=DATE:\(next.compact)",
                "SUMMARY:" + text(milestone.title.text(in: language)),
            ]
            if let location = milestone.location { lines.append("LOCATION:" + text(location.text(in: language))) }
            if let description = milestone.description { lines.append("DESCRIPTION:" + text(description.text(in: language))) }
            if let base = programme.baseURL { lines.append("URL:" + uri(base + "timeline.html")) }
            lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
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
