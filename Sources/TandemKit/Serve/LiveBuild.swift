import Foundation

/// Files that changed on disk, relative to the content and templates folders (as a file watcher reports them).
public struct SourceChanges: Sendable, Equatable {
    public var content: Set<String>
    public var templates: Set<String>
    /// Read the whole folder again: the watcher lost track (event queue overflow, folder replaced).
    public var rescanContent: Bool
    public var rescanTemplates: Bool

    public init(content: Set<String> = [], templates: Set<String> = [], rescanContent: Bool = false, rescanTemplates: Bool = false) {
        self.content = content
        self.templates = templates
        self.rescanContent = rescanContent
        self.rescanTemplates = rescanTemplates
    }

    public var isEmpty: Bool { content.isEmpty && templates.isEmpty && !rescanContent && !rescanTemplates }

    public mutating func formUnion(_ other: SourceChanges) {
        content.formUnion(other.content)
        templates.formUnion(other.templates)
        rescanContent = rescanContent || other.rescanContent
        rescanTemplates = rescanTemplates || other.rescanTemplates
    }
}

/// How a rebuild was done.
public enum RebuildKind: String, Sendable {
    /// Everything loaded (unchanged files from the cache), validated and rendered.
    case full
    /// Only the edited profiles were parsed; only the pages of their neighbourhood were rendered.
    case profiles
    /// Only copied files (CSS, images) changed: nothing was rendered.
    case assets
}

/// One state of a live build: what is served, and the diagnostics of the latest rebuild.
public struct LiveSnapshot: Sendable {
    /// Counts up with every snapshot.
    public let generation: Int
    /// The output of the last successful build, patched by every successful rebuild since: path below the output folder → bytes.
    public let files: LayeredMap<[UInt8]>
    /// Copied files: path below the output folder → absolute source path.
    public let copies: LayeredMap<String>
    /// False until a build succeeded once.
    public let hasOutput: Bool
    /// The latest rebuild's diagnostics, sorted. With an error, `files` is the last good output.
    public let diagnostics: [Diagnostic]
    /// Output paths whose content differs from the previous snapshot's (added, changed, removed).
    public let changedPaths: Set<String>
    /// Content and theme files the rebuild read again, as the user names them.
    public let changedSources: [String]
    public let kind: RebuildKind
    /// Files rendered by this rebuild (for the log: a profile edit renders only its neighbourhood).
    public let renderedFiles: Int
    /// Wall-clock time of the rebuild.
    public let seconds: Double

    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The latest successful output as a tree (e.g. for `OutputWriter`).
    public var outputTree: OutputTree {
        var tree = OutputTree()
        for (path, bytes) in files.dictionary { tree.add(path, bytes: bytes) }
        for (path, source) in copies.dictionary { tree.copy(source, to: path) }
        return tree
    }
}

/// An incremental build for `tandem serve`: it keeps every parsed file, the theme and the last good output in memory
/// and, after a change, does as little as the change needs.
///
/// - Only files named in a change are read and parsed again (`SourceFiles`); the model is then built from the cached records.
/// - A change to profiles/ only (the common edit) renders just the neighbourhood of the edited people (see `projection`)
///   before and after the edit and takes over the pages that changed, checking that each of them is a page the
///   neighbourhood reproduces exactly; when one is not (a page that sums up everybody), it falls back to a full rebuild.
/// - A change to a copied file (CSS, photo) renders nothing.
/// - Anything else (programme.yml, the CSV files, feedback, pages, templates) loads, validates and renders everything,
///   then compares page by page so only changed pages count as changed.
///
/// A rebuild with errors keeps serving the last good output, with the new diagnostics.
/// Not thread-safe: use one instance from one thread.
public final class LiveBuild {
    public let options: BuildOptions
    private var files: SourceFiles
    private var theme: Theme?
    private var themeDiagnostics: [Diagnostic] = []
    private var themeLoaded = false

    /// The last successful build: its output and its diagnostics (unsorted, before --strict), kept apart as those of
    /// loading, validating and the theme, and those of rendering and the link check (which a failed build lacks).
    private struct Good {
        var output: LayeredMap<[UInt8]>
        var copies: LayeredMap<String>
        var modelDiagnostics: [Diagnostic]
        var renderDiagnostics: [Diagnostic]
        var diagnostics: [Diagnostic] { modelDiagnostics + renderDiagnostics }
    }
    private var good: Good?
    /// A change since `good` that only a full rebuild can take in.
    private var needsFull = true
    /// Participants whose profile files changed since `good`.
    private var pendingProfiles = Set<String>()
    /// Profile files changed since `good`, as they were then (nil: the file did not exist): with them the folder can
    /// be seen as it was at the last good build, without keeping a copy of every file's record.
    private var profileUndo: [String: CachedSource?] = [:]
    /// The neighbourhood render of the last profile rebuild (it is `good` for those people).
    private var lastProjection: (ids: Set<String>, output: OutputTree)?
    private var generation = 0
    public private(set) var snapshot: LiveSnapshot?

