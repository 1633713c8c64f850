/// A typed template context: a Swift value whose stored properties are the names its templates can use.
///
/// `Encodable` turns it into the `TemplateValue` the engine renders (see `TemplateEncoder`); `Decodable` is used only
/// to read its shape (`ContextShape.of`), so the theme check and the generated variable reference know every name
/// without an example value. An optional that is nil becomes `false`, so an inner card never shows an outer value.
protocol TemplateContext: Codable {}

/// A text that has been through e-mail scrubbing (SPEC rule 2): the way free text written by people reaches a
/// public context.
struct ScrubbedText: Codable, Hashable, Sendable {
    private(set) var text: String

    init(_ raw: String) { text = PublicText.scrub(raw) }

    /// The programme office's own address (or its `mailto:` link): public by SPEC.md unless `contact.public: no`,
    /// so it is the one address that is not scrubbed. Only `Cards.contact` makes one, from `Contact.email`.
    static func officeAddress(_ address: String) -> ScrubbedText {
        var value = ScrubbedText("")
        value.text = address
        return value
    }

    /// Only the shape reader decodes one.
    init(from decoder: Decoder) throws { text = try decoder.singleValueContainer().decode(String.self) }
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

extension Array where Element == String {
    /// Each text through e-mail scrubbing.
    var scrubbed: [ScrubbedText] { map(ScrubbedText.init) }
}

extension TemplateValue: Codable {
    /// `TemplateEncoder` takes a `TemplateValue` as it is; other encoders get its text.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(renderedText)
    }

    /// Only the shape reader decodes one: a prepared value whose shape is open (the UI strings `t`).
    public init(from decoder: Decoder) throws { self = .null }
}

/// Converts a `TemplateContext` into the tree the engine renders, in one pass. With `scrub`, every plain text
/// also loses its e-mail addresses (a safety net for public outputs besides `ScrubbedText`).
enum TemplateEncoder {
    static func encode<T: Encodable>(_ value: T, scrub: Bool) -> TemplateValue {
        if let leaf = leaf(value, scrub: scrub) { return leaf }
        let encoder = ValueEncoder(scrub: scrub)
        do { try value.encode(to: encoder) } catch { return .null }
        return encoder.value
    }

    /// Hands a converted value to the encoder as it is (a `Prepared` value); false for any other encoder.
    static func encodePrepared(_ value: TemplateValue, to encoder: Encoder) -> Bool {
        guard let encoder = encoder as? ValueEncoder else { return false }
        encoder.single = value
        return true
    }
}

/// The values most contexts hold, converted without an encoder of their own (a context has thousands of them).
/// Comparing metatypes is a pointer comparison; `as?` on a generic value asks the runtime, which costs more than the
/// conversion itself.
@inline(__always)
private func leaf<T: Encodable>(_ value: T, scrub: Bool) -> TemplateValue? {
    // Already through e-mail scrubbing.
    if T.self == ScrubbedText.self { return .text(unsafeBitCast(value, to: ScrubbedText.self).text) }
    if T.self == [ScrubbedText].self { return .list(unsafeBitCast(value, to: [ScrubbedText].self).map { .text($0.text) }) }
    if T.self == [String].self {
        return .list(unsafeBitCast(value, to: [String].self).map { .text(scrub ? PublicText.scrub($0) : $0) })
    }
    if T.self == TemplateValue.self { return unsafeBitCast(value, to: TemplateValue.self) }
    return nil
}

/// Collects one value: a map (keyed container), a list (unkeyed) or a single value. Nested containers (which
/// synthesized conformances do not use) get encoders of their own, resolved when the value is read.
private final class ValueEncoder: Encoder {
    let scrub: Bool
    /// A keyed value's entries in the order encoded; the map is made once, at its final size.
    var entries: [(String, TemplateValue)]?
    var list: [TemplateValue]?
    var single: TemplateValue = .null
    var nestedInMap: [(String, ValueEncoder)] = []
    var nestedInList: [(Int, ValueEncoder)] = []
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(scrub: Bool) { self.scrub = scrub }

    var value: TemplateValue {
        if let entries {
            var map = TemplateMap(minimumCapacity: entries.count + nestedInMap.count)
            for (name, value) in entries { map[name] = value }
            for (name, inner) in nestedInMap { map[name] = inner.value }
            return .map(map)
        }
        if var list {
            for (index, inner) in nestedInList { list[index] = inner.value }
            return .list(list)
        }
        return single
    }

    func text(_ text: String) -> TemplateValue { .text(scrub ? PublicText.scrub(text) : text) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if entries == nil { entries = [] }
        return KeyedEncodingContainer(MapContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if list == nil { list = [] }
        return ListContainer(encoder: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleContainer(encoder: self) }
}

private struct MapContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    var codingPath: [CodingKey] { [] }

    private func set(_ value: TemplateValue, _ key: Key) { encoder.entries!.append((key.stringValue, value)) }

    mutating func encodeNil(forKey key: Key) throws { set(.flag(false), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.flag(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(encoder.text(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(TemplateEncoder.encode(value, scrub: encoder.scrub), key)
    }

    // An absent optional is `false`: Mustache would otherwise look the name up in an enclosing value.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { set(.flag(value ?? false), key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        set(value.map { encoder.text($0) } ?? .flag(false), key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { set(value.map { .number($0) } ?? .flag(false), key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        set(value.map { TemplateEncoder.encode($0, scrub: encoder.scrub) } ?? .flag(false), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let inner = ValueEncoder(scrub: encoder.scrub)
        encoder.nestedInMap.append((key.stringValue, inner))
        return inner.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let inner = ValueEncoder(scrub: encoder.scrub)
        encoder.nestedInMap.append((key.stringValue, inner))
        return inner.unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> Encoder {
        let inner = ValueEncoder(scrub: encoder.scrub)
        encoder.nestedInMap.append((key.stringValue, inner))
        return inner
    }
}

private struct ListContainer: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [CodingKey] { [] }
    var count: Int { encoder.list!.count }

    private func append(_ value: TemplateValue) { encoder.list!.append(value) }

    mutating func encodeNil() throws { append(.flag(false)) }
    mutating func encode(_ value: Bool) throws { append(.flag(value)) }
    mutating func encode(_ value: String) throws { append(encoder.text(value)) }
    mutating func encode(_ value: Int) throws { append(.number(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { append(TemplateEncoder.encode(value, scrub: encoder.scrub)) }

    private func nested() -> ValueEncoder {
        let inner = ValueEncoder(scrub: encoder.scrub)
        encoder.nestedInList.append((encoder.list!.count, inner))
        append(.null)
        return inner
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nested().container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { nested().unkeyedContainer() }
    mutating func superEncoder() -> Encoder { nested() }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { encoder.single = .flag(false) }
    mutating func encode(_ value: Bool) throws { encoder.single = .flag(value) }
    mutating func encode(_ value: String) throws { encoder.single = encoder.text(value) }
    mutating func encode(_ value: Int) throws { encoder.single = .number(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.single = TemplateEncoder.encode(value, scrub: encoder.scrub) }
}
