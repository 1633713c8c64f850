import Foundation

/// Escaping for the contexts Tandem writes outside Mustache's HTML escaping.
public enum Escape {
    /// Text for HTML element content and double-quoted attributes.
    public static func html(_ text: String) -> String {
        // Text without the five characters (most of it) is returned as it is.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendHTML(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` HTML-escaped to UTF-8 `bytes`: `&`, `<`, `>`, `"` and `'` (as swift-mustache escapes), byte by
    /// byte, since all five are ASCII. Unescaped runs are copied whole.
    static func appendHTML(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { source in
            var runStart = 0
            for (i, byte) in source.enumerated() {
                let replacement: StaticString
                switch byte {
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x26: replacement = "&amp;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                default: continue
                }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<i])) }
                replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
                runStart = i + 1
            }
            if runStart < source.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...])) }
        }
    }

    /// XML text (sitemap).
    static func xml(_ text: String) -> String { html(text) }

    /// Percent-encodes each segment of a relative path so any file name is a valid URL path.
    static func urlPath(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Removes e-mail addresses from every text of a template context (SPEC rule 2).
enum PublicText {
    static func scrub(_ text: String) -> String {
        guard hasAt(text) else { return text }
        return Markdown.redactEmailAddresses(text).0
    }

    /// True when `text` contains `@` (memchr over the UTF-8 bytes: this runs on every text of every page).
    static func hasAt(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x40, bytes.count) != nil
        } ?? text.utf8.contains(0x40)
    }
}

extension PublicText {
    /// File extensions of assets that are text a browser shows or a program reads as it is.
    static let textAssetExtensions: Set<String> = ["txt", "csv", "md", "html", "htm", "ics", "vcf", "json", "xml", "svg"]

    /// Warnings for text assets (copied to the site as they are) with e-mail addresses in them: one per line with an
    /// address, at most `limit` per file. The files are only read, never changed: an asset is the user's own file.
    static func addressWarnings(assetsFolder: String, assets: [String], display: String, limit: Int = 5) -> Diagnostics {
        var diagnostics = Diagnostics()
        for relative in assets {
            let ext = relative.split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard relative.contains("."), textAssetExtensions.contains(ext),
                case .success(let bytes) = ContentFile.read(path: assetsFolder + "/" + relative), bytes.contains(0x40)
            else { continue }
            let (text, _) = TextDecoding.decode(bytes)
            var found = 0
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                guard line.contains("@"), Markdown.redactEmailAddresses(String(line)).1 > 0 else { continue }
                found += 1
                if found <= limit {
                    diagnostics.warning(
                        display + "/" + relative, line: lineNumber,
                        "an e-mail address in a text asset is published as it is (assets are copied unchanged); remove it if it should not be public"
                    )
                }
            }
        }
        return diagnostics
    }
}

/// Checks of `base_url`, the address every published link and calendar UID is made from.
enum BaseURL {
    /// Why `url` cannot be the site's address, or nil.
    static func problem(_ url: String) -> String? {
        if let scalar = TextChecks.firstControlCharacter(url) {
            return "'base_url' contains the control character \(TextChecks.name(scalar))"
        }
        guard let range = url.range(of: "://") else { return nil }
        let authority = url[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            return
                "'base_url' must not contain a user name ('…@' before the host): it would be published in robots.txt, the sitemap and every calendar entry; write https://host/path/"
        }
        return nil
    }
}