    public init(options: BuildOptions) {
        self.options = options
        files = SourceFiles(contentPath: options.contentPath)
    }

    /// The first build: reads everything.
    @discardableResult
    public func build() -> LiveSnapshot {
        let started = Date()
        let changed = files.scanAll()
        loadTheme()
        needsFull = true
        return fullBuild(started: started, changedSources: changed.sorted().map(files.display))
    }

    /// Takes in a change; nil when it changed nothing the build reads (a save without edits, a file Tandem ignores).
    public func update(_ changes: SourceChanges) -> LiveSnapshot? {
        guard snapshot != nil else { return build() }
        let started = Date()
        var previous: [String: CachedSource?] = [:]
        if changes.rescanContent {
            // What changed is not known file by file: read everything again and rebuild everything.
            for relative in files.scanAll() { previous[relative] = .some(nil) }
            if !previous.isEmpty { needsFull = true }
        } else {
            previous = files.refresh(changes.content)
        }
        guard !previous.isEmpty || !changes.templates.isEmpty || changes.rescanTemplates else { return nil }
        var changedSources = previous.keys.sorted().map(files.display)
        var copiedSources = Set<String>()
        var profiles = Set<String>()
        for (relative, before) in previous {
            if let id = SourceFiles.profileID(relative) {
                profiles.insert(id)
                if !profileUndo.keys.contains(relative) { profileUndo[relative] = .some(before) }
            } else if relative.hasPrefix("assets/"), case .asset? = before?.parsed, case .asset? = files.entries[relative]?.parsed {
                copiedSources.insert(files.root.path + "/" + relative)
            } else {
                needsFull = true
            }
        }
        if changes.rescanTemplates || !changes.templates.isEmpty {
            let display = Self.displayPath(options.templatesPath ?? Theme.builtInDisplay)
            changedSources += changes.templates.sorted().map { display + "/" + $0 }
            let themeAssets = Set(theme?.assets ?? [])
            let onlyAssets =
                !changes.rescanTemplates && theme != nil
                && changes.templates.allSatisfy { relative in
                    relative.hasPrefix("assets/") && themeAssets.contains(String(relative.dropFirst("assets/".count)))
                        && theme?.assetFile(String(relative.dropFirst("assets/".count))).map { FileManager.default.fileExists(atPath: $0) }
                            == true
                }
            if onlyAssets, let theme {
                for relative in changes.templates {
                    if let file = theme.assetFile(String(relative.dropFirst("assets/".count))) { copiedSources.insert(file) }
                }
            } else {
                loadTheme()
                needsFull = true
            }
        }
        if needsFull || good == nil { return fullBuild(started: started, changedSources: changedSources) }
        pendingProfiles.formUnion(profiles)
        var profileSnapshot: LiveSnapshot?
        if !profiles.isEmpty {
            guard let result = profileBuild(started: started, changedSources: changedSources) else {
                return fullBuild(started: started, changedSources: changedSources)
            }
            profileSnapshot = result
        }
        guard !copiedSources.isEmpty, let good else { return profileSnapshot }
        // Copied files: the output is the same, the files behind some of its paths changed.
        let copied = Set(good.copies.keys.filter { good.copies[$0].map(copiedSources.contains) ?? false })
        if let profileSnapshot {
            return publish(
                files: profileSnapshot.files, copies: profileSnapshot.copies, diagnostics: profileSnapshot.diagnostics,
                changed: profileSnapshot.changedPaths.union(copied), changedSources: changedSources, kind: .profiles,
                rendered: profileSnapshot.renderedFiles, started: started)
        }
        guard !copied.isEmpty else { return nil }
        return publish(
            files: good.output, copies: good.copies, diagnostics: snapshot?.diagnostics ?? [], changed: copied,
            changedSources: changedSources,
            kind: .assets, rendered: 0, started: started)
    }

    // MARK: Rebuilds

