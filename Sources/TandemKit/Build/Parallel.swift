import Dispatch
import Foundation

/// Work spread over the cores with results kept in input order, so what a build produces never depends on
/// how many workers ran or which finished first.
public enum Parallel {
    /// One worker per core, unless `TANDEM_WORKERS` says otherwise (`TANDEM_WORKERS=1` builds on one thread).
    public static var defaultWorkers: Int {
        if let text = ProcessInfo.processInfo.environment["TANDEM_WORKERS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `body(i)` for every `i` in `0..<count`, on up to `workers` threads; the results in index order.
    /// Items are handed out in small batches as workers become free, so uneven items still balance.
    public static func map<T>(_ count: Int, workers: Int, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let threads = min(max(1, workers), count)
        if threads == 1 { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let batch = max(1, min(64, count / (threads * 8)))
        let next = Counter()
        withoutActuallyEscaping(body) { body in
            // Each index is written by exactly one worker; the slots outlive the workers.
            let shared = Unchecked((slots, body))
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let (slots, body) = shared.value
                while true {
                    let start = next.take(batch)
                    if start >= count { break }
                    for i in start..<min(count, start + batch) { slots[i] = body(i) }
                }
            }
        }
        let result = slots.map { $0! }
        _ = slots.update(repeating: nil)
        return result
    }

    /// Runs `jobs` (already ordered largest first for a good balance) on up to `workers` threads; results in job order.
    public static func run<T>(_ jobs: [() -> T], workers: Int) -> [T] {
        let count = jobs.count
        guard count > 0 else { return [] }
        let threads = min(max(1, workers), count)
        if threads == 1 { return jobs.map { $0() } }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let next = Counter()
        let shared = Unchecked((slots, jobs))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let (slots, jobs) = shared.value
            while true {
                let i = next.take(1)
                if i >= count { break }
                slots[i] = jobs[i]()
            }
        }
        let result = slots.map { $0! }
        _ = slots.update(repeating: nil)
        return result
    }

    /// Values the workers share although the compiler cannot prove it safe: each worker writes only its own slots.
    private struct Unchecked<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// A shared position handed out under a lock.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(_ n: Int) -> Int {
            lock.lock()
            defer { lock.unlock() }
            let start = value
            value += n
            return start
        }
    }
}
