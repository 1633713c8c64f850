// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Lambda function. Can add this to object being rendered to filter contents of objects.
///
/// See http://mustache.github.io/mustache.5.html for more details on
/// mustache lambdas.
/// e.g
/// ```
/// struct Object {
///     let name: String
///     let wrapped: StacheLambda
/// }
/// let willy = Object(name: "Willy", wrapped: .init({ string in
///     return "<b>\(string)</b>"
/// }))
/// let mustache = "{{#wrapped}}{{name}} is awesome.{{/wrapped}}"
/// let template = try StacheTemplate(string: mustache)
/// let output = template.render(willy)
/// print(output) // <b>Willy is awesome</b>
/// ```
///
struct StacheLambda {
    /// lambda callback
    typealias Callback = (String) -> Any?

    let callback: Callback

    /// Initialize `StacheLambda`
    /// - Parameter cb: function to be called by lambda
    init(_ cb: @escaping Callback) {
        self.callback = cb
    }

    /// Initialize `StacheLambda`
    /// - Parameter cb: function to be called by lambda
    init(_ cb: @escaping () -> Any?) {
        self.callback = { _ in cb() }
    }

    internal func callAsFunction(_ s: String) -> Any? {
        self.callback(s)
    }
}
