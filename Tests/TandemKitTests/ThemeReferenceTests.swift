import Foundation
import XCTest

@testable import TandemKit

/// docs/theme-variables.md is generated from the context types; this test fails when it is out of date
/// (`TANDEM_UPDATE_DOCS=1 swift test --filter ThemeReferenceTests` rewrites it).
final class ThemeReferenceTests: XCTestCase {
    /// The `///` comments of each context type and of its stored properties, read from the Swift sources.
    private func docComments() throws -> (fields: [String: [String: String]], types: [String: String]) {
        let folder = ProgrammeFixture.packageRoot.appendingPathComponent("Sources/TandemKit/Render/Context")
        var fields: [String: [String: String]] = [:]
        var types: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".swift") {
            let source = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var comment: [String] = []
            var current: String?
            for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("///") {
                    comment.append(String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces))
                    continue
                }
                if line.hasPrefix("struct "), raw.hasPrefix("struct ") {
                    let typeName = String(line.dropFirst(7).prefix { $0.isLetter || $0.isNumber })
                    current = typeName
                    if !comment.isEmpty { types[typeName] = comment.joined(separator: " ") }
                } else if let type = current, line.hasPrefix("let ") || line.hasPrefix("var "), raw.hasPrefix("    "),
                    !raw.hasPrefix("        ")
                {
                    let field = String(line.dropFirst(4).prefix { $0 != ":" && $0 != " " })
                    if !comment.isEmpty { fields[type, default: [:]][field] = comment.joined(separator: " ") }
                    fields[type, default: [:]][field] = fields[type]?[field] ?? ""
                }
                comment = []
            }
        }
        return (fields, types)
    }

    func testVariableReferenceIsCurrent() throws {
        let (fields, types) = try docComments()
        let generated = ThemeReference.markdown(descriptions: fields, typeDescriptions: types)
        let path = ProgrammeFixture.packageRoot.appendingPathComponent("docs/theme-variables.md")
        if ProcessInfo.processInfo.environment["TANDEM_UPDATE_DOCS"] == "1" {
            try generated.write(to: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: path, encoding: .utf8)
        XCTAssertEqual(
            committed, generated, "docs/theme-variables.md is out of date: run TANDEM_UPDATE_DOCS=1 swift test --filter ThemeReferenceTests"
        )
    }

    /// Every name the default theme's page templates use exists in a context shape (the shapes are complete).
    func testShapesNameWhatThePageContextsHold() {
        guard case .map(let fields, _) = TemplateCatalogue.shapes["participant"] else { return XCTFail("no shape for participant") }
        for name in ["lang", "root", "site_root", "t", "title", "nav", "person", "canonical", "description"] {
            XCTAssertNotNil(fields[name], name)
        }
        guard case .map(let person, _) = fields["person"] else { return XCTFail("person is not a map") }
        for name in ["name", "photo", "initials", "body", "quote_lang", "tandems", "links"] { XCTAssertNotNil(person[name], name) }
        guard case .list(.map(let partner, _))? = person["tandems"] else { return XCTFail("tandems is not a list") }
        XCTAssertEqual(Set(partner.keys), ["partner", "tandem_href"])
    }
}
