/// The names a template context provides, read from its Swift type: the theme check looks template variables up in
/// it, and the theme guide's variable reference is generated from it.
indirect enum ContextShape: Equatable, Sendable {
    /// The shape without its `optional` wrapper.
    var unwrapped: ContextShape {
        if case .optional(let inner) = self { return inner.unwrapped }
        return self
    }

    case text
    case number
    case flag
    /// A list whose items have this shape.
    case list(ContextShape)
    /// Named values; `type` names the context type they come from (nil for a merged `Flat` context).
    case map([String: ContextShape], type: String?)
    /// A value that may be `false` (a Swift optional that is nil).
    case optional(ContextShape)
    /// A prepared value whose names are open (the UI strings `t`): any name is accepted below it.
    case open

    /// The shape of a context type, read by decoding it from nothing (see `ShapeDecoder`).
    static func of<T: Decodable>(_ type: T.Type) -> ContextShape {
        let decoder = ShapeDecoder()
        _ = try? T(from: decoder)
        return decoder.shape
    }
}

/// A decoder that answers every request with an empty value and notes what was asked for: the keys a type decodes,
/// and what each holds. Optionals are asked for as present, lists as holding one item, so every name is seen.
private final class ShapeDecoder: Decoder {
    var shape: ContextShape = .open
    var fields: [String: ContextShape] = [:]
    var optionalKeys = Set<String>()
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .map = shape {} else { shape = .map([:], type: nil) }
        return KeyedDecodingContainer(ShapeKeyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        shape = .list(.open)
        return ShapeUnkeyed(decoder: self)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { ShapeSingle(decoder: self) }

    func note(_ name: String, _ field: ContextShape) {
        fields[name] = field
        shape = .map(fields, type: nil)
    }

    static func decode<T: Decodable>(_ type: T.Type) -> (T?, ContextShape) {
        if type == TemplateValue.self { return (TemplateValue.null as? T, .open) }
        if type == String.self { return ("" as? T, .text) }
        if type == Int.self { return (0 as? T, .number) }
        if type == Bool.self { return (false as? T, .flag) }
        let inner = ShapeDecoder()
        let value = try? T(from: inner)
        if case .map(let fields, nil) = inner.shape, let name = contextTypeName(T.self) { return (value, .map(fields, type: name)) }
        return (value, inner.shape)
    }
}

private struct ShapeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ShapeDecoder
    var codingPath: [CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    /// Asked only on the way to decoding an optional (the standard `decodeIfPresent` overloads): remember the key.
    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.optionalKeys.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, shape) = ShapeDecoder.decode(type)
        decoder.note(key.stringValue, decoder.optionalKeys.contains(key.stringValue) ? .optional(shape) : shape)
        guard let value else { throw DecodingError.valueNotFound(type, .init(codingPath: [key], debugDescription: "shape only")) }
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (value, shape) = ShapeDecoder.decode(type)
        decoder.note(key.stringValue, .optional(shape))
        return value
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "not used by contexts"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "not used by contexts"))
    }
    func superDecoder() throws -> Decoder { ShapeDecoder() }
    func superDecoder(forKey key: Key) throws -> Decoder { ShapeDecoder() }
}

private struct ShapeUnkeyed: UnkeyedDecodingContainer {
    let decoder: ShapeDecoder
    var codingPath: [CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        let (value, shape) = ShapeDecoder.decode(type)
        decoder.shape = .list(shape)
        guard let value else { throw DecodingError.valueNotFound(type, .init(codingPath: [], debugDescription: "shape only")) }
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "not used by contexts"))
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "not used by contexts"))
    }
    mutating func superDecoder() throws -> Decoder { ShapeDecoder() }
}

private struct ShapeSingle: SingleValueDecodingContainer {
    let decoder: ShapeDecoder
    var codingPath: [CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, shape) = ShapeDecoder.decode(type)
        decoder.shape = shape
        guard let value else { throw DecodingError.valueNotFound(type, .init(codingPath: [], debugDescription: "shape only")) }
        return value
    }
}

/// The name of a context type for the variable reference; nil for the generic wrappers (`Flat`, `Prepared`).
private func contextTypeName(_ type: Any.Type) -> String? {
    let name = String(describing: type)
    return name.contains("<") ? nil : name
}
