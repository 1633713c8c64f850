import Foundation
import XCTest

@testable import TandemKit

/// `SimpleYAML` (the fast front matter reader) against Yams: whenever it reads a text, it must give exactly Yams'
/// nodes (texts, plain or quoted, lines and columns); everything else it must leave to Yams.
final class SimpleYAMLTests: XCTestCase {
    /// Yams' reading of `text` as `YAMLDocument` keeps it, or nil when Yams reports an error.
    private func yams(_ text: String) -> YAMLNode? {
        var diagnostics = Diagnostics()
        return YAMLDocument.parseWithYams(text, path: "x.md", diagnostics: &diagnostics)?.root
    }

    private func assertSameAsYams(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let fast = SimpleYAML.parse(text) else { return }
        let reference = yams(text)
        XCTAssertEqual(fast, reference, "SimpleYAML differs from Yams for:\n\(text)", file: file, line: line)
    }

    func testReadsFrontMatterAsYamsDoes() {
        let texts = [
            "pair: t1\nauthor: mentor\nphase: kickoff\ndate: 2026-03-12\nratings:\n  nutzen: 5\n  chemie: 3\nshare: private\n",
            "quote: \"Ein Satz, mit: Doppelpunkt\"\nlinks:\n  - title: \"LinkedIn\"\n    url: \"https://www.linkedin.com/in/x\"\n",
            "links:\n- title: 'It''s'\n  url: https://example.org/a?b=c\n- title: Zwei\n  url: mailto:x@example.org\n",
            "title: \"Häufige Fragen\"\norder: 2\n", "title: Zoë «über» 🙂 x\nslug: faq\n", "order: -1\n", "a:\nb: ''\nc: \"\"\n",
            "a: 1\r\nb:\r\n  c: x\r\n", "", "\n  \n", "ratings:\n", "ratings:\n\nshare: quote", "k: ~\nl: null\n",
            "a:\n  - x\n  - y\nb: z\n",
            "é: 1\nqualität: 2\n",
        ]
        for text in texts {
            XCTAssertNotNil(SimpleYAML.parse(text), "should be read without Yams:\n\(text)")
            assertSameAsYams(text)
        }
    }

    func testLeavesTheRestToYams() {
        let texts = [
            "a: 1 # comment\n", "a:\tb\n", "a: [x, y]\n", "a: {b: 1}\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  text\n",
            "a: b: c\n", "a: \"esc\\n\"\n", "a: \"open\n", "a: one\n  two\n", "a: 1\na: 2\n", "- a\n- b\n", "just text\n",
            "---\na: 1\n", "a: 1\n...\n", "  a: 1\n", "a: 1\n b: 2\n", "\"a\": 1\n", "a:b\n", "a: x\u{85}y\n", "a: \u{FEFF}x\n",
            "a: 1\rb: 2\n",
            "? a\n: b\n", "a: @x\n", "a: `x`\n", "a: %x\n", "a: 'x' y\n", "a:\n  - - x\n",
        ]
        for text in texts {
            XCTAssertNil(SimpleYAML.parse(text), "should be left to Yams:\n\(text)")
        }
    }

    /// Every front matter and YAML file of the sample programme and the theme.
    func testSampleFilesReadAsYamsDoes() throws {
        let root = ProgrammeFixture.packageRoot
        var texts: [String] = []
        for folder in ["Content", "Templates"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "yml" || url.pathExtension == "md" {
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                if url.pathExtension == "yml" {
                    texts.append(text)
                } else if text.hasPrefix("---\n"), let close = text.range(of: "\n---\n") {
                    texts.append(String(text[text.index(text.startIndex, offsetBy: 4)..<close.lowerBound]) + "\n")
                }
            }
        }
        XCTAssertFalse(texts.isEmpty)
        for text in texts { assertSameAsYams(text) }
    }

