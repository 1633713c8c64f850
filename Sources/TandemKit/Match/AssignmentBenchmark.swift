import Foundation

/// The entry point of `tandem bench-assignment` (scripts/bench-match.py): reads a dense matrix and times
/// `LinearAssignment` on it, excluding the reading.
public enum AssignmentBenchmark {
    /// `total` is the minimum cost, `seconds` the fastest of `repetitions` solves, `checksum` Σ row·column of
    /// the assignment (to compare assignments, not only totals).
    public static func run(path: String, rows: Int, columns: Int, repetitions: Int = 1) -> (total: Double, seconds: Double, checksum: Int)?
    {
        guard let data = FileManager.default.contents(atPath: path), data.count == rows * columns * 8 else { return nil }
        var costs = [Double](repeating: 0, count: rows * columns)
        costs.withUnsafeMutableBytes { buffer in _ = data.copyBytes(to: buffer) }
        #if _endian(big)
            costs = costs.map { Double(bitPattern: $0.bitPattern.byteSwapped) }
        #endif
        var best = Double.infinity
        var answer: (total: Double, columnOfRow: [Int])?
        for _ in 0..<max(1, repetitions) {
            let clock = ContinuousClock()
            let start = clock.now
            answer = LinearAssignment.minimumCost(rows: rows, columns: columns, costs: costs)
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            best = min(best, seconds)
        }
        guard let answer else { return nil }
        let checksum = answer.columnOfRow.enumerated().reduce(0) { $0 + $1.offset * $1.element }
        return (answer.total, best, checksum)
    }
}
