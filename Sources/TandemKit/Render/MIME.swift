/// Building blocks of an RFC 5322 / MIME message: header encoding (RFC 2047), addresses, quoted-printable and base64 bodies.
/// Everything here produces 7-bit ASCII with CRLF line endings and lines of at most 78 characters (998 at worst).
enum MIME {
    static let crlf = "\r\n"

    // MARK: Header values

    /// Whitespace and controls (line breaks included) become single spaces, no-break spaces stay; the result is trimmed.
    /// A header value built from content can therefore never start a new header line.
    static func singleLine(_ text: String) -> String {
        // Most values are already one line of printable ASCII with single spaces: nothing to do.
        var plain = true
        var previousSpace = true
        for byte in text.utf8 {
            if byte < 0x20 || byte >= 0x7F || (byte == 0x20 && previousSpace) {
                plain = false
                break
            }
            previousSpace = byte == 0x20
        }
        if plain && !previousSpace { return text }
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.value < 0x80
                ? scalar.value <= 0x20 || scalar.value == 0x7F
                : (0x80...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
                    // No-break spaces stay: French spacing (« … », "Langues :") must not become a place to break.
                    || (scalar.properties.isWhitespace && !Self.noBreakSpaces.contains(scalar))
            if isSpace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out += " " }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// No-break, narrow no-break and figure space: kept by `singleLine`.
    static let noBreakSpaces: Set<Unicode.Scalar> = ["\u{A0}", "\u{202F}", "\u{2007}"]

    static func isPrintableASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// RFC 2047 encoded words (`=?UTF-8?B?...?=`), each at most 75 characters, never splitting a character;
    /// joined by folding whitespace (CRLF SP). Safe in unstructured headers (Subject) and as an address's display name.
    static func encodedWords(_ text: String) -> [String] {
        // At most 36 bytes of text per word: 48 base64 characters, a 60-character word that fits on a header's
        // first line after any field name Tandem writes ("Subject: ") within 78 characters.
        var words: [String] = []
        var chunk: [UInt8] = []
        func add(_ bytes: some Collection<UInt8>) {
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + base64(chunk) + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        for character in text {
            if character.utf8.count <= 36 {
                add(character.utf8)
            } else {
                // One character of many scalars (a letter with hundreds of combining marks): split between its
                // scalars, so no word and no header line grows past 78 characters (a scalar has at most 4 bytes).
                for scalar in character.unicodeScalars { add(String(scalar).utf8) }
            }
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + base64(chunk) + "?=") }
        return words
    }

    /// An unstructured header value (Subject): plain ASCII folded at spaces, else encoded words.
    static func unstructured(_ text: String) -> [String] {
        let line = singleLine(text)
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if isPrintableASCII(line), !line.contains("=?"), words.allSatisfy({ $0.count <= 900 }) { return words }
        return encodedWords(line)
    }

    /// A display name as an RFC 5322 phrase: a quoted string when it is plain ASCII, else encoded words.
    /// Commas, quotes, angle brackets and line breaks in a name can never add a recipient or a header.
    static func phrase(_ name: String) -> [String] {
        let line = singleLine(name)
        if line.isEmpty { return [] }
        // At most 900 characters once quotes and backslashes are escaped (each takes two): one header line stays
        // within RFC 5322's 998.
        if isPrintableASCII(line), !line.contains("=?"), line.utf8.count + line.utf8.count(where: { $0 == 0x22 || $0 == 0x5C }) <= 900 {
            var quoted = "\""
            for c in line {
                if c == "\"" || c == "\\" { quoted.append("\\") }
                quoted.append(c)
            }
            return [quoted + "\""]
        }
        return encodedWords(line)
    }

    /// `Name <address>` as header tokens (the address is assumed valid: see `isSendable`).
    static func mailbox(name: String?, address: String) -> [String] {
        (name.map(phrase) ?? []) + ["<" + address + ">"]
    }

    /// An address Tandem can put in a header as it is: ASCII, one `@`, nothing that would break the header.
    static func isSendable(_ address: String) -> Bool {
        EmailAddress.isValid(address) && isPrintableASCII(address)
    }

    /// A header field folded at 78 characters between the given tokens (`Name: token token, token`).
    /// A token never contains a line break and is at most 998 characters long.
    static func header(_ name: String, _ tokens: [String]) -> String {
        // Header text is 7-bit ASCII (see above), so lengths are UTF-8 lengths.
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > 78, lineLength > name.utf8.count + 1 {
                out += crlf + " " + token
                lineLength = 1 + length
            } else {
                out += " " + token
                lineLength += 1 + length
            }
        }
        return out + crlf
    }

