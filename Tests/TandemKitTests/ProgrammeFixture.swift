import Foundation
import XCTest

@testable import TandemKit

/// A temporary programme folder with small, valid content (see `defaultFiles`).
/// Each test changes single files with `write`, `append` or `replace`, builds into its own output folder
/// and checks what a user would see. `cleanUp()` removes everything.
///
/// The roster:
///
/// | line | id             | role   | organisation | publish | photo            |
/// | ---- | -------------- | ------ | ------------ | ------- | ---------------- |
/// | 2    | anna-muster    | mentor | Alpha AG     | yes     | photos/anna.jpg  |
/// | 3    | bruno-beispiel | mentee | Beta AG      | yes     |                  |
/// | 4    | clara-geheim   | mentor | Gamma AG     | **no**  | photos/clara.jpg |
/// | 5    | dieter-daten   | mentee | Delta AG     | yes     |                  |
///
/// Tandems: `anna-bruno` (pairs.csv line 2, both published) and `clara-dieter` (line 3, Clara unpublished).
final class ProgrammeFixture {
    /// The package's real theme folder.
    static let templatesPath: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates").path

    /// The package root (for the CLI test).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A unique temporary folder holding `Content/` and the test's output folders.
    let root: URL
    /// The content folder, as passed to the pipeline (diagnostics start with it).
    var contentPath: String { root.appendingPathComponent("Content").path }

    // MARK: Names that must (not) show up on the site

    static let emails = [
        "anna.muster@alpha.example.ch", "bruno@beta.example.ch", "clara.geheim@gamma.example.ch", "dieter@delta.example.ch",
        "programm@forum-test.example.ch",
    ]
    static let hiddenName = "Clara Geheimnis"
    static let hiddenID = "clara-geheim"
    static let meetingNotes = ["NOTIZ-ANNA-BRUNO", "NOTIZ-CLARA-DIETER"]
    static let privateFeedback = "PRIVATTEXT"
    static let anonymousFeedback = "ANONYMTEXT"
    static let quoteFeedback = "ZITATTEXT"

    static let defaultFiles: [String: String] = [
        "programme.yml": """
        title: "Reverse Mentoring Test"
        organiser: "Forum Test"
        language: de
        base_url: "https://mentoring.example.ch/"
        start: 2026-03-01
        end: 2026-08-31
        contact:
          name: "Programmbüro"
          email: "programm@forum-test.example.ch"
        rules:
          cross_organisation: required
          pairs_per_person: 1
        milestones:
          - date: 2026-03-05
            title: "Kick-off"
            location: "Bern"
        feedback:
          scale: 5
          questions:
            nutzen: "Wie nützlich waren die Treffen?"

        """,
        "participants.csv": """
        id,name,role,organisation,position,email,languages,topics,publish,photo
        anna-muster,Anna Muster,mentor,Alpha AG,Social-Media-Managerin,anna.muster@alpha.example.ch,de;en,TikTok;KI-Tools,yes,photos/anna.jpg
        bruno-beispiel,Bruno Beispiel,mentee,Beta AG,CEO,bruno@beta.example.ch,de,TikTok,yes,
        clara-geheim,Clara Geheimnis,mentor,Gamma AG,Redaktorin,clara.geheim@gamma.example.ch,fr,Podcasts,no,photos/clara.jpg
        dieter-daten,Dieter Daten,mentee,Delta AG,CFO,dieter@delta.example.ch,de,Podcasts,yes,

        """,
        "pairs.csv": """
        id,mentor,mentee,started,goals,status
        anna-bruno,anna-muster,bruno-beispiel,2026-03-05,Instagram verstehen;KI ausprobieren,active
        clara-dieter,clara-geheim,dieter-daten,2026-03-06,Podcast starten,active

        """,
        "meetings.csv": """
        pair,date,minutes,format,topics,note
        anna-bruno,2026-03-12,60,in-person,TikTok,NOTIZ-ANNA-BRUNO vertraulich
        clara-dieter,2026-03-15,45,video,Podcasts,NOTIZ-CLARA-DIETER vertraulich

        """,
        "profiles/anna-muster.md": """
        ---
        quote: "Lernen geht in beide Richtungen."
        ---
        Ich zeige, wie TikTok funktioniert.

        """,
        "profiles/clara-geheim.md": """
        Clara schreibt CLARAPROFIL über Podcasts.

        """,
        "feedback/anna-bruno-mentee-kickoff.md": """
        ---
        pair: anna-bruno
        author: mentee
        phase: kickoff
        date: 2026-03-20
        ratings:
          nutzen: 4
        share: quote
        ---
        Ich habe ZITATTEXT viel über TikTok gelernt.

        """,
        "feedback/anna-bruno-mentor-kickoff.md": """
        ---
        pair: anna-bruno
        author: mentor
        phase: kickoff
        date: 2026-03-21
        ratings:
          nutzen: 5
        share: private
        ---
        PRIVATTEXT Der Mentee ist sehr engagiert.

        """,
        "feedback/clara-dieter-mentee-kickoff.md": """
        ---
        pair: clara-dieter
        author: mentee
        phase: kickoff
        date: 2026-03-22
        ratings:
          nutzen: 3
        share: anonymous
        ---
        ANONYMTEXT Die Treffen waren hilfreich.

        """,
        "pages/about.md": """
        ---
        title: Über das Programm
        order: 1
        ---
        Das Programm bringt Generationen zusammen.

        ## Ablauf

        Wir treffen uns "hier" jede Woche.

        """,
        "assets/photos/anna.jpg": "ANNA-JPEG-BYTES",
        "assets/photos/clara.jpg": "CLARA-JPEG-BYTES",
    ]

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("TandemTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, contents) in Self.defaultFiles { write(name, contents) }
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: Changing the content

    /// Writes (or overwrites) `name` below Content/ as UTF-8.
    func write(_ name: String, _ contents: String) {
        write(name, bytes: Array(contents.utf8))
    }

    /// Writes raw bytes (e.g. a Windows-1252 CSV file).
    func write(_ name: String, bytes: [UInt8]) {
        let url = root.appendingPathComponent("Content").appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
    }

    func read(_ name: String) -> String {
        try! String(contentsOf: root.appendingPathComponent("Content").appendingPathComponent(name), encoding: .utf8)
    }

    /// Adds one line at the end of a file (the default files end with a newline).
    func append(_ name: String, line: String) {
        write(name, read(name) + line + "\n")
    }

    /// Replaces the one occurrence of `old` in `name`.
    func replace(_ name: String, _ old: String, with new: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = read(name)
        guard text.contains(old) else {
            XCTFail("fixture \(name) does not contain \(old)", file: file, line: line)
            return
        }
        write(name, text.replacingOccurrences(of: old, with: new))
    }

    func remove(_ name: String) {
        try? FileManager.default.removeItem(at: root.appendingPathComponent("Content").appendingPathComponent(name))
    }

    /// `Content/<name>` as diagnostics show it.
    func path(_ name: String) -> String { contentPath + "/" + name }

    // MARK: Running

    /// A fresh output folder path below the fixture (not created).
    func outputPath(_ name: String = "Output") -> String { root.appendingPathComponent(name).path }

    func options(output: String? = nil, strict: Bool = false) -> BuildOptions {
        BuildOptions(
            contentPath: contentPath, templatesPath: Self.templatesPath, outputPath: output ?? outputPath(), strict: strict)
    }

    @discardableResult
    func build(output: String? = nil, strict: Bool = false) -> BuildResult {
        Pipeline.build(options(output: output, strict: strict))
    }

    func check(output: String? = nil, strict: Bool = false) -> BuildResult {
        Pipeline.check(options(output: output, strict: strict))
    }
}

// MARK: - Reading the output

/// Every regular file below `folder`, by path relative to it.
func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = enumerator.nextObject() as? String {
        let full = folder + "/" + relative
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = FileManager.default.contents(atPath: full) ?? Data()
        }
    }
    return files
}

