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
    var referenceDate: Day?
    var feedbackScale = 5
    var questions: [FeedbackQuestion] = []
    /// Lines of `matching.lock`/`avoid` entries, for messages once the roster is known.
    var preferenceLines: [PairPreference: (path: String, line: Int?)] = [:]

    static let knownKeys: Set<String> = [
        "title", "organiser", "language", "languages", "base_url", "start", "end", "rules", "contact", "matching",
        "anonymity_threshold", "milestones", "reference_date", "feedback",
    ]

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
            var name: String?
            var email: String?
            for entry in contact {
                switch entry.key {
                case "name": name = reader.line(entry.value, "contact.name")
                case "email":
                    if let text = reader.line(entry.value, "contact.email") {
                        if EmailAddress.isValid(text) {
                            email = text
                        } else {
                            reader.error(entry.value, "'contact.email' is not an e-mail address: '\(text)'")
                        }
                    }
                default:
                    reader.diagnostics.warning(
                        path, line: entry.keyLine, column: entry.keyColumn, "unknown key 'contact.\(entry.key)' is ignored")
                }
            }
            if let name {
                settings.contact = Contact(name: name, email: email)
            } else if !contact.contains(where: { $0.key == "name" }) {
                reader.error(value, "'contact' needs a 'name'")
            }
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
                guard let fields = reader.entries(item, "milestones") else { continue }
                var date: Day?
                var title: LocalizedText?
                var location: LocalizedText?
                var description: LocalizedText?
                for field in fields {
                    switch field.key {
                    case "date": date = reader.day(field.value, "milestones.date")
                    case "title": title = reader.localized(field.value, "milestones.title", main: main, languages: languages)
                    case "location": location = reader.localized(field.value, "milestones.location", main: main, languages: languages)
                    case "description":
                        description = reader.localizedParagraph(field.value, "milestones.description", main: main, languages: languages)
                    default:
                        reader.diagnostics.warning(
                            path, line: field.keyLine, column: field.keyColumn, "unknown key 'milestones.\(field.key)' is ignored")
                    }
                }
                if !fields.contains(where: { $0.key == "date" }) { reader.error(item, "a milestone needs a 'date'") }
                if !fields.contains(where: { $0.key == "title" }) { reader.error(item, "a milestone needs a 'title'") }
                if let date, let title {
                    settings.milestones.append(
                        Milestone(date: date, title: title, location: location, description: description, index: index))
                }
            }
            settings.milestones.sort { ($0.date, $0.index) < ($1.date, $1.index) }
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
}

extension YAMLReader {
    /// Like `localized`, but the text may span several lines.
    mutating func localizedParagraph(_ value: YAMLValue, _ key: String, main: String, languages: [String]) -> LocalizedText? {
        if let entries = value.entries {
            var values: [String: String] = [:]
            for entry in entries where supportedLanguages.contains(entry.key) {
                if let text = string(entry.value, "\(key).\(entry.key)") { values[entry.key] = text }
            }
            for entry in entries where !supportedLanguages.contains(entry.key) {
                diagnostics.error(value.path, line: entry.keyLine, column: entry.keyColumn, "'\(key)': '\(entry.key)' is not a language")
            }
            return values.isEmpty ? nil : LocalizedText(values: values, main: main)
        }
        return string(value, key).map { LocalizedText(values: [main: $0], main: main) }
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
