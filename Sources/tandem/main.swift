import ArgumentParser
import Foundation
import TandemKit
import TandemServe

/// Options shared by the commands that read a programme folder.
struct FolderOptions: ParsableArguments {
    @Option(help: "The programme folder (programme.yml, participants.csv, pairs.csv ...).")
    var content = "Content"

    @Option(
        name: .customLong("templates"),
        help: ArgumentHelp(
            "A folder of theme files that replace the built-in theme's, file by file (default: Templates when it exists).",
            valueName: "dir"))
    var templatesOption: String?

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    /// The override folder: --templates, else `Templates` when the current folder has one (a link is not followed:
    /// the theme loader reports it), else nil for the built-in theme alone.
    var templates: String? {
        if let templatesOption { return templatesOption }
        var info = stat()
        return lstat("Templates", &info) == 0 ? "Templates" : nil
    }
}

/// Prints diagnostics like a compiler: one `path:line: severity: message` per line on stderr.
func report(_ diagnostics: [Diagnostic]) {
    var text = diagnostics.map(\.description).joined(separator: "\n")
    if !text.isEmpty { text += "\n" }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.count - errors
    if errors > 0 {
        text += "\(errors) error\(errors == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")\n"
    }
    FileHandle.standardError.write(Data(text.utf8))
}

