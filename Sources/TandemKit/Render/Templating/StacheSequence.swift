// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Protocol for objects that can be rendered as a sequence in Stache
protocol StacheSequence: Sequence {}

extension StacheSequence {
    /// Render section using template
    func renderSection(with template: StacheTemplate, context: StacheContext) -> String {
        var string = ""
        var sequenceContext = StacheSequenceContext(first: true)

        var iterator = makeIterator()
        guard var currentObject = iterator.next() else { return "" }

        while let object = iterator.next() {
            string += template.render(context: context.withSequence(currentObject, sequenceContext: sequenceContext))
            currentObject = object
            sequenceContext.first = false
            sequenceContext.index += 1
        }

        sequenceContext.last = true
        string += template.render(context: context.withSequence(currentObject, sequenceContext: sequenceContext))

        return string
    }

    /// Render inverted section using template
    func renderInvertedSection(with template: StacheTemplate, context: StacheContext) -> String {
        var iterator = makeIterator()
        if iterator.next() == nil {
            return template.render(context: context.withObject(self))
        }
        return ""
    }
}

extension Array: StacheSequence {}
extension Set: StacheSequence {}
extension ReversedCollection: StacheSequence {}
