import Foundation

/// What programme.yml says, checked for types and ranges.
struct ProgrammeSettings {
    var title = LocalizedText(values: [:], main: "de")
    var organiser = LocalizedText(values: [:], main: "de")
    var language = "de"
    var languages = ["de"]
    var baseURL: String?
    var start: Day?
    var end: Day?
    var rules = ProgrammeRules()
    var contact: Contact?
    var matching = MatchingSettings()
    var anonymityThreshold = 3
    var milestones: [Milestone] = []
    var timezone = ProgrammeSettings.defaultTimezone
    var referenceDate: Day?
    var feedbackScale = 5
    var questions: [FeedbackQuestion] = []
    /// `print:` (a Tandem extension of SPEC v2): the handout's paper format and its symposium.
    var print = PrintSettings()
    /// Lines of `matching.lock`/`avoid` entries, for messages once the roster is known.
    var preferenceLines: [PairPreference: (path: String, line: Int?)] = [:]

    static let knownKeys: Set<String> = [
        "title", "organiser", "language", "languages", "base_url", "start", "end", "rules", "contact", "matching",
        "anonymity_threshold", "milestones", "timezone", "reference_date", "feedback", "print",
    ]

    /// The zone of milestone times when programme.yml names none.
    static let defaultTimezone = "Europe/Zurich"

