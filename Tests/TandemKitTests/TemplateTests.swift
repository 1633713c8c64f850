import Foundation
import Mustache
import XCTest

@testable import TandemKit

/// The theme engine (TandemKit/Render/Template) renders every case exactly as swift-mustache does, whose language
/// and whitespace rules Tandem's themes are written in; and it reports syntax errors with their line.
final class TemplateTests: XCTestCase {
    /// A template set (name → text, the first one rendered) and a context.
    struct Case {
        let templates: [(String, String)]
        let context: [String: Any]
        init(_ templates: [(String, String)], _ context: [String: Any] = [:]) {
            self.templates = templates
            self.context = context
        }
        init(_ template: String, _ context: [String: Any] = [:]) { self.init([("main", template)], context) }
    }

    static var person: [String: Any] {
        [
            "name": "Anna <Muster> & \"Co\" 'x'", "topics": ["Social Media", "KI"], "empty": [String](), "no": false, "yes": true,
            "count": 3, "links": [["title": "Blog", "url": "https://a.example/?a=1&b=2"]], "position": false, "body": "<p>Hi</p>",
        ]
    }

    static var cases: [Case] {
        [
            Case("Hallo {{name}}!", person),
            Case("{{{body}}} {{&body}} {{body}}", person),
            Case("{{#topics}}<li>{{.}}</li>{{/topics}}", person),
            Case("<ul>\n  {{#topics}}\n  <li>{{.}}</li>\n  {{/topics}}\n</ul>\n", person),
            Case("{{^empty(topics)}}has{{/empty(topics)}}{{#empty(empty)}} none{{/empty(empty)}}", person),
            Case(
                "{{count(topics)}} {{plusone(count)}} {{#first(topics)}}{{.}}{{/first(topics)}} {{#reversed(topics)}}{{.}};{{/reversed(topics)}}",
                person),
            Case("{{#topics}}{{#first()}}[{{/first()}}{{.}}{{^last()}}, {{/last()}}{{#last()}}]{{/last()}}{{index()}}{{/topics}}", person),
            Case("{{#no}}no{{/no}}{{^no}}not no{{/no}}{{#yes}}yes{{/yes}}{{^missing}}missing{{/missing}}{{#missing}}x{{/missing}}", person),
            Case("{{#links}}<a href=\"{{url}}\">{{title}} of {{name}}</a>{{/links}}", person),
            Case("{{#position}}{{position}}{{/position}}{{^position}}-{{/position}}", person),
            Case("{{#person}}{{name}} {{.name}} {{person.name}}{{/person}}", ["person": person, "name": "outer"]),
            Case("{{a.b.c}} {{#a}}{{b.c}}{{/a}} {{a.x.c}}", ["a": ["b": ["c": "deep"]]]),
            Case("  {{! a standalone comment }}\nline\n{{! inline }} after\n", person),
            Case("{{=<% %>=}}<% name %> {{name}}\n<%={{ }}=%>{{name}}", person),
            Case([("main", "<div>\n  {{>card}}\n</div>\n{{>card}}"), ("card", "<p>\n{{name}}\n</p>\n")], person),
            Case([("main", "{{#topics}}\n    {{>item}}\n{{/topics}}\n"), ("item", "<li>\n{{.}}\n</li>\n")], person),
            Case(
                [
                    ("page", "{{<base}}\n{{$title}}Profil{{/title}}\n{{$main}}\n  <p>{{name}}</p>\n{{/main}}\n{{/base}}\n"),
                    (
                        "base",
                        "<title>{{$title}}Default{{/title}}</title>\n<main>\n  {{$main}}{{/main}}\n</main>\n{{$footer}}<footer/>{{/footer}}\n"
                    ),
                ], person),
            Case(
                [
                    ("page", "{{<layout}}{{$body}}child {{name}}{{/body}}{{/layout}}"),
                    ("layout", "{{<base}}{{$main}}[{{$body}}layout{{/body}}]{{/main}}{{/base}}"),
                    ("base", "<m>{{$main}}base{{/main}}</m>"),
                ], person),
            Case("{{% CONTENT_TYPE: TEXT}}\n{{name}} & {{body}}\n", person),
            Case("a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc", person),
            Case("{{#count}}n={{.}}{{/count}} {{even(count)}} {{odd(count)}} {{equalzero(count)}} {{minusone(count)}}", person),
            Case("{{lowercased(name)}} {{uppercased(name)}} {{#empty(name)}}e{{/empty(name)}}", person),
            Case("no tags at all\n", person),
            Case("{{yes}} {{no}} {{count}}", person),
            Case("   \n{{#yes}}  \n  x\n  {{/yes}}  \ntrailing   ", person),
        ]
    }

    func testRendersLikeSwiftMustache() throws {
        for (number, testCase) in Self.cases.enumerated() {
            var reference = MustacheLibrary()
            var templates: [String: TandemKit.Template] = [:]
            for (name, text) in testCase.templates {
                reference.register(try MustacheTemplate(string: text), named: name)
                templates[name] = try TandemKit.Template(text)
            }
            let main = testCase.templates[0].0
            let expected = reference.render(testCase.context, withTemplate: main) ?? "(nil)"
            var renderer = TemplateRenderer(templates: templates)
            let actual = String(decoding: renderer.render(templates[main]!, TemplateValue(testCase.context, scrub: false)), as: UTF8.self)
            XCTAssertEqual(actual, expected, "case \(number): \(testCase.templates[0].1.debugDescription)")
        }
    }

    func testSyntaxErrorsNameLineAndColumn() {
        func error(_ text: String) -> TemplateSyntaxError? {
            do {
                _ = try TandemKit.Template(text)
                return nil
            } catch {
                return error
            }
        }
        let unclosed = error("<ul>\n{{#topics}}\n<li>{{.}}</li>\n")
        XCTAssertEqual(unclosed?.line, 4)
        XCTAssertTrue(unclosed?.message.contains("'{{#topics}}'") == true, unclosed?.message ?? "")
        let mismatched = error("a\n{{#a}}\n  {{/b}}")
        XCTAssertEqual(mismatched?.line, 3)
        XCTAssertEqual(mismatched?.column, 6)
        XCTAssertTrue(mismatched?.message.contains("does not close the open section 'a'") == true)
        XCTAssertEqual(error("x {{name")?.line, 1)
        XCTAssertNotNil(error("{{% CONTENT_TYPE: PDF}}"))
        XCTAssertNotNil(error("{{<base}}text{{#a}}{{/a}}{{/base}}"))
    }

    /// A theme with a syntax error fails the build with the template's path and line; nothing is written.
    func testThemeSyntaxErrorIsAPositionedDiagnostic() throws {
        let fixture = try ProgrammeFixture()
        defer { fixture.cleanUp() }
        let theme = fixture.root.appendingPathComponent("Theme").path
        try FileManager.default.copyItem(atPath: ProgrammeFixture.templatesPath, toPath: theme)
        let page = theme + "/site/participant.mustache"
        let text = try String(contentsOfFile: page, encoding: .utf8)
        try text.replacingOccurrences(of: "{{/person}}", with: "{{/persons}}").write(toFile: page, atomically: true, encoding: .utf8)
        var options = fixture.options()
        options.templatesPath = theme
        let result = Pipeline.build(options)
        XCTAssertFalse(result.succeeded)
        let lines = result.diagnostics.map(\.description)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix(page + ":") && $0.contains(": error: template syntax: '{{/persons}}' does not close the open section 'person'")
            },
            lines.joined(separator: "\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: options.outputPath))
    }
}
