import Foundation
import XCTest

@testable import TandemKit

/// The built-in link check (issue 6): internal links and #anchors of site/, print/ and internal/ must resolve.
final class LinkCheckTests: TandemTestCase {
    /// A tiny output tree: one page links to everything that can go right or wrong.
    private func tinyTree() -> OutputTree {
        var tree = OutputTree()
        tree.add(
            "site/index.html",
            """
            <!DOCTYPE html>
            <html lang="de"><head><link rel="stylesheet" href="theme/style.css"><link rel="canonical" href="https://example.ch/index.html"></head>
            <body><a href="#main">skip</a><main id="main">
            <a href="people/anna.html">ok</a> <a href='people/anna.html#bio'>ok anchor</a> <a href=people/anna.html#old>named anchor</a>
            <a href="people/caf%C3%A9.html">percent-encoded</a> <a href="people/anna.html?x=1&amp;y=2#bio">query</a>
            <a href="https://example.ch/missing.html">external</a> <a href="mailto:x@example.ch">mail</a> <a href="tel:+41">tel</a>
            <img src="data:image/png;base64,AAAA" alt=""> <a href="//cdn.example.ch/x.js">protocol-relative</a> <a href="#">top</a>
            <!-- <a href="commented-out.html">not a link</a> -->
            <script>var s = '<a href="in-script.html">';</script>
            <a href="people/bruno.html">missing page</a>
            <a
              href="people/anna.html#nowhere">missing anchor</a>
            <a href="#nomain">missing anchor here</a>
            <a href="../../outside.html">outside</a>
            <a href="people/">folder</a>
            <img src="assets/photo.jpg" alt=""> <img src="assets/missing.jpg" alt="">
            </main></body></html>
            """)
        tree.add("site/people/anna.html", "<html><body><h2 id=\"bio\">Bio</h2><a name=\"old\"></a><a href=\"../index.html#main\">home</a></body></html>")
        tree.add("site/people/café.html", "<html><body><a href=\"anna.html#bio\">Anna</a></body></html>")
        tree.add("site/people/index.html", "<html><body></body></html>")
        tree.add("site/theme/style.css", "body{}")
        tree.copy("/somewhere/photo.jpg", to: "site/assets/photo.jpg")
        tree.add("site/language.html", "<meta http-equiv=\"refresh\" content=\"0; url=de/index.html\"><a href=\"index.html\">x</a>")
        // mail/ is not checked; its links are absolute anyway.
        tree.add("mail/x.html", "<a href=\"nothing.html\">x</a>")
        tree.add("print/handout.html", "<a href=\"../site/people/anna.html#bio\">site</a> <a href=\"theme/print.css\">css</a>")
        return tree
    }

    func testFindsBrokenLinksAndAnchorsWithPageAndTarget() {
        let report = LinkChecker.check(tinyTree(), outputPath: "Output")
        XCTAssertEqual(report.pages, 6, "site/ and print/ pages; mail/ is not checked")
        let lines = report.diagnostics.map(\.description)
        let expected = [
            "Output/print/handout.html:1:58: warning: broken link to 'theme/print.css': there is no print/theme/print.css",
            "Output/site/index.html:10:10: warning: broken link to 'people/bruno.html': there is no site/people/bruno.html",
            "Output/site/index.html:12:9: warning: broken link to 'people/anna.html#nowhere': site/people/anna.html has no id 'nowhere'",
            "Output/site/index.html:13:10: warning: broken link to '#nomain': site/index.html has no id 'nomain'",
            "Output/site/index.html:14:10: warning: broken link to '../../outside.html': it points outside the output folder",
            "Output/site/index.html:15:10: warning: broken link to 'people/': it names a folder, which opened from disk shows a file list; link to site/people/index.html",
            "Output/site/index.html:16:47: warning: broken link to 'assets/missing.jpg': there is no site/assets/missing.jpg",
            "Output/site/language.html:1:37: warning: broken link to 'de/index.html': there is no site/de/index.html",
        ]
        XCTAssertEqual(Diagnostics.sortedForTest(report.diagnostics), expected, lines.joined(separator: "\n"))
    }