    static func read(_ yaml: YAMLValue, diagnostics: inout Diagnostics) -> ProgrammeSettings {
        var settings = ProgrammeSettings()
        var reader = YAMLReader()
        let entries = yaml.entries ?? []
        var values: [String: YAMLValue] = [:]
        for entry in entries {
            if !knownKeys.contains(entry.key) {
                reader.diagnostics.warning(yaml.path, line: entry.keyLine, column: entry.keyColumn, "unknown key '\(entry.key)' is ignored")
            }
            values[entry.key] = entry.value
        }
        let path = yaml.path

        // Languages first: localized fields depend on them.
        if let value = values["language"] {
            if let code = reader.string(value, "language") {
                if supportedLanguages.contains(code) {
                    settings.language = code
                } else {
                    reader.error(value, "'language' must be one of \(supportedLanguages.joined(separator: ", ")), found '\(code)'")
                }
            }
        }
        settings.languages = [settings.language]
        if let value = values["languages"], let items = reader.items(value, "languages") {
            var list: [String] = []
            for item in items {
                guard let code = reader.string(item, "languages") else { continue }
                if !supportedLanguages.contains(code) {
                    reader.error(item, "'languages': '\(code)' is not supported (use \(supportedLanguages.joined(separator: ", ")))")
                } else if list.contains(code) {
                    reader.error(item, "'languages': '\(code)' is listed twice")
                } else {
                    list.append(code)
                }
            }
            if !list.isEmpty {
                if !list.contains(settings.language) {
                    reader.error(value, "'languages' must include the main language '\(settings.language)'")
                }
                settings.languages = [settings.language] + list.filter { $0 != settings.language }
            }
        }
        let main = settings.language
        let languages = settings.languages

        for key in ["title", "organiser"] {
            guard let value = values[key] else {
                reader.diagnostics.error(path, line: 1, "missing required key '\(key)'")
                continue
            }
            if let text = reader.localized(value, key, main: main, languages: languages) {
                if key == "title" { settings.title = text } else { settings.organiser = text }
            }
        }
        if let value = values["base_url"], let url = reader.line(value, "base_url") {
            let lower = url.lowercased()
            if !(lower.hasPrefix("https://") || lower.hasPrefix("http://"))
                || url.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" })
            {
                reader.error(value, "'base_url' must be an absolute http(s) URL such as https://example.org/programme/")
            } else if let problem = BaseURL.problem(url) {
                reader.error(value, problem)
            } else {
                settings.baseURL = url.hasSuffix("/") ? url : url + "/"
            }
        }
        for key in ["start", "end"] {
            guard let value = values[key] else {
                reader.diagnostics.error(path, line: 1, "missing required key '\(key)' (a date, YYYY-MM-DD)")
                continue
            }
            if key == "start" { settings.start = reader.day(value, key) } else { settings.end = reader.day(value, key) }
        }
        if let start = settings.start, let end = settings.end, end < start, let value = values["end"] {
            reader.error(value, "'end' (\(end)) is before 'start' (\(start))")
        }
        settings.referenceDate = settings.end
        if let value = values["reference_date"], let day = reader.day(value, "reference_date") {
            settings.referenceDate = day
        }

        if let value = values["rules"], let rules = reader.entries(value, "rules") {
            for entry in rules {
                switch entry.key {
                case "cross_organisation":
                    if let text = reader.string(entry.value, "rules.cross_organisation") {
                        if let rule = CrossOrganisationRule(rawValue: text) {
                            settings.rules.crossOrganisation = rule
                        } else {
                            reader.error(entry.value, "'rules.cross_organisation' must be required, preferred or off, found '\(text)'")
                        }
                    }
                case "pairs_per_person":
                    if let n = reader.int(entry.value, "rules.pairs_per_person", range: 1...1000) { settings.rules.pairsPerPerson = n }
                case "inactivity_days":
                    if let n = reader.int(entry.value, "rules.inactivity_days", range: 1...3650) { settings.rules.inactivityDays = n }
                default:
                    reader.diagnostics.warning(
                        path, line: entry.keyLine, column: entry.keyColumn, "unknown key 'rules.\(entry.key)' is ignored")
                }
            }
        }

        if let value = values["contact"], let contact = reader.entries(value, "contact") {
            settings.contact = readContact(value, contact, reader: &reader, main: main, languages: languages)
        }

        if let value = values["matching"], let matching = reader.entries(value, "matching") {
            for entry in matching {
                switch entry.key {
                case "weights":
                    if let weights = reader.entries(entry.value, "matching.weights") {
                        for weight in weights {
                            if let n = reader.number(weight.value, "matching.weights.\(weight.key)") {
                                settings.matching.weights[weight.key] = n
                            }
                        }
                    }
                case "lock", "avoid":
                    guard let items = reader.items(entry.value, "matching.\(entry.key)") else { continue }
                    for item in items {
                        guard let pair = reader.entries(item, "matching.\(entry.key)") else { continue }
                        let mentor = pair.first { $0.key == "mentor" }.flatMap { reader.string($0.value, "mentor") }
                        let mentee = pair.first { $0.key == "mentee" }.flatMap { reader.string($0.value, "mentee") }
                        guard let mentor, let mentee else {
                            reader.error(item, "'matching.\(entry.key)' entries need 'mentor' and 'mentee'")
                            continue
                        }
                        let preference = PairPreference(mentor: mentor, mentee: mentee)
                        settings.preferenceLines[preference] = (path, item.line)
                        if entry.key == "lock" {
                            settings.matching.lock.append(preference)
                        } else {
                            settings.matching.avoid.append(preference)
                        }
                    }
                default:
                    reader.diagnostics.warning(
                        path, line: entry.keyLine, column: entry.keyColumn, "unknown key 'matching.\(entry.key)' is ignored")
                }
            }
            for locked in settings.matching.lock where settings.matching.avoid.contains(locked) {
                reader.diagnostics.error(
                    path, line: settings.preferenceLines[locked]?.line,
                    "pair \(locked.mentor) + \(locked.mentee) is both locked and avoided")
            }
        }

        if let value = values["anonymity_threshold"], let k = reader.int(value, "anonymity_threshold", range: 1...1000) {
            settings.anonymityThreshold = k
        }

        if let value = values["milestones"], let items = reader.items(value, "milestones") {
            for (index, item) in items.enumerated() {
                if let milestone = readMilestone(item, index: index, reader: &reader, main: main, languages: languages) {
                    settings.milestones.append(milestone)
                }
            }
            settings.milestones.sort { ($0.date, $0.index) < ($1.date, $1.index) }
        }

        if let value = values["timezone"], let name = reader.line(value, "timezone") {
            if let problem = TimeZoneName.problem(name) {
                reader.error(value, problem)
            } else {
                settings.timezone = name
            }
        }

        if let value = values["print"], let entries = reader.entries(value, "print") {
            for entry in entries {
                switch entry.key {
                case "format":
                    guard let text = reader.string(entry.value, "print.format") else { continue }
                    if let format = PaperFormat(rawValue: text.lowercased()) {
                        settings.print.format = format
                    } else {
                        reader.error(entry.value, "'print.format' must be 'a4' or 'a5', found '\(text)'")
                    }
                case "symposium":
                    if let day = reader.day(entry.value, "print.symposium") {
                        settings.print.symposium = day
                        settings.print.symposiumLine = entry.value.line
                    }
                default:
                    reader.diagnostics.warning(
                        path, line: entry.keyLine, column: entry.keyColumn, "unknown key 'print.\(entry.key)' is ignored")
                }
            }
        }
        if let day = settings.print.symposium, !settings.milestones.contains(where: { $0.date == day }) {
            reader.diagnostics.error(
                path, line: settings.print.symposiumLine, "'print.symposium' is \(day.iso), but no milestone is on that date")
        }

        if let value = values["feedback"], let feedback = reader.entries(value, "feedback") {
            for entry in feedback {
                switch entry.key {
                case "scale":
                    if let n = reader.int(entry.value, "feedback.scale", range: 2...100) { settings.feedbackScale = n }
                case "questions":
                    guard let questions = reader.entries(entry.value, "feedback.questions") else { continue }
                    for question in questions {
                        guard isSlug(question.key) || question.key.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
                            reader.diagnostics.error(
                                path, line: question.keyLine, column: question.keyColumn,
                                "question id '\(question.key)' may use only letters, digits, '-' and '_'")
                            continue
                        }
                        if let text = reader.localized(
                            question.value, "feedback.questions.\(question.key)", main: main, languages: languages)
                        {
                            settings.questions.append(FeedbackQuestion(id: question.key, text: text))
                        }
                    }
                default:
                    reader.diagnostics.warning(
                        path, line: entry.keyLine, column: entry.keyColumn, "unknown key 'feedback.\(entry.key)' is ignored")
                }
            }
        }
        diagnostics.append(contentsOf: reader.diagnostics)
        return settings
    }

    /// `contact: {name, email, phone?, url?, public?}`; nil when a required part is missing or wrong.
    private static func readContact(
        _ value: YAMLValue, _ contact: [(key: String, keyLine: Int?, keyColumn: Int?, value: YAMLValue)], reader: inout YAMLReader,
        main: String, languages: [String]
    ) -> Contact? {
        var names: LocalizedText?
        var email: String?
        var phone: String?
        var url: String?
        var isPublic = true
        var ok = true
        for entry in contact {
            switch entry.key {
            case "name":
                names = reader.localized(entry.value, "contact.name", main: main, languages: languages)
                if names == nil { ok = false }
            case "email":
                if let text = reader.line(entry.value, "contact.email") {
                    if EmailAddress.isValid(text) {
                        email = text
                    } else {
                        reader.error(entry.value, "'contact.email' is not an e-mail address: '\(text)'")
                        ok = false
                    }
                } else {
                    ok = false
                }
            case "phone":
                if let text = reader.line(entry.value, "contact.phone") {
                    if let problem = PhoneNumber.problem(text) {
                        reader.error(entry.value, "'contact.phone' \(problem), found '\(text)'")
                    } else {
                        phone = text
                    }
                }
            case "url":
                if let text = reader.line(entry.value, "contact.url") {
                    if let problem = WebURL.problem(text) {
                        reader.error(entry.value, "'contact.url' \(problem), found '\(text)'")
                    } else {
                        url = text
                    }
                }
            case "public":
                if let flag = reader.bool(entry.value, "contact.public") { isPublic = flag }
            default:
                reader.diagnostics.warning(
                    value.path, line: entry.keyLine, column: entry.keyColumn,
                    "unknown key 'contact.\(entry.key)' is ignored (known: name, email, phone, url, public)")
            }
        }
        if !contact.contains(where: { $0.key == "name" }) { reader.error(value, "'contact' needs a 'name'") }
        if !contact.contains(where: { $0.key == "email" }) {
            reader.error(value, "'contact' needs an 'email': announcement e-mails are sent from it")
        }
        guard ok, let names, let email else { return nil }
        return Contact(name: names.text(in: main), names: names, email: email, phone: phone, url: url, isPublic: isPublic)
    }

    /// One entry of `milestones`; nil when its date or title is missing or wrong (the other fields are still checked).
    private static func readMilestone(
        _ item: YAMLValue, index: Int, reader: inout YAMLReader, main: String, languages: [String]
    ) -> Milestone? {
        guard let fields = reader.entries(item, "milestones") else { return nil }
        var date: Day?
        var title: LocalizedText?
        var time: TimeRange?
        var location: LocalizedText?
        var address: LocalizedText?
        var url: String?
        var description: LocalizedText?
        var agenda: [AgendaItem] = []
        for field in fields {
            switch field.key {
            case "date": date = reader.day(field.value, "milestones.date")
            case "title": title = reader.localized(field.value, "milestones.title", main: main, languages: languages)
            case "time": time = reader.timeRange(field.value, "milestones.time")
            case "location": location = reader.localized(field.value, "milestones.location", main: main, languages: languages)
            case "address":
                address = reader.localizedParagraph(field.value, "milestones.address", main: main, languages: languages)
            case "url":
                if let text = reader.line(field.value, "milestones.url") {
                    if let problem = WebURL.problem(text) {
                        reader.error(field.value, "'milestones.url' \(problem), found '\(text)'")
                    } else {
                        url = text
                    }
                }
            case "description":
                description = reader.localizedParagraph(field.value, "milestones.description", main: main, languages: languages)
            case "agenda":
                agenda = readAgenda(field.value, reader: &reader, main: main, languages: languages)
            default:
                reader.diagnostics.warning(
                    item.path, line: field.keyLine, column: field.keyColumn,
                    "unknown key 'milestones.\(field.key)' is ignored (known: date, title, time, location, address, url, description, agenda)"
                )
            }
        }
        if !fields.contains(where: { $0.key == "date" }) { reader.error(item, "a milestone needs a 'date'") }
        if !fields.contains(where: { $0.key == "title" }) { reader.error(item, "a milestone needs a 'title'") }
        guard let date, let title else { return nil }
        return Milestone(
            date: date, title: title, time: time, location: location, address: address, url: url, description: description,
            agenda: agenda, index: index)
    }

    /// `agenda: [{time, title, speaker?}]`: the valid items in file order. An item earlier than the one before it is a
    /// warning (the list is shown as written; usually a typo in the time).
    private static func readAgenda(_ value: YAMLValue, reader: inout YAMLReader, main: String, languages: [String]) -> [AgendaItem] {
        guard let items = reader.items(value, "milestones.agenda") else { return [] }
        var result: [AgendaItem] = []
        for item in items {
            guard let fields = reader.entries(item, "milestones.agenda") else { continue }
            var time: TimeRange?
            var title: LocalizedText?
            var speaker: LocalizedText?
            for field in fields {
                switch field.key {
                case "time": time = reader.timeRange(field.value, "milestones.agenda.time")
                case "title": title = reader.localized(field.value, "milestones.agenda.title", main: main, languages: languages)
                case "speaker": speaker = reader.localized(field.value, "milestones.agenda.speaker", main: main, languages: languages)
                default:
                    reader.diagnostics.warning(
                        item.path, line: field.keyLine, column: field.keyColumn,
                        "unknown key 'milestones.agenda.\(field.key)' is ignored (known: time, title, speaker)")
                }
            }
            if !fields.contains(where: { $0.key == "time" }) { reader.error(item, "an agenda item needs a 'time' (HH:MM or HH:MM-HH:MM)") }
            if !fields.contains(where: { $0.key == "title" }) { reader.error(item, "an agenda item needs a 'title'") }
            guard let time, let title else { continue }
            if let previous = result.last, time.start < previous.time.start, let field = fields.first(where: { $0.key == "time" }) {
                reader.diagnostics.warning(
                    item.path, line: field.value.line, column: field.value.column,
                    "agenda item at \(time.start) comes after one at \(previous.time.start); the agenda is shown in file order")
            }
            result.append(AgendaItem(time: time, title: title, speaker: speaker))
        }
        return result
    }
}

