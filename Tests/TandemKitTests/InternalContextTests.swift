import Foundation
import XCTest

@testable import TandemKit

/// The typed contexts of the internal report (with its charts), the matching report and the e-mails: every name the
/// real theme's templates use is a stored property of the context type the template receives (or of a type nested
/// in it, for names inside sections), so a theme check can tell a typo from a real name. And what a user sees is
/// unchanged: an absent value shows as nothing, never as the word "false".
final class InternalContextTests: TandemTestCase {
    private func theme() throws -> Theme {
        var diagnostics = Diagnostics()
        let theme = Theme.load(path: ProgrammeFixture.templatesPath, diagnostics: &diagnostics)
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.sorted.map(\.description).joined(separator: "\n"))
        return try XCTUnwrap(theme)
    }

    /// The theme check's findings for `template` with the context shape the catalogue gives it.
    private func findings(_ template: String, in theme: Theme) throws -> [String] {
        let schema = try XCTUnwrap(TemplateContexts.schemas[template], "no context shape for \(template)")
        return TemplateSchemaWalker.check(template, schema: schema, templates: theme.templates).map { "\($0.template): \($0.name)" }
    }

    func testReportMatchingAndMailTemplatesUseOnlyNamesOfTheirContexts() throws {
        let theme = try theme()
        for template in ["report", "matching", "mail-text", "mail-html"] {
            XCTAssertEqual(try findings(template, in: theme), [], template)
        }
    }

    /// The check itself on the report's context: a misspelt name is found, in a section and in a chart partial, while
    /// names of an outer scope, the open UI strings and the list positions are accepted.
    func testAMisspeltNameIsTold() throws {
        let theme = try theme()
        var templates = theme.templates
        templates["report"] = try Template(
            """
            {{t.anything_at_all}}{{#tandem_groups}}{{#rows}}{{mentor}} {{mentr}} {{reference_text}}{{^last()}},{{/last()}}{{/rows}}{{/tandem_groups}}
            {{#months_chart}}{{>chart-columns}}{{#bars}}{{sublabel}}{{heigth}}{{/bars}}{{/months_chart}}{{site.title}}{{site.titel}}
            """)
        let schema = try XCTUnwrap(TemplateContexts.schemas["report"])
        let names = TemplateSchemaWalker.check("report", schema: schema, templates: templates).map(\.name).sorted()
        XCTAssertEqual(names, ["heigth", "mentr", "site.titel"])
    }

    /// End to end: a tandem without start date and goals, a meeting without duration, format, topics and note, and an
    /// unpublished member without a profile link show nothing where a value is absent (a nil optional reaches the
    /// template as `false`, which `{{name}}` would print).
    func testAbsentValuesShowAsNothingInReportMatchingAndMail() throws {
        fixture.replace(
            "pairs.csv", "clara-dieter,clara-geheim,dieter-daten,2026-03-06,Podcast starten,active",
            with: "clara-dieter,clara-geheim,dieter-daten,,,active")
        fixture.replace(
            "meetings.csv", "clara-dieter,2026-03-15,45,video,Podcasts,NOTIZ-CLARA-DIETER vertraulich", with: "clara-dieter,2026-03-15,,,,")
        let result = fixture.build()
        assertSucceeded(result)
        let report = try XCTUnwrap(readText(output, "internal/report.html"))
        XCTAssertTrue(report.contains("Clara Geheimnis"), "the internal report names every tandem")
        XCTAssertTrue(
            report.contains(
                "<td class=\"num\" data-label=\"Dauer\">–</td><td data-label=\"Format\">–</td><td data-label=\"Themen\"></td><td class=\"note-text\" data-label=\"Notiz\"></td>"
            ), "the bare meeting")
        XCTAssertFalse(report.contains("false"), "an absent value reached the report as text")
        let mails = try FileManager.default.contentsOfDirectory(atPath: output + "/mail").filter { $0.hasSuffix(".eml") }
        XCTAssertEqual(mails.sorted(), ["anna-bruno.eml", "clara-dieter.eml"])
        for mail in mails {
            // The headers and both bodies; the calendar attachment is base64.
            let text = try XCTUnwrap(readText(output, "mail/" + mail)).components(separatedBy: "Content-Type: text/calendar")[0]
            XCTAssertTrue(text.contains("Bruno Beispiel") || text.contains("Dieter"), mail)
            XCTAssertFalse(text.contains("false"), "an absent value reached \(mail) as text")
        }

        // tandem match keeps pairs.csv's rows only when they keep the rules: Clara (fr) and Dieter need a shared language.
        fixture.replace("participants.csv", "dieter@delta.example.ch,de,", with: "dieter@delta.example.ch,de;fr,")
        let outcome = MatchPipeline.run(
            MatchOptions(
                contentPath: fixture.contentPath, templatesPath: ProgrammeFixture.templatesPath, report: true,
                outputPath: fixture.outputPath("Match")))
        XCTAssertTrue(outcome.succeeded, outcome.diagnostics.map(\.description).joined(separator: "\n"))
        let matching = try XCTUnwrap(readText(fixture.outputPath("Match"), MatchPipeline.reportPath))
        XCTAssertTrue(matching.contains("anna-muster"))
        XCTAssertTrue(matching.contains("class=\"kept\""), "the pairs.csv tandems are shown as kept")
        XCTAssertFalse(matching.contains("false"), "an absent value reached the matching report as text")
    }
}