    private func loadTheme() {
        var diagnostics = Diagnostics()
        theme = Theme.load(path: options.templatesPath, diagnostics: &diagnostics)
        themeDiagnostics = diagnostics.all
        themeLoaded = true
    }

    /// Load (from the cache), validate and render everything, as `Pipeline.render` does.
    private func fullBuild(started: Date, changedSources: [String]) -> LiveSnapshot {
        if !themeLoaded { loadTheme() }
        files.prepare(workers: options.workerCount)
        let (sources, loadDiagnostics) = files.sources()
        var diagnostics = loadDiagnostics
        let programme = ModelBuilder.build(sources, diagnostics: &diagnostics)
        for diagnostic in themeDiagnostics { diagnostics.append(diagnostic) }
        guard let programme, let theme, !diagnostics.hasErrors else {
            return failed(diagnostics.all, changedSources: changedSources, kind: .full, started: started)
        }
        let modelDiagnostics = diagnostics.all
        // Cards unchanged since the build in the output folder are taken from there, as `tandem build` does: without
        // it the first page at 10,000 participants would wait for 5,000 cards to be drawn.
        let tree = Pipeline.renderOutput(
            programme, theme: theme, diagnostics: &diagnostics, workers: options.workerCount,
            previousOutput: options.outputPath.isEmpty ? nil : options.outputPath)
        // Every internal link and #anchor must resolve (as in `Pipeline.render`).
        for finding in LinkChecker.diagnostics(tree, outputPath: options.outputPath) { diagnostics.append(finding) }
        guard !effective(diagnostics.all).contains(where: { $0.severity == .error }) else {
            return failed(diagnostics.all, changedSources: changedSources, kind: .full, started: started)
        }
        let previous = good
        var changed = Set<String>()
        for (path, bytes) in tree.files where previous?.output[path] != bytes { changed.insert(path) }
        for (path, source) in tree.copies where previous?.copies[path] != source { changed.insert(path) }
        if let previous {
            for path in previous.output.keys where tree.files[path] == nil { changed.insert(path) }
            for path in previous.copies.keys where tree.copies[path] == nil { changed.insert(path) }
        }
        profileUndo = [:]
        let output = LayeredMap(tree.files)
        let copies = LayeredMap(tree.copies)
        good = Good(
            output: output, copies: copies, modelDiagnostics: modelDiagnostics,
            renderDiagnostics: Array(diagnostics.all.dropFirst(modelDiagnostics.count)))
        needsFull = false
        pendingProfiles = []
        lastProjection = nil
        return publish(
            files: output, copies: copies, diagnostics: diagnostics.all, changed: changed, changedSources: changedSources, kind: .full,
            rendered: tree.files.count, started: started)
    }

