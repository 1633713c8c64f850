import Foundation

struct RatingProblem: Error {
    let message: String
}

/// The mapping file of `tandem import feedback --map`: which column of the export is what (see docs/spreadsheets.md).
///
///     email: "E-Mail"
///     date: "Fertigstellungszeit"
///     date_order: day-first            # or month-first, for dates like 05/12/2026 of US exports
///     ratings:
///       zusammenarbeit: "Wie zufrieden sind Sie mit der Zusammenarbeit?"
///       lernen:
///         column: "Wie viel haben Sie gelernt?"
///         read: number-in-text         # "4 – eher gut", "Sehr gut (5)"
///       nutzen:
///         column: "Wie nützlich waren die Treffen?"
///         values: {"sehr nützlich": 5, "nützlich": 4, "teils, teils": 3, "wenig": 2, "gar nicht": 1}
///     comment: "Was möchten Sie uns mitteilen?"
///     consent:
///       column: "Darf Ihr Kommentar anonym veröffentlicht werden?"
///       yes: ["Ja", "Ja, gerne"]       # optional: answers that mean yes (default: those starting with ja, oui, sì, yes)
struct ImportMapping {
    struct Rating {
        var question: String
        var column: Int
        /// Answer texts (compared without case and surrounding space) and their ratings.
        var values: [String: Int] = [:]
        /// The answer is a text with one whole number in it.
        var numberInText = false

        func read(_ answer: String, scale: Int) -> Result<Int, RatingProblem> {
            let value: Int
            if let mapped = values[SurveyExport.normalized(answer)] {
                value = mapped
            } else if let number = Int(answer) ?? Double(answer).flatMap({ $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil }) {
                value = number
            } else if numberInText {
                let numbers = answer.split(whereSeparator: { !$0.isASCIIDigit }).filter { $0.count <= 9 }.compactMap { Int($0) }
                guard numbers.count == 1, let number = numbers.first else {
                    return .failure(
                        RatingProblem(message: "'\(TextChecks.excerpt(answer))' has \(numbers.isEmpty ? "no" : "more than one") number"))
                }
                value = number
            } else {
                let hint =
                    values.isEmpty
                    ? " (the mapping can read such answers: 'read: number-in-text' or 'values:')" : " (not one of the mapping's values)"
                return .failure(RatingProblem(message: "'\(TextChecks.excerpt(answer))' is not a whole number\(hint)"))
            }
            guard (1...scale).contains(value) else {
                return .failure(RatingProblem(message: "\(value) is outside the scale 1 to \(scale)"))
            }
            return .success(value)
        }
    }

    struct Consent {
        var column: Int
        var yes: [String]?

        /// Whether the answer is a yes: one of the mapping's `yes` answers, or else one starting with a yes word.
        func allows(_ answer: String) -> Bool {
            let normalized = SurveyExport.normalized(answer)
            if let yes { return yes.contains { SurveyExport.normalized($0) == normalized } }
            return SurveyColumns.yes.contains { word in
                guard normalized.hasPrefix(word) else { return false }
                let rest = normalized.dropFirst(word.count)
                return rest.first.map { !$0.isLetter } ?? true
            }
        }
    }

    var email: Int?
    var date: Int?
    var monthFirst = false
    var ratings: [Rating] = []
    var comment: Int?
    var consent: Consent?

    static let keys = ["email", "date", "date_order", "ratings", "comment", "consent"]

