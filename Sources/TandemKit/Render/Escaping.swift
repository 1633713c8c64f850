/// Escaping for the contexts Tandem writes outside Mustache's HTML escaping.
public enum Escape {
    /// Text for HTML element content and double-quoted attributes.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// XML text (sitemap).
    static func xml(_ text: String) -> String { html(text) }

    /// Percent-encodes each segment of a relative path so any file name is a valid URL path.
    static func urlPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            var out = ""
            for byte in segment.utf8 {
                let c = Character(Unicode.Scalar(byte))
                if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                    out.append(c)
                } else {
                    out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
                }
            }
            return out
        }.joined(separator: "/")
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Removes e-mail addresses from every text of a template context (SPEC rule 2).
enum PublicText {
    static func scrub(_ value: Any) -> Any {
        switch value {
        case let text as String:
            return scrub(text)
        case let map as [String: Any]:
            return map.mapValues(scrub)
        case let list as [[String: Any]]:
            return list.map { $0.mapValues(scrub) }
        case let list as [String]:
            return list.map(scrub)
        case let list as [Any]:
            return list.map(scrub)
        default:
            return value
        }
    }

    static func scrub(_ text: String) -> String {
        guard text.utf8.contains(0x40) else { return text }
        return Markdown.redactEmailAddresses(text).0
    }

    /// Returns `context` untouched (no copy) unless some text in it contains an `@`.
    static func scrub(_ context: [String: Any]) -> [String: Any] {
        guard context.values.contains(where: containsAt) else { return context }
        return context.mapValues(scrub)
    }

    /// True when any text in `value` (recursively) contains `@`: the cheap check before copying anything.
    static func containsAt(_ value: Any) -> Bool {
        switch value {
        case let text as String: return text.utf8.contains(0x40)
        case let map as [String: Any]: return map.values.contains(where: containsAt)
        case let list as [[String: Any]]: return list.contains { $0.values.contains(where: containsAt) }
        case let list as [String]: return list.contains { $0.utf8.contains(0x40) }
        case let list as [Any]: return list.contains(where: containsAt)
        default: return false
        }
    }
}
