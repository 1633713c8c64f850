/// A dictionary that is changed a few entries at a time and shared between versions: a large base that is never
/// copied, and a small layer of changes on top. A profile edit changes one page of twenty thousand; copying (and later
/// freeing) the whole table for it would cost more than rendering the page.
public struct LayeredMap<Value: Sendable & Equatable>: Sendable, Equatable {
    private var base: [String: Value]
    /// Changes on top of `base`; nil removes the key.
    private var layer: [String: Value?] = [:]
    /// When the layer grows past this, it is folded into a new base.
    private static var foldAt: Int { 512 }

    public init(_ dictionary: [String: Value] = [:]) { base = dictionary }

    public subscript(key: String) -> Value? {
        get {
            if let change = layer[key] { return change }
            return base[key]
        }
        set {
            layer[key] = .some(newValue)
            if layer.count > Self.foldAt { base = dictionary; layer = [:] }
        }
    }

    /// Every entry as a plain dictionary (copies the base when there are changes).
    public var dictionary: [String: Value] {
        guard !layer.isEmpty else { return base }
        var result = base
        for (key, change) in layer { result[key] = change }
        return result
    }

    public var keys: [String] {
        guard !layer.isEmpty else { return Array(base.keys) }
        var result = base.keys.filter { layer[$0] == nil }
        for (key, change) in layer where change != nil { result.append(key) }
        return result
    }

    public var count: Int {
        var count = base.count
        for (key, change) in layer {
            switch (base[key] != nil, change != nil) {
            case (false, true): count += 1
            case (true, false): count -= 1
            default: break
            }
        }
        return count
    }

    public static func == (lhs: LayeredMap, rhs: LayeredMap) -> Bool { lhs.dictionary == rhs.dictionary }
}
