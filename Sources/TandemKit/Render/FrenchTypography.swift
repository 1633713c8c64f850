/// French punctuation spacing (DESIGN.md, fr-CH): a narrow no-break space (U+202F) before `: ; ? !` and inside
/// « ». Applied to every French text the theme writes (its strings files), so a translator may type "Points forts:"
/// or "Points forts :" and the page shows "Points forts :" with a space that never breaks the line before the colon.
enum FrenchTypography {
    static let narrowSpace: Unicode.Scalar = "\u{202F}"

    /// The text with French spacing. A colon between two non-spaces ("14:30", "{a}:{b}") is left alone.
    static func apply(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ":;?!«»".unicodeScalars.contains($0) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            let next = i + 1 < scalars.count ? scalars[i + 1] : nil
            switch scalar {
            case ":", ";", "?", "!", "»":
                let isColonInWord = scalar == ":" && next.map { !isSpace($0) } ?? false
                if !isColonInWord, let last = out.last {
                    if last == " " || last == "\u{A0}" {
                        out.removeLast()
                        out.append(narrowSpace)
                    } else if last != narrowSpace && !isSpace(last) && !":;?!".unicodeScalars.contains(last) {
                        out.append(narrowSpace)
                    }
                }
                out.append(scalar)
            case "«":
                out.append(scalar)
                if let next, !isSpace(next) { out.append(narrowSpace) }
            case " " where out.last == "«", "\u{A0}" where out.last == "«":
                out.append(narrowSpace)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Every text in a strings file's values (nested maps and lists too).
    static func apply(toValues value: Any) -> Any {
        if let text = value as? String { return apply(text) }
        if let map = value as? [String: Any] { return map.mapValues { apply(toValues: $0) } }
        if let list = value as? [Any] { return list.map { apply(toValues: $0) } }
        return value
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\u{A0}" || scalar == narrowSpace || scalar == "\n" || scalar == "\t"
    }
}