/// The text of `Output/<relative>`, or nil when it does not exist.
func readText(_ output: String, _ relative: String) -> String? {
    guard let data = FileManager.default.contents(atPath: output + "/" + relative) else { return nil }
    return String(decoding: data, as: UTF8.self)
}

func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

// MARK: - Base class

/// Creates a fixture before each test and removes it afterwards.
class TandemTestCase: XCTestCase {
    var fixture: ProgrammeFixture!
    /// The default output folder of the fixture.
    var output: String { fixture.outputPath() }

    override func setUpWithError() throws {
        try super.setUpWithError()
        fixture = try ProgrammeFixture()
    }

    override func tearDown() {
        fixture?.cleanUp()
        fixture = nil
        super.tearDown()
    }

    /// All diagnostics, one a line, for failure messages.
    func listing(_ result: BuildResult) -> String {
        result.diagnostics.isEmpty ? "(no diagnostics)" : result.diagnostics.map(\.description).joined(separator: "\n")
    }

    /// Asserts the build succeeded without errors (warnings allowed).
    func assertSucceeded(_ result: BuildResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(result.succeeded, "expected success, got:\n\(listing(result))", file: file, line: line)
    }

    /// Asserts there is a diagnostic at exactly `<content>/<name>:<line>` with `severity`, whose message contains
    /// every text of `contains`. Returns it.
    @discardableResult
    func assertDiagnostic(
        _ result: BuildResult, _ severity: Severity = .error, in name: String, line expectedLine: Int?,
        contains texts: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) -> Diagnostic? {
        let path = fixture.path(name)
        let match = result.diagnostics.first { d in
            d.severity == severity && d.path == path && d.line == expectedLine
                && texts.allSatisfy { d.message.localizedCaseInsensitiveContains($0) }
        }
        let location = expectedLine.map { "\(path):\($0)" } ?? path
        XCTAssertNotNil(
            match, "expected '\(location): \(severity.rawValue): …\(texts.joined(separator: "…"))…', got:\n\(listing(result))",
            file: file, line: line)
        if let match {
            let prefix = location + (match.column.map { ":\($0)" } ?? "") + ": \(severity.rawValue): "
            XCTAssertTrue(
                match.description.hasPrefix(prefix), "description '\(match.description)' should start with '\(prefix)'", file: file,
                line: line)
        }
        return match
    }

    func errors(_ result: BuildResult) -> [Diagnostic] { result.diagnostics.filter { $0.severity == .error } }
}

// MARK: - Running the executable

/// What a run of the `tandem` executable printed and how it ended.
struct TandemRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `tandem` executable with `arguments` in `folder`, as a user would from a shell.
func runTandem(_ arguments: [String], in folder: URL) throws -> TandemRun {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("tandem"),
        ProgrammeFixture.packageRoot.appendingPathComponent(".build/debug/tandem"),
    ]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw MissingExecutable(looked: candidates.map(\.path))
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return TandemRun(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

private struct MissingExecutable: Error, CustomStringConvertible {
    var looked: [String]
    var description: String { "tandem executable not found (run `swift build` first); looked at \(looked)" }
}