    /// Random documents near the accepted subset (valid trees with random indentation, quotes, and characters
    /// YAML treats specially dropped in): whatever SimpleYAML reads, Yams reads the same.
    func testRandomDocumentsReadAsYamsDoes() {
        var random = SplitMix64(seed: 7)
        var read = 0
        for _ in 0..<20_000 {
            var text = randomDocument(&random)
            if random.next(4) == 0 {
                // Mutate: insert, replace or delete one character.
                let pieces = [
                    " ", ":", "-", "\"", "'", "\n", "\r\n", "#", "\t", "- ", ": ", "  ", "x", "ü", "🙂", "\\", "[", "&", "?", "''",
                ]
                var scalars = Array(text.unicodeScalars)
                let position = random.next(scalars.count + 1)
                switch random.next(3) {
                case 0: scalars.insert(contentsOf: pieces[random.next(pieces.count)].unicodeScalars, at: position)
                case 1 where position < scalars.count: scalars[position] = pieces[random.next(pieces.count)].unicodeScalars.first!
                default: if position < scalars.count { scalars.remove(at: position) }
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                text = String(view)
            }
            if SimpleYAML.parse(text) != nil { read += 1 }
            assertSameAsYams(text)
        }
        XCTAssertGreaterThan(read, 5_000, "the generator should mostly produce text SimpleYAML reads")
    }

    private func randomDocument(_ random: inout SplitMix64) -> String {
        let keys = ["pair", "author", "a", "b1", "nutzen", "qualität", "_k", "k-e", "k.e", "k/e", "1", "true", "x_y"]
        let scalars = [
            "x", "mentor", "2026-03-12", "5", "-1", "hello world", "\"quoted\"", "'single'", "'it''s'", "\"a: b\"", "https://x.y/z?q=1",
            "Zoë «ü» 🙂", "null", "~", "\"\"", "''", "-x", "x'y", "x\"y", "x, y", "x]", "a:b", "\"sp  \"", "é",
        ]
        var lines: [String] = []
        func value(_ indent: Int, depth: Int) -> (inline: String?, block: [String]) {
            switch depth < 2 ? random.next(5) : 0 {
            case 1:
                let step = 1 + random.next(3)
                var block: [String] = []
                for key in keys.shuffled(using: &random).prefix(1 + random.next(3)) {
                    block += entry(key, indent + step, depth: depth + 1)
                }
                return (nil, block)
            case 2:
                let step = random.next(3)
                let dashIndent = indent + step
                var block: [String] = []
                for _ in 0..<1 + random.next(3) {
                    if random.next(2) == 0 {
                        block.append(String(repeating: " ", count: dashIndent) + "- " + scalars[random.next(scalars.count)])
                    } else {
                        let gap = 1 + random.next(2)
                        var first = true
                        for key in keys.shuffled(using: &random).prefix(1 + random.next(2)) {
                            let text = key + ": " + scalars[random.next(scalars.count)]
                            if first {
                                block.append(String(repeating: " ", count: dashIndent) + "-" + String(repeating: " ", count: gap) + text)
                                first = false
                            } else {
                                block.append(String(repeating: " ", count: dashIndent + 1 + gap) + text)
                            }
                        }
                    }
                }
                return (nil, block)
            case 3: return ("", [])
            default: return (scalars[random.next(scalars.count)], [])
            }
        }
        func entry(_ key: String, _ indent: Int, depth: Int) -> [String] {
            let (inline, block) = value(indent, depth: depth)
            let head = String(repeating: " ", count: indent) + key + ":"
            if let inline { return [inline.isEmpty ? head : head + String(repeating: " ", count: 1 + random.next(2)) + inline] }
            return [head] + block
        }
        for key in keys.shuffled(using: &random).prefix(1 + random.next(5)) {
            lines += entry(key, 0, depth: 0)
            if random.next(6) == 0 { lines.append(String(repeating: " ", count: random.next(3))) }
        }
        let separator = random.next(5) == 0 ? "\r\n" : "\n"
        return lines.joined(separator: separator) + (random.next(3) == 0 ? "" : separator)
    }
}

/// The sample generator's seeded SplitMix64, so the random documents are the same on every run.
extension SplitMix64 {
    /// A number in `0..<bound`.
    fileprivate mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
