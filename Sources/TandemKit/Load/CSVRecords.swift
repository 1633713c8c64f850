/// Splits CSV text into records of fields by exactly the rules of CSV.swift's `CSVReader` (which stays the reference
/// and reads the survey exports): a quote opens a quoted field only as a field's first character, `""` inside one is
/// a quote, CR, LF and CRLF end a record, and a quote followed by anything else keeps the quote and drops that
/// character. It reads UTF-8 bytes instead of Unicode scalars (every character that matters is ASCII, and no byte of
/// a multi-byte character is ASCII): on a 10,000-row roster the reader's scalar-by-scalar strings took more time than
/// the rest of loading. `CSVRecordsTests` compares the two on random input.
enum CSVRecords {
    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// The records of `text`; `delimiter` is `,` or `;`.
    static func split(_ text: String, delimiter: Character) -> [[String]] {
        let separator = delimiter.asciiValue ?? UInt8(ascii: ",")
        var text = text
        return text.withUTF8 { bytes in
            var records: [[String]] = []
            var i = 0
            while i < bytes.count {
                var record: [String] = []
                while true {
                    guard i < bytes.count else {
                        // A delimiter at the very end: one more, empty field.
                        record.append("")
                        break
                    }
                    let end: Bool
                    if bytes[i] == quote {
                        i += 1
                        end = quotedField(bytes, &i, separator, into: &record)
                    } else {
                        end = plainField(bytes, &i, separator, into: &record)
                    }
                    if end { break }
                }
                records.append(record)
            }
            return records
        }
    }

    /// Skips the LF of a CRLF just read (`i` is after the CR).
    @inline(__always)
    private static func skipLF(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        if i < bytes.count, bytes[i] == lf { i += 1 }
    }

    /// A field without quotes from `i`; true when it ends the record.
    private static func plainField(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ separator: UInt8, into record: inout [String])
        -> Bool
    {
        let start = i
        while i < bytes.count {
            let byte = bytes[i]
            if byte == cr || byte == lf {
                record.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                i += 1
                if byte == cr { skipLF(bytes, &i) }
                return true
            }
            if byte == separator {
                record.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                i += 1
                return false
            }
            i += 1
        }
        record.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
        return true
    }

    /// A quoted field, `i` after its opening quote; true when it ends the record.
    private static func quotedField(
        _ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ separator: UInt8, into record: inout [String]
    ) -> Bool {
        var field: [UInt8] = []
        var run = i
        func flush(upTo end: Int) { field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end])) }
        while i < bytes.count {
            guard bytes[i] == quote else {
                i += 1
                continue
            }
            flush(upTo: i)
            i += 1
            guard i < bytes.count else {
                record.append(String(decoding: field, as: UTF8.self))
                return true
            }
            let next = bytes[i]
            i += 1
            if next == cr || next == lf {
                if next == cr { skipLF(bytes, &i) }
                record.append(String(decoding: field, as: UTF8.self))
                return true
            }
            if next == separator {
                record.append(String(decoding: field, as: UTF8.self))
                return false
            }
            // `""` is a quote; a quote before anything else is kept and that character dropped (CSV.swift's rule).
            field.append(quote)
            if next >= 0xC0 {
                while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            }
            run = i
        }
        flush(upTo: i)
        record.append(String(decoding: field, as: UTF8.self))
        return true
    }
}
