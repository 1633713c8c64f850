import Foundation


#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on stderr for builds that take more than about a second. Only on a terminal:
/// when stderr is a file or a pipe (CI logs) nothing is drawn.
public final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var drawn = false
    private var lastDraw = Date.distantPast
    private var lastLine = ""

    /// A bar when stderr is a terminal (and `TERM` is not `dumb`), else nil.
    public static func forStandardError() -> ProgressBar? {
        guard isatty(2) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        return ProgressBar()
    }

    /// Redraws (with `\r`) at most ten times a second, and only once the build has run for a second.
    public func update(_ progress: BuildProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) >= 1, now.timeIntervalSince(lastDraw) >= 0.1 || progress.done == progress.total else { return }
        lastDraw = now
        let width = 30
        let fraction = progress.total > 0 ? min(1, Double(progress.done) / Double(progress.total)) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\(progress.stage.padding(toLength: 8, withPad: " ", startingAt: 0)) [\(bar)] \(progress.done)/\(progress.total)"
        guard line != lastLine else { return }
        lastLine = line
        drawn = true
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    /// Ends the bar's line, so what follows starts on a fresh one.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
