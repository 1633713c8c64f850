import Foundation
import XCTest

@testable import TandemKit

/// The built-in theme, per-file overrides, `tandem theme export` and the theme check, end to end from the CLI.
final class ThemeTests: TandemTestCase {
    /// Runs `tandem` in the fixture's folder, so `Templates` there is the default override folder.
    private func tandem(_ arguments: [String]) throws -> TandemRun { try runTandem(arguments, in: fixture.root) }

    private func build(output: String, templates: String? = nil) throws -> TandemRun {
        try tandem(["build", "--content", "Content", "--output", output] + (templates.map { ["--templates", $0] } ?? []))
    }

    /// Writes a file below the fixture's own Templates/ (the override folder the CLI picks up by default).
    private func writeOverride(_ relative: String, _ text: String) throws {
        let url = fixture.root.appendingPathComponent("Templates/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func repositoryTemplate(_ relative: String) throws -> String {
        try String(contentsOfFile: ProgrammeFixture.templatesPath + "/" + relative, encoding: .utf8)
    }

    private func path(_ name: String) -> String { fixture.root.appendingPathComponent(name).path }

    // MARK: The built-in theme

    func testContentWithoutTemplatesFolderBuildsWithTheBuiltInTheme() throws {
        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("Built "), run.stdout)
        XCTAssertFalse(run.stderr.contains("error"), run.stderr)
        // The same bytes as a build with the repository's Templates/ folder, binary-safe assets included.
        XCTAssertEqual(try build(output: "WithFolder", templates: ProgrammeFixture.templatesPath).status, 0)
        let builtIn = snapshot(path("Output"))
        XCTAssertFalse(builtIn.isEmpty)
        XCTAssertEqual(builtIn, snapshot(path("WithFolder")))
        XCTAssertEqual(
            builtIn["site/theme/style.css"], FileManager.default.contents(atPath: ProgrammeFixture.templatesPath + "/assets/style.css"))
        XCTAssertEqual(try tandem(["check", "--content", "Content"]).status, 0)
    }

    func testEmbeddedThemeMatchesTheTemplatesFolder() throws {
        let files = Dictionary(uniqueKeysWithValues: BuiltInTheme.files.map { ($0.path, Data($0.bytes)) })
        XCTAssertEqual(
            files, snapshot(ProgrammeFixture.templatesPath).filter { !$0.key.split(separator: "/").contains { $0.hasPrefix(".") } })
    }

    // MARK: Overrides

