// Vendored from hummingbird-project/swift-mustache 2.1.1 (Apache-2.0, see the header below), renamed
// Mustache -> Stache and made internal so Tandem can speed up rendering without changing its behaviour.
//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//

/// Protocol for object that has a custom method for accessing their children, instead
/// of using Mirror
protocol StacheParent {
    func child(named: String) -> Any?
}

/// Extend dictionary where the key is a string so that it uses the key values to access
/// it values
extension Dictionary: StacheParent where Key == String {
    func child(named: String) -> Any? { self[named] }
}
