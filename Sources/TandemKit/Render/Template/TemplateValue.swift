/// A value a Mustache template can show: text, a number, a flag, a list or a map of named values.
///
/// Renderers build contexts as `[String: Any]` (readable literals); `Theme` converts them once per page into this
/// tree, so that rendering needs no dynamic casts. A `TemplateValue` placed inside a context (the UI strings, say)
/// is taken as it is.
public enum TemplateValue: Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([TemplateValue])
    case map(TemplateMap)
    case null

    /// Converts a context built from Swift values. With `scrub`, every text loses its e-mail addresses (SPEC rule 2).
    init(_ value: Any, scrub: Bool) {
        switch value {
        case let text as String: self = .text(scrub ? PublicText.scrub(text) : text)
        case let flag as Bool: self = .flag(flag)
        case let map as [String: Any]: self = .map(TemplateMap(map.mapValues { TemplateValue($0, scrub: scrub) }))
        case let list as [[String: Any]]: self = .list(list.map { .map(TemplateMap($0.mapValues { TemplateValue($0, scrub: scrub) })) })
        case let list as [String]: self = .list(list.map { .text(scrub ? PublicText.scrub($0) : $0) })
        case let number as Int: self = .number(number)
        case let value as TemplateValue: self = value
        case let list as [Any]: self = .list(list.map { TemplateValue($0, scrub: scrub) })
        case let text as Substring: self = .text(scrub ? PublicText.scrub(String(text)) : String(text))
        case let optional as AnyOptional: self = optional.wrapped.map { TemplateValue($0, scrub: scrub) } ?? .null
        default:
            let text = String(describing: value)
            self = .text(scrub ? PublicText.scrub(text) : text)
        }
    }

    /// True unless the value is `false`, null or an empty list (Mustache's rule for opening a section).
    var isFalsy: Bool {
        switch self {
        case .flag(let flag): return !flag
        case .null: return true
        case .list(let items): return items.isEmpty
        default: return false
        }
    }

    /// The value named `name` when this is a map.
    @inline(__always) func child(_ name: TemplateKey) -> TemplateValue? {
        if case .map(let map) = self { return map[name] }
        return nil
    }

    /// What `{{name}}` shows before escaping: texts as they are, numbers in digits, flags as `true`/`false`.
    var renderedText: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return String(number)
        case .flag(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .list(let items): return "[" + items.map(\.renderedText).joined(separator: ", ") + "]"
        case .map: return ""
        }
    }

    /// Applies a transform such as `empty(list)` or `count(list)`: the same names as swift-mustache offers.
    func transform(_ name: String) -> TemplateValue? {
        switch self {
        case .text(let text):
            switch name {
            case "empty": return .flag(text.isEmpty)
            case "capitalized": return .text(text.capitalized)
            case "lowercased": return .text(text.lowercased())
            case "uppercased": return .text(text.uppercased())
            case "reversed": return .text(String(text.reversed()))
            default: return nil
            }
        case .number(let number):
            switch name {
            case "equalzero": return .flag(number == 0)
            case "plusone": return .number(number + 1)
            case "minusone": return .number(number - 1)
            case "even": return .flag(number & 1 == 0)
            case "odd": return .flag(number & 1 == 1)
            default: return nil
            }
        case .list(let items):
            switch name {
            case "first": return items.first ?? .null
            case "last": return items.last ?? .null
            case "reversed": return .list(items.reversed())
            case "count": return .number(items.count)
            case "empty": return .flag(items.isEmpty)
            case "sorted":
                if let texts = items.textsIfAll { return .list(texts.sorted().map { .text($0) }) }
                return nil
            default: return nil
            }
        case .map(let map):
            let entries = map.sortedEntries.map { entry in
                var pair = TemplateMap(minimumCapacity: 2)
                pair["key"] = .text(entry.key)
                pair["value"] = entry.value
                return TemplateValue.map(pair)
            }
            switch name {
            case "count": return .number(map.count)
            case "empty": return .flag(map.isEmpty)
            case "enumerated", "sorted": return .list(entries)
            default: return nil
            }
        case .flag, .null:
            return nil
        }
    }
}

extension Array where Element == TemplateValue {
    fileprivate var textsIfAll: [String]? {
        var texts: [String] = []
        for item in self {
            guard case .text(let text) = item else { return nil }
            texts.append(text)
        }
        return texts
    }
}

/// Lets a context hold optionals (`"position": person.position as Any`); `nil` becomes `.null`.
protocol AnyOptional {
    var wrapped: Any? { get }
}

extension Optional: AnyOptional {
    var wrapped: Any? {
        switch self {
        case .some(let value): return value
        case .none: return nil
        }
    }
}
