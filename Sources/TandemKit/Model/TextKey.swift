/// How names people type are compared: ignoring case and surrounding or repeated white space, so "Stadt  Aarwil",
/// "stadt aarwil" and " Stadt Aarwil" are one organisation. Validation (the cross-organisation rule), the figures,
/// the report's topics, shared topics and `tandem match` all compare through this one key.
enum TextKey {
    static func of(_ text: String) -> String {
        var lower = text.lowercased()
        let ascii = lower.withUTF8 { bytes -> String? in
            // ASCII: the same words, split at whitespace bytes (tab to carriage return, space) rather than characters.
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
            return String(decoding: out, as: UTF8.self)
        }
        return ascii ?? lower.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The items of `list` whose key is also in `other`, in `list`'s order and spelling, each key once.
    static func shared(_ list: [String], with other: [String]) -> [String] {
        let keys = Set(other.map(of))
        var seen = Set<String>()
        return list.filter {
            let key = of($0)
            return keys.contains(key) && seen.insert(key).inserted
        }
    }
}
