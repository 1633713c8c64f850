/// The named values of a template map, in the order they were set (a name set again keeps its place and takes the
/// new value).
///
/// Rendering is mostly looking names up, and nearly every map is small: each name carries a fingerprint (a 64-bit
/// FNV-1a of its bytes) computed once, when a template is parsed (`TemplateKey`) or a context encoded, so a lookup
/// scans integers and compares text only on a match. Maps of more than `indexedFrom` names (the UI strings `t`, a
/// page's context) also keep an open-addressing index over the fingerprints. Swift's `Dictionary` hashed every name
/// with SipHash on every insertion and lookup (about 6% of a build's instructions); this map saves about 4%.
public struct TemplateMap: Sendable {
    struct Entry: Sendable {
        let fingerprint: UInt64
        let key: String
        var value: TemplateValue
    }

    private(set) var entries: [Entry] = []
    /// Positions in `entries` by fingerprint (linear probing, -1 free); empty while the map is small.
    private var index: [Int32] = []

    static let indexedFrom = 12

    init() {}

    init(minimumCapacity: Int) { entries.reserveCapacity(minimumCapacity) }

    init(_ dictionary: [String: TemplateValue]) {
        self.init(minimumCapacity: dictionary.count)
        for (name, value) in dictionary { self[name] = value }
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The names and values sorted by name (for `{{#map.enumerated}}`).
    var sortedEntries: [(key: String, value: TemplateValue)] {
        entries.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// The value named `name`; setting one adds or replaces it (setting nil does nothing: a context's maps only grow).
    subscript(name: String) -> TemplateValue? {
        get { self[TemplateKey(name)] }
        set {
            guard let newValue else { return }
            set(newValue, for: TemplateKey(name))
        }
    }

    subscript(key: TemplateKey) -> TemplateValue? {
        guard let position = position(of: key) else { return nil }
        return entries[position].value
    }

    mutating func set(_ value: TemplateValue, for key: TemplateKey) {
        if let position = position(of: key) {
            entries[position].value = value
            return
        }
        entries.append(Entry(fingerprint: key.fingerprint, key: key.name, value: value))
        guard entries.count > Self.indexedFrom else { return }
        if index.count < 2 * entries.count { rebuildIndex() } else { insertIntoIndex(entries.count - 1) }
    }

    private func position(of key: TemplateKey) -> Int? {
        if index.isEmpty {
            for position in entries.indices where entries[position].fingerprint == key.fingerprint && entries[position].key == key.name {
                return position
            }
            return nil
        }
        let mask = index.count - 1
        var slot = Int(truncatingIfNeeded: key.fingerprint) & mask
        while true {
            let position = Int(index[slot])
            if position < 0 { return nil }
            if entries[position].fingerprint == key.fingerprint && entries[position].key == key.name { return position }
            slot = (slot + 1) & mask
        }
    }

    private mutating func rebuildIndex() {
        var size = 16
        while size < 4 * entries.count { size *= 2 }
        index = [Int32](repeating: -1, count: size)
        for position in entries.indices { insertIntoIndex(position) }
    }

    private mutating func insertIntoIndex(_ position: Int) {
        let mask = index.count - 1
        var slot = Int(truncatingIfNeeded: entries[position].fingerprint) & mask
        while index[slot] >= 0 { slot = (slot + 1) & mask }
        index[slot] = Int32(position)
    }
}

/// A name as templates and contexts look it up: its text and its fingerprint, computed once.
struct TemplateKey: Sendable {
    let name: String
    let fingerprint: UInt64

    init(_ name: String) {
        self.name = name
        // FNV-1a, 64 bits, over the bytes in place (iterating `utf8` costs several times more).
        func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        let hash = name.utf8.withContiguousStorageIfAvailable(fnv) ?? fnv(name.utf8)
        // The index takes the low bits: fold the high ones in.
        fingerprint = hash ^ (hash >> 29)
    }
}
