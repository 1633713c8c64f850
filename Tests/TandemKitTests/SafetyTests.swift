import Foundation
import XCTest

@testable import TandemKit

/// SPEC rule 3: content values are escaped, raw HTML is dropped, nothing is written outside the output folder.
final class SafetyTests: TandemTestCase {
    func testHostileValuesAreEscaped() {
        fixture.replace(
            "participants.csv",
            "anna-muster,Anna Muster,mentor,Alpha AG,Social-Media-Managerin,",
            with: #"anna-muster,"<script>alert(""x"")</script> & Co",mentor,Alpha AG,""><img src=x onerror=alert(1)>","#)
        fixture.write(
            "profiles/anna-muster.md",
            """
            ---
            quote: "<script>quote()</script>"
            ---
            Hallo <script>evil()</script> Welt.

            <script>
            blockEvil()
            </script>

            <iframe src="https://evil.example/"></iframe>

            <div onclick="x()">Block</div>

            [click](javascript:alert(1)) und [auch](JAVASCRIPT:alert(2)) und ![bild](javascript:alert(3))

            """)
        let result = fixture.build()
        assertSucceeded(result)
        let files = snapshot(output + "/site").mapValues { String(decoding: $0, as: UTF8.self) }
        XCTAssertFalse(files.isEmpty)
        for (path, text) in files.sorted(by: { $0.key < $1.key }) where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            let lower = text.lowercased()
            XCTAssertFalse(lower.contains("<script"), "\(path) contains <script")
            XCTAssertFalse(lower.contains("<iframe"), "\(path) contains <iframe")
            XCTAssertFalse(lower.contains("javascript:"), "\(path) contains javascript:")
            XCTAssertFalse(lower.contains("<img src=x"), "\(path) contains the injected <img> tag")
            XCTAssertFalse(lower.contains("onclick="), "\(path) contains raw HTML from Markdown")
            // A block of raw HTML is dropped whole (inline tags are dropped, the text between them is plain text).
            XCTAssertFalse(text.contains("blockEvil"), "\(path) contains the code of a raw <script> block")
        }
        let page = files["participants/anna-muster.html"] ?? ""
        XCTAssertTrue(page.contains("&lt;script&gt;alert("), "the name is not shown escaped")
        XCTAssertTrue(page.contains("&amp; Co"), "the ampersand is not escaped")
        XCTAssertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "the position is not shown escaped")
        XCTAssertTrue(page.contains("Hallo"), "the profile text is missing")
        XCTAssertTrue(page.contains("Welt."), "the profile text is missing")
        // The link text remains, without the dangerous target.
        XCTAssertTrue(page.contains("click"))
        let index = files["participants/index.html"] ?? ""
        XCTAssertTrue(index.contains("&lt;script&gt;alert("), "the name is not escaped in the overview")
    }

    func testQuotesInValuesCannotBreakOutOfAttributes() {
        fixture.replace("participants.csv", "anna-muster,Anna Muster,", with: #"anna-muster,"Anna"" onmouseover=""alert(1)"" x=""","#)
        fixture.replace("participants.csv", "TikTok;KI-Tools", with: #"TikTok;x' onfocus='alert(2)"#)
        let result = fixture.build()
        assertSucceeded(result)
        for (path, data) in snapshot(output + "/site") where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains("\" onmouseover=\""), "site/\(path): a quote in a value closed an attribute")
            XCTAssertFalse(text.contains("' onfocus='"), "site/\(path): an apostrophe in a value is not escaped")
        }
        XCTAssertTrue(
            readText(output, "site/participants/anna-muster.html")?.contains("Anna&quot; onmouseover=&quot;alert(1)&quot;") ?? false)
    }

    func testHostileProgrammeTitleIsEscapedEverywhere() {
        fixture.replace("programme.yml", "title: \"Reverse Mentoring Test\"", with: "title: \"</title><script>alert(1)</script>\"")
        let result = fixture.build()
        assertSucceeded(result)
        for (path, data) in snapshot(output + "/site") where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains("<script"), "\(path) contains <script")
            XCTAssertFalse(text.contains("</title><"), "\(path) lets the title close the <title> element")
        }
    }

    func testPhotoPathTraversalIsAnError() throws {
        for photo in ["../../etc/passwd", "/etc/passwd", "photos/../../../etc/passwd"] {
            fixture.write("participants.csv", ProgrammeFixture.defaultFiles["participants.csv"]!)
            fixture.replace("participants.csv", "yes,photos/anna.jpg", with: "yes,\(photo)")
            let result = fixture.build()
            XCTAssertFalse(result.succeeded, "photo '\(photo)' must be refused:\n\(listing(result))")
            assertDiagnostic(result, .error, in: "participants.csv", line: 2, contains: [photo])
            XCTAssertFalse(fileExists(output), "a refused build wrote output")
            XCTAssertEqual(
                try FileManager.default.contentsOfDirectory(atPath: fixture.root.path), ["Content"],
                "something was written next to the content")
        }
    }

    func testPageSlugCannotEscapeTheOutput() throws {
        fixture.write("pages/evil.md", "---\ntitle: Böse\nslug: ../../evil\n---\nText.\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded, "slug '../../evil' must be refused:\n\(listing(result))")
        XCTAssertTrue(result.diagnostics.contains { $0.path == fixture.path("pages/evil.md") && $0.severity == .error }, listing(result))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path), ["Content"])
        XCTAssertFalse(fileExists(fixture.root.deletingLastPathComponent().appendingPathComponent("evil.html").path))
    }

    func testBuildWritesOnlyInsideTheOutputFolder() throws {
        let parent = fixture.root.appendingPathComponent("deploy").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let contentBefore = snapshot(fixture.contentPath)
        assertSucceeded(fixture.build(output: parent + "/Output"))
        // Beside the output folder only its lock file (see docs/security-output.md).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent).sorted(), [".Output.lock", "Output"])
        XCTAssertEqual(snapshot(fixture.contentPath), contentBefore, "the build changed the content folder")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).sorted(), ["Content", "deploy"])
    }
}
