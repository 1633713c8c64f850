import ArgumentParser
import Foundation
import TandemKit

/// Options shared by the commands that read a programme folder.
struct FolderOptions: ParsableArguments {
    @Option(help: "The programme folder (programme.yml, participants.csv, pairs.csv ...).")
    var content = "Content"

    @Option(help: "The theme: Mustache templates, UI strings and assets.")
    var templates = "Templates"

    @Flag(help: "Treat warnings as errors.")
    var strict = false
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
        subcommands: [Build.self, Check.self],
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

    func run() throws {
        let options = BuildOptions(
            contentPath: folders.content, templatesPath: folders.templates, outputPath: output, strict: folders.strict, pdf: pdf)
        let result = Pipeline.build(options)
        report(result.diagnostics)
        guard result.succeeded else {
            FileHandle.standardError.write(Data("build failed; \(output)/ was left unchanged\n".utf8))
            throw ExitCode(1)
        }
        let count = result.output?.count ?? 0
        print("Built \(count) files into \(output)/")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the programme folder and templates; writes nothing.")

    @OptionGroup var folders: FolderOptions

    func run() throws {
        let options = BuildOptions(contentPath: folders.content, templatesPath: folders.templates, strict: folders.strict)
        let result = Pipeline.render(options)
        report(result.diagnostics)
        guard result.succeeded else { throw ExitCode(1) }
        let programme = result.programme
        print("OK: \(programme?.participants.count ?? 0) participants, \(programme?.tandems.count ?? 0) tandems, \(programme?.meetings.count ?? 0) meetings, \(programme?.feedback.count ?? 0) feedback entries, \(programme?.pages.count ?? 0) pages")
    }
}
