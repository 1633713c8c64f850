import Foundation
import XCTest

@testable import TandemKit

/// `tandem new`: the new folder passes `tandem check --strict` with no message in every language, builds without a
/// Templates/ folder, and an existing folder's content is never touched.
final class NewProgrammeTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let root { try? FileManager.default.removeItem(at: root) }
        super.tearDown()
    }

    private func text(_ path: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func testNewProgrammePassesStrictCheckWithoutAnyMessageInEveryLanguage() throws {
        let readmes: [NewProgramme.Language: String] = [.de: "LIESMICH.md", .fr: "LISEZMOI.md", .it: "LEGGIMI.md", .en: "README.md"]
        for language in NewProgramme.Language.allCases {
            let folder = "programme-\(language.rawValue)"
            let new = try runTandem(["new", folder, "--language", language.rawValue], in: root)
            XCTAssertEqual(new.status, 0, "\(language): \(new.stderr)")
            XCTAssertTrue(new.stdout.contains("Created \(folder)/"), new.stdout)
            let project = root.appendingPathComponent(folder)
            // The theme is built in: nothing of it is copied.
            XCTAssertFalse(FileManager.default.fileExists(atPath: project.appendingPathComponent("Templates").path))
            let check = try runTandem(["check", "--strict"], in: project)
            XCTAssertEqual(check.status, 0, "\(language): \(check.stderr)")
            XCTAssertEqual(check.stderr, "", "\(language): tandem check --strict must say nothing but OK")
            XCTAssertTrue(check.stdout.hasPrefix("OK: 4 participants, 2 tandems, 0 meetings, 0 feedback entries, 4 pages"), check.stdout)

            let yaml = try XCTUnwrap(text("\(folder)/Content/programme.yml"))
            XCTAssertTrue(yaml.contains("language: \(language.rawValue)\n"), yaml)
            for key in [
                "base_url: \"https://www.example.org/mentoring/\"", "timezone:", "# reference_date:", "phone:", "public: yes", "agenda:",
                "address: |", "url:", "# matching:",
            ] {
                XCTAssertTrue(yaml.contains(key), "\(language): programme.yml should show \(key)")
            }
            XCTAssertNotNil(text("\(folder)/\(try XCTUnwrap(readmes[language]))"), "\(language): read-me")
            XCTAssertEqual(text("\(folder)/.gitignore")?.contains("/Output/"), true)
            XCTAssertTrue(FileManager.default.fileExists(atPath: project.appendingPathComponent("Content/assets/photos").path))

            let build = try runTandem(["build"], in: project)
            XCTAssertEqual(build.status, 0, "\(language): \(build.stderr)")
            let home = try XCTUnwrap(text("\(folder)/Output/site/index.html"), "\(language): site/index.html")
            XCTAssertTrue(home.contains(NewProgrammeTexts.of(language).defaultTitle), "\(language): title on the home page")
        }
    }

    func testPagesAreDraftsImprintAndPrivacyInTheFooter() throws {
        XCTAssertEqual(try runTandem(["new", "p", "--language", "en"], in: root).status, 0)
        let project = root.appendingPathComponent("p")
        XCTAssertEqual(try runTandem(["build"], in: project).status, 0)
        for page in ["about", "faq", "imprint", "privacy"] {
            let html = try XCTUnwrap(text("p/Output/site/\(page).html"), page)
            XCTAssertTrue(html.contains("Draft – to be completed."), "\(page) is marked as a draft")
        }
        let imprint = try XCTUnwrap(text("p/Content/pages/imprint.md"))
        XCTAssertTrue(imprint.contains("footer: true"))
        XCTAssertTrue(try XCTUnwrap(text("p/Content/pages/privacy.md")).contains("footer: true"))
    }

    func testTitleAndOrganiserWithQuotesAndColonsReachTheSite() throws {
        let title = #"Mentoring: "Next" #2 \ Bern"#
        let new = try runTandem(["new", "p", "--language", "de", "--title", title, "--organiser", "Forum Kommunikation"], in: root)
        XCTAssertEqual(new.status, 0, new.stderr)
        let project = root.appendingPathComponent("p")
        let check = try runTandem(["check", "--strict"], in: project)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stderr, "")
        XCTAssertEqual(try runTandem(["build"], in: project).status, 0)
        let home = try XCTUnwrap(text("p/Output/site/index.html"))
        XCTAssertTrue(home.contains("Mentoring: „Next“ #2 \\ Bern") || home.contains("Mentoring: &quot;Next&quot; #2 \\ Bern"), home)
        XCTAssertTrue(home.contains("Forum Kommunikation"))
        XCTAssertTrue(try XCTUnwrap(text("p/LIESMICH.md")).hasPrefix("# " + title))
    }

    func testRefusesANonEmptyFolderAndChangesNothing() throws {
        let folder = root.appendingPathComponent("existing")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let run = try runTandem(["new", "existing"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(
            run.stderr, "existing: error: folder is not empty; tandem new creates a new programme only in a new or empty folder\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["notes.txt"])
        XCTAssertEqual(text("existing/notes.txt"), "mine")
    }

    func testAnEmptyFolderIsUsed() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let run = try runTandem(["new", "empty/", "--language", "it"], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertNotNil(text("empty/Content/programme.yml"))
    }

    func testRefusesASymbolicLinkAndWritesNothingThroughIt() throws {
        let target = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link").path, withDestinationPath: target.path)
        let run = try runTandem(["new", "link"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "link: error: is a symbolic link; Tandem does not follow links (give the real folder)\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [])
    }

    /// The site's address given at once reaches programme.yml (and the pages' canonical links); a wrong one is refused.
    func testBaseURLIsSetOrRefused() throws {
        let run = try runTandem(["new", "p", "--base-url", "https://mentoring.example.ch"], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        let yaml = try XCTUnwrap(text("p/Content/programme.yml"))
        XCTAssertTrue(yaml.contains("base_url: \"https://mentoring.example.ch/\""), yaml)
        let build = try runTandem(["build"], in: root.appendingPathComponent("p"))
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(text("p/Output/site/index.html")?.contains("href=\"https://mentoring.example.ch/index.html\"") ?? false)
        let wrong = try runTandem(["new", "q", "--base-url", "ftp://files.example.ch/"], in: root)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.hasPrefix("--base-url: error: "), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("q").path))
    }

    func testRefusesATitleOnSeveralLinesAndAnUnknownLanguage() throws {
        let lines = try runTandem(["new", "p", "--title", "Zeile 1\nZeile 2"], in: root)
        XCTAssertEqual(lines.status, 1)
        XCTAssertEqual(lines.stderr, "--title: error: must be one line of text, without line breaks or control characters\n")
        let language = try runTandem(["new", "p", "--language", "rm"], in: root)
        XCTAssertNotEqual(language.status, 0)
        XCTAssertTrue(language.stderr.contains("rm"), language.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("p").path))
    }

    func testExampleDatesFollowTheDayTheFolderIsMade() throws {
        let december = try XCTUnwrap(Day(iso: "2026-12-17"))
        let dates = NewProgramme.Dates(today: december)
        XCTAssertEqual(dates.start.iso, "2027-01-01")
        XCTAssertEqual(dates.end.iso, "2027-06-30")
        XCTAssertEqual(dates.kickoff.iso, "2027-01-08")
        XCTAssertEqual(dates.symposium.iso, "2027-07-21")
        // The same day gives the same files, byte for byte.
        let options = NewProgramme.Options(language: .fr, today: december)
        XCTAssertEqual(try NewProgramme.files(options).map(\.text), try NewProgramme.files(options).map(\.text))
    }

    func testVersionNamesTheReleaseAndTheCommit() throws {
        let run = try runTandem(["--version"], in: root)
        XCTAssertEqual(run.status, 0)
        // A plain `swift build` knows no commit; `make dist` writes it in (scripts/dist/build.sh).
        XCTAssertNotNil(
            run.stdout.range(
                of: #"^tandem [0-9]+\.[0-9]+\.[0-9]+ \((unknown commit|commit [0-9a-f]{12})\)\n$"#, options: .regularExpression),
            run.stdout)
    }
}