extension YAMLReader {
    /// Like `localized`, but the text may span several lines (addresses, descriptions).
    mutating func localizedParagraph(_ value: YAMLValue, _ key: String, main: String, languages: [String]) -> LocalizedText? {
        localized(value, key, main: main, languages: languages, multiline: true)
    }
}

extension YAMLReader {
    /// `yes`/`no` or `true`/`false` (any case).
    mutating func bool(_ value: YAMLValue, _ key: String) -> Bool? {
        guard let text = value.scalarText?.trimmingWhitespace else {
            error(value, "'\(key)' must be yes or no (or true or false), not a list or mapping")
            return nil
        }
        switch text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default:
            error(value, "'\(key)' must be yes or no (or true or false), found '\(text)'")
            return nil
        }
    }

    /// `HH:MM` or `HH:MM-HH:MM` (24 h, the end after the start).
    mutating func timeRange(_ value: YAMLValue, _ key: String) -> TimeRange? {
        guard let text = string(value, key) else { return nil }
        switch TimeRange.parse(text) {
        case .success(let range): return range
        case .failure(let problem):
            error(value, "'\(key)' \(problem.message), found '\(text)'")
            return nil
        }
    }
}

extension TimeRange {
    /// Why a time text was refused.
    struct Problem: Error {
        let message: String
    }