    /// Renders the neighbourhood of `pendingProfiles` before and after; nil when a full rebuild is needed instead.
    private func profileBuild(started: Date, changedSources: [String]) -> LiveSnapshot? {
        guard let good, let theme else { return nil }
        let ids = pendingProfiles
        // Diagnostics of these files are replaced by the neighbourhood's; every other file's stay as the full build gave them.
        var affected = Set<String>()
        for id in ids {
            for relative in files.profilesByID[id] ?? [] { affected.insert(files.display(relative)) }
        }
        for relative in profileUndo.keys {
            if let id = SourceFiles.profileID(relative), ids.contains(id) { affected.insert(files.display(relative)) }
        }
        files.prepare(workers: options.workerCount)
        guard let (newSources, loadDiagnostics) = files.projection(of: ids) else { return nil }
        var newDiagnostics = loadDiagnostics
        let newProgramme = ModelBuilder.build(newSources, diagnostics: &newDiagnostics)
        var merged = good.modelDiagnostics.filter { !affected.contains($0.path) }
        merged += newDiagnostics.all.filter { affected.contains($0.path) }
        let unrelatedErrors = newDiagnostics.all.contains { $0.severity == .error && !affected.contains($0.path) }
        guard let newProgramme, !unrelatedErrors else {
            // An error in an edited profile: serve the last good output with it. Any other error: let a full build judge.
            if !unrelatedErrors, effective(merged).contains(where: { $0.severity == .error }) {
                return failed(merged, changedSources: changedSources, kind: .profiles, started: started)
            }
            return nil
        }
        let mergedModel = merged
        var renderDiagnostics = Diagnostics()
        let newOutput = Pipeline.renderOutput(newProgramme, theme: theme, diagnostics: &renderDiagnostics, workers: 1)
        merged += good.renderDiagnostics.filter { !affected.contains($0.path) }
        merged += renderDiagnostics.all.filter { affected.contains($0.path) }
        if effective(merged).contains(where: { $0.severity == .error }) {
            return failed(merged, changedSources: changedSources, kind: .profiles, started: started)
        }
        var rendered = newOutput.files.count
        let oldOutput: OutputTree
        if let last = lastProjection, last.ids == ids {
            oldOutput = last.output
        } else {
            guard let (oldSources, _) = files.projection(of: ids, previous: profileUndo) else { return nil }
            var oldDiagnostics = Diagnostics()
            guard let oldProgramme = ModelBuilder.build(oldSources, diagnostics: &oldDiagnostics) else { return nil }
            oldOutput = Pipeline.renderOutput(oldProgramme, theme: theme, diagnostics: &oldDiagnostics, workers: 1)
            rendered += oldOutput.files.count
        }
        // Take over what the edit changed, where the neighbourhood reproduces the full build's page exactly.
        var output = good.output
        var copies = good.copies
        var changed = Set<String>()
        guard Self.takeOver(from: oldOutput.files, to: newOutput.files, into: &output, changed: &changed),
            Self.takeOver(from: oldOutput.copies, to: newOutput.copies, into: &copies, changed: &changed)
        else { return nil }
        // The link check of the changed pages, against the whole output (as `Pipeline.render` checks every page).
        let prefix = options.outputPath.isEmpty ? "" : (options.outputPath.hasSuffix("/") ? options.outputPath : options.outputPath + "/")
        let changedPages = Set(changed.map { prefix + $0 })
        merged.removeAll { changedPages.contains($0.path) && $0.message.hasPrefix(LinkChecker.messagePrefix) }
        merged += ScopedLinkCheck.diagnostics(pages: changed, files: output, copies: copies, outputPath: options.outputPath)
        if effective(merged).contains(where: { $0.severity == .error }) {
            return failed(merged, changedSources: changedSources, kind: .profiles, started: started)
        }
        profileUndo = [:]
        self.good = Good(
            output: output, copies: copies, modelDiagnostics: mergedModel,
            renderDiagnostics: Array(merged.dropFirst(mergedModel.count)))
        pendingProfiles = []
        lastProjection = (ids, newOutput)
        return publish(
            files: output, copies: copies, diagnostics: merged, changed: changed, changedSources: changedSources, kind: .profiles,
            rendered: rendered, started: started)
    }

    /// Applies to `current` what changed between `old` and `new` (the neighbourhood rendered before and after the edit),
    /// noting each path in `changed`; false when `current` does not hold what `old` had there, so the neighbourhood does
    /// not reproduce the full build and only a full rebuild is right.
    private static func takeOver<Value: Sendable & Equatable>(
        from old: [String: Value], to new: [String: Value], into current: inout LayeredMap<Value>, changed: inout Set<String>
    ) -> Bool {
        for path in Set(old.keys).union(new.keys) {
            let before = old[path]
            let after = new[path]
            guard before != after else { continue }
            guard current[path] == before else { return false }
            current[path] = after
            changed.insert(path)
        }
        return true
    }

    // MARK: Snapshots

    /// With `--strict` every warning counts as an error (as in `Pipeline`).
    private func effective(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        options.strict
            ? diagnostics.map {
                var d = $0; d.severity = .error; return d
            } : diagnostics
    }

    private func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var collected = Diagnostics()
        for diagnostic in effective(diagnostics) { collected.append(diagnostic) }
        return collected.sorted
    }

    private func failed(_ diagnostics: [Diagnostic], changedSources: [String], kind: RebuildKind, started: Date) -> LiveSnapshot {
        publish(
            files: good?.output ?? LayeredMap(), copies: good?.copies ?? LayeredMap(), diagnostics: diagnostics, changed: [],
            changedSources: changedSources, kind: kind,
            rendered: 0, started: started)
    }

    private func publish(
        files: LayeredMap<[UInt8]>, copies: LayeredMap<String>, diagnostics: [Diagnostic], changed: Set<String>, changedSources: [String],
        kind: RebuildKind, rendered: Int, started: Date
    ) -> LiveSnapshot {
        generation += 1
        let result = LiveSnapshot(
            generation: generation, files: files, copies: copies, hasOutput: good != nil, diagnostics: sorted(diagnostics),
            changedPaths: changed,
            changedSources: changedSources, kind: kind, renderedFiles: rendered, seconds: Date().timeIntervalSince(started))
        snapshot = result
        return result
    }

    static func displayPath(_ path: String) -> String { path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path }
}
