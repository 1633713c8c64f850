import Foundation

/// The raw records of a programme folder: parsed files, not yet checked against each other.
struct ProgrammeSources {
    var settings: YAMLValue?
    var settingsPath: String
    var participants: CSVTable?
    var pairs: CSVTable?
    var meetings: CSVTable?
    var profiles: [MarkdownSource] = []
    var feedback: [MarkdownSource] = []
    var pages: [MarkdownSource] = []
    /// Tandem portraits (tandems/<tandem-id>.md and their translations).
    var tandems: [MarkdownSource] = []
    /// Files below `assets/`, as paths relative to it, sorted.
    var assets: [String] = []
    /// The content folder as the user named it (for messages) and as an absolute URL (for reading).
    var displayRoot: String
    var root: URL
}

/// Column names of the CSV files, as SPEC.md lists them.
enum Columns {
    static let participantsRequired = ["id", "name", "role", "organisation"]
    static let participants = participantsRequired + ["position", "email", "languages", "topics", "publish", "photo", "gender"]
    static let pairsRequired = ["mentor", "mentee"]
    /// `score` and `reasons` are written by `tandem match`; the build ignores them.
    static let pairs = ["id"] + pairsRequired + ["started", "goals", "status", "score", "reasons"]
    static let meetingsRequired = ["pair", "date"]
    static let meetings = meetingsRequired + ["minutes", "format", "topics", "note"]
}

enum ProgrammeFolder {
    /// Reads every file SPEC.md names below `contentPath` with the rules of `ContentFile` (no links, no special
    /// files, size limits). Unreadable or malformed files become diagnostics. This is `SourceFiles` without a cache:
    /// `tandem serve` keeps the same loader between edits, `tandem match` asks it for the few files it needs.
    static func load(
        contentPath: String, diagnostics: inout Diagnostics, workers: Int = Parallel.defaultWorkers,
        progress: ProgressReporter = ProgressReporter(nil)
    ) -> ProgrammeSources {
        var files = SourceFiles(contentPath: contentPath, keepsCache: false)
        files.scanAll(workers: workers, progress: progress)
        let (sources, found) = files.sources()
        diagnostics.append(contentsOf: found)
        diagnostics.append(
            contentsOf: PublicText.addressWarnings(
                assetsFolder: sources.root.path + "/assets", assets: sources.assets, display: files.display("assets")))
        return sources
    }
}