    /// Reads `HH:MM`, `H:MM` or a range of two joined by `-` or `–` (spaces around it allowed).
    static func parse(_ text: String) -> Result<TimeRange, Problem> {
        let format = "must be a time HH:MM or a range HH:MM-HH:MM (24 h)"
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "–" })
        guard parts.count == 1 || parts.count == 2 else { return .failure(Problem(message: format)) }
        var times: [ClockTime] = []
        for part in parts {
            guard let time = ClockTime(part.trimmingCharacters(in: " ")) else { return .failure(Problem(message: format)) }
            times.append(time)
        }
        if times.count == 2, times[1] <= times[0] {
            return .failure(Problem(message: "must end after it starts"))
        }
        return .success(TimeRange(start: times[0], end: times.count == 2 ? times[1] : nil))
    }
}

extension ClockTime {
    /// `HH:MM` or `H:MM`, hours 0-23, minutes 00-59; nil otherwise.
    init?(_ text: Substring) {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon == 1 || colon == 2, bytes.count == colon + 3,
            bytes.indices.allSatisfy({ $0 == colon || (bytes[$0] >= 0x30 && bytes[$0] <= 0x39) })
        else { return nil }
        let hour = bytes[..<colon].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let minute = bytes[(colon + 1)...].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard hour < 24, minute < 60 else { return nil }
        self.init(hour: hour, minute: minute)
    }
}

