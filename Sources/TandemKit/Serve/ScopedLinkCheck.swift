import Foundation

/// The link check (`LinkChecker`) for a few pages of a large output: what it reports for `pages` when it checks the
/// whole output, without scanning every page. It builds a small tree of the pages and what their links point at
/// (anchor targets with their bytes, other targets as copies, which only need to exist) and checks that.
enum ScopedLinkCheck {
    static func diagnostics(pages: Set<String>, files: LayeredMap<[UInt8]>, copies: LayeredMap<String>, outputPath: String) -> [Diagnostic]
    {
        let checked = pages.filter { page in
            page.hasSuffix(".html") && LinkChecker.folders.contains { page.hasPrefix($0) } && files[page] != nil
        }
        guard !checked.isEmpty else { return [] }
        var view = OutputTree()
        var asPage = Set<String>()
        func include(_ path: String, anchor: Bool) {
            if let bytes = files[path] {
                if anchor || checked.contains(path) {
                    view.add(path, bytes: bytes)
                    asPage.insert(path)
                } else if !asPage.contains(path) {
                    view.copy("", to: path)
                }
            } else if let source = copies[path] {
                view.copy(source, to: path)
            } else {
                // A folder: what the checker says depends on its index.html.
                let index = path.isEmpty ? "index.html" : path + "/index.html"
                if files[index] != nil || copies[index] != nil, !asPage.contains(index) { view.copy("", to: index) }
            }
        }
        for page in checked.sorted() {
            include(page, anchor: true)
            for link in LinkChecker.scan(files[page]!).links {
                guard let (target, anchor) = resolve(link.value, from: page) else { continue }
                include(target, anchor: anchor)
            }
        }
        let prefix = outputPath.isEmpty ? "" : (outputPath.hasSuffix("/") ? outputPath : outputPath + "/")
        let wanted = Set(checked.map { prefix + $0 })
        return LinkChecker.check(view, outputPath: outputPath).diagnostics.filter { wanted.contains($0.path) }
    }

    /// The output path a relative link leads to, and whether it has an `#anchor`; nil for links the checker does not
    /// follow (external, empty) or cannot resolve (it reports those from the page alone).
    static func resolve(_ link: String, from page: String) -> (String, Bool)? {
        if link.isEmpty || LinkChecker.isExternal(link) { return nil }
        var rest = Substring(link)
        var anchor = false
        if let hash = rest.firstIndex(of: "#") {
            anchor = rest.index(after: hash) < rest.endIndex
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        if rest.isEmpty { return nil }
        guard !rest.hasPrefix("/"), let decoded = LinkChecker.percentDecoded(rest) else { return nil }
        var segments = page.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case "", ".": continue
            case "..":
                if segments.isEmpty { return nil }
                segments.removeLast()
            default: segments.append(String(segment))
            }
        }
        return (segments.joined(separator: "/"), anchor)
    }
}
