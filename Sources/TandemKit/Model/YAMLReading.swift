/// Typed reads of YAML values that report a positioned diagnostic when the value has the wrong type.
struct YAMLReader {
    var diagnostics = Diagnostics()

    mutating func error(_ value: YAMLValue, _ message: String) {
        diagnostics.error(value.path, line: value.line, column: value.column, message)
    }

    mutating func string(_ value: YAMLValue, _ key: String) -> String? {
        guard let text = value.scalarText else {
            error(value, "'\(key)' must be a text, not a list or mapping")
            return nil
        }
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty {
            error(value, "'\(key)' must not be empty")
            return nil
        }
        return trimmed
    }

    /// A single line of text (names, titles, quotes): line breaks are not allowed.
    mutating func line(_ value: YAMLValue, _ key: String) -> String? {
        guard let text = string(value, key) else { return nil }
        if text.containsLineBreak {
            error(value, "'\(key)' must be a single line")
            return nil
        }
        return text
    }

    mutating func int(_ value: YAMLValue, _ key: String, range: ClosedRange<Int>) -> Int? {
        guard let text = value.scalarText, let number = Int(text.trimmingWhitespace) else {
            error(value, "'\(key)' must be a whole number, found '\(value.scalarText ?? "a list or mapping")'")
            return nil
        }
        guard range.contains(number) else {
            error(value, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
            return nil
        }
        return number
    }

    mutating func number(_ value: YAMLValue, _ key: String) -> Double? {
        guard let text = value.scalarText, let number = Double(text.trimmingWhitespace), number.isFinite, number >= 0 else {
            error(value, "'\(key)' must be a number of at least 0")
            return nil
        }
        return number
    }

    mutating func day(_ value: YAMLValue, _ key: String) -> Day? {
        guard let text = value.scalarText, let day = Day(iso: text.trimmingWhitespace) else {
            error(
                value, "'\(key)' must be a date written YYYY-MM-DD (years 0001 to 9998), found '\(value.scalarText ?? "a list or mapping")'"
            )
            return nil
        }
        return day
    }

    mutating func entries(_ value: YAMLValue, _ key: String) -> [(key: String, keyLine: Int?, keyColumn: Int?, value: YAMLValue)]? {
        guard let entries = value.entries else {
            error(value, "'\(key)' must be a mapping (key: value lines)")
            return nil
        }
        return entries
    }

    mutating func items(_ value: YAMLValue, _ key: String) -> [YAMLValue]? {
        guard let items = value.items else {
            error(value, "'\(key)' must be a list")
            return nil
        }
        return items
    }

    /// A string, or a map of language code to string (`{de: ..., fr: ...}`); one line unless `multiline`.
    mutating func localized(_ value: YAMLValue, _ key: String, main: String, languages: [String], multiline: Bool = false) -> LocalizedText?
    {
        if let entries = value.entries {
            var values: [String: String] = [:]
            for entry in entries {
                guard supportedLanguages.contains(entry.key) else {
                    diagnostics.error(
                        value.path, line: entry.keyLine, column: entry.keyColumn,
                        "'\(key)': '\(entry.key)' is not a language (use \(supportedLanguages.joined(separator: ", ")))")
                    continue
                }
                if !languages.contains(entry.key) {
                    diagnostics.warning(
                        value.path, line: entry.keyLine, column: entry.keyColumn,
                        "'\(key)': '\(entry.key)' is not one of the programme's languages and is not published")
                }
                let text = multiline ? string(entry.value, "\(key).\(entry.key)") : line(entry.value, "\(key).\(entry.key)")
                if let text { values[entry.key] = text }
            }
            guard !values.isEmpty else {
                if entries.isEmpty { error(value, "'\(key)' must not be empty") }
                return nil
            }
            if values[main] == nil {
                diagnostics.warning(
                    value.path, line: value.line, column: value.column, "'\(key)' has no text in the main language '\(main)'")
            }
            return LocalizedText(values: values, main: main)
        }
        guard let text = multiline ? string(value, key) : line(value, key) else { return nil }
        return LocalizedText(values: [main: text], main: main)
    }
}