extension Substring {
    /// Without leading and trailing `character`s.
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var result = self
        while result.first == character { result = result.dropFirst() }
        while result.last == character { result = result.dropLast() }
        return result
    }
}

/// A phone number as people write it: `+41 31 123 45 67`, `031 123 45 67`, `+41 (0)31 123-45-67`, `031/123 45 67`.
enum PhoneNumber {
    /// Why `text` is not a phone number, or nil.
    static func problem(_ text: String) -> String? {
        let allowed = Set("0123456789 +()-/")
        if let bad = text.first(where: { !allowed.contains($0) }) {
            return "may contain only digits, spaces, '+', parentheses, '-' and '/' (not '\(bad)')"
        }
        if text.dropFirst().contains("+") { return "may have '+' only at the start" }
        if text.filter(\.isASCIIDigit).count < 3 { return "must have at least 3 digits" }
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 || depth > 1 { return "has unbalanced parentheses" }
        }
        return depth == 0 ? nil : "has unbalanced parentheses"
    }
}

/// Links to web pages from programme.yml (`contact.url`, `milestones.url`).
enum WebURL {
    /// Why `text` is not an absolute http(s) URL without user info, or nil.
    static func problem(_ text: String) -> String? {
        let message = "must be an absolute http:// or https:// URL such as https://example.org/anmeldung"
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" && $0 != "<" && $0 != ">" && $0 != "\\" }),
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return message }
        guard let host = components.host, !host.isEmpty else { return message }
        if components.user != nil || components.password != nil {
            return "must not contain a user name or password (user@host)"
        }
        return nil
    }
}

