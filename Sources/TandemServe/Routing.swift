import Foundation
import TandemKit

/// Where a request path leads in the output: site/ at `/`, print/, internal/ and mail/ under their own names.
/// Pure functions of the path and the snapshot, so the mapping (and its refusals) can be tested without a server.
enum Route: Equatable {
    /// A file of the output (generated or copied), by its path below the output folder.
    case file(String)
    /// A folder asked for without its trailing slash: relative links need it.
    case redirect(String)
    /// A mounted folder without index.html: a list of its files.
    case listing(folder: String)
    case notFound
    /// Not a path of the served folders at all (`..`, encoded slashes, control characters).
    case badRequest

    /// The folders served under their own name.
    static let mounts = ["print", "internal", "mail"]

    /// - Parameters:
    ///   - rawPath: the request target's path, still percent-encoded (without the query).
    ///   - mounts: the folders served besides site/ (internal/ and mail/ only on a loopback address).
    ///   - exists: whether the output has this path (file or copy).
    static func resolve(_ rawPath: String, mounts: [String], exists: (String) -> Bool) -> Route {
        guard rawPath.hasPrefix("/") else { return .badRequest }
        var segments: [String] = []
        for raw in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = raw.removingPercentEncoding else { return .badRequest }
            if segment.isEmpty { continue }
            if segment == "." || segment == ".." || segment.contains("/") || segment.contains("\\")
                || segment.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            {
                return .badRequest
            }
            segments.append(segment)
        }
        let trailingSlash = rawPath.hasSuffix("/")
        var folder = "site/"
        var rest = segments
        var mounted = false
        if let first = segments.first, mounts.contains(first) {
            folder = first + "/"
            rest = Array(segments.dropFirst())
            mounted = true
        }
        let joined = rest.joined(separator: "/")
        if mounted && rest.isEmpty && !trailingSlash { return .redirect("/" + folder) }
        if rest.isEmpty || trailingSlash {
            let index = folder + (joined.isEmpty ? "" : joined + "/") + "index.html"
            if exists(index) { return .file(index) }
            return mounted && rest.isEmpty ? .listing(folder: folder) : .notFound
        }
        let path = folder + joined
        if exists(path) { return .file(path) }
        if exists(path + "/index.html") { return .redirect(encodedPath(segments) + "/") }
        return .notFound
    }

    /// `/a/b c` from segments, percent-encoded again for a Location header.
    static func encodedPath(_ segments: [String]) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;"))
        return "/" + segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }.joined(separator: "/")
    }
}
