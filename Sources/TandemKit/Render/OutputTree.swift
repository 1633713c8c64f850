import Foundation

/// Everything one build writes: generated files and files copied as they are, keyed by their path inside Output/.
public struct OutputTree: Sendable {
    /// Generated files: path below the output folder → bytes.
    public private(set) var files: [String: [UInt8]] = [:]
    /// Copied files: path below the output folder → absolute source path.
    public private(set) var copies: [String: String] = [:]

    public init() {}

    public mutating func add(_ path: String, _ text: String) { files[path] = Array(text.utf8) }
    public mutating func add(_ path: String, bytes: [UInt8]) { files[path] = bytes }
    public mutating func copy(_ source: String, to path: String) { copies[path] = source }

    /// Adds every file of `other`.
    public mutating func merge(_ other: OutputTree) {
        files.merge(other.files) { _, new in new }
        copies.merge(other.copies) { _, new in new }
    }

    /// Drops every file outside `folders` (top-level folder names with their slash, e.g. `site/`).
    mutating func keep(folders: Set<String>) {
        func inside(_ path: String) -> Bool {
            guard let slash = path.firstIndex(of: "/") else { return false }
            return folders.contains(String(path[...slash]))
        }
        files = files.filter { inside($0.key) }
        copies = copies.filter { inside($0.key) }
    }

    public var count: Int { files.count + copies.count }
    public var paths: [String] { (Array(files.keys) + Array(copies.keys)).sorted() }
}

/// What one rendering job produced: its files and (for site pages) the pages' paths for the sitemap.
struct RenderPart {
    var output = OutputTree()
    var pagePaths: [String] = []
    /// What an external renderer could not produce (librsvg refusing a card's SVG); content problems are reported
    /// before rendering, never here.
    var failures: [Diagnostic] = []
}