/// The `timezone` key: an IANA zone name as the system's tz database knows it.
enum TimeZoneName {
    /// Why `name` is not accepted, or nil. Accepted: an Area/Location name the system's tz database knows (Foundation
    /// gives it back unchanged), and `UTC`/`GMT`. Foundation also accepts offsets (`GMT+1`) and abbreviations (`PST`,
    /// `EST`); they carry no summer-time rules a calendar can use, so they are refused.
    static func problem(_ name: String) -> String? {
        if name == "UTC" || name == "GMT" { return nil }
        if name.contains("/"), let zone = TimeZone(identifier: name), zone.identifier == name { return nil }
        var message =
            "'timezone' must be an IANA time zone name (Area/City as in the tz database, e.g. Europe/Zurich, Europe/Berlin, Europe/Paris, Europe/Rome, Europe/London, or UTC), found '\(name)'"
        if let suggestion = suggestion(for: name) { message += "; did you mean '\(suggestion)'?" }
        return message
    }

    /// A known zone whose name differs from `name` only in case, accents, spaces or the area (`Zürich` → `Europe/Zurich`).
    static func suggestion(for name: String) -> String? {
        func folded(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).replacingOccurrences(of: " ", with: "_")
        }
        let wanted = folded(name)
        let known = TimeZone.knownTimeZoneIdentifiers.sorted()
        if let match = known.first(where: { folded($0) == wanted }) { return match }
        let city = wanted.split(separator: "/").last.map(String.init) ?? wanted
        return known.first { folded($0).split(separator: "/").last.map(String.init) == city }
    }
}

/// Participant ids, tandem ids and page slugs: `[a-z0-9][a-z0-9-]*`.
func isSlug(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 100 else { return false }
    func allowed(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
    return allowed(first) && text.unicodeScalars.allSatisfy { allowed($0) || $0 == "-" }
}

/// A deliberately simple e-mail check: one `@`, no spaces, quotes, angle brackets or line breaks (they would break headers).
enum EmailAddress {
    static func isValid(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            // Printable ASCII without spaces (as almost every address is): the same checks on bytes.
            let bytes = text.utf8
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > bytes.startIndex else { return false }
            let domain = bytes[bytes.index(after: at)...]
            guard !domain.contains(UInt8(ascii: "@")), domain.contains(UInt8(ascii: ".")), domain.first != UInt8(ascii: "."),
                domain.last != UInt8(ascii: ".")
            else { return false }
            return !bytes.contains { byte in
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                    UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"):
                    return true
                default: return false
                }
            }
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !"\"<>()[],;:\\".unicodeScalars.contains($0) }
    }
}

/// The handout's paper: A4 unless programme.yml says `print.format: a5`.
public enum PaperFormat: String, Sendable {
    case a4
    case a5
}

/// `print:` in programme.yml, a Tandem extension of SPEC v2 (docs/content.md).
public struct PrintSettings: Sendable {
    public var format = PaperFormat.a4
    /// The date of the milestone the handout presents as the symposium; nil: the rule in `Programme.symposium`.
    public var symposium: Day?
    var symposiumLine: Int?
}
