import Foundation
import XCTest

/// The `tandem` executable end to end: exit status, stdout/stderr, files.
final class CLITests: TandemTestCase {
    /// Runs `tandem` in the fixture's folder (so paths in messages are relative, as a user types them).
    private func run(_ arguments: [String]) throws -> TandemRun { try runTandem(arguments, in: fixture.root) }

    private var buildArguments: [String] {
        ["build", "--content", "Content", "--templates", ProgrammeFixture.templatesPath, "--output", "Output"]
    }

    func testBuildOfValidInputExitsZero() throws {
        let run = try run(buildArguments)
        XCTAssertEqual(run.status, 0, "stderr:\n\(run.stderr)")
        XCTAssertFalse(run.stderr.contains("error:"), run.stderr)
        XCTAssertTrue(fileExists(fixture.root.appendingPathComponent("Output/site/index.html").path))
        XCTAssertTrue(fileExists(fixture.root.appendingPathComponent("Output/site/participants/anna-muster.html").path))
    }

    func testBuildOfInvalidInputExitsOneAndNamesThePlace() throws {
        fixture.append("participants.csv", line: "eva-extra,Eva Extra,coach,Epsilon AG,,,de,,no,")
        fixture.append("pairs.csv", line: "anna-niemand,anna-muster,niemand")
        let run = try run(buildArguments)
        XCTAssertEqual(run.status, 1, "stderr:\n\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Content/participants.csv:6: error: ") && $0.contains("coach") }, run.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Content/pairs.csv:4: error: ") && $0.contains("niemand") }, run.stderr)
        XCTAssertFalse(fileExists(fixture.root.appendingPathComponent("Output").path), "a failed build wrote Output/")
    }

    func testFailedCLIBuildKeepsThePreviousOutput() throws {
        XCTAssertEqual(try run(buildArguments).status, 0)
        let before = snapshot(fixture.root.appendingPathComponent("Output").path)
        fixture.replace("meetings.csv", "anna-bruno,2026-03-12,60", with: "anna-bruno,2026-03-12,sechzig")
        let failed = try run(buildArguments)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("Content/meetings.csv:2: error: "), failed.stderr)
        XCTAssertEqual(snapshot(fixture.root.appendingPathComponent("Output").path), before)
    }

    func testCheckCommandWritesNothing() throws {
        let ok = try run(["check", "--content", "Content", "--templates", ProgrammeFixture.templatesPath])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path), ["Content"])

        fixture.replace("participants.csv", "Anna Muster,mentor", with: "Anna Muster,coach")
        let failed = try run(["check", "--content", "Content", "--templates", ProgrammeFixture.templatesPath])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("Content/participants.csv:2: error: "), failed.stderr)
    }

    func testStrictFlagTurnsWarningsIntoErrors() throws {
        fixture.replace("participants.csv", "publish,photo\n", with: "publish,photo,telefon\n")
        let lenient = try run(buildArguments)
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stderr.contains("Content/participants.csv:1: warning: "), lenient.stderr)
        let strict = try run(buildArguments + ["--strict"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("Content/participants.csv:1: error: "), strict.stderr)
    }
}
