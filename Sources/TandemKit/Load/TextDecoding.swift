/// Turns file bytes into text the way spreadsheet exports need it: UTF-8 (with or without BOM),
/// UTF-16 with BOM, or Windows-1252 as older Excel versions write CSV.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf16 = "UTF-16"
    case windows1252 = "Windows-1252"
    case utf16LittleEndianWithoutBOM = "UTF-16LE without byte-order mark (save it as UTF-8 to be sure)"
    case utf16BigEndianWithoutBOM = "UTF-16BE without byte-order mark (save it as UTF-8 to be sure)"
}

enum TextDecoding {
    /// Decodes `bytes`, removing a byte-order mark. Never fails: bytes that are not UTF-8 are read as Windows-1252.
    static func decode(_ bytes: [UInt8]) -> (text: String, encoding: TextEncoding) {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let bigEndian = bytes[0] == 0xFE
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                units.append(bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
                i += 2
            }
            return (String(decoding: units, as: UTF16.self), .utf16)
        }
        if let bigEndian = utf16WithoutBOM(bytes) {
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 0
            while i + 1 < bytes.count {
                units.append(bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
                i += 2
            }
            return (String(decoding: units, as: UTF16.self), bigEndian ? .utf16BigEndianWithoutBOM : .utf16LittleEndianWithoutBOM)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) {
            return (text, .utf8)
        }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(body.count)
        for byte in body {
            if byte >= 0x80 && byte <= 0x9F, let mapped = windows1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return (String(scalars), .windows1252)
    }

    /// Whether `bytes` look like UTF-16 without a byte-order mark (nil if not; true for big-endian): in the first
    /// 256 byte pairs, NUL bytes on one side only, in at least a third of the pairs. Text in UTF-8 or Windows-1252
    /// has no NUL bytes, so this never takes a real text of those for UTF-16.
    static func utf16WithoutBOM(_ bytes: [UInt8]) -> Bool? {
        let pairs = min(bytes.count / 2, 256)
        guard pairs >= 1 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for pair in 0..<pairs {
            if bytes[2 * pair] == 0 { evenZeros += 1 }
            if bytes[2 * pair + 1] == 0 { oddZeros += 1 }
        }
        if evenZeros == 0, oddZeros * 3 >= pairs { return false }
        if oddZeros == 0, evenZeros * 3 >= pairs { return true }
        return nil
    }

    /// Windows-1252's 0x80...0x9F block; the rest of the code page equals Latin-1.
    private static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}
