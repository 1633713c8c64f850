// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

import Foundation

/// Protocol for content types
protocol StacheContentType: Sendable {
    /// escape text for this content type eg for HTML replace "<" with "&lt;"
    func escapeText(_ text: String) -> String
    /// Appends the escaped text (Tandem: no intermediate string).
    func escapeText(_ text: String, into output: inout String)
}

extension StacheContentType {
    func escapeText(_ text: String, into output: inout String) { output += escapeText(text) }
}

/// Text content type where no character is escaped
struct TextContentType: StacheContentType {
    func escapeText(_ text: String) -> String {
        text
    }
}

/// HTML content where text is escaped for HTML output
struct HTMLContentType: StacheContentType {
    func escapeText(_ text: String) -> String {
        text.htmlEscape()
    }

    /// Byte by byte when that gives the same result as `htmlEscape()`, which compares whole characters: an
    /// `& < > " '` next to a non-ASCII byte may be part of a larger character, so such a text takes the exact path.
    func escapeText(_ text: String, into output: inout String) {
        enum Path { case plain, bytes, exact }
        var text = text
        let path: Path = text.withUTF8 { bytes in
            var special = false
            for i in 0..<bytes.count {
                switch bytes[i] {
                case 0x26, 0x3C, 0x3E, 0x22, 0x27:
                    special = true
                    if i > 0, bytes[i - 1] >= 0x80 { return .exact }
                    if i + 1 < bytes.count, bytes[i + 1] >= 0x80 { return .exact }
                default: break
                }
            }
            return special ? .bytes : .plain
        }
        switch path {
        case .plain:
            output += text
        case .exact:
            output += text.htmlEscape()
        case .bytes:
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count + 16)
            for byte in text.utf8 {
                switch byte {
                case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
                case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
                case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
                case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
                case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]  // &#39;
                default: out.append(byte)
                }
            }
            output += String(decoding: out, as: UTF8.self)
        }
    }
}

/// Map of strings to content types.
///
/// The string is read from the "CONTENT_TYPE" pragma `{{% CONTENT_TYPE: type}}`. Replace type with
/// the content type required. The default available types are `TEXT` and `HTML`. You can register your own
/// with `StacheContentTypes.register`.
enum StacheContentTypes {

    private static let lock = NSLock()

    static func get(_ name: String) -> StacheContentType? {
        lock.withLock {
            self.types[name]
        }
    }

    /// Register new content type
    /// - Parameters:
    ///   - contentType: Content type
    ///   - name: String to identify it
    static func register(_ contentType: StacheContentType, named name: String) {
        lock.withLock {
            self.types[name] = contentType
        }
    }

    private static let _types: [String: StacheContentType] = [
        "HTML": HTMLContentType(),
        "TEXT": TextContentType(),
    ]

    #if compiler(>=6.0)
    nonisolated(unsafe) static var types: [String: StacheContentType] = _types
    #else
    static var types: [String: StacheContentType] = _types
    #endif
}
