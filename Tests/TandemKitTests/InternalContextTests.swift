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

    func testReportTemplateAndChartsUseOnlyNamesOfTheReportContext() throws {
        let theme = try theme()
        XCTAssertEqual(unknownNames(in: "report", of: theme, shape: ContextShape.of(ReportPage.self)), [])
    }

    func testMatchingTemplateUsesOnlyNamesOfTheMatchContext() throws {
        let theme = try theme()
        XCTAssertEqual(unknownNames(in: "matching", of: theme, shape: ContextShape.of(MatchPage.self)), [])
    }

    func testMailTemplatesUseOnlyNamesOfTheMailContext() throws {
        let theme = try theme()
        let shape = ContextShape.of(MailMessage.self)
        XCTAssertEqual(unknownNames(in: "mail-text", of: theme, shape: shape), [])
        XCTAssertEqual(unknownNames(in: "mail-html", of: theme, shape: shape), [])
    }

    /// The check itself: a misspelt name is found, in a section and in a chart partial, while names of an outer
    /// scope, the open UI strings and the list positions are accepted.
    func testAMisspeltNameIsTold() throws {
        let theme = try theme()
        let template = try Template(
            """
            {{t.anything_at_all}}{{#tandems}}{{mentor}} {{mentr}} {{reference_text}}{{^last()}},{{/last()}}{{/tandems}}
            {{#months_chart}}{{>chart-columns}}{{#bars}}{{sublabel}}{{heigth}}{{/bars}}{{/months_chart}}{{site.title}}{{site.titel}}
            """)
        var templates = theme.templates
        templates["probe"] = template
        let probe = Theme(root: theme.root, templates: templates, strings: theme.strings, assets: theme.assets)
        XCTAssertEqual(
            unknownNames(in: "probe", of: probe, shape: ContextShape.of(ReportPage.self)),
            ["probe: heigth", "probe: mentr", "probe: site.titel"])
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
        XCTAssertTrue(report.contains("<td class=\"num\">–</td><td>–</td><td></td><td class=\"note-text\"></td>"), "the bare meeting")
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

    // MARK: Walking a template against a context shape

    /// The names `name` (and the partials it calls) use that the shape does not provide, as "template: name", sorted.
    private func unknownNames(in name: String, of theme: Theme, shape: ContextShape) -> [String] {
        var unknown = Set<String>()
        var visiting: [String] = []
        func walk(_ nodes: [TemplateNode], _ stack: [ContextShape], _ template: String) {
            for node in nodes {
                switch node {
                case .text, .contentType: break
                case .variable(let name, _):
                    if resolve(name, stack) == nil { unknown.insert(template + ": " + spelled(name)) }
                case .section(let name, let body):
                    guard let found = resolve(name, stack) else {
                        unknown.insert(template + ": " + spelled(name))
                        continue
                    }
                    switch found.unwrapped {
                    case .list(let item): walk(body, stack + [item], template)
                    case .flag: walk(body, stack, template)
                    default: walk(body, stack + [found], template)
                    }
                case .invertedSection(let name, let body):
                    if resolve(name, stack) == nil { unknown.insert(template + ": " + spelled(name)) }
                    walk(body, stack, template)
                case .partial(let partial, _, _, let overrides):
                    for body in (overrides ?? [:]).values { walk(body, stack, template) }
                    guard !visiting.contains(partial), let nodes = theme.templates[partial]?.nodes else { continue }
                    visiting.append(partial)
                    walk(nodes, stack, partial)
                    visiting.removeLast()
                case .block(_, let body, _), .blockDefinition(_, let body): walk(body, stack, template)
                }
            }
        }
        visiting.append(name)
        walk(theme.templates[name]?.nodes ?? [], [shape], name)
        return unknown.sorted()
    }

    private func spelled(_ name: TemplateName) -> String {
        (name.scope == .local ? "." : "") + name.components.joined(separator: ".")
    }

    /// The shape a name stands for, looked up as the renderer does (innermost value outwards); nil when unknown.
    private func resolve(_ name: TemplateName, _ stack: [ContextShape]) -> ContextShape? {
        let result: ContextShape?
        switch name.scope {
        case .current: result = stack.last
        case .position: return .flag
        case .local: result = stack.last.flatMap { path(name.components, from: $0) }
        case .stack:
            // The first name is looked up outwards; the rest of a dotted name only inside what it found.
            guard let first = name.components.first,
                let found = stack.reversed().lazy.compactMap({ self.child(first, of: $0) }).first
            else { return nil }
            result = path(Array(name.components.dropFirst()), from: found)
        }
        guard let result else { return nil }
        return name.transforms.isEmpty ? result : .flag
    }

    private func child(_ name: String, of shape: ContextShape) -> ContextShape? {
        switch shape.unwrapped {
        case .map(let fields, _): return fields[name]
        case .open: return .open
        default: return nil
        }
    }

    private func path(_ components: [String], from shape: ContextShape) -> ContextShape? {
        var current = shape
        for component in components {
            guard let next = child(component, of: current) else { return nil }
            current = next
        }
        return current
    }
}
