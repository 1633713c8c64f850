/// Exact solvers for `tandem match`.
///
/// `LinearAssignment` is the one for `rules.pairs_per_person: 1`: a dense minimum-cost assignment by shortest
/// augmenting paths (Jonker–Volgenant, in the form of Crouse 2016 that scipy's `linear_sum_assignment` also uses),
/// O(rows · cols²) time, contiguous `Double` storage and no allocation after `init`.
/// `CapacitatedMatching` handles `pairs_per_person` > 1 (a b-matching without repeated pairs) as a min-cost flow.

/// Minimum-cost assignment of every row to a distinct column (rows ≤ columns). Forbidden entries are `+infinity`.
///
/// Rows are added one at a time (`augment(from:)`): a Dijkstra search over the columns with reduced costs
/// `cost − u − v` finds the cheapest alternating path from the new row to a free column; the potentials `u`, `v`
/// keep every reduced cost ≥ 0 and every assigned entry at 0, which proves the assignment optimal for the rows
/// added so far. A row with no path to a free column stays unassigned, and the rows the search reached form a
/// Hall violator (they can use only columns already taken by one fewer of them); see `lastSearch`.
///
/// Ties are broken deterministically: among columns at the same distance a free column wins, otherwise the one
/// scanned first (the scan order is a fixed function of the matrix). No random numbers are used, so the same
/// matrix always gives the same assignment.
public final class LinearAssignment {
    public let rows: Int
    public let columns: Int
    /// Row-major `rows × columns` costs.
    let cost: UnsafeMutablePointer<Double>
    let u: UnsafeMutablePointer<Double>
    let v: UnsafeMutablePointer<Double>
    let shortest: UnsafeMutablePointer<Double>
    /// Column of each row, -1 when unassigned.
    let columnOfRow: UnsafeMutablePointer<Int>
    /// Row of each column, -1 when free.
    let rowOfColumn: UnsafeMutablePointer<Int>
    let path: UnsafeMutablePointer<Int>
    let remaining: UnsafeMutablePointer<Int>
    let scannedRow: UnsafeMutablePointer<Bool>
    let scannedColumn: UnsafeMutablePointer<Bool>