    /// Any number of pages on any number of workers: the same findings in the same order.
    func testPageCountsAndWorkers() {
        for count in [1, 2, 3, 7, 10, 17, 33, 64] {
            var tree = OutputTree()
            for i in 0..<count { tree.add("site/p\(i).html", "<a href=\"p\((i + 1) % count).html#x\">next</a><a href=\"gone\(i).html\">x</a><p id=\"x\"></p>") }
            let expected = (0..<count).map { "site/p\($0).html" }.sorted()
            for workers in [1, 2, 3, 8] {
                let report = LinkChecker.check(tree, outputPath: "", workers: workers)
                XCTAssertEqual(report.pages, count)
                XCTAssertEqual(report.links, 2 * count)
                XCTAssertEqual(report.diagnostics.map(\.path), expected, "\(count) pages, \(workers) workers")
            }
        }
    }

    func testStrictSeverityAndEntityDecoding() {
        var tree = OutputTree()
        tree.add("internal/report.html", "<a href=\"data/a&amp;b.csv\">csv</a><a href=\"#s&#233;\">x</a><p id=\"sé\"></p><a href=\"#s%C3%A9\">y</a>")
        tree.add("internal/data/a&b.csv", "x")
        XCTAssertEqual(LinkChecker.check(tree).diagnostics, [])
        tree.add("internal/report.html", "<a href=\"data/b.csv\">csv</a>")
        let findings = LinkChecker.check(tree, outputPath: "Out/", severity: .error).diagnostics
        XCTAssertEqual(findings.map(\.description), ["Out/internal/report.html:1:10: error: broken link to 'data/b.csv': there is no internal/data/b.csv"])
    }

    func testTheSampleProgrammeHasNoBrokenLinks() {
        let root = ProgrammeFixture.packageRoot
        let options = BuildOptions(
            contentPath: root.appendingPathComponent("Content").path, templatesPath: ProgrammeFixture.templatesPath,
            outputPath: output)
        let result = Pipeline.render(options)
        assertSucceeded(result)
        guard let tree = result.output else { return XCTFail("no output") }
        let report = LinkChecker.check(tree)
        XCTAssertGreaterThan(report.pages, 50)
        XCTAssertGreaterThan(report.links, 1000)
        XCTAssertEqual(report.diagnostics.map(\.description), [])
        XCTAssertFalse(result.diagnostics.contains { $0.message.hasPrefix(LinkChecker.messagePrefix) }, listing(result))
    }

    func testFixtureInOneAndTwoLanguagesHasNoBrokenLinks() {
        for languages in ["", "languages: [de, fr, it, en]\n"] {
            if !languages.isEmpty { fixture.replace("programme.yml", "title: \"Reverse Mentoring Test\"", with: "title: \"Reverse Mentoring Test\"\n" + languages) }
            let result = Pipeline.render(fixture.options())
            assertSucceeded(result)
            guard let tree = result.output else { return XCTFail("no output") }
            let report = LinkChecker.check(tree)
            XCTAssertGreaterThan(report.pages, 5)
            XCTAssertEqual(report.diagnostics.map(\.description), [], languages)
        }
    }

