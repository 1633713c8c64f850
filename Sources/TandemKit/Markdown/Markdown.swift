import CCmark
import Foundation

/// Markdown turned into safe HTML by cmark.
public struct RenderedMarkdown: Sendable, Hashable {
    /// The whole body as HTML.
    public var html: String
    /// The first paragraph as HTML (for teasers), empty when there is none.
    public var summary: String
    /// The text without markup (for plain-text e-mails and search).
    public var plainText: String
    /// Ids given to the headings, in document order.
    public var headingIDs: [String]
    /// How many e-mail addresses were removed (public text never carries one).
    public var removedEmailAddresses = 0

    public static let empty = RenderedMarkdown(html: "", summary: "", plainText: "", headingIDs: [])
}

/// Renders CommonMark with cmark in safe mode: raw HTML is dropped, `javascript:` and similar links are emptied,
/// quotes and dashes are typographic, headings get stable ids and move one level down (the page has its own h1).
public enum Markdown {
    /// Renders `source`; with a `language`, double quotation marks follow its typography
    /// (de „…“, fr « … » with narrow no-break spaces, it «…», en “…”).
    public static func render(_ source: String, language: String? = nil) -> RenderedMarkdown {
        let options = CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8
        let utf8 = Array(source.utf8)
        guard let document = utf8.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, options)
                }
            } ?? cmark_parse_document("", 0, options)
        }) else { return .empty }
        defer { cmark_node_free(document) }
        let removed = removeEmailAddresses(document)
        if let language { localiseQuotes(document, language: language) }

        var headingTexts: [String] = []
        var plain = ""
        var firstParagraph: OpaquePointer?
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        var headingDepth = 0
        var currentHeading = ""
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch type {
            case CMARK_NODE_HEADING:
                if event == CMARK_EVENT_ENTER {
                    headingDepth += 1
                    currentHeading = ""
                    cmark_node_set_heading_level(node, min(6, cmark_node_get_heading_level(node) + 1))
                } else {
                    headingDepth -= 1
                    headingTexts.append(currentHeading)
                    plain += "\n\n"
                }
            case CMARK_NODE_PARAGRAPH:
                if event == CMARK_EVENT_ENTER, firstParagraph == nil, cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT {
                    firstParagraph = node
                }
                if event == CMARK_EVENT_EXIT { plain += "\n\n" }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                plain += literal
                if headingDepth > 0 { currentHeading += literal }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                plain += "\n"
                if headingDepth > 0 { currentHeading += " " }
            case CMARK_NODE_ITEM:
                if event == CMARK_EVENT_ENTER { plain += "- " } else { plain += "\n" }
            default: break
            }
        }

        var html = renderHTML(document)
        let ids = uniqueSlugs(headingTexts)
        html = addHeadingIDs(html, ids: ids)
        let summary = firstParagraph.map { renderHTML($0) } ?? ""
        return RenderedMarkdown(
            html: html, summary: summary, plainText: collapseBlankLines(plain), headingIDs: ids, removedEmailAddresses: removed)
    }

    /// Opening and closing double quotation marks per language; cmark's smart punctuation writes “ and ”.
    static let quotationMarks: [String: (open: String, close: String)] = [
        "de": ("\u{201E}", "\u{201C}"), "fr": ("\u{00AB}\u{202F}", "\u{202F}\u{00BB}"), "it": ("\u{00AB}", "\u{00BB}"),
    ]

    /// Rewrites cmark's “ ” in text nodes to the language's quotation marks. Single quotes stay as they are:
    /// cmark cannot tell a closing ’ from an apostrophe.
    private static func localiseQuotes(_ document: OpaquePointer, language: String) {
        guard let marks = quotationMarks[language] else { return }
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_TEXT,
                let literal = cmark_node_get_literal(node)
            else { continue }
            let text = String(cString: literal)
            guard text.contains("\u{201C}") || text.contains("\u{201D}") else { continue }
            let localised = text.replacingAll("\u{201C}", with: "\u{0}").replacingAll("\u{201D}", with: marks.close)
                .replacingAll("\u{0}", with: marks.open)
            cmark_node_set_literal(node, localised)
        }
    }

    /// Unlinks `mailto:` links and replaces e-mail addresses in text with `[…]`. Returns how many were removed.
    private static func removeEmailAddresses(_ document: OpaquePointer) -> Int {
        var mailLinks: [OpaquePointer] = []
        var texts: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_LINK:
                if let url = cmark_node_get_url(node), String(cString: url).lowercased().hasPrefix("mailto:") {
                    mailLinks.append(node)
                }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(node), strchr(literal, 0x40) != nil { texts.append(node) }
            default: break
            }
        }
        cmark_iter_free(iterator)
        var removed = 0
        for link in mailLinks {
            while let child = cmark_node_first_child(link) { cmark_node_insert_before(link, child) }
            cmark_node_free(link)
            removed += 1
        }
        for node in texts {
            guard let literal = cmark_node_get_literal(node) else { continue }
            let text = String(cString: literal)
            let (clean, count) = redactEmailAddresses(text)
            if count > 0 {
                cmark_node_set_literal(node, clean)
                removed += count
            }
        }
        return removed
    }

    /// Replaces every `local@domain.tld` in `text` with `[…]`.
    static func redactEmailAddresses(_ text: String) -> (String, Int) {
        guard text.contains("@") else { return (text, 0) }
        let scalars = Array(text.unicodeScalars)
        func isLocal(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "._%+-".unicodeScalars.contains(s)) }
        func isDomain(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-") }
        var out = String.UnicodeScalarView()
        var count = 0
        var i = 0
        var copied = 0
        while i < scalars.count {
            if scalars[i] == "@" {
                var start = i
                while start > copied, isLocal(scalars[start - 1]) { start -= 1 }
                var end = i + 1
                while end < scalars.count, isDomain(scalars[end]) { end += 1 }
                while end > i + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
                let domain = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                let parts = domain.split(separator: ".")
                if start < i, parts.count >= 2, let tld = parts.last, tld.count >= 2, tld.allSatisfy(\.isLetter) {
                    out.append(contentsOf: scalars[copied..<start])
                    out.append(contentsOf: "[…]".unicodeScalars)
                    copied = end
                    count += 1
                    i = end
                    continue
                }
            }
            i += 1
        }
        out.append(contentsOf: scalars[copied...])
        return (String(out), count)
    }

    private static func renderHTML(_ node: OpaquePointer) -> String {
        guard let raw = cmark_render_html(node, CMARK_OPT_SMART) else { return "" }
        defer { free(raw) }
        return String(cString: raw).replacingAll("<!-- raw HTML omitted -->", with: "")
    }

    /// Inserts `id="..."` into the n-th `<hN>` tag. With raw HTML dropped and text escaped, every `<hN>` in cmark's
    /// output is a heading node, so the tags and the ids line up in document order.
    private static func addHeadingIDs(_ html: String, ids: [String]) -> String {
        guard !ids.isEmpty else { return html }
        var result = ""
        result.reserveCapacity(html.utf8.count + ids.count * 16)
        var rest = html[...]
        var next = 0
        while next < ids.count, let range = rest.range(of: "<h") {
            let after = rest[range.upperBound...]
            if let level = after.first, ("1"..."6").contains(level), after.dropFirst().first == ">" {
                result += rest[..<range.upperBound]
                result += "\(level) id=\"\(ids[next])\">"
                next += 1
                rest = after.dropFirst(2)
            } else {
                result += rest[..<range.upperBound]
                rest = after
            }
        }
        result += rest
        return result
    }

    /// Slugs for headings, made unique with `-2`, `-3` ...
    static func uniqueSlugs(_ texts: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return texts.map { text in
            let base = slugify(text).isEmpty ? "abschnitt" : slugify(text)
            let count = (seen[base] ?? 0) + 1
            seen[base] = count
            return count == 1 ? base : "\(base)-\(count)"
        }
    }

    private static func collapseBlankLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingSuffix(while: { $0 == " " }) }
            .split(separator: "", omittingEmptySubsequences: true)
            .map { $0.joined(separator: "\n") }
            .joined(separator: "\n\n")
    }
}

/// A URL- and id-safe slug: ASCII letters and digits joined by `-` (umlauts become `ae`, `oe`, `ue`).
public func slugify(_ text: String) -> String {
    var out = ""
    var pendingDash = false
    for character in text.lowercased() {
        let mapped: String
        switch character {
        case "ä": mapped = "ae"
        case "ö": mapped = "oe"
        case "ü": mapped = "ue"
        case "ß": mapped = "ss"
        default:
            let folded = String(character).decomposedStringWithCanonicalMappingASCII
            mapped = folded
        }
        for scalar in mapped.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
    }
    return out
}

extension String {
    /// The ASCII letters left after removing accents (é → e); other characters are dropped.
    var decomposedStringWithCanonicalMappingASCII: String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar.isASCII {
                result.unicodeScalars.append(scalar)
            } else if let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first, base.isASCII {
                result.unicodeScalars.append(base)
            } else {
                result += " "
            }
        }
        return result
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