    /// `costs` is row-major with `rows * columns` entries; `rows <= columns`.
    public init(rows: Int, columns: Int, costs: [Double]) {
        precondition(rows <= columns, "LinearAssignment needs rows <= columns; transpose the matrix")
        precondition(costs.count == rows * columns)
        self.rows = rows
        self.columns = columns
        let cost = UnsafeMutablePointer<Double>.allocate(capacity: max(1, rows * columns))
        costs.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { cost.initialize(from: base, count: rows * columns) }
        }
        self.cost = cost
        u = .allocate(capacity: max(1, rows))
        u.initialize(repeating: 0, count: max(1, rows))
        v = .allocate(capacity: max(1, columns))
        v.initialize(repeating: 0, count: max(1, columns))
        shortest = .allocate(capacity: max(1, columns))
        shortest.initialize(repeating: 0, count: max(1, columns))
        columnOfRow = .allocate(capacity: max(1, rows))
        columnOfRow.initialize(repeating: -1, count: max(1, rows))
        rowOfColumn = .allocate(capacity: max(1, columns))
        rowOfColumn.initialize(repeating: -1, count: max(1, columns))
        path = .allocate(capacity: max(1, columns))
        path.initialize(repeating: -1, count: max(1, columns))
        remaining = .allocate(capacity: max(1, columns))
        remaining.initialize(repeating: 0, count: max(1, columns))
        scannedRow = .allocate(capacity: max(1, rows))
        scannedRow.initialize(repeating: false, count: max(1, rows))
        scannedColumn = .allocate(capacity: max(1, columns))
        scannedColumn.initialize(repeating: false, count: max(1, columns))
    }

    deinit {
        for pointer in [cost, u, v, shortest] { pointer.deallocate() }
        for pointer in [columnOfRow, rowOfColumn, path, remaining] { pointer.deallocate() }
        scannedRow.deallocate()
        scannedColumn.deallocate()
    }

    /// Adds every row in index order. Returns the rows that could not be assigned (empty when all were).
    @discardableResult
    public func solve() -> [Int] {
        var failed: [Int] = []
        for row in 0..<rows where columnOfRow[row] < 0 {
            if !augment(from: row) { failed.append(row) }
        }
        return failed
    }

    /// The cost of an entry.
    public func cost(_ row: Int, _ column: Int) -> Double { cost[row * columns + column] }

    func setCost(_ row: Int, _ column: Int, _ value: Double) { cost[row * columns + column] = value }

    /// The column of `row`, or nil when it is unassigned.
    public func column(of row: Int) -> Int? { columnOfRow[row] < 0 ? nil : columnOfRow[row] }

    /// The row of `column`, or nil when it is free.
    public func row(of column: Int) -> Int? { rowOfColumn[column] < 0 ? nil : rowOfColumn[column] }

    /// Sum of the costs of the assigned entries.
    public var total: Double {
        var sum = 0.0
        for row in 0..<rows where columnOfRow[row] >= 0 { sum += cost[row * columns + columnOfRow[row]] }
        return sum
    }

    /// Rows and columns the last search reached. After a failed `augment(from:)` the rows are a Hall violator:
    /// every column they may use is among `columns`, and those are all assigned to the other rows of the set.
    public var lastSearch: (rows: [Int], columns: [Int]) {
        ((0..<rows).filter { scannedRow[$0] }, (0..<columns).filter { scannedColumn[$0] })
    }

    /// Unassigns `row` (and its column).
    func unassign(row: Int) {
        let column = columnOfRow[row]
        guard column >= 0 else { return }
        columnOfRow[row] = -1
        rowOfColumn[column] = -1
    }

    /// One shortest augmenting path from the unassigned `start` row; false (and nothing changed) when no free
    /// column can be reached.
    @discardableResult
    public func augment(from start: Int) -> Bool {
        let n = columns
        let cost = self.cost
        let u = self.u
        let v = self.v
        let shortest = self.shortest
        let rowOfColumn = self.rowOfColumn
        let columnOfRow = self.columnOfRow
        let path = self.path
        let remaining = self.remaining
        let scannedRow = self.scannedRow
        let scannedColumn = self.scannedColumn
        for k in 0..<n {
            remaining[k] = k
            shortest[k] = .infinity
            scannedColumn[k] = false
        }
        for r in 0..<rows { scannedRow[r] = false }
        var count = n
        var minValue = 0.0
        var i = start
        var sink = -1
        while sink < 0 {
            scannedRow[i] = true
            let rowCosts = cost + i * n
            let offset = minValue - u[i]
            var lowest = Double.infinity
            var index = -1
            var bestFree = false
            for k in 0..<count {
                let j = remaining[k]
                let reduced = offset + rowCosts[j] - v[j]
                var distance = shortest[j]
                if reduced < distance {
                    path[j] = i
                    shortest[j] = reduced
                    distance = reduced
                }
                if distance < lowest {
                    lowest = distance
                    index = k
                    bestFree = rowOfColumn[j] < 0
                } else if distance == lowest && !bestFree && rowOfColumn[j] < 0 && distance < .infinity {
                    // At equal distance a free column wins: the search ends sooner.
                    index = k
                    bestFree = true
                }
            }
            if index < 0 { return false }
            minValue = lowest
            let j = remaining[index]
            scannedColumn[j] = true
            count -= 1
            remaining[index] = remaining[count]
            if rowOfColumn[j] < 0 { sink = j } else { i = rowOfColumn[j] }
        }
        // Potentials: reduced costs stay ≥ 0, the new path becomes tight.
        u[start] += minValue
        for r in 0..<rows where scannedRow[r] && r != start {
            u[r] += minValue - shortest[columnOfRow[r]]
        }
        for j in 0..<n where scannedColumn[j] {
            v[j] -= minValue - shortest[j]
        }
        // Flip the path.
        var j = sink
        while true {
            let r = path[j]
            rowOfColumn[j] = r
            let previous = columnOfRow[r]
            columnOfRow[r] = j
            j = previous
            if r == start { break }
        }
        return true
    }

    /// The dual potentials and the assignment, to undo a what-if question.
    struct Snapshot {
        var u: [Double]
        var v: [Double]
        var columnOfRow: [Int]
        var rowOfColumn: [Int]
    }

    func snapshot() -> Snapshot {
        Snapshot(
            u: Array(UnsafeBufferPointer(start: u, count: rows)), v: Array(UnsafeBufferPointer(start: v, count: columns)),
            columnOfRow: Array(UnsafeBufferPointer(start: columnOfRow, count: rows)),
            rowOfColumn: Array(UnsafeBufferPointer(start: rowOfColumn, count: columns)))
    }

    func restore(_ snapshot: Snapshot) {
        for r in 0..<rows {
            u[r] = snapshot.u[r]
            columnOfRow[r] = snapshot.columnOfRow[r]
        }
        for j in 0..<columns {
            v[j] = snapshot.v[j]
            rowOfColumn[j] = snapshot.rowOfColumn[j]
        }
    }

    /// Minimum-cost assignment of a dense matrix of any shape (the smaller side is assigned completely);
    /// nil when a row or column of the smaller side cannot be assigned. Used by the benchmark.
    public static func minimumCost(rows: Int, columns: Int, costs: [Double]) -> (total: Double, columnOfRow: [Int])? {
        if rows <= columns {
            let solver = LinearAssignment(rows: rows, columns: columns, costs: costs)
            guard solver.solve().isEmpty else { return nil }
            return (solver.total, (0..<rows).map { solver.columnOfRow[$0] })
        }
        var transposed = [Double](repeating: 0, count: costs.count)
        for r in 0..<rows {
            for c in 0..<columns { transposed[c * rows + r] = costs[r * columns + c] }
        }
        let solver = LinearAssignment(rows: columns, columns: rows, costs: transposed)
        guard solver.solve().isEmpty else { return nil }
        var columnOfRow = [Int](repeating: -1, count: rows)
        for c in 0..<columns { columnOfRow[solver.columnOfRow[c]] = c }
        return (solver.total, columnOfRow)
    }
}