    /// A theme with a broken link: a warning on every build naming page and target; with --strict the build fails.
    func testBuildWarnsAndStrictFailsOnABrokenTemplateLink() throws {
        let theme = fixture.root.appendingPathComponent("Theme").path
        try FileManager.default.copyItem(atPath: ProgrammeFixture.templatesPath, toPath: theme)
        let footer = theme + "/partials/footer.mustache"
        let text = try String(contentsOfFile: footer, encoding: .utf8)
        try (text + "<a href=\"{{root}}gone.html#x\">gone</a>\n").write(toFile: footer, atomically: true, encoding: .utf8)
        var options = fixture.options()
        options.templatesPath = theme
        let result = Pipeline.build(options)
        assertSucceeded(result)
        let findings = result.diagnostics.filter { $0.message.hasPrefix(LinkChecker.messagePrefix) }
        XCTAssertTrue(
            findings.contains { $0.description.hasPrefix(output + "/site/participants/anna-muster.html:") && $0.message == "broken link to '../gone.html#x': there is no site/gone.html" },
            listing(result))
        XCTAssertTrue(findings.allSatisfy { $0.severity == .warning && $0.line != nil })

        options.strict = true
        options.outputPath = fixture.outputPath("Strict")
        let strict = Pipeline.build(options)
        XCTAssertFalse(strict.succeeded)
        XCTAssertTrue(strict.diagnostics.contains { $0.severity == .error && $0.message.hasPrefix(LinkChecker.messagePrefix) })
        XCTAssertFalse(fileExists(options.outputPath), "a failed strict build writes nothing")
    }

    /// Markdown headings never skip a level below the page's h1, whatever levels the author used (vnu and axe flag gaps).
    func testMarkdownHeadingsNeverSkipALevel() {
        func levels(_ markdown: String) -> [Int] {
            let html = Markdown.render(markdown).html
            return html.components(separatedBy: "<h").dropFirst().compactMap { $0.first?.wholeNumberValue }
        }
        XCTAssertEqual(levels("# A\n\n## B\n\n# C\n"), [2, 3, 2])
        XCTAssertEqual(levels("## A\n\n### B\n\n## C\n"), [2, 3, 2], "a body starting at ## still starts below the h1")
        XCTAssertEqual(levels("# A\n\n### B\n\n#### C\n\n## D\n"), [2, 3, 4, 3])
        XCTAssertEqual(levels("#### A\n\n# B\n"), [2, 2])
        XCTAssertEqual(levels("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n"), [2, 3, 4, 5, 6, 6])
    }

    /// No id of a Markdown heading repeats the layout's `main`, and texts shown side by side (feedback) have no heading ids.
    func testHeadingIdsNeverCollide() throws {
        XCTAssertEqual(Markdown.render("# Main\n\n# Main\n").headingIDs, ["main-2", "main-3"])
        let feedback = Markdown.render("Gut.\n\n## Fazit\n\n*x* `<h2>` `<header>`\n\n---\n").headingsAsParagraphs
        XCTAssertEqual(feedback.html, "<p>Gut.</p>\n<p><strong>Fazit</strong></p>\n<p><em>x</em> <code>&lt;h2&gt;</code> <code>&lt;header&gt;</code></p>\n<hr />\n")
        XCTAssertEqual(feedback.headingIDs, [])

        // Two quoted feedback texts with the same heading on one page: no duplicate id, no heading in the quotes.
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.contentPath + "/feedback") {
            let text = fixture.read("feedback/" + name)
            if text.contains("share: quote") || text.contains("share: anonymous") { fixture.write("feedback/" + name, text + "\n## Fazit\n\nJa.\n") }
        }
        assertSucceeded(fixture.build())
        for page in ["site/index.html", "internal/report.html", "print/handout.html"] {
            let html = try XCTUnwrap(readText(output, page), page)
            XCTAssertFalse(html.contains("id=\"fazit\""), page)
        }
        XCTAssertTrue(try XCTUnwrap(readText(output, "site/index.html")).contains("<p><strong>Fazit</strong></p>"), "the quote is on the home page")
    }
}

extension Diagnostics {
    /// The descriptions of `list` in the order a build prints them.
    static func sortedForTest(_ list: [Diagnostic]) -> [String] {
        var all = Diagnostics()
        for d in list { all.append(d) }
        return all.sorted.map(\.description)
    }
}