@main
struct Tandem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Publishes a mentoring programme: microsite, handouts, announcements and the internal report.",
        version: BuildInfo.versionLine,
        subcommands: [
            Build.self, Check.self, New.self, Sample.self, Serve.self, Match.self, Send.self, ImportCommand.self,
            ThemeCommand.self, BenchAssignment.self,
        ],
        defaultSubcommand: Build.self
    )
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the programme into the output folder (the default command).")

    @OptionGroup var folders: FolderOptions

    @Option(help: "Where to write site/, print/, mail/ and internal/.")
    var output = "Output"

    @Flag(help: "Also write a PDF beside each print HTML (needs WeasyPrint).")
    var pdf = false

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "Render, check and replace only this output (site, print, mail or internal; repeat for several); the others "
                + "stay as the last full build wrote them.", valueName: "output"))
    var only: [OutputPart] = []

    @Flag(help: "Print the wall time of each stage (load, parse, validate, render, check, write) and the peak memory on stderr.")
    var timings = false

    func run() throws {
        Memory.mapLargeBlocks()
        let progress = ProgressBar.forStandardError()
        var handler: (@Sendable (BuildProgress) -> Void)?
        if let progress { handler = { progress.update($0) } }
        var options = BuildOptions(
            contentPath: folders.content, templatesPath: folders.templates, outputPath: output, strict: folders.strict, pdf: pdf,
            progress: handler)
        options.only = Set(only)
        let result = Pipeline.build(options)
        progress?.finish()
        report(result.diagnostics)
        if timings { FileHandle.standardError.write(Data(result.timings.report.utf8)) }
        guard result.succeeded else {
            let shown = output.isEmpty ? "''" : output.hasSuffix("/") ? output : output + "/"
            FileHandle.standardError.write(Data("build failed; \(shown) was left unchanged\n".utf8))
            throw ExitCode(1)
        }
        let count = result.files
        if only.isEmpty {
            print("Built \(count) files into \(output)/")
        } else {
            let rebuilt = Set(only).sorted().map(\.rawValue).joined(separator: ", ")
            let kept = OutputPart.allCases.filter { !only.contains($0) }.map(\.rawValue).joined(separator: ", ")
            print("Built \(count) files into \(output)/ (\(rebuilt); kept as they were: \(kept))")
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the programme folder and templates; writes nothing.")

    @OptionGroup var folders: FolderOptions

    @Flag(help: "Report only the link check: every internal link and #anchor in site/, print/ and internal/ must resolve.")
    var links = false

    func run() throws {
        let options = BuildOptions(contentPath: folders.content, templatesPath: folders.templates, strict: folders.strict)
        if links { return try checkLinks(options) }
        let result = Pipeline.render(options)
        report(result.diagnostics)
        guard result.succeeded else { throw ExitCode(1) }
        let programme = result.programme
        print(
            "OK: \(programme?.participants.count ?? 0) participants, \(programme?.tandems.count ?? 0) tandems, \(programme?.meetings.count ?? 0) meetings, \(programme?.feedback.count ?? 0) feedback entries, \(programme?.pages.count ?? 0) pages"
        )
    }

    /// `check --links`: renders in memory and shows the link check's findings alone (or what stopped the rendering).
    private func checkLinks(_ options: BuildOptions) throws {
        var lenient = options
        lenient.strict = false
        let result = Pipeline.render(lenient)
        guard let output = result.output else {
            report(result.diagnostics)
            throw ExitCode(1)
        }
        let links = LinkChecker.check(output, outputPath: lenient.outputPath, severity: folders.strict ? .error : .warning)
        report(links.diagnostics)
        print("Links: \(links.links) links in \(links.pages) pages checked, \(links.diagnostics.count) broken")
        if folders.strict, !links.diagnostics.isEmpty { throw ExitCode(1) }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Live preview: build, serve on http://127.0.0.1:8000/ and rebuild when Content/ or Templates/ change.",
        discussion: """
            site/ is served at /, print/ at /print/, internal/ at /internal/ and mail/ at /mail/ (the last two only on a \
            loopback address). Open pages reload by themselves after each rebuild; while a rebuild has errors, every page \
            shows them over the last good build. Each successful build is also written into the output folder. Ctrl-C stops.
            """)

    @OptionGroup var folders: FolderOptions

    @Option(help: "Where each successful build is also written (in the background).")
    var output = "Output"

    @Option(help: "The port to listen on (0: any free port).")
    var port: UInt16 = 8000

    @Option(help: "The address to listen on. Keep the loopback default unless others must see the preview.")
    var host = "127.0.0.1"

    @Flag(name: .customLong("no-write"), help: "Serve from memory only; leave the output folder as it is.")
    var noWrite = false

    @Flag(name: .customLong("no-open"), help: "Do not open the preview in the browser (it opens only when started from a terminal).")
    var noOpen = false

    func run() throws {
        let build = BuildOptions(contentPath: folders.content, templatesPath: folders.templates, outputPath: output, strict: folders.strict)
        // The background writer replaces the output folder like `tandem build`: the same refusals, before anything starts.
        if !noWrite {
            let refusals = OutputLocation.check(output, protecting: [folders.content, folders.templates].compactMap { $0 })
            if !refusals.isEmpty {
                report(refusals)
                throw ExitCode(1)
            }
        }
        // A browser only for a person at a terminal: never from a script, a CI job or a pipe.
        let openBrowser = !noOpen && isatty(STDOUT_FILENO) == 1
        let status = ServeCommand.run(
            ServeOptions(build: build, host: host, port: port, writeOutput: !noWrite, openBrowser: openBrowser))
        if status != 0 { throw ExitCode(status) }
    }
}

extension NewProgramme.Language: ExpressibleByArgument {}
extension OutputPart: ExpressibleByArgument {}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new programme: a folder with Content/ to fill in, ready for tandem check.",
        discussion: """
            Writes DIR/Content/ (programme.yml with every key commented, participants.csv and pairs.csv with example \
            rows, an example profile, draft pages for about, FAQ, imprint and privacy notice, assets/photos/), a \
            .gitignore for Output/ and a read-me saying what to fill in and which commands to run, all in the chosen \
            language. The theme is built in and not copied. DIR must not exist or be empty.
            """)

    @Argument(help: ArgumentHelp("The folder to create (must not exist or be empty).", valueName: "dir"))
    var folder: String

    @Option(help: "The language of the programme and of the comments: de, fr, it or en.")
    var language: NewProgramme.Language = .de

    @Option(help: "The programme's name (default: a placeholder to replace in programme.yml).")
    var title: String?

    @Option(help: "Who runs the programme, a name without an article (default: a placeholder).")
    var organiser: String?

    @Option(help: "The address the site will be served from (default: an example.org placeholder to replace).")
    var baseUrl: String?

    func run() throws {
        // The example dates follow today's date (local calendar); everything else is the same on every run.
        let now = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        let iso = String(format: "%04d-%02d-%02d", now.year ?? 2026, now.month ?? 1, now.day ?? 1)
        guard let today = Day(iso: iso) else {
            FileHandle.standardError.write(Data("error: cannot read today's date (\(iso))\n".utf8))
            throw ExitCode(1)
        }
        let options = NewProgramme.Options(language: language, title: title, organiser: organiser, baseURL: baseUrl, today: today)
        do {
            let written = try NewProgramme.write(options, to: folder)
            let shown = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            let readme = written.first { !$0.hasPrefix(".") && !$0.hasPrefix("Content/") } ?? "README.md"
            print(
                """
                Created \(shown)/ (\(written.count) files). Next:
                  cd \(shown)
                  open \(readme) and fill in Content/ as it says
                  tandem check --strict
                  tandem serve
                """)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic, valid programme folder of any size (for trying Tandem and for benchmarks).",
        discussion: "Deterministic: the same --participants and --seed give the same files, byte for byte.")

    @Option(help: "How many participants (half mentors, half mentees; one tandem per pair).")
    var participants = 100

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(help: "The programme folder to write (must not exist or be empty).")
    var output: String

    @Flag(help: "Replace the folder's content if it is not empty.")
    var force = false

    func run() throws {
        do {
            let summary = try SampleProgramme.write(participants: participants, seed: seed, to: output, replace: force)
            print(
                "Wrote \(output)/: \(summary.participants) participants, \(summary.tandems) tandems, \(summary.meetings) meetings, "
                    + "\(summary.profiles) profiles, \(summary.feedback) feedback entries, \(summary.pages) pages")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose tandems: the best cross-organisation pairing under programme.yml's rules, with reasons.",
        discussion: """
            Reads programme.yml and participants.csv; the rows of pairs.csv, when it exists, are kept as they are. \
            Without --output the proposal (pairs.csv format plus score and reasons) is printed to stdout.
            """)

    @OptionGroup var folders: FolderOptions

    @Option(help: "Write the proposal here, in pairs.csv format plus 'score' and 'reasons' (default: print it).")
    var output: String?

    @Option(help: "Write every allowed mentor-mentee pair with its score here (CSV: mentor,mentee,score).")
    var scores: String?

    @Flag(name: .customLong("report"), help: "Write <output-dir>/internal/matching.html explaining each tandem.")
    var writeReport = false

    @Option(help: "The output folder --report writes internal/matching.html into.")
    var outputDir = "Output"

    func run() throws {
        // --report writes into the output folder: the same refusals as `tandem build`.
        if writeReport {
            let refusals = OutputLocation.check(outputDir, protecting: [folders.content, folders.templates].compactMap { $0 })
            if !refusals.isEmpty {
                report(refusals)
                throw ExitCode(1)
            }
        }
        let options = MatchOptions(
            contentPath: folders.content, templatesPath: folders.templates, pairsPath: output, scoresPath: scores, report: writeReport,
            outputPath: outputDir, strict: folders.strict)
        let outcome = MatchPipeline.run(options)
        report(outcome.diagnostics)
        guard outcome.succeeded else {
            FileHandle.standardError.write(Data("match failed; nothing was written\n".utf8))
            throw ExitCode(1)
        }
        var summary = outcome.summary
        if !outcome.written.isEmpty { summary.append("Wrote " + outcome.written.joined(separator: ", ")) }
        let text = summary.joined(separator: "\n") + "\n"
        if output == nil, let csv = outcome.pairsCSV {
            print(csv, terminator: "")
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
        }
    }
}

struct ThemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme", abstract: "Work with the theme (templates, UI strings, assets).", subcommands: [ThemeExport.self])
}

