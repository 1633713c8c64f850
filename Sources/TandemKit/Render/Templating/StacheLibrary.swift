// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Class holding a collection of mustache templates.
///
/// Each template can reference the others via a partial using the name the template is registered under
/// ```
/// {{#sequence}}{{>entry}}{{/sequence}}
/// ```
struct StacheLibrary: Sendable {
    /// Initialize empty library
    init() {
        self.templates = [:]
    }

    /// Initialize library with collection of templates.
    ///
    /// Each template is mapped to a name which can then be used as the partial name.
    /// - Parameter templates: Dictionary of mustache templates with a String key
    init(templates: [String: StacheTemplate]) {
        self.templates = templates
    }

    /// Register template under name
    /// - Parameters:
    ///   - template: Template
    ///   - name: Name of template
    mutating func register(_ template: StacheTemplate, named name: String) {
        self.templates[name] = template
    }

    /// Register template under name
    /// - Parameters:
    ///   - mustache: Stache text
    ///   - name: Name of template
    mutating func register(_ mustache: String, named name: String) throws {
        let template = try StacheTemplate(string: mustache)
        self.templates[name] = template
    }

    /// Return template registed with name
    /// - Parameter name: name to search for
    /// - Returns: Template
    func getTemplate(named name: String) -> StacheTemplate? {
        self.templates[name]
    }

    /// Render object using templated with name
    /// - Parameters:
    ///   - object: Object to render
    ///   - name: Name of template
    /// - Returns: Rendered text
    func render(_ object: Any, withTemplate name: String) -> String? {
        guard let template = templates[name] else { return nil }
        return template.render(object, library: self)
    }

    /// Tandem: renders with every written value stripped of e-mail addresses when `scrubEmails` is set.
    func render(_ object: Any, withTemplate name: String, scrubEmails: Bool) -> String? {
        guard let template = templates[name] else { return nil }
        var context = StacheContext(object, library: self)
        context.scrubEmails = scrubEmails
        return template.render(context: context)
    }

    /// Render object using templated with name
    /// - Parameters:
    ///   - object: Object to render
    ///   - name: Name of template
    ///   - reload: Reload templates when rendering. This is only available in debug builds
    /// - Returns: Rendered text
    func render(_ object: Any, withTemplate name: String, reload: Bool) -> String? {
        guard let template = templates[name] else { return nil }
        #if TANDEM_STACHE_RELOAD // never defined: no reloading from files
        return template.render(object, library: self, reload: reload)
        #else
        return template.render(object, library: self)
        #endif
    }

    /// Error returned by init() when parser fails
    struct ParserError: Swift.Error {
        /// File error occurred in
        let filename: String
        /// Context (line, linenumber and column number)
        let context: StacheParserContext
        /// Actual error that occurred
        let error: Error
    }

    private var templates: [String: StacheTemplate]
}