    /// The `Message-ID` field for `local@host`, at most 78 characters a line: the host is used as it is when it is a
    /// short ASCII name, else replaced by a hash (a non-ASCII host would put raw UTF-8 into the header); the local part
    /// too when the line would be long, and the identifier goes on a folded line of its own when needed.
    static func messageID(local: String, host: String) -> String {
        func hashed(_ text: String) -> String { String(stableHash(text), radix: 16).leftPadded(16) }
        let isPlainHost =
            !host.isEmpty && host.utf8.count <= 40
            && host.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
        let domain = isPlainHost ? host : "h" + hashed(host) + ".tandem.invalid"
        let isPlainLocal = local.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
        var id = "<" + local + "@" + domain + ">"
        if !isPlainLocal || "Message-ID: ".utf8.count + id.utf8.count > 78 {
            id = "<" + (isPlainLocal ? String(local.prefix(24)) + "." : "") + hashed(local) + "@" + domain + ">"
            // A host of up to 40 characters leaves no room for the local part's start even on a folded line.
            if 1 + id.utf8.count > 78 { id = "<" + hashed(local) + "@" + domain + ">" }
        }
        if "Message-ID: ".utf8.count + id.utf8.count <= 78 { return "Message-ID: " + id + crlf }
        return "Message-ID:" + crlf + " " + id + crlf
    }

    /// An address list (To:), each mailbox but the last followed by a comma.
    static func addressList(_ mailboxes: [[String]]) -> [String] {
        var tokens: [String] = []
        for (i, mailbox) in mailboxes.enumerated() {
            var parts = mailbox
            if i < mailboxes.count - 1, let last = parts.popLast() { parts.append(last + ",") }
            tokens += parts
        }
        return tokens
    }

    // MARK: Dates

    /// RFC 5322 date-time of `day` at `hour`:00 UTC, e.g. `Mon, 09 Mar 2026 09:00:00 +0000`.
    static func date(_ day: Day, hour: Int = 9) -> String {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[day.weekday - 1]), \(String(twoDigits: day.day)) \(months[day.month - 1]) \(String(format4: day.year)) "
            + "\(String(twoDigits: hour)):00:00 +0000"
    }

    // MARK: Bodies

    /// Quoted-printable (RFC 2045 6.7) of UTF-8 text: line breaks become CRLF, lines are at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        quotedPrintable(bytes: Array(text.utf8))
    }

    /// `quotedPrintable` of UTF-8 bytes as a template renders them.
    static func quotedPrintable(bytes text: [UInt8]) -> String {
        var encoded: [UInt8] = []
        appendQuotedPrintable(text, to: &encoded)
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Appends `quotedPrintable(bytes: text)` to `message` without making a String of it.
    static func appendQuotedPrintable(_ text: [UInt8], to message: inout [UInt8]) {
        // One pass over the UTF-8 bytes: CRLF, CR and LF all end a line; each line is encoded byte by byte and
        // soft-broken before a piece would pass 75 characters, never inside an escape. At worst a byte becomes
        // three characters plus a soft break every 72: four times the input is room enough.
        let hex: StaticString = "0123456789ABCDEF"
        let digits = hex.utf8Start
        let start = message.count
        let room = text.count * 4 + 16
        message.append(contentsOf: repeatElement(0, count: room))
        let written = message.withUnsafeMutableBufferPointer { buffer -> Int in
            let out = buffer.baseAddress! + start
            var o = 0
            text.withUnsafeBufferPointer { bytes in
                let count = bytes.count
                var lineStart = 0
                var current = 0
                var i = 0
                while i <= count {
                    let byte: UInt8 = i < count ? bytes[i] : 10
                    if byte == 13 || byte == 10 {
                        // End of a line: CRLF counts once; the text's end closes the last line.
                        if byte == 13, i + 1 < count, bytes[i + 1] == 10 { i += 1 }
                        i += 1
                        if i <= count {
                            out[o] = 13
                            out[o + 1] = 10
                            o += 2
                        }
                        lineStart = i
                        current = 0
                        continue
                    }
                    let next: UInt8 = i + 1 < count ? bytes[i + 1] : 10
                    let isLast = next == 13 || next == 10
                    let plain = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                    // A line starting with "." is left alone by QP but escaped here for old transports.
                    let escaped = !plain || (i == lineStart && byte == 46)
                    let width = escaped ? 3 : 1
                    if current + width > 75 {
                        out[o] = 61
                        out[o + 1] = 13
                        out[o + 2] = 10
                        o += 3
                        current = 0
                    }
                    if escaped {
                        out[o] = 61
                        out[o + 1] = digits[Int(byte >> 4)]
                        out[o + 2] = digits[Int(byte & 15)]
                        o += 3
                    } else {
                        out[o] = byte
                        o += 1
                    }
                    current += width
                    i += 1
                }
            }
            return o
        }
        message.removeLast(room - written)
    }

    /// Base64 in lines of 76 characters, CRLF-separated.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let text = Array(base64(bytes).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 38 + 2)
        var index = 0
        while index < text.count {
            if index > 0 {
                out.append(13)
                out.append(10)
            }
            let end = min(text.count, index + 76)
            out.append(contentsOf: text[index..<end])
            index = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let pad = UInt8(ascii: "=")
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i])
            let b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[((b1 & 15) << 2) | (b2 >> 6)] : pad)
            out.append(i + 2 < bytes.count ? alphabet[b2 & 63] : pad)
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
