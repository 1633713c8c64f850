import Foundation
import XCTest

@testable import TandemKit

/// `tandem build --only site|print|mail|internal`: only the named outputs are rendered, checked and replaced; the
/// others stay byte for byte as the last full build wrote them.
final class PartialBuildTests: TandemTestCase {
    /// `md5sum` of every file below `folder`, by path (what a user would compare).
    private func checksums(_ folder: String) throws -> [String: String] {
        let listing = try Tool.run("sh", ["-c", "cd \"$0\" && find . -type f -print0 | sort -z | xargs -0 -r md5sum", folder])
        var sums: [String: String] = [:]
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            sums[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        return sums
    }

    func testOnlySiteKeepsTheOtherOutputsByteForByte() throws {
        var first = try runTandem(["build", "--content", "Content", "--output", "Output"], in: fixture.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let kept = try ["print", "mail", "internal"].map { try checksums(output + "/" + $0) }
        XCTAssertFalse(kept.contains { $0.isEmpty }, "the full build wrote print/, mail/ and internal/")
        // A change that every output shows: the new name must reach site/ only.
        fixture.replace("participants.csv", "Anna Muster,mentor", with: "Anna Neuname,mentor")
        first = try runTandem(["build", "--content", "Content", "--output", "Output", "--only", "site"], in: fixture.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("(site; kept as they were: print, mail, internal)"), first.stdout)
        XCTAssertTrue(readText(output, "site/participants/anna-muster.html")?.contains("Anna Neuname") ?? false)
        XCTAssertEqual(
            try ["print", "mail", "internal"].map { try checksums(output + "/" + $0) }, kept,
            "print/, mail/ and internal/ are the previous build's files")
        XCTAssertFalse(readText(output, "print/handout.html")?.contains("Neuname") ?? true)
        let leftovers = (try FileManager.default.contentsOfDirectory(atPath: fixture.root.path)).filter { $0.hasPrefix(".Output") }
        XCTAssertEqual(leftovers, [".Output.lock"], "no staging or previous folder is left behind")

        // Two outputs at once; the site is now kept as --only site wrote it.
        let site = try checksums(output + "/site")
        let again = try runTandem(
            ["build", "--content", "Content", "--output", "Output", "--only", "print", "--only", "mail"], in: fixture.root)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(readText(output, "print/handout.html")?.contains("Anna Neuname") ?? false)
        XCTAssertTrue(snapshot(output + "/mail").values.contains { String(decoding: $0, as: UTF8.self).contains("Neuname") })
        XCTAssertEqual(try checksums(output + "/site"), site)
        XCTAssertEqual(try checksums(output + "/internal"), kept[2])
    }

    func testOnlyRefusesWithoutAnEarlierFullBuild() throws {
        let run = try runTandem(["build", "--content", "Content", "--output", "Output", "--only", "print"], in: fixture.root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains(
                "Output/internal: error: does not exist: --only rebuilds some outputs and keeps the others of an earlier full build"),
            run.stderr)
        XCTAssertTrue(run.stderr.contains("build failed; Output/ was left unchanged"), run.stderr)
        XCTAssertFalse(fileExists(output + "/print"), "nothing is written")

        // A full build, then one output removed by hand: refused again, the rest untouched.
        XCTAssertEqual(try runTandem(["build", "--content", "Content", "--output", "Output"], in: fixture.root).status, 0)
        try FileManager.default.removeItem(atPath: output + "/mail")
        let before = snapshot(output)
        let second = try runTandem(["build", "--content", "Content", "--output", "Output", "--only", "site"], in: fixture.root)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("Output/mail: error: does not exist"), second.stderr)
        XCTAssertEqual(snapshot(output), before)

        let wrong = try runTandem(["build", "--content", "Content", "--only", "pdf"], in: fixture.root)
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("--only"), wrong.stderr)
    }

    /// Links from the rebuilt outputs into the kept ones are checked against the files in the output folder.
    func testLinksIntoKeptOutputsAreChecked() throws {
        XCTAssertEqual(try runTandem(["build", "--content", "Content", "--output", "Output"], in: fixture.root).status, 0)
        let handoutIDs = LinkChecker.scan(Array((readText(output, "print/handout.html") ?? "").utf8)).ids
        let anchor = try XCTUnwrap(handoutIDs.sorted().first, "the handout has ids")
        fixture.write(
            "pages/downloads.md",
            """
            ---
            title: Downloads
            ---
            [Handout](../print/handout.html), [Kapitel](../print/handout.html#\(anchor)), [Fehlt](../print/fehlt.html),
            [Anker](../print/handout.html#kein-anker)
            """)
        let run = try runTandem(["build", "--content", "Content", "--output", "Output", "--only", "site"], in: fixture.root)
        XCTAssertEqual(run.status, 0, run.stderr)
        let page = "Output/site/downloads.html"
        XCTAssertTrue(
            run.stderr.contains(page) && run.stderr.contains("warning: broken link to '../print/fehlt.html': there is no print/fehlt.html"),
            run.stderr)
        XCTAssertTrue(
            run.stderr.contains("broken link to '../print/handout.html#kein-anker': print/handout.html has no id 'kein-anker'"), run.stderr)
        XCTAssertFalse(run.stderr.contains("'../print/handout.html'"), "the kept handout exists:\n\(run.stderr)")
        XCTAssertFalse(run.stderr.contains("#\(anchor)'"), "its anchor exists:\n\(run.stderr)")
        // --strict turns them into errors and keeps the output as it was.
        let before = snapshot(output)
        let strict = try runTandem(["build", "--content", "Content", "--output", "Output", "--only", "site", "--strict"], in: fixture.root)
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("error: broken link to '../print/fehlt.html'"), strict.stderr)
        XCTAssertEqual(snapshot(output), before)
    }
}