/// A cost compared lexicographically: fewer unmatched people first, then more tandems, then a higher score.
/// Stored as values to minimise: `people` and `tandems` count negatively, `score` is the negated score in
/// millionths. Integer parts keep every comparison exact.
struct LexicographicCost: Comparable, Sendable {
    var people: Int
    var tandems: Int
    var score: Int64

    static let zero = LexicographicCost(people: 0, tandems: 0, score: 0)

    static func + (a: Self, b: Self) -> Self { Self(people: a.people + b.people, tandems: a.tandems + b.tandems, score: a.score + b.score) }
    static func - (a: Self, b: Self) -> Self { Self(people: a.people - b.people, tandems: a.tandems - b.tandems, score: a.score - b.score) }
    static prefix func - (a: Self) -> Self { Self(people: -a.people, tandems: -a.tandems, score: -a.score) }
    static func < (a: Self, b: Self) -> Bool { (a.people, a.tandems, a.score) < (b.people, b.tandems, b.score) }
}

/// A maximum b-matching without repeated pairs, for `rules.pairs_per_person` > 1: each mentor (row) and mentee
/// (column) may take up to its remaining capacity of tandems, each mentor–mentee pair at most once.
///
/// Solved exactly as a min-cost flow (source → mentors → mentees → sink, unit capacity on every pair) by
/// successive shortest paths with Dijkstra and potentials. The costs are lexicographic (`LexicographicCost`):
/// a person's first tandem earns −1 person, every tandem −1 tandem and −score, so the result has the fewest
/// people without a tandem, then the most tandems, then the highest total score. People who already have a
/// tandem (a locked pair) start with `load` > 0 and earn no first-tandem credit.
final class CapacitatedMatching {
    let rows: Int
    let columns: Int
    /// Row-major: may the pair be proposed, and its score in millionths.
    let allowed: [Bool]
    let score: [Int64]
    /// Tandems a person may still get, and tandems they already have (locked).
    let rowCapacity: [Int]
    let columnCapacity: [Int]
    let rowLocked: [Int]
    let columnLocked: [Int]
    private(set) var matched: [Bool]
    private(set) var rowFlow: [Int]
    private(set) var columnFlow: [Int]

    init(
        rows: Int, columns: Int, allowed: [Bool], score: [Int64], rowCapacity: [Int], columnCapacity: [Int], rowLocked: [Int],
        columnLocked: [Int]
    ) {
        self.rows = rows
        self.columns = columns
        self.allowed = allowed
        self.score = score
        self.rowCapacity = rowCapacity
        self.columnCapacity = columnCapacity
        self.rowLocked = rowLocked
        self.columnLocked = columnLocked
        matched = [Bool](repeating: false, count: rows * columns)
        rowFlow = [Int](repeating: 0, count: rows)
        columnFlow = [Int](repeating: 0, count: columns)
    }