struct ThemeExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the built-in theme into a folder, to start a theme of your own from it.",
        discussion: """
            The folder must not exist or be empty. Used as --templates (or named Templates), an unchanged export builds \
            exactly what the built-in theme builds; delete the files you do not change: the built-in ones are used instead.
            """)

    @Argument(help: ArgumentHelp("The folder to write (must not exist or be empty).", valueName: "dir"))
    var folder: String

    func run() throws {
        do {
            let count = try Theme.exportBuiltIn(to: folder)
            print("Wrote the built-in theme (\(count) files) into \(folder)/")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the announcement e-mails (mail/*.eml) through the organisation's SMTP server, each exactly once.",
        discussion: """
            Without --yes a dry run: lists who would get which message and sends nothing. Builds first when mail/ is \
            missing or older than the content. What was sent is recorded in <content>/.tandem/sent.csv; a later run skips it. \
            The password comes from TANDEM_SMTP_PASSWORD or a prompt, never from the command line. See docs/sending.md.
            """)

    @OptionGroup var folders: FolderOptions

    @Option(help: "The build's output folder (its mail/ is sent).")
    var output = "Output"

    @Option(
        help: ArgumentHelp(
            "The mail server: smtp://host[:port] (STARTTLS, port 587) or smtps://host[:port] (TLS, port 465).", valueName: "url"))
    var smtp: String

    @Option(help: "The login at the mail server (the password: TANDEM_SMTP_PASSWORD or a prompt).")
    var user: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Only these tandems.", valueName: "tandem-id"))
    var only: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Send these tandems again although the log has them.", valueName: "tandem-id"))
    var resend: [String] = []

    @Option(help: ArgumentHelp("At most this many messages a minute.", valueName: "N/min"))
    var rate = "30/min"

    @Flag(help: "A blind copy of every message to the programme office (contact.email).")
    var bccOffice = false

    @Option(
        help: ArgumentHelp(
            "Trust the certificate authorities in this PEM file (an internal CA) instead of the system's.", valueName: "file"))
    var cacert: String?

    @Flag(help: "Really send (without it: a dry run).")
    var yes = false

    func run() throws {
        let build = BuildOptions(contentPath: folders.content, templatesPath: folders.templates, outputPath: output, strict: folders.strict)
        var options = SendOptions(build: build, server: smtp)
        options.user = user
        options.only = only
        options.resend = resend
        options.rate = rate
        options.confirmed = yes
        options.bccOffice = bccOffice
        options.caFile = cacert
        let (login, server) = (user ?? "", smtp)
        options.password = { PasswordPrompt.password(user: login, server: server) }
        // Unbuffered: a long run shows each message as it goes.
        options.progress = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        let result = Sender.run(options)
        report(result.diagnostics)
        guard result.exitCode == 0 else {
            FileHandle.standardError.write(Data((result.summary + "\n").utf8))
            throw ExitCode(result.exitCode)
        }
        print(result.summary)
    }
}

/// Hidden: times the assignment solver on a dense matrix of little-endian float64 values (scripts/bench-match.py).
struct BenchAssignment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-assignment", abstract: "Solve a dense min-cost assignment (benchmark).", shouldDisplay: false)

    @Argument(help: "Raw float64 matrix, row-major, little-endian.")
    var matrix: String

    @Option var rows: Int

    @Option var columns: Int

    @Option(help: "Solve this many times; the fastest time is printed.")
    var repeat_: Int = 1

    func run() throws {
        guard let result = AssignmentBenchmark.run(path: matrix, rows: rows, columns: columns, repetitions: repeat_) else {
            FileHandle.standardError.write(
                Data("cannot read a \(rows)x\(columns) float64 matrix from \(matrix), or it has no complete assignment\n".utf8))
            throw ExitCode(1)
        }
        print("{\"total\": \(result.total), \"seconds\": \(result.seconds), \"checksum\": \(result.checksum)}")
    }
}

/// `tandem import feedback`: survey exports into feedback entries (see docs/spreadsheets.md).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring data from other tools into the programme folder.", subcommands: [ImportFeedback.self])
}

struct ImportFeedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Turn a survey export (Microsoft Forms, Google Forms, any CSV or .xlsx) into feedback/*.md entries.",
        discussion: """
            Each answer is matched to the roster by the respondent's e-mail address, which gives the tandem and the role; \
            the address itself is written nowhere. Existing entries are never overwritten, so importing the same export \
            again adds nothing. Rows that cannot be used are listed with their line in the export.
            """
    )

    @Argument(help: "The survey export: a .csv or .xlsx file.")
    var export: String

    @Option(help: "The feedback phase the survey asked about: kickoff, midterm or final.")
    var phase: String

    @Option(name: .customLong("map"), help: "A mapping file naming the export's columns (e-mail, ratings, comment, consent).")
    var mapping: String?

    @Option(help: "The programme folder (programme.yml, participants.csv, pairs.csv ...).")
    var content = "Content"

    @Flag(help: "Show what would be written; write nothing.")
    var dryRun = false

    func validate() throws {
        guard FeedbackPhase(rawValue: phase) != nil else {
            throw ValidationError("--phase must be one of: \(FeedbackPhase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        guard let phase = FeedbackPhase(rawValue: phase) else { throw ExitCode(2) }
        let result = FeedbackImport.run(
            FeedbackImportOptions(contentPath: content, exportPath: export, phase: phase, mappingPath: mapping, dryRun: dryRun))
        report(result.diagnostics)
        guard result.succeeded else { throw ExitCode(1) }
        var lines: [String] = []
        let verb = dryRun ? "would write" : "wrote"
        for entry in result.written {
            let ratings = entry.ratings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(
                "\(verb) \(entry.path)  (\(entry.tandem), \(entry.role.rawValue), share: \(entry.share.rawValue)\(ratings.isEmpty ? "" : ", " + ratings))"
            )
        }
        let noun = { (n: Int) in n == 1 ? "answer" : "answers" }
        var summary = "\(dryRun ? "Would import" : "Imported") \(result.written.count) \(noun(result.written.count))"
        if !result.alreadyThere.isEmpty { summary += "; \(result.alreadyThere.count) already in feedback/ (not overwritten)" }
        if result.skippedRows > 0 {
            summary += "; \(result.skippedRows) \(result.skippedRows == 1 ? "row" : "rows") not imported (see above)"
        }
        lines.append(summary + ".")
        print(lines.joined(separator: "\n"))
    }
}

/// What `tandem --version` prints: the release version, and the git commit the binary was built from.
///
/// `version` is kept here by hand (one place; in the executable, so a new commit recompiles this file only). `commit`
/// stays nil in the repository, so a plain `swift build` from a clone needs no git and no generated file and prints "(unknown commit)"; `make dist` builds from an export of the
/// commit (`git archive`) in which scripts/dist/build.sh writes the commit into this line before compiling.
enum BuildInfo {
    static let version = "0.9.0"
    static let commit: String? = nil

    /// `tandem 0.9.0 (commit 1a2b3c4d5e6f)` or `tandem 0.9.0 (unknown commit)`.
    static var versionLine: String {
        "tandem \(version) (\(commit.map { "commit " + $0 } ?? "unknown commit"))"
    }
}
