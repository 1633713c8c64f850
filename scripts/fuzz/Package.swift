// swift-tools-version:6.0
// Coverage-guided fuzzing of Tandem's readers and writers with libFuzzer (see docs/fuzzing.md).
//
// A package of its own, depending on the root package by path: the root Package.swift, its products and its CI
// build stay as they are, and only scripts/fuzz/run.sh builds this (debug, `-sanitize=fuzzer,address`). The targets
// reach TandemKit's internal readers through `@testable import`, which a debug build allows (SwiftPM compiles debug
// modules with `-enable-testing`), so TandemKit's public API is not widened for them.
import PackageDescription

let fuzzers = ["fuzz-csv", "fuzz-yaml", "fuzz-markdown", "fuzz-template", "fuzz-mime"]

let package = Package(
    name: "TandemFuzz",
    dependencies: [.package(name: "Tandem", path: "../..")],
    targets: [
        // The checks of every target, one function per target: what an input must satisfy besides not crashing.
        .target(name: "FuzzTargets", dependencies: [.product(name: "TandemKit", package: "Tandem")])
    ]
        + fuzzers.map { name in
            // main.swift hands the target's check to libFuzzer's driver (`FuzzTargets.runDriver`).
            .executableTarget(name: name, dependencies: ["FuzzTargets"])
        }
)