    func testOneOverriddenTemplateChangesOnlyItsPages() throws {
        XCTAssertEqual(try build(output: "BuiltIn").status, 0)
        let home = try repositoryTemplate("site/home.mustache")
        try writeOverride(
            "site/home.mustache", home.replacingOccurrences(of: "<h1>{{site.title}}</h1>", with: "<h1>OVERRIDDEN {{site.title}}</h1>"))
        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 0, run.stderr)
        let before = snapshot(path("BuiltIn"))
        let after = snapshot(path("Output"))
        XCTAssertEqual(Set(before.keys), Set(after.keys))
        let changed = Set(after.keys.filter { before[$0] != after[$0] })
        let marked = Set(after.keys.filter { String(decoding: after[$0] ?? Data(), as: UTF8.self).contains("OVERRIDDEN") })
        XCTAssertFalse(changed.isEmpty)
        XCTAssertEqual(changed, marked, "only the pages of the home template may change")
        XCTAssertTrue(changed.contains("site/index.html"), "\(changed.sorted())")
    }

    func testTemplateOverrideIsKnownByFileNameWhereverItSits() throws {
        XCTAssertEqual(try build(output: "BuiltIn").status, 0)
        let footer = try repositoryTemplate("partials/footer.mustache")
        try writeOverride("my-footer-folder/footer.mustache", "<!-- MY FOOTER -->" + footer)
        XCTAssertEqual(try build(output: "Output").status, 0)
        XCTAssertTrue(readText(path("Output"), "site/index.html")?.contains("<!-- MY FOOTER -->") ?? false)
    }

    func testAssetOverrideAndStringsMergedKeyByKey() throws {
        try writeOverride("assets/style.css", "body { color: rebeccapurple; }\n")
        try writeOverride("strings/de.yml", "home_all_tandems: Alle unsere Tandems\n")
        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(readText(path("Output"), "site/theme/style.css"), "body { color: rebeccapurple; }\n")
        XCTAssertEqual(
            snapshot(path("Output"))["site/theme/favicon.svg"],
            FileManager.default.contents(atPath: ProgrammeFixture.templatesPath + "/assets/favicon.svg"))
        let home = readText(path("Output"), "site/index.html") ?? ""
        XCTAssertTrue(home.contains("Alle unsere Tandems"), "the overridden key")
        XCTAssertTrue(home.contains("Alle Teilnehmenden"), "a key the override does not name keeps its built-in text")
    }

    func testSymbolicLinksInTheOverrideFolderAreNotFollowed() throws {
        XCTAssertEqual(try build(output: "BuiltIn").status, 0)
        let outside = path("outside.mustache")
        try Data("LINKED TEMPLATE".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createDirectory(atPath: path("Templates/site"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path("Templates/site/home.mustache"), withDestinationPath: outside)
        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("Templates/site/home.mustache: warning: symbolic link skipped"), run.stderr)
        XCTAssertEqual(snapshot(path("BuiltIn")), snapshot(path("Output")))

        try FileManager.default.createSymbolicLink(atPath: path("LinkedTheme"), withDestinationPath: path("Templates"))
        let linked = try build(output: "Output", templates: "LinkedTheme")
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.stderr.contains("LinkedTheme: error: templates folder is a symbolic link"), linked.stderr)
    }

    // MARK: Export

    func testExportRoundTripGivesTheBuiltInOutput() throws {
        let export = try tandem(["theme", "export", "MyTheme"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(snapshot(path("MyTheme")), snapshot(ProgrammeFixture.templatesPath).filter { !$0.key.hasPrefix(".") })
        XCTAssertEqual(try build(output: "BuiltIn").status, 0)
        XCTAssertEqual(try build(output: "Exported", templates: "MyTheme").status, 0)
        XCTAssertEqual(snapshot(path("BuiltIn")), snapshot(path("Exported")))

        // A second export into the now non-empty folder is refused and changes nothing.
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path("MyTheme/assets/style.css")))
        let again = try tandem(["theme", "export", "MyTheme"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("MyTheme: error: folder is not empty"), again.stderr)
        XCTAssertEqual(readText(path("MyTheme"), "assets/style.css"), "mine")
    }

    // MARK: The theme check

    func testMissingPartialIsAPositionedErrorAndNothingIsWritten() throws {
        XCTAssertEqual(try build(output: "Output").status, 0)
        let before = snapshot(path("Output"))
        let participant = try repositoryTemplate("site/participant.mustache")
        let broken = participant.replacingOccurrences(of: "{{>avatar}}", with: "{{>avatr}}")
        try writeOverride("site/participant.mustache", broken)
        // The first {{>avatr}}: its line and column, 1-based.
        let lines = broken.components(separatedBy: "\n")
        let lineIndex = try XCTUnwrap(lines.firstIndex { $0.contains("{{>avatr}}") })
        let column = try XCTUnwrap(lines[lineIndex].range(of: "{{>avatr}}")).lowerBound.utf16Offset(in: lines[lineIndex]) + 1
        let expected = "Templates/site/participant.mustache:\(lineIndex + 1):\(column): error: partial 'avatr' does not exist"

        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains(expected), run.stderr)
        XCTAssertEqual(snapshot(path("Output")), before, "a failing build leaves the output folder as it was")
        let check = try tandem(["check", "--content", "Content"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stderr.contains(expected), check.stderr)
    }

    func testMisspeltNameIsAWarningAtItsPlaceAndAnErrorWithStrict() throws {
        let participant = try repositoryTemplate("site/participant.mustache")
        let broken = participant.replacingOccurrences(of: "<h1>{{name}}", with: "<h1>{{nmae}}")
        XCTAssertNotEqual(broken, participant, "the template's h1 changed; adapt the test")
        try writeOverride("site/participant.mustache", broken)
        let lines = broken.components(separatedBy: "\n")
        let lineIndex = try XCTUnwrap(lines.firstIndex { $0.contains("{{nmae}}") })
        let column = try XCTUnwrap(lines[lineIndex].range(of: "{{nmae}}")).lowerBound.utf16Offset(in: lines[lineIndex]) + 1
        let expected =
            "Templates/site/participant.mustache:\(lineIndex + 1):\(column): warning: 'nmae' is not provided by the participant page's context"
        let check = try tandem(["check", "--content", "Content"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stderr.contains(expected), check.stderr)
        let strict = try tandem(["build", "--content", "Content", "--output", "Output", "--strict"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains(expected.replacingOccurrences(of: ": warning: ", with: ": error: ")), strict.stderr)
        XCTAssertFalse(fileExists(path("Output/site")), "a strict build with a misspelt name writes nothing")
    }

    /// The built-in theme itself asks for no name its contexts lack: no template warning on a valid programme.
    func testBuiltInThemeChecksClean() throws {
        let run = try tandem(["check", "--content", "Content"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains(".mustache"), run.stderr)
    }

    func testMissingParentIsAnError() throws {
        try writeOverride("site/page.mustache", "{{<layout}}\n{{$main}}x{{/main}}\n{{/layout}}\n")
        let run = try build(output: "Output")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("Templates/site/page.mustache:1:1: error: parent 'layout' does not exist"), run.stderr)
    }

    func testBrokenOverrideNamesTheUsersPath() throws {
        try writeOverride("site/home.mustache", "{{<base}}\n{{$main}}\n<p>{{#numbers}}</p>\n{{/main}}\n{{/base}}\n")
        let run = try build(output: "Output", templates: "./Templates/")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains(
                "./Templates/site/home.mustache:4:4: error: template syntax: '{{/main}}' does not close the open section 'numbers'"),
            run.stderr)
        XCTAssertFalse(fileExists(path("Output")))
    }

    func testBuiltInFilesAreNamedAsBuiltIn() {
        var diagnostics = Diagnostics()
        let theme = Theme.load(path: nil, diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.all.count, 0, diagnostics.all.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(theme?.templatePaths["home"], "(built-in theme)/site/home.mustache")
        XCTAssertNil(theme?.overridePath)
    }
}

/// The context check's walker on small templates with hand-written schemas.
final class TemplateSchemaTests: XCTestCase {
    private func findings(
        _ page: String, _ schema: TemplateSchema, partials: [String: String] = [:]
    ) throws -> [String] {
        var templates = ["page": try Template(page)]
        for (name, text) in partials { templates[name] = try Template(text) }
        return TemplateSchemaWalker.check("page", schema: schema, templates: templates).map {
            "\($0.template):\($0.line):\($0.column): \($0.name)"
        }
    }

    private let person: TemplateSchema = .fields(["name": .text, "age": .number, "topics": .list(.text)])

    func testNamesAreLookedUpFromTheInnermostScopeOutwards() throws {
        let schema: TemplateSchema = .fields([
            "title": .text, "people": .list(person), "site": .fields(["name": .text, "year": .number]),
        ])
        let page = """
            {{title}} {{site.name}} {{site.nmae}}
            {{#people}}
              {{name}} {{title}} {{nmae}} {{#topics}}{{.}}{{/topics}}
            {{/people}}
            {{#site}}{{year}} {{name}} {{age}}{{/site}}
            """
        XCTAssertEqual(try findings(page, schema), ["page:1:25: site.nmae", "page:3:22: nmae", "page:5:28: age"])
    }

    func testInvertedSectionsSeeTheScopesAroundThem() throws {
        let schema: TemplateSchema = .fields(["people": .list(person), "note": .text])
        let page = "{{^people}}{{note}} {{name}}{{/people}}{{^missing}}x{{/missing}}"
        XCTAssertEqual(try findings(page, schema), ["page:1:21: name", "page:1:40: missing"])
    }

    func testTransformsChangeTheShape() throws {
        let schema: TemplateSchema = .fields(["people": .list(person), "title": .text, "open": .flag])
        let page = """
            {{count(people)}} {{#empty(people)}}none{{/empty(people)}} {{#first(people)}}{{name}}{{/first(people)}}
            {{uppercased(title)}} {{count(title)}} {{empty(open)}} {{#people}}{{#first()}}{{name}}{{/first()}}{{/people}} {{index()}}
            """
        XCTAssertEqual(try findings(page, schema), ["page:2:23: count(title)", "page:2:40: empty(open)", "page:2:111: index()"])
    }

    func testPartialsAreWalkedWithTheCallersScopes() throws {
        let schema: TemplateSchema = .fields(["people": .list(person), "t": .anything])
        let partials = ["card": "<b>{{name}}</b> {{t.anything.goes}} {{nmae}}\n"]
        XCTAssertEqual(
            try findings("{{#people}}{{>card}}{{/people}}{{>card}}{{>missing}}{{>*people}}", schema, partials: partials),
            ["card:1:37: nmae", "card:1:4: name"])
    }

    func testParentsAndBlocks() throws {
        let schema: TemplateSchema = .fields(["title": .text, "body": .text])
        let partials = ["base": "<title>{{$head}}{{title}}{{/head}}</title>{{$main}}{{/main}}{{footr}}"]
        let page = "{{<base}}{{$main}}{{body}} {{bdy}}{{/main}}{{/base}}"
        XCTAssertEqual(try findings(page, schema, partials: partials), ["page:1:28: bdy", "base:1:61: footr"])
    }

    func testRecursivePartialsEnd() throws {
        let tree: TemplateSchema = .fields(["label": .text, "children": .list(.fields(["label": .text]))])
        let partials = ["node": "{{label}}{{#children}}{{>node}}{{/children}}{{lable}}"]
        XCTAssertEqual(try findings("{{>node}}", tree, partials: partials), ["node:1:45: lable"])
    }

    func testThemeReportsWarningsAtTheOverridePath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("TandemSchema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("site"), withIntermediateDirectories: true)
        try Data("<h1>\n  {{name}}\n</h1>\n<p>\n    {{nmae}}</p>\n".utf8).write(
            to: folder.appendingPathComponent("site/participant.mustache"))
        var diagnostics = Diagnostics()
        let theme = try XCTUnwrap(Theme.load(path: folder.path, diagnostics: &diagnostics))
        XCTAssertFalse(diagnostics.hasErrors)
        theme.checkContexts(
            ["participant": .fields(["name": .text])], descriptions: ["participant": "the participant page"], diagnostics: &diagnostics)
        XCTAssertEqual(
            diagnostics.all.map(\.description),
            [folder.path + "/site/participant.mustache:5:5: warning: 'nmae' is not provided by the participant page's context"])
        XCTAssertTrue(diagnostics.promotingWarnings().hasErrors, "--strict makes it an error")
    }
}
