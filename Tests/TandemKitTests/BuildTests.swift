import Foundation
import XCTest

@testable import TandemKit

/// A whole build of a valid programme, what it writes and how the output folder is handled.
final class BuildTests: TandemTestCase {
    func testValidFixtureBuildsTheSite() {
        let result = fixture.build()
        assertSucceeded(result)
        XCTAssertEqual(errors(result).count, 0)
        let site = output + "/site/"
        for file in [
            "index.html", "sitemap.xml", "robots.txt", "programme.ics", "404.html", "participants/index.html", "tandems/index.html",
        ] {
            XCTAssertTrue(fileExists(site + file), "site/\(file) is missing")
        }
        // Published people only.
        for id in ["anna-muster", "bruno-beispiel", "dieter-daten"] {
            XCTAssertTrue(fileExists(site + "participants/\(id).html"), "site/participants/\(id).html is missing")
        }
        XCTAssertFalse(fileExists(site + "participants/clara-geheim.html"), "unpublished participant got a page")
        // Tandems whose both members are published only.
        XCTAssertTrue(fileExists(site + "tandems/anna-bruno.html"))
        XCTAssertFalse(fileExists(site + "tandems/clara-dieter.html"), "tandem with an unpublished member got a page")
        // The page and the published photo.
        XCTAssertTrue(fileExists(site + "about.html"))
        XCTAssertTrue(fileExists(site + "assets/photos/anna.jpg"))

        let home = readText(output, "site/index.html") ?? ""
        XCTAssertTrue(home.contains("Reverse Mentoring Test"))
        let anna = readText(output, "site/participants/anna-muster.html") ?? ""
        XCTAssertTrue(anna.contains("Anna Muster"))
        XCTAssertTrue(anna.contains("Alpha AG"))
        XCTAssertTrue(anna.contains("Lernen geht in beide Richtungen."))
        let sitemap = readText(output, "site/sitemap.xml") ?? ""
        XCTAssertTrue(sitemap.contains("<loc>https://mentoring.example.ch/index.html</loc>"), sitemap)
        XCTAssertTrue(sitemap.contains("https://mentoring.example.ch/participants/anna-muster.html"))
        XCTAssertFalse(sitemap.contains("clara-geheim"))
        XCTAssertTrue((readText(output, "site/robots.txt") ?? "").contains("Sitemap: https://mentoring.example.ch/sitemap.xml"))
    }

    func testSitemapIsOmittedWithoutBaseURL() {
        fixture.replace("programme.yml", "base_url: \"https://mentoring.example.ch/\"\n", with: "")
        let result = fixture.build()
        assertSucceeded(result)
        XCTAssertTrue(fileExists(output + "/site/index.html"))
        XCTAssertFalse(fileExists(output + "/site/sitemap.xml"))
    }

