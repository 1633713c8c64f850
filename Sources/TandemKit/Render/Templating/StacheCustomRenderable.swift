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

/// Allow object to override standard hummingbird type rendering which uses
/// `String(describing)`.
protocol StacheCustomRenderable {
    /// Custom rendered version of object
    var renderText: String { get }
    /// Whether the object is a null object. Used when scoping sections
    var isNull: Bool { get }
}

extension StacheCustomRenderable {
    /// default version returning the standard rendering
    var renderText: String { String(describing: self) }
    /// default version returning false
    var isNull: Bool { false }
}

/// Provide a custom representation of an object.
///
/// This allows for representation selection at runtime.
protocol StacheCustomRepresentation {
    /// How object would like to be represented in mustache context
    var representation: Any? { get }
}

/// Extend NSNull to conform to `StacheCustomRepresentation` to avoid outputting `<null>` and returning
/// a valid response for `isNull`
extension NSNull: StacheCustomRepresentation {
    var representation: Any? { nil }
}
