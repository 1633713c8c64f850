import Foundation

/// One `mail/<tandem-id>.eml` as `tandem send` reads it: the header fields (unfolded) and the body, untouched.
struct Announcement {
    /// Header fields in order: name as written, value unfolded (CRLF + white space → the white space).
    var fields: [(name: String, value: String)]
    /// Everything after the empty line that ends the header, byte for byte.
    var body: ArraySlice<UInt8>
    /// The whole file, as built.
    var bytes: [UInt8]

    /// Splits a message at its first empty line. Nil when there is none (not a message Tandem wrote).
    init?(_ bytes: [UInt8]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = Self.find(separator, in: bytes) else { return nil }
        self.bytes = bytes
        body = bytes[(end + 4)...]
        let header = String(decoding: bytes[..<(end + 2)], as: UTF8.self)
        var fields: [(name: String, value: String)] = []
        for line in header.components(separatedBy: "\r\n") where !line.isEmpty {
            if line.first == " " || line.first == "\t" {
                guard !fields.isEmpty else { return nil }
                fields[fields.count - 1].value += line
            } else {
                guard let colon = line.firstIndex(of: ":") else { return nil }
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        self.fields = fields
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    func field(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The addresses of the To field, in order (`undisclosed-recipients:;` has none).
    var to: [String] { Self.addresses(field("To") ?? "") }

    /// The From field's address.
    var from: String? { Self.addresses(field("From") ?? "").first }

    var messageID: String? { field("Message-ID") }

    /// The Subject as a person reads it (RFC 2047 words decoded).
    var subject: String { Self.decodeWords(field("Subject") ?? "") }

    /// The addresses of an address list: the `<…>` parts outside quoted strings and comments, or bare addresses.
    /// A display name can therefore never add one (MIME.phrase quotes or encodes every name).
    static func addresses(_ value: String) -> [String] {
        var result: [String] = []
        var quoted = false
        var escaped = false
        var comment = 0
        var angle: String?
        var bare = ""
        var sawAngle = false
        func flushBare() {
            let text = bare.trimmingCharacters(in: .whitespaces)
            if !sawAngle, text.contains("@"), !text.contains(" ") { result.append(text) }
            bare = ""
            sawAngle = false
        }
        for character in value {
            if escaped {
                escaped = false
                continue
            }
            if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                continue
            }
            if comment > 0 {
                if character == "\\" { escaped = true } else if character == "(" { comment += 1 } else if character == ")" { comment -= 1 }
                continue
            }
            if var inside = angle {
                if character == ">" {
                    result.append(inside.trimmingCharacters(in: .whitespaces))
                    angle = nil
                } else {
                    inside.append(character)
                    angle = inside
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(": comment = 1
            case "<":
                angle = ""
                sawAngle = true
            case ",", ";":
                flushBare()
            case ":":
                bare = ""  // a group's name (undisclosed-recipients:;)
            default: bare.append(character)
            }
        }
        flushBare()
        return result.filter { !$0.isEmpty }
    }

    /// Decodes `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words (white space between two words is dropped, as RFC 2047 says).
    static func decodeWords(_ value: String) -> String {
        var out = ""
        var previousWasWord = false
        var pendingSpace = ""
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if let decoded = decodeWord(String(token)) {
                if !previousWasWord { out += pendingSpace }
                out += decoded
                previousWasWord = true
            } else {
                out += pendingSpace + token
                previousWasWord = false
            }
            pendingSpace = " "
        }
        return out
    }

    private static func decodeWord(_ word: String) -> String? {
        guard word.hasPrefix("=?"), word.hasSuffix("?="), word.count > 4 else { return nil }
        let parts = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        switch parts[1].uppercased() {
        case "B":
            guard let data = Data(base64Encoded: String(parts[2])) else { return nil }
            return String(decoding: data, as: UTF8.self)
        case "Q":
            var bytes: [UInt8] = []
            var chars = Array(parts[2].utf8)[...]
            while let c = chars.popFirst() {
                if c == UInt8(ascii: "_") {
                    bytes.append(0x20)
                } else if c == UInt8(ascii: "="), chars.count >= 2,
                    let v = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)
                {
                    bytes.append(v)
                    chars = chars.dropFirst(2)
                } else {
                    bytes.append(c)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// The message as it goes to the server: `X-Unsent` (Outlook's draft mark) removed, `Date` set to the moment of
    /// sending, `Message-ID` replaced when given (a resend); every other header line and the body byte-identical.
    func outgoing(date: Date, messageID: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        // Walk the raw header lines so folding and the order of fields stay as built.
        let headerEnd = bytes.count - body.count
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + 1 < headerEnd {
            if bytes[i] == 13, bytes[i + 1] == 10 {
                lines.append(bytes[start..<(i + 2)])
                start = i + 2
                i += 2
            } else {
                i += 1
            }
        }
        var skipping = false
        for line in lines {
            let isContinuation = line.first == 0x20 || line.first == 0x09
            if isContinuation {
                if !skipping { out.append(contentsOf: line) }
                continue
            }
            let name = String(decoding: line.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self).lowercased()
            skipping = false
            switch name {
            case "x-unsent":
                skipping = true
            case "date":
                skipping = true
                out.append(contentsOf: ("Date: " + Self.rfc5322Date(date) + "\r\n").utf8)
            case "message-id":
                if let messageID {
                    skipping = true
                    out.append(contentsOf: messageID.utf8)
                } else {
                    out.append(contentsOf: line)
                }
            case "":
                out.append(contentsOf: line)  // the empty line ending the header
            default:
                out.append(contentsOf: line)
            }
        }
        out.append(contentsOf: body)
        return out
    }

    /// `Thu, 05 Mar 2026 09:00:00 +0000` (UTC, English names as RFC 5322 requires).
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
