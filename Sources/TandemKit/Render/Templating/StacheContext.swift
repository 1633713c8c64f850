// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Context while rendering mustache tokens
struct StacheContext {
    let stack: [Any]
    let sequenceContext: StacheSequenceContext?
    let indentation: String?
    let inherited: [String: StacheTemplate]?
    let contentType: StacheContentType
    let library: StacheLibrary?
    let reloadPartials: Bool
    /// Tandem: e-mail addresses are removed from every value written (public output, SPEC rule 2).
    var scrubEmails = false

    /// `text`, without e-mail addresses when this is a public rendering.
    @inline(__always) func scrubbed(_ text: String) -> String { scrubEmails ? PublicText.scrub(text) : text }

    /// initialize context with a single objectt
    init(_ object: Any, library: StacheLibrary? = nil, reloadPartials: Bool = false) {
        self.stack = [object]
        self.sequenceContext = nil
        self.indentation = nil
        self.inherited = nil
        self.contentType = HTMLContentType()
        self.library = library
        self.reloadPartials = reloadPartials
    }

    private init(
        stack: [Any],
        sequenceContext: StacheSequenceContext?,
        indentation: String?,
        inherited: [String: StacheTemplate]?,
        contentType: StacheContentType,
        library: StacheLibrary? = nil,
        reloadPartials: Bool,
        scrubEmails: Bool
    ) {
        self.scrubEmails = scrubEmails
        self.stack = stack
        self.sequenceContext = sequenceContext
        self.indentation = indentation
        self.inherited = inherited
        self.contentType = contentType
        self.library = library
        self.reloadPartials = reloadPartials
    }

    /// return context with object add to stack
    func withObject(_ object: Any) -> StacheContext {
        var stack = self.stack
        stack.append(object)
        return .init(
            stack: stack,
            sequenceContext: nil,
            indentation: self.indentation,
            inherited: self.inherited,
            contentType: self.contentType,
            library: self.library,
            reloadPartials: self.reloadPartials,
            scrubEmails: self.scrubEmails
        )
    }

    /// return context with indent and parameter information for invoking a partial
    func withPartial(indented: String?, inheriting: [String: StacheTemplate]?) -> StacheContext {
        let indentation: String?
        if let indented {
            indentation = (self.indentation ?? "") + indented
        } else {
            indentation = self.indentation
        }
        let inherits: [String: StacheTemplate]?
        if let inheriting {
            if let originalInherits = self.inherited {
                inherits = originalInherits.merging(inheriting) { value, _ in value }
            } else {
                inherits = inheriting
            }
        } else {
            inherits = self.inherited
        }
        return .init(
            stack: self.stack,
            sequenceContext: nil,
            indentation: indentation,
            inherited: inherits,
            contentType: HTMLContentType(),
            library: self.library,
            reloadPartials: self.reloadPartials,
            scrubEmails: self.scrubEmails
        )
    }

    /// return context with indent information for invoking an inheritance block
    func withBlockExpansion(indented: String?) -> StacheContext {
        let indentation: String?
        if let indented {
            indentation = (self.indentation ?? "") + indented
        } else {
            indentation = self.indentation
        }
        return .init(
            stack: self.stack,
            sequenceContext: nil,
            indentation: indentation,
            inherited: self.inherited,
            contentType: self.contentType,
            library: self.library,
            reloadPartials: self.reloadPartials,
            scrubEmails: self.scrubEmails
        )
    }

    /// return context with sequence info and sequence element added to stack
    func withSequence(_ object: Any, sequenceContext: StacheSequenceContext) -> StacheContext {
        var stack = self.stack
        stack.append(object)
        return .init(
            stack: stack,
            sequenceContext: sequenceContext,
            indentation: self.indentation,
            inherited: self.inherited,
            contentType: self.contentType,
            library: self.library,
            reloadPartials: self.reloadPartials,
            scrubEmails: self.scrubEmails
        )
    }

    /// return context with sequence info and sequence element added to stack
    func withContentType(_ contentType: StacheContentType) -> StacheContext {
        .init(
            stack: self.stack,
            sequenceContext: self.sequenceContext,
            indentation: self.indentation,
            inherited: self.inherited,
            contentType: contentType,
            library: self.library,
            reloadPartials: self.reloadPartials,
            scrubEmails: self.scrubEmails
        )
    }
}
