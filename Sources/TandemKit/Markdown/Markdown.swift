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
    /// (Swiss German and Italian «…», fr « … » with narrow no-break spaces, en “…”), as DESIGN.md and the strings say.
    public static func render(_ source: String, language: String? = nil) -> RenderedMarkdown {
        let options = CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8
        func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> OpaquePointer? {
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parse_document($0, buffer.count, options) }
            } ?? cmark_parse_document("", 0, options)
        }
        var (source, splitAddresses) = redactMarkupSplitAddresses(source)
        guard let document = source.withUTF8(parse) else { return .empty }
        defer { cmark_node_free(document) }

        // One walk over the tree does everything: e-mail addresses out of text and inline code, the language's
        // quotation marks, heading levels and texts, the plain text and the first paragraph. `mailto:` links are
        // unlinked after the walk (their text stays), as cmark allows changing the tree's shape only then.
        if PublicText.hasAt(source) { joinSplitAddresses(document) }
        let marks = language.flatMap { quotationMarks[$0] }
        var removed = splitAddresses
        var mailLinks: [OpaquePointer] = []
        var headingTexts: [String] = []
        var heading: [UInt8] = []
        var plain: [UInt8] = []
        plain.reserveCapacity(source.utf8.count)
        var firstParagraph: OpaquePointer?
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        var headingDepth = 0
        // Source levels of the open sections: a heading's level is its depth in this outline plus one (the page has the
        // h1), so a body that starts at `##` or jumps from `#` to `###` never skips a level (HTML checkers flag that).
        var openLevels: [Int32] = []
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch type {
            case CMARK_NODE_HEADING:
                if event == CMARK_EVENT_ENTER {
                    headingDepth += 1
                    heading.removeAll(keepingCapacity: true)
                    let level = cmark_node_get_heading_level(node)
                    while let last = openLevels.last, last >= level { openLevels.removeLast() }
                    openLevels.append(level)
                    cmark_node_set_heading_level(node, Int32(min(6, openLevels.count + 1)))
                } else {
                    headingDepth -= 1
                    headingTexts.append(String(decoding: heading, as: UTF8.self))
                    plain += [10, 10]
                }
            case CMARK_NODE_PARAGRAPH:
                if event == CMARK_EVENT_ENTER, firstParagraph == nil, cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT {
                    firstParagraph = node
                }
                if event == CMARK_EVENT_EXIT { plain += [10, 10] }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                guard event == CMARK_EVENT_EXIT else { continue }
                // An address in a link's target or title is in the page's source (harvesters read it) and in a
                // tooltip: such a link is unlinked as a `mailto:` one is (its text stays); an image keeps its
                // source with the address scrubbed.
                if let title = cmark_node_get_title(node), strchr(title, 0x40) != nil {
                    let (clean, count) = redactEmailAddresses(String(cString: title))
                    if count > 0 {
                        cmark_node_set_title(node, clean)
                        removed += count
                    }
                }
                guard let url = cmark_node_get_url(node) else { continue }
                if type == CMARK_NODE_LINK, hasMailtoPrefix(url) {
                    mailLinks.append(node)
                } else if strchr(url, 0x40) != nil {
                    // As written and as the HTML has it (`x<y>@…` is `x%3Cy%3E@…` there).
                    let written = String(cString: url)
                    var (clean, count) = redactEmailAddresses(written)
                    if count == 0 { (clean, count) = redactEmailAddresses(hrefEscaped(written)) }
                    if count > 0 && type == CMARK_NODE_LINK {
                        mailLinks.append(node)
                    } else if count > 0 {
                        cmark_node_set_url(node, clean)
                        removed += count
                    }
                }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                // A fenced block's info string becomes the `class` of its <code>: an address there is public too.
                if type == CMARK_NODE_CODE_BLOCK, let info = cmark_node_get_fence_info(node), strchr(info, 0x40) != nil {
                    let (clean, count) = redactEmailAddresses(String(cString: info))
                    if count > 0 {
                        cmark_node_set_fence_info(node, clean)
                        removed += count
                    }
                }
                guard var literal = cmark_node_get_literal(node) else { continue }
                if strchr(literal, 0x40) != nil {
                    let (clean, count) = redactEmailAddresses(String(cString: literal))
                    if count > 0 {
                        cmark_node_set_literal(node, clean)
                        removed += count
                        literal = cmark_node_get_literal(node)!
                    }
                }
                if type == CMARK_NODE_TEXT, let marks, strstr(literal, "\u{201C}") != nil || strstr(literal, "\u{201D}") != nil {
                    let text = String(cString: literal)
                    let localised = text.replacingAll("\u{201C}", with: "\u{0}").replacingAll("\u{201D}", with: marks.close)
                        .replacingAll("\u{0}", with: marks.open)
                    cmark_node_set_literal(node, localised)
                    literal = cmark_node_get_literal(node)!
                }
                let bytes = UnsafeRawBufferPointer(start: literal, count: strlen(literal))
                plain += bytes
                if headingDepth > 0 { heading += bytes }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                plain.append(10)
                if headingDepth > 0 { heading.append(32) }
            case CMARK_NODE_ITEM:
                if event == CMARK_EVENT_ENTER { plain += [45, 32] } else { plain.append(10) }
            default: break
            }
        }
        for link in mailLinks {
            while let child = cmark_node_first_child(link) { cmark_node_insert_before(link, child) }
            cmark_node_free(link)
            removed += 1
        }

        let ids = uniqueSlugs(headingTexts)
        let html = renderHTML(document, headingIDs: ids)
        let summary = firstParagraph.map { renderHTML($0, headingIDs: []) } ?? ""
        return RenderedMarkdown(
            html: html, summary: summary, plainText: collapseBlankLines(plain), headingIDs: ids, removedEmailAddresses: removed)
    }

    /// Addresses that inline markup splits into text nodes that are no address each, while the text a reader sees
    /// is one: `laura@[firma](x).example.ch` (a link), `laura@<b>firma</b>.example.ch` (raw HTML, which safe mode
    /// drops). A paragraph or heading whose texts, each scrubbed on its own and then joined, still hold an address
    /// becomes that one text (it loses its links and emphasis), which the walk then scrubs.
    private static func joinSplitAddresses(_ document: OpaquePointer) {
        var joins: [(block: OpaquePointer, text: String)] = []
        do {
            let iterator = cmark_iter_new(document)
            defer { cmark_iter_free(iterator) }
            var texts = 0
            var joined: [UInt8] = []
            /// The same texts, each scrubbed on its own.
            var separate: [UInt8] = []
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                    if event == CMARK_EVENT_EXIT, texts > 1, joined.contains(0x40) {
                        // The texts scrubbed one by one, then read as one: what is left is an address only the
                        // reader's joined view shows. The block becomes that text (each part already scrubbed), and
                        // the walk scrubs it as a whole.
                        let text = String(decoding: separate, as: UTF8.self)
                        if redactEmailAddresses(text).1 > 0 { joins.append((node, text)) }
                    }
                    texts = 0
                    joined.removeAll(keepingCapacity: true)
                    separate.removeAll(keepingCapacity: true)
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    guard let literal = cmark_node_get_literal(node) else { continue }
                    let bytes = UnsafeRawBufferPointer(start: literal, count: strlen(literal))
                    if strchr(literal, 0x40) != nil {
                        separate += redactEmailAddresses(String(cString: literal)).0.utf8
                    } else {
                        separate += bytes
                    }
                    texts += 1
                    joined += bytes
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    joined.append(10)
                    separate.append(10)
                default: break
                }
            }
        }
        // The tree changes after the walk, as cmark allows.
        for (block, text) in joins {
            while let child = cmark_node_first_child(block) { cmark_node_free(child) }
            guard let replacement = cmark_node_new(CMARK_NODE_TEXT) else { continue }
            cmark_node_set_literal(replacement, text)
            cmark_node_append_child(block, replacement)
        }
    }

    /// A link target percent-encoded as cmark writes it into `href` (houdini's safe characters stay).
    static func hrefEscaped(_ url: String) -> String {
        let safe = Set("-_.+!*'(),%#@?=;:/&$~".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in url.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || safe.contains(byte) {
                out.append(byte)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `mailto:` in any case.
    private static func hasMailtoPrefix(_ url: UnsafePointer<CChar>) -> Bool {
        let prefix = Array("mailto:".utf8)
        for (i, expected) in prefix.enumerated() {
            let byte = UInt8(bitPattern: url[i])
            if byte == 0 { return false }
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if lower != expected { return false }
        }
        return true
    }

    /// Opening and closing double quotation marks per language; cmark's smart punctuation writes “ and ”.
    static let quotationMarks: [String: (open: String, close: String)] = [
        "de": ("\u{00AB}", "\u{00BB}"), "fr": ("\u{00AB}\u{202F}", "\u{202F}\u{00BB}"), "it": ("\u{00AB}", "\u{00BB}"),
    ]

    /// Replaces every e-mail address in `text` with `[…]`: `local@domain.tld` with letters of any script on both sides
    /// (`laura@zürich-medien.ch`), a quoted local part (`"x"@example.ch`), an address literal (`x@[192.168.0.1]`), and
    /// addresses with invisible characters inside (a zero-width space, a soft hyphen): these are read as if absent.
    static func redactEmailAddresses(_ text: String) -> (String, Int) {
        guard text.contains("@") else { return (text, 0) }
        let direct = redactVisible(text)
        // Invisible format characters (Cf) between the parts of an address: what is left is read again without
        // them (one address may need that and another not, so both readings apply).
        guard direct.0.unicodeScalars.contains(where: isInvisible) else { return direct }
        let visible = String(String.UnicodeScalarView(direct.0.unicodeScalars.filter { !isInvisible($0) }))
        let stripped = redactVisible(visible)
        return stripped.1 > 0 ? (stripped.0, direct.1 + stripped.1) : direct
    }

    /// Zero-width and other format characters (category Cf: U+200B, U+00AD, U+2060, U+FEFF …).
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && scalar.properties.generalCategory == .format
    }

    private static func redactVisible(_ text: String) -> (String, Int) {
        let scalars = Array(text.unicodeScalars)
        func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
            s.isASCII
                ? (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s))
                : s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark
        }
        func isLocal(_ s: Unicode.Scalar) -> Bool {
            if !s.isASCII {
                if isInvisible(s) { return false }
                // RFC 6531 allows any non-ASCII character in the local part (`preis€@…`, `info™@…`); quotation
                // marks and brackets around an address are not part of it.
                switch s.properties.generalCategory {
                case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation: return false
                default: return !s.properties.isWhitespace
                }
            }
            return isAlphanumeric(s) || "._%+-!#$&'*/=?^`{|}~".unicodeScalars.contains(s)
        }
        func isDomain(_ s: Unicode.Scalar) -> Bool { isAlphanumeric(s) || s == "." || s == "-" }
        var out = String.UnicodeScalarView()
        var count = 0
        var i = 0
        var copied = 0
        while i < scalars.count {
            if scalars[i] == "@" {
                // The local part: a quoted string, or the characters an address may have (leading dots and quotes
                // of the sentence are not part of it).
                var start = i
                if start > copied, scalars[start - 1] == "\"" || scalars[start - 1] == "\u{201D}" {
                    var j = start - 2
                    while j >= copied, scalars[j] != "\"" && scalars[j] != "\u{201C}" && scalars[j] != "\u{201E}" && scalars[j] != "\n" {
                        j -= 1
                    }
                    if j >= copied, scalars[j] != "\n", j < start - 2 { start = j }
                } else {
                    while start > copied, isLocal(scalars[start - 1]) { start -= 1 }
                    while start < i, scalars[start] == "." || scalars[start] == "'" || scalars[start] == "`" { start += 1 }
                }
                var end = i + 1
                var isAddress = false
                if end < scalars.count, scalars[end] == "[" {
                    // An address literal: [192.168.0.1] or [IPv6:…].
                    var j = end + 1
                    while j < scalars.count, j - end < 64,
                        scalars[j].isASCII && (isAlphanumeric(scalars[j]) || scalars[j] == "." || scalars[j] == ":")
                    {
                        j += 1
                    }
                    if j < scalars.count, scalars[j] == "]", j > end + 1 {
                        end = j + 1
                        isAddress = start < i
                    }
                } else {
                    while end < scalars.count, isDomain(scalars[end]) { end += 1 }
                    while end > i + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
                    let domain = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                    let parts = domain.split(separator: ".")
                    if start < i, parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }), let tld = parts.last,
                        (tld.count >= 2 && tld.allSatisfy(\.isLetter)) || tld.lowercased().hasPrefix("xn--")
                    {
                        isAddress = true
                    }
                }
                if isAddress {
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

    /// Characters of Markdown syntax that can split an address into several text nodes (`laura@*firma*.example.ch`,
    /// `x@[192.168.0.1]`, `"x"@example.ch` with typographic quotes): cmark's nodes are scrubbed one by one, so a
    /// word with `@` and one of these is scrubbed in the source, before cmark reads it.
    private static let splittingMarkup: Set<Unicode.Scalar> = ["*", "_", "~", "`", "\\", "[", "]", "\"", "'"]

    /// The source with every whitespace-separated word that contains `@` and Markdown markup, and that is an e-mail
    /// address once the markup is left out, replaced by `[…]`; the number of such words.
    static func redactMarkupSplitAddresses(_ source: String) -> (String, Int) {
        guard PublicText.hasAt(source) else { return (source, 0) }
        let scalars = Array(source.unicodeScalars)
        func isBoundary(_ s: Unicode.Scalar) -> Bool {
            s.properties.isWhitespace || s == "<" || s == ">" || s == "(" || s == ")"
        }
        var out = String.UnicodeScalarView()
        var copied = 0
        var count = 0
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "@" else {
                i += 1
                continue
            }
            var start = i
            while start > copied, !isBoundary(scalars[start - 1]) { start -= 1 }
            var end = i + 1
            while end < scalars.count, !isBoundary(scalars[end]) { end += 1 }
            // Sentence punctuation after the address stays.
            while end > i + 1, ".,;:!?".unicodeScalars.contains(scalars[end - 1]) { end -= 1 }
            let word = scalars[start..<end]
            if word.contains(where: { splittingMarkup.contains($0) || isInvisible($0) }) {
                let bare = String(
                    String.UnicodeScalarView(word.filter { !splittingMarkup.contains($0) || $0 == "\"" || $0 == "[" || $0 == "]" }))
                let plain = String(String.UnicodeScalarView(word.filter { !splittingMarkup.contains($0) }))
                if redactEmailAddresses(bare).1 > 0 || redactEmailAddresses(plain).1 > 0 {
                    out.append(contentsOf: scalars[copied..<start])
                    out.append(contentsOf: "[…]".unicodeScalars)
                    copied = end
                    count += 1
                }
            }
            i = end
        }
        guard count > 0 else { return (source, 0) }
        out.append(contentsOf: scalars[copied...])
        return (String(out), count)
    }

    /// cmark's HTML for `node`, without cmark's `<!-- raw HTML omitted -->` markers and with `id="..."` in the n-th
    /// `<hN>` tag. With raw HTML dropped and text escaped, every `<hN>` in cmark's output is a heading node, so the
    /// tags and the ids line up in document order. One pass over the bytes.
    private static func renderHTML(_ node: OpaquePointer, headingIDs ids: [String]) -> String {
        guard let raw = cmark_render_html(node, CMARK_OPT_SMART) else { return "" }
        defer { free(raw) }
        let count = strlen(raw)
        let bytes = UnsafeRawBufferPointer(start: raw, count: count).bindMemory(to: UInt8.self)
        let omitted = Array("<!-- raw HTML omitted -->".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count + ids.count * 24)
        var next = 0
        var i = 0
        var copied = 0
        while i < count {
            guard let found = memchr(raw + i, 0x3C, count - i) else { break }
            i = raw.distance(to: found.assumingMemoryBound(to: CChar.self))
            if count - i >= omitted.count, memcmp(raw + i, omitted, omitted.count) == 0 {
                out += bytes[copied..<i]
                i += omitted.count
                copied = i
                continue
            }
            if next < ids.count, i + 3 < count, bytes[i + 1] == 0x68, (0x31...0x36).contains(bytes[i + 2]), bytes[i + 3] == 0x3E {
                out += bytes[copied..<(i + 3)]
                out += " id=\"".utf8
                out += ids[next].utf8
                out += "\">".utf8
                next += 1
                i += 4
                copied = i
                continue
            }
            i += 1
        }
        out += bytes[copied..<count]
        return String(decoding: out, as: UTF8.self)
    }

    /// Slugs for headings, made unique with `-2`, `-3` ...
    static func uniqueSlugs(_ texts: [String]) -> [String] {
        // `main` is the layout's own id (the skip link's target): a heading "Main" becomes `main-2`.
        var seen: [String: Int] = ["main": 1]
        return texts.map { text in
            let slug = slugify(text)
            let base = slug.isEmpty ? "abschnitt" : slug
            let count = (seen[base] ?? 0) + 1
            seen[base] = count
            return count == 1 ? base : "\(base)-\(count)"
        }
    }

    /// Trailing spaces off every line, runs of blank lines to one, no blank lines at the start or end.
    private static func collapseBlankLines(_ text: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var pendingBreak = false
        var start = 0
        var i = 0
        func line(_ end: Int) {
            var last = end
            while last > start, text[last - 1] == 0x20 { last -= 1 }
            if last == start {
                pendingBreak = true
                return
            }
            if !out.isEmpty { out += pendingBreak ? [10, 10] : [10] }
            pendingBreak = false
            out += text[start..<last]
        }
        while i < text.count {
            // A line ends at LF, but CR LF stays inside a line (as when the text was split into Characters).
            if text[i] == 10, i == 0 || text[i - 1] != 13 {
                line(i)
                start = i + 1
            }
            i += 1
        }
        line(text.count)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Limits that keep cmark fast on any input.
extension Markdown {
    /// The largest Markdown file Tandem reads (profiles and pages are a few kilobytes; this is a long book chapter).
    public static let maxFileBytes = 512 * 1024

    /// What the image openers (`![`) times the closing brackets (`]`) of the text blocks may add up to in one file.
    /// Debian 12's cmark (0.30.2) walks every open image bracket each time a link closes, so a paragraph of repeated
    /// `![[]()` takes time growing with the square of its length (fixed in cmark 0.31, GHSA-66g8-4hjf-77xh). Ten
    /// million such steps take about 0.05 s; a text with a hundred images and a hundred links in one paragraph uses 10,000.
    public static let maxBracketWork = 10_000_000

    /// Nil when cmark renders `body` in linear time, else the 1-based line (of `body`) where the block that
    /// exceeds the budget starts, and a message. Blocks are split at blank lines, a superset of cmark's paragraphs,
    /// so the count never underestimates cmark's work.
    public static func bracketProblem(_ body: String) -> (line: Int, message: String)? {
        var body = body
        return body.withUTF8 { bytes -> (line: Int, message: String)? in
            var work = 0
            var images = 0
            var closers = 0
            var line = 1
            var blockLine = 1
            var lineBlank = true
            var i = 0
            let count = bytes.count
            func endBlock() -> (line: Int, message: String)? {
                let (product, overflow) = images.multipliedReportingOverflow(by: closers)
                work = overflow ? Int.max : work.addingReportingOverflow(product).overflow ? Int.max : work + product
                if work > maxBracketWork {
                    return (
                        blockLine,
                        "this text block has \(images) image openers '![' and \(closers) closing brackets ']'; together with the "
                            + "blocks before it that is more than the Markdown library handles quickly (about \(maxBracketWork / 1_000_000) million "
                            + "bracket steps per file); split the block with blank lines or remove the repeated brackets"
                    )
                }
                images = 0
                closers = 0
                return nil
            }
            while i < count {
                let byte = bytes[i]
                switch byte {
                case 0x0A:
                    if lineBlank, images > 0 || closers > 0, let problem = endBlock() { return problem }
                    if lineBlank { blockLine = line + 1 }
                    line += 1
                    lineBlank = true
                case 0x20, 0x09, 0x0D: break
                default:
                    if lineBlank {
                        if images == 0 && closers == 0 { blockLine = line }
                        lineBlank = false
                    }
                    if byte == 0x21, i + 1 < count, bytes[i + 1] == 0x5B {
                        images += 1
                        i += 1
                    } else if byte == 0x5D {
                        closers += 1
                    }
                }
                i += 1
            }
            return endBlock()
        }
    }
}

/// A URL- and id-safe slug: ASCII letters and digits joined by `-` (umlauts become `ae`, `oe`, `ue`).
public func slugify(_ text: String) -> String {
    // Plain ASCII (most headings and names): the same result without per-character Unicode work.
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
        var out: [UInt8] = []
        var pendingDash = false
        for byte in text.utf8 {
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                if pendingDash && !out.isEmpty { out.append(45) }
                pendingDash = false
                out.append(lower)
            } else {
                pendingDash = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
    let lower = text.lowercased()
    if let slug = latinSlug(lower) { return slug }
    var out = ""
    var pendingDash = false
    for character in lower {
        for scalar in slugPiece(character).unicodeScalars {
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

/// What one lowercased character becomes in a slug before separators are decided: German umlauts and ß spelled
/// out, everything else folded to its canonical decomposition's ASCII part (é → e).
private func slugPiece(_ character: Character) -> String {
    switch character {
    case "ä": return "ae"
    case "ö": return "oe"
    case "ü": return "ue"
    case "ß": return "ss"
    default: return String(character).decomposedStringWithCanonicalMappingASCII
    }
}

/// `slugify` for lowercased text of Latin letters (below U+0250, no line breaks): each scalar is a character of its own
/// there, so it maps scalar by scalar through a table made once with the general code. Nil for any other text.
private func latinSlug(_ lower: String) -> String? {
    var out: [UInt8] = []
    var pendingDash = false
    for scalar in lower.unicodeScalars {
        guard scalar.value < 0x250, scalar.value != 0x0D else { return nil }
        for byte in latinSlugPieces[Int(scalar.value)] {
            if byte == 0x20 {
                pendingDash = true
            } else {
                if pendingDash && !out.isEmpty { out.append(45) }
                pendingDash = false
                out.append(byte)
            }
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// What each scalar below U+0250 contributes to a slug: its ASCII letters and digits, a space for a separator
/// (ä → ae, é → e, ß → ss, `&` → space), made with the general rules of `slugify`.
private let latinSlugPieces: [[UInt8]] = (0..<0x250).map { value in
    slugPiece(Character(Unicode.Scalar(value)!)).unicodeScalars.map { scalar in
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? UInt8(scalar.value) : 0x20
    }
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

    /// Every occurrence of `target` replaced, comparing UTF-8 bytes (no Foundation search, no locale).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let first = needle.first else { return self }
        var source = self
        return source.withUTF8 { bytes -> String in
            var out: [UInt8]?
            var copied = 0
            var i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == first, memcmp(bytes.baseAddress! + i, needle, needle.count) == 0 {
                    if out == nil { out = []; out!.reserveCapacity(bytes.count + 16) }
                    out! += bytes[copied..<i]
                    out! += replacement.utf8
                    i += needle.count
                    copied = i
                } else {
                    i += 1
                }
            }
            guard var result = out else { return self }
            result += bytes[copied...]
            return String(decoding: result, as: UTF8.self)
        }
    }
}

extension RenderedMarkdown {
    /// For a text shown among others on one page (feedback quotes, comments in the report): its headings become bold
    /// paragraphs without ids, so several texts never repeat an id nor break the page's heading outline.
    public var headingsAsParagraphs: RenderedMarkdown {
        guard !headingIDs.isEmpty else { return self }
        var copy = self
        copy.html = Markdown.headingsToParagraphs(html)
        copy.headingIDs = []
        return copy
    }
}

extension Markdown {
    /// `<h3 id="x">Text</h3>` → `<p><strong>Text</strong></p>`. cmark escapes every `<` of the text, so each `<h1`…`<h6`
    /// in its output is a heading tag.
    static func headingsToParagraphs(_ html: String) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let level = after.first, ("1"..."6").contains(level), let close = after.firstIndex(of: ">") else {
                result += rest[..<open.upperBound]
                rest = after
                continue
            }
            let tagTail = after[after.index(after: after.startIndex)..<close]
            guard tagTail.isEmpty || tagTail.first == " " else {  // <hr>, <header> …
                result += rest[..<open.upperBound]
                rest = after
                continue
            }
            result += rest[..<open.lowerBound]
            result += "<p><strong>"
            let content = after[after.index(after: close)...]
            let end = "</h" + String(level) + ">"
            if let closing = content.range(of: end) {
                result += content[..<closing.lowerBound]
                result += "</strong></p>"
                rest = content[closing.upperBound...]
            } else {
                result += content
                result += "</strong></p>"
                rest = ""
            }
        }
        result += rest
        return result
    }
}
