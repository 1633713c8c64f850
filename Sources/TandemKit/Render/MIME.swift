/// Building blocks of an RFC 5322 / MIME message: header encoding (RFC 2047), addresses, quoted-printable and base64 bodies.
/// Everything here produces 7-bit ASCII with CRLF line endings and lines of at most 78 characters (998 at worst).
enum MIME {
    static let crlf = "\r\n"

    // MARK: Header values

    /// Whitespace and controls (line breaks included) become single spaces; the result is trimmed.
    /// A header value built from content can therefore never start a new header line.
    static func singleLine(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
                || (0x80...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
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
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
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
        if isPrintableASCII(line), !line.contains("=?"), line.count <= 900 {
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
        var out = name + ":"
        var lineLength = out.count
        for token in tokens {
            if lineLength + 1 + token.count > 78, lineLength > name.count + 1 {
                out += crlf + " " + token
                lineLength = 1 + token.count
            } else {
                out += " " + token
                lineLength += 1 + token.count
            }
        }
        return out + crlf
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
        // Works on the UTF-8 bytes (one pass, no String per byte): CRLF, CR and LF all end a line; each line is
        // encoded byte by byte and soft-broken before a piece would pass 75 characters, never inside an escape.
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        var line: [UInt8] = []
        var firstLine = true
        func encode(_ bytes: [UInt8]) {
            if !firstLine { out += [13, 10] }
            firstLine = false
            var current = 0
            for (i, byte) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                let plain = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                // A line starting with "." or "From " is left alone by QP but escaped here for old transports.
                let escapeDot = i == 0 && byte == 46
                let escaped = !(plain && !escapeDot)
                let width = escaped ? 3 : 1
                if current + width > 75 {
                    out += [61, 13, 10]
                    current = 0
                }
                if escaped {
                    out += [61, digits[Int(byte >> 4)], digits[Int(byte & 15)]]
                } else {
                    out.append(byte)
                }
                current += width
            }
        }
        var previousCR = false
        for byte in text.utf8 {
            if byte == 13 {
                encode(line)
                line.removeAll(keepingCapacity: true)
                previousCR = true
                continue
            }
            if byte == 10 {
                if !previousCR { encode(line) }
                line.removeAll(keepingCapacity: true)
                previousCR = false
                continue
            }
            previousCR = false
            line.append(byte)
        }
        encode(line)
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters, CRLF-separated.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let text = Array(base64(bytes).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 38 + 2)
        var index = 0
        while index < text.count {
            if index > 0 { out += [13, 10] }
            let end = min(text.count, index + 76)
            out += text[index..<end]
            index = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i])
            let b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[((b1 & 15) << 2) | (b2 >> 6)] : "=")
            out.append(i + 2 < bytes.count ? alphabet[b2 & 63] : "=")
            i += 3
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