    static func parse(_ text: String, path: String, export: SurveyExport, programme: Programme, diagnostics: inout Diagnostics)
        -> ImportMapping?
    {
        var local = Diagnostics()
        guard let yaml = YAMLDocument.parse(text, path: path, diagnostics: &local) else {
            diagnostics.append(contentsOf: local)
            if !local.hasErrors { diagnostics.error(path, line: 1, "the mapping file is empty") }
            return nil
        }
        guard let entries = yaml.entries else {
            diagnostics.append(contentsOf: local)
            diagnostics.error(
                path, line: yaml.line ?? 1, "the mapping file must be a mapping of keys to values (email, ratings, comment, consent ...)")
            return nil
        }
        var mapping = ImportMapping()
        func error(_ value: YAMLValue, _ message: String) { local.error(path, line: value.line, column: value.column, message) }
        func column(_ value: YAMLValue, _ key: String) -> Int? {
            guard let name = value.scalarText?.trimmingWhitespace, !name.isEmpty else {
                error(value, "'\(key)' must name a column of the export")
                return nil
            }
            guard let index = export.column(name) else {
                error(
                    value,
                    "'\(key)': the export has no column '\(TextChecks.excerpt(name, limit: 80))' (its columns: \(export.columns.filter { !$0.isEmpty }.map { "'\(TextChecks.excerpt($0, limit: 60))'" }.joined(separator: ", ")))"
                )
                return nil
            }
            return index
        }
        let questionIDs = programme.questions.map(\.id)
        for (key, keyLine, keyColumn, value) in entries {
            switch key {
            case "email": mapping.email = column(value, key)
            case "date": mapping.date = column(value, key)
            case "comment": mapping.comment = column(value, key)
            case "date_order":
                switch value.scalarText?.trimmingWhitespace {
                case "day-first": mapping.monthFirst = false
                case "month-first": mapping.monthFirst = true
                default: error(value, "'date_order' must be 'day-first' or 'month-first'")
                }
            case "ratings":
                guard let questions = value.entries else {
                    error(value, "'ratings' must map question ids of programme.yml (feedback.questions) to columns")
                    continue
                }
                for (question, line, columnNumber, spec) in questions {
                    guard questionIDs.contains(question) else {
                        local.error(
                            path, line: line, column: columnNumber,
                            "'\(question)' is not a question of programme.yml (feedback.questions: \(questionIDs.isEmpty ? "none" : questionIDs.joined(separator: ", ")))"
                        )
                        continue
                    }
                    if spec.scalarText != nil {
                        if let index = column(spec, "ratings.\(question)") {
                            mapping.ratings.append(Rating(question: question, column: index))
                        }
                        continue
                    }
                    guard let fields = spec.entries else {
                        error(spec, "'ratings.\(question)' must be a column name or a mapping with 'column'")
                        continue
                    }
                    guard let columnValue = fields.first(where: { $0.key == "column" })?.value else {
                        error(spec, "'ratings.\(question)' needs 'column'")
                        continue
                    }
                    guard let index = column(columnValue, "ratings.\(question).column") else { continue }
                    var rating = Rating(question: question, column: index)
                    for (field, _, _, fieldValue) in fields where field != "column" {
                        switch field {
                        case "read":
                            switch fieldValue.scalarText?.trimmingWhitespace {
                            case "number": rating.numberInText = false
                            case "number-in-text": rating.numberInText = true
                            default: error(fieldValue, "'read' must be 'number' or 'number-in-text'")
                            }
                        case "values":
                            guard let pairs = fieldValue.entries else {
                                error(fieldValue, "'values' must map answer texts to ratings")
                                continue
                            }
                            for (answer, _, _, number) in pairs {
                                guard let n = number.scalarText.flatMap({ Int($0.trimmingWhitespace) }),
                                    (1...programme.feedbackScale).contains(n)
                                else {
                                    error(number, "the rating of '\(answer)' must be a whole number from 1 to \(programme.feedbackScale)")
                                    continue
                                }
                                rating.values[SurveyExport.normalized(answer)] = n
                            }
                        default:
                            error(fieldValue, "unknown key '\(field)' (known: column, read, values)")
                        }
                    }
                    mapping.ratings.append(rating)
                }
            case "consent":
                if value.scalarText != nil {
                    if let index = column(value, key) { mapping.consent = Consent(column: index) }
                    continue
                }
                guard let fields = value.entries, let columnValue = fields.first(where: { $0.key == "column" })?.value else {
                    error(value, "'consent' must be a column name or a mapping with 'column' (and 'yes')")
                    continue
                }
                guard let index = column(columnValue, "consent.column") else { continue }
                var consent = Consent(column: index)
                for (field, _, _, fieldValue) in fields where field != "column" {
                    if field == "yes" {
                        let answers = fieldValue.items?.compactMap(\.scalarText) ?? fieldValue.scalarText.map { [$0] }
                        if answers?.isEmpty ?? true { error(fieldValue, "'yes' must list the answers that mean yes") }
                        consent.yes = answers
                    } else {
                        error(fieldValue, "unknown key '\(field)' (known: column, yes)")
                    }
                }
                mapping.consent = consent
            default:
                local.error(path, line: keyLine, column: keyColumn, "unknown key '\(key)' (known: \(keys.joined(separator: ", ")))")
            }
        }
        diagnostics.append(contentsOf: local)
        return local.hasErrors ? nil : mapping
    }

    /// Fills in what the mapping did not name: the e-mail and date columns Microsoft Forms and Google Forms write, and,
    /// when no rating is mapped, the columns named exactly like a question of programme.yml (in any of its languages).
    mutating func recognise(export: SurveyExport, programme: Programme) {
        if email == nil { email = export.firstColumn(SurveyColumns.email) }
        if date == nil { date = export.firstColumn(SurveyColumns.date) }
        if ratings.isEmpty {
            for question in programme.questions {
                let texts = question.text.values.values.sorted()
                if let index = export.firstColumn(texts) { ratings.append(Rating(question: question.id, column: index)) }
            }
        }
    }
}
