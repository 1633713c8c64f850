import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall time of one named stage of a build.
public struct StageTiming: Sendable {
    public var name: String
    public var seconds: Double
}

/// Where a build's time went (`tandem build --timings`): load, parse, validate, render, check, write.
public struct BuildTimings: Sendable {
    public var stages: [StageTiming] = []
    /// The process's peak resident memory so far, in bytes (getrusage).
    public var peakMemoryBytes: Int { BuildTimings.peakResidentBytes() }
    public var total: Double { stages.reduce(0) { $0 + $1.seconds } }

    public init() {}

    /// Runs `body` and adds its wall time under `name` (a repeated name adds up).
    mutating func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = BuildTimings.now()
        defer { add(name, BuildTimings.now() - start) }
        return try body()
    }

    mutating func add(_ name: String, _ seconds: Double) {
        if let i = stages.firstIndex(where: { $0.name == name }) {
            stages[i].seconds += seconds
        } else {
            stages.append(StageTiming(name: name, seconds: seconds))
        }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Peak resident set size of this process (Linux reports kilobytes, macOS bytes).
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
            return Int(usage.ru_maxrss) * 1024
        #else
            guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
            return Int(usage.ru_maxrss)
        #endif
    }

    /// The `--timings` table: one line per stage, the total and the peak memory.
    public var report: String {
        var lines: [String] = []
        let width = max(8, stages.map(\.name.count).max() ?? 0)
        for stage in stages {
            lines.append(stage.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.milliseconds(stage.seconds))
        }
        lines.append("total".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.milliseconds(total))
        lines.append(
            "peak RSS".padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + String(format: "%.1f MB", Double(peakMemoryBytes) / 1_048_576))
        return lines.joined(separator: "\n") + "\n"
    }

    static func milliseconds(_ seconds: Double) -> String {
        let text = String(format: "%.0f ms", seconds * 1000)
        return String(repeating: " ", count: max(0, 8 - text.count)) + text
    }
}

/// How far a build is: the stage and how many of its steps are done. Reported from any thread, one at a time.
public struct BuildProgress: Sendable {
    public var stage: String
    public var done: Int
    public var total: Int
}

/// Forwards progress to the caller's handler, serialised, counting finished steps across worker threads.
final class ProgressReporter: @unchecked Sendable {
    private let handler: (@Sendable (BuildProgress) -> Void)?
    private let lock = NSLock()
    private var stage = ""
    private var done = 0
    private var total = 0

    init(_ handler: (@Sendable (BuildProgress) -> Void)?) { self.handler = handler }

    func begin(_ stage: String, total: Int) {
        guard let handler else { return }
        lock.lock()
        defer { lock.unlock() }
        (self.stage, done, self.total) = (stage, 0, total)
        handler(BuildProgress(stage: stage, done: 0, total: total))
    }

    func advance(_ steps: Int = 1) {
        guard let handler else { return }
        lock.lock()
        defer { lock.unlock() }
        done += steps
        handler(BuildProgress(stage: stage, done: min(done, total), total: total))
    }
}
