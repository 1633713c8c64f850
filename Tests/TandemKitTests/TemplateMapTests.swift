import XCTest

@testable import TandemKit

/// The template engine's map against Swift's `Dictionary`: the same values for every name, small maps (scanned)
/// and large ones (indexed) alike, with names set twice and names that are missing.
final class TemplateMapTests: XCTestCase {
    func testAgreesWithADictionary() {
        var rng = SplitMix64(seed: 21)
        let alphabet = Array("abcdefghij_.éü")
        for size in [0, 1, 5, TemplateMap.indexedFrom, TemplateMap.indexedFrom + 1, 40, 300] {
            var map = TemplateMap()
            var reference: [String: TemplateValue] = [:]
            for step in 0..<(size * 2) {
                // Short names collide often, so names are set again; the second half only overwrites.
                let length = Int.random(in: 1...(size > 50 ? 24 : 3), using: &rng)
                let name = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
                if step >= size, reference[name] == nil { continue }
                map[name] = .number(step)
                reference[name] = .number(step)
            }
            XCTAssertEqual(map.count, reference.count)
            for (name, value) in reference {
                guard case .number(let expected) = value, case .number(let actual)? = map[name] else {
                    return XCTFail("'\(name)' missing from a map of \(reference.count)")
                }
                XCTAssertEqual(actual, expected, name)
            }
            for missing in ["", "zzz", "a-b", String(repeating: "x", count: 30)] where reference[missing] == nil {
                XCTAssertNil(map[missing], missing)
            }
            XCTAssertEqual(map.sortedEntries.map(\.key), reference.keys.sorted())
        }
    }

    /// A template renders the same names from an indexed map as from a small one.
    func testTemplateLooksUpLargeMaps() throws {
        var names: [String: Any] = [:]
        for i in 0..<50 { names["name_\(i)"] = "value \(i)" }
        let template = try TandemKit.Template("{{name_0}}|{{name_49}}|{{#name_7}}{{name_8}}{{/name_7}}|{{missing}}")
        var renderer = TemplateRenderer(templates: [:])
        let bytes = renderer.render(template, TemplateValue(names, scrub: false))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "value 0|value 49|value 8|")
    }
}
