// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Class holding Stache template
struct StacheTemplate: Sendable, CustomStringConvertible {
    /// Initialize template
    /// - Parameter string: Template text
    /// - Throws: StacheTemplate.Error
    init(string: String) throws {
        let template = try Self.parse(string)
        self.tokens = template.tokens
        self.text = string
        self.filename = nil
    }

    /// Render object using this template
    /// - Parameters
    ///   - object: Object to render
    ///   - library: library template uses to access partials
    /// - Returns: Rendered text
    func render(_ object: Any, library: StacheLibrary? = nil) -> String {
        self.render(context: .init(object, library: library))
    }

    /// Render object using this template
    /// - Parameters
    ///   - object: Object to render
    ///   - library: library template uses to access partials
    ///   - reload: Should I reload this template when rendering. This is only available in debug builds
    /// - Returns: Rendered text
    func render(_ object: Any, library: StacheLibrary? = nil, reload: Bool) -> String {
        #if TANDEM_STACHE_RELOAD // never defined: no reloading from files
        if reload {
            guard let filename else {
                preconditionFailure("Can only use reload if template was generated from a file")
            }
            do {
                guard let template = try StacheTemplate(filename: filename) else { return "Cannot find template at \(filename)" }
                return template.render(context: .init(object, library: library, reloadPartials: reload))
            } catch {
                return "\(error)"
            }
        }
        #endif
        return self.render(context: .init(object, library: library))
    }

    internal init(_ tokens: [Token], text: String) {
        self.tokens = tokens
        self.filename = nil
        self.text = text
    }

    var description: String { self.text }

    enum Token: Sendable /* , CustomStringConvertible */ {
        case text(String)
        case variable(name: String, transforms: [String] = [])
        case unescapedVariable(name: String, transforms: [String] = [])
        case section(name: String, transforms: [String] = [], template: StacheTemplate)
        case invertedSection(name: String, transforms: [String] = [], template: StacheTemplate)
        case blockDefinition(name: String, template: StacheTemplate)
        case blockExpansion(name: String, default: StacheTemplate, indentation: String?)
        case partial(String, indentation: String?, inherits: [String: StacheTemplate]?)
        case dynamicNamePartial(String, indentation: String?, inherits: [String: StacheTemplate]?)
        case contentType(StacheContentType)
    }

    var tokens: [Token]
    let text: String
    let filename: String?
}