    private func sourceArc(_ row: Int) -> LexicographicCost {
        LexicographicCost(people: rowLocked[row] + rowFlow[row] == 0 ? -1 : 0, tandems: 0, score: 0)
    }

    private func sinkArc(_ column: Int) -> LexicographicCost {
        LexicographicCost(people: columnLocked[column] + columnFlow[column] == 0 ? -1 : 0, tandems: 0, score: 0)
    }

    private func pairArc(_ index: Int) -> LexicographicCost { LexicographicCost(people: 0, tandems: -1, score: -score[index]) }

    /// Runs to the optimum.
    func solve() {
        let nodeCount = rows + columns + 1
        let sink = rows + columns
        // Initial potentials: shortest distances in the (acyclic) empty-flow graph, so reduced costs are ≥ 0.
        var potential = [LexicographicCost](repeating: .zero, count: nodeCount)
        var reachable = [Bool](repeating: false, count: nodeCount)
        for r in 0..<rows where rowCapacity[r] > 0 {
            potential[r] = sourceArc(r)
            reachable[r] = true
        }
        for c in 0..<columns {
            var best: LexicographicCost?
            for r in 0..<rows where reachable[r] && allowed[r * columns + c] {
                let d = potential[r] + pairArc(r * columns + c)
                if best == nil || d < best! { best = d }
            }
            if let best {
                potential[rows + c] = best
                reachable[rows + c] = true
            }
        }
        var bestSink: LexicographicCost?
        for c in 0..<columns where reachable[rows + c] && columnCapacity[c] > 0 {
            let d = potential[rows + c] + sinkArc(c)
            if bestSink == nil || d < bestSink! { bestSink = d }
        }
        potential[sink] = bestSink ?? .zero

        var distance = [LexicographicCost](repeating: .zero, count: nodeCount)
        var reached = [Bool](repeating: false, count: nodeCount)
        var settled = [Bool](repeating: false, count: nodeCount)
        var parent = [Int](repeating: -1, count: nodeCount)
        while true {
            for x in 0..<nodeCount {
                reached[x] = false
                settled[x] = false
                parent[x] = -1
            }
            func relax(_ from: Int, _ to: Int, _ arc: LexicographicCost) {
                let d = distance[from] + arc + potential[from] - potential[to]
                if !reached[to] || d < distance[to] {
                    distance[to] = d
                    reached[to] = true
                    parent[to] = from
                }
            }
            for r in 0..<rows where rowFlow[r] < rowCapacity[r] {
                distance[r] = sourceArc(r) - potential[r]
                reached[r] = true
                parent[r] = -1
            }
            while true {
                var x = -1
                for y in 0..<nodeCount where reached[y] && !settled[y] {
                    if x < 0 || distance[y] < distance[x] { x = y }
                }
                if x < 0 || x == sink {
                    if x == sink { settled[sink] = true }
                    break
                }
                settled[x] = true
                if x < rows {
                    for c in 0..<columns {
                        let index = x * columns + c
                        if allowed[index] && !matched[index] && !settled[rows + c] { relax(x, rows + c, pairArc(index)) }
                    }
                } else {
                    let c = x - rows
                    for r in 0..<rows where matched[r * columns + c] && !settled[r] { relax(x, r, -pairArc(r * columns + c)) }
                    if columnFlow[c] < columnCapacity[c] { relax(x, sink, sinkArc(c)) }
                }
            }
            guard settled[sink] else { return }
            let limit = distance[sink]
            for x in 0..<nodeCount {
                potential[x] = potential[x] + (reached[x] && distance[x] < limit ? distance[x] : limit)
            }
            // Flip the path: sink ← column ← row ← column … ← row ← source.
            var node = parent[sink]
            columnFlow[node - rows] += 1
            while true {
                let row = parent[node]
                matched[row * columns + (node - rows)] = true
                let previous = parent[row]
                if previous < 0 {
                    rowFlow[row] += 1
                    break
                }
                matched[row * columns + (previous - rows)] = false
                node = previous
            }
        }
    }

    /// The pairs of the result, row-major order.
    var pairs: [(row: Int, column: Int)] {
        var result: [(Int, Int)] = []
        for r in 0..<rows {
            for c in 0..<columns where matched[r * columns + c] { result.append((r, c)) }
        }
        return result
    }
}