    func testFailedBuildLeavesOutputByteIdentical() throws {
        let parent = fixture.root.appendingPathComponent("deploy").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let out = parent + "/Output"

        assertSucceeded(fixture.build(output: out))
        let before = snapshot(out)
        XCTAssertFalse(before.isEmpty)
        XCTAssertNotNil(before["site/index.html"])
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: parent).sorted(), [".Output.lock", "Output"],
            "staging folders left after a successful build (the lock file stays)")

        // Break the input in a way that changes the site if it were written.
        fixture.replace("participants.csv", "Anna Muster,mentor", with: "Anna Neu,coach")
        fixture.write("pages/about.md", "---\ntitle: Neuer Titel\n---\nNeu.\n")
        let failed = fixture.build(output: out)
        XCTAssertFalse(failed.succeeded)
        XCTAssertNil(failed.output)

        let after = snapshot(out)
        XCTAssertEqual(Set(after.keys), Set(before.keys), "file list changed after a failed build")
        for (path, bytes) in before {
            XCTAssertEqual(after[path], bytes, "\(path) changed after a failed build")
        }
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: parent).sorted(), [".Output.lock", "Output"],
            "staging or temporary folders left next to the output (the lock file stays)")
    }

    func testFailedFirstBuildCreatesNoOutputFolder() throws {
        fixture.replace("participants.csv", "Anna Muster,mentor", with: "Anna Muster,coach")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        XCTAssertFalse(fileExists(output), "a failed build created the output folder")
        let entries = try FileManager.default.contentsOfDirectory(atPath: fixture.root.path)
        XCTAssertEqual(entries, ["Content"], "a failed build left files next to the output: \(entries)")
    }

    func testSecondBuildReplacesTheFirst() throws {
        assertSucceeded(fixture.build())
        fixture.replace(
            "participants.csv", "dieter-daten,Dieter Daten,mentee,Delta AG,CFO,dieter@delta.example.ch,de,Podcasts,yes",
            with: "dieter-daten,Dieter Daten,mentee,Delta AG,CFO,dieter@delta.example.ch,de,Podcasts,no")
        assertSucceeded(fixture.build())
        XCTAssertFalse(fileExists(output + "/site/participants/dieter-daten.html"), "a page of the previous build survived")
        XCTAssertTrue(fileExists(output + "/site/participants/anna-muster.html"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).sorted()
        XCTAssertEqual(entries, [".Output.lock", "Content", "Output"])
    }

    func testBuildsAreDeterministicAndHaveNoMachinePaths() {
        let first = fixture.outputPath("first/Output")
        let second = fixture.outputPath("second/elsewhere")
        assertSucceeded(fixture.build(output: first))
        assertSucceeded(fixture.build(output: second))
        let a = snapshot(first)
        let b = snapshot(second)
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (path, bytes) in a {
            XCTAssertEqual(bytes, b[path], "\(path) differs between two builds of the same input")
        }
        let machinePaths = [
            fixture.root.path, fixture.root.lastPathComponent, fixture.contentPath, ProgrammeFixture.templatesPath,
            ProgrammeFixture.packageRoot.path,
        ]
        for (path, bytes) in a {
            let text = String(decoding: bytes, as: UTF8.self)
            for machinePath in machinePaths {
                XCTAssertFalse(text.contains(machinePath), "\(path) contains the build machine path \(machinePath)")
            }
        }
    }

    func testSameContentInAnotherFolderGivesIdenticalOutput() throws {
        let movedContent = fixture.root.appendingPathComponent("elsewhere/Programm 2026").path
        try FileManager.default.createDirectory(
            atPath: (movedContent as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.contentPath, toPath: movedContent)
        let first = fixture.outputPath("first")
        let second = fixture.outputPath("second")
        assertSucceeded(fixture.build(output: first))
        let moved = Pipeline.build(
            BuildOptions(contentPath: movedContent, templatesPath: ProgrammeFixture.templatesPath, outputPath: second))
        assertSucceeded(moved)
        let a = snapshot(first)
        let b = snapshot(second)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (path, bytes) in a {
            XCTAssertEqual(bytes, b[path], "\(path) depends on where the content folder is")
        }
    }

    func testUnknownColumnIsAWarningAndFailsWithStrict() {
        fixture.write(
            "participants.csv",
            fixture.read("participants.csv")
                .replacingOccurrences(of: "publish,photo\n", with: "publish,photo,telefon\n"))
        let result = fixture.build()
        assertSucceeded(result)
        assertDiagnostic(result, .warning, in: "participants.csv", line: 1, contains: ["telefon"])
        XCTAssertTrue(fileExists(output + "/site/index.html"))

        let strictOutput = fixture.outputPath("Strict")
        let strict = fixture.build(output: strictOutput, strict: true)
        XCTAssertFalse(strict.succeeded, "with strict, a warning must fail the build:\n\(listing(strict))")
        assertDiagnostic(strict, .error, in: "participants.csv", line: 1, contains: ["telefon"])
        XCTAssertFalse(fileExists(strictOutput))
    }

    func testCheckWritesNothing() throws {
        let result = fixture.check()
        assertSucceeded(result)
        XCTAssertFalse(fileExists(output), "check created the output folder")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path), ["Content"])

        fixture.replace("participants.csv", "Anna Muster,mentor", with: "Anna Muster,coach")
        let failed = fixture.check()
        XCTAssertFalse(failed.succeeded)
        assertDiagnostic(failed, in: "participants.csv", line: 2, contains: ["coach"])
        XCTAssertFalse(fileExists(output))
    }
}
