import Foundation
import XCTest

@testable import TandemKit

// MARK: - Helpers

private struct Person {
    var id: String
    var role: String
    var organisation: String
    var languages: [String] = []
    var topics: [String] = []
}

/// A programme folder for `tandem match` in a temporary directory.
private final class MatchFolder {
    let root: URL
    var content: String { root.appendingPathComponent("Content").path }
    var output: String { root.appendingPathComponent("Output").path }

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("TandemMatch-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: root.appendingPathComponent("Content"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ name: String, _ text: String) {
        let url = root.appendingPathComponent("Content").appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
    }

    /// programme.yml with `extra` lines appended (rules, matching …).
    func settings(_ extra: String = "") {
        write("programme.yml", "title: Test\norganiser: Test\nlanguage: en\nstart: 2026-03-01\nend: 2026-08-31\n" + extra)
    }

    func people(_ people: [Person]) {
        var text = "id,name,role,organisation,languages,topics\n"
        for p in people {
            text +=
                "\(p.id),Name \(p.id),\(p.role),\(p.organisation),\(p.languages.joined(separator: ";")),\(p.topics.joined(separator: ";"))\n"
        }
        write("participants.csv", text)
    }

    func options(report: Bool = false, templates: String = "/nonexistent-templates") -> MatchOptions {
        MatchOptions(
            contentPath: content, templatesPath: templates, pairsPath: root.appendingPathComponent("pairs-out.csv").path,
            scoresPath: root.appendingPathComponent("scores.csv").path, report: report, outputPath: output)
    }

    func run(report: Bool = false, write: Bool = false, templates: String = "/nonexistent-templates") -> MatchOutcome {
        MatchPipeline.run(options(report: report, templates: templates), write: write)
    }
}

/// A theme folder with only what `tandem match --report` needs (loads much faster than the whole theme).
private let matchTemplates: String = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("TandemMatchTheme-\(UUID().uuidString)")
    let source = URL(fileURLWithPath: ProgrammeFixture.templatesPath)
    try! FileManager.default.createDirectory(at: folder.appendingPathComponent("strings"), withIntermediateDirectories: true)
    try! FileManager.default.createDirectory(at: folder.appendingPathComponent("internal"), withIntermediateDirectories: true)
    try! FileManager.default.copyItem(
        at: source.appendingPathComponent("internal/matching.mustache"), to: folder.appendingPathComponent("internal/matching.mustache"))
    for language in supportedLanguages {
        try! FileManager.default.copyItem(
            at: source.appendingPathComponent("strings/match.\(language).yml"),
            to: folder.appendingPathComponent("strings/match.\(language).yml"))
    }
    return folder.path
}()

private func listing(_ outcome: MatchOutcome) -> String {
    outcome.diagnostics.isEmpty ? "(no diagnostics)" : outcome.diagnostics.map(\.description).joined(separator: "\n")
}

/// Rows of a CSV text written by `CSVText` (fields without line breaks).
private func parseCSV(_ text: String) -> [[String: String]] {
    func fields(_ line: Substring) -> [String] {
        var result: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                result.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        result.append(field)
        return result
    }
    let lines = text.split(separator: "\n")
    guard let header = lines.first.map(fields) else { return [] }
    return lines.dropFirst().map { line in Dictionary(uniqueKeysWithValues: zip(header, fields(line))) }
}

// MARK: - An independent model of the rules and the score, for brute force

private struct Reference {
    var mentors: [Person]
    var mentees: [Person]
    var rule: String
    /// Millionths.
    var topics: Int64
    var languages: Int64
    var penalty: Int64
    var avoid: Set<String>

    func key(_ a: String, _ b: String) -> String { a + "|" + b }

    func allowed(_ m: Person, _ e: Person) -> Bool {
        if rule == "required" && m.organisation.lowercased() == e.organisation.lowercased() { return false }
        if !m.languages.isEmpty && !e.languages.isEmpty && Set(m.languages).isDisjoint(with: e.languages) { return false }
        return !avoid.contains(key(m.id, e.id))
    }

    func score(_ m: Person, _ e: Person) -> Int64 {
        let topicsShared = Set(m.topics.map { $0.lowercased() }).intersection(e.topics.map { $0.lowercased() }).count
        let languagesShared = Set(m.languages).intersection(e.languages).count
        var s = topics * Int64(topicsShared) + languages * Int64(languagesShared)
        if rule == "preferred" && m.organisation.lowercased() == e.organisation.lowercased() { s -= penalty }
        return s
    }

    /// The lexicographic optimum (most tandems, then highest score) over every matching of the free people, by
    /// exhaustive dynamic programming over the mentors and the set of mentees used. `forbid`: a pair excluded;
    /// `force`: a mentee who must be matched.
    func optimum(freeMentors: [Int], freeMentees: [Int], forbid: (Int, Int)? = nil, forceMentee: Int? = nil) -> (count: Int, score: Int64)?
    {
        let n = freeMentees.count
        var memo: [Int: (Int, Int64)?] = [:]
        func best(_ i: Int, _ mask: Int) -> (Int, Int64)? {
            if i == freeMentors.count {
                if let forceMentee, let position = freeMentees.firstIndex(of: forceMentee), mask & (1 << position) == 0 { return nil }
                return (0, 0)
            }
            let memoKey = i * (1 << n) + mask
            if let cached = memo[memoKey] { return cached }
            var result = best(i + 1, mask)
            let m = freeMentors[i]
            for j in 0..<n where mask & (1 << j) == 0 {
                let e = freeMentees[j]
                if let forbid, forbid == (m, e) { continue }
                guard allowed(mentors[m], mentees[e]), let rest = best(i + 1, mask | (1 << j)) else { continue }
                let candidate = (rest.0 + 1, rest.1 + score(mentors[m], mentees[e]))
                if result == nil || candidate > result! { result = candidate }
            }
            memo[memoKey] = result
            return result
        }
        return best(0, 0)
    }
}

// MARK: - Tests

final class MatchTests: XCTestCase {
    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: matchTemplates)
        super.tearDown()
    }

    // MARK: The solvers against brute force

    func testLinearAssignmentAgreesWithAllPermutations() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let rows = Int.random(in: 1...6, using: &rng)
            let columns = Int.random(in: rows...7, using: &rng)
            let costs: [Double] = (0..<rows * columns).map { _ in
                Int.random(in: 0..<6, using: &rng) == 0 ? .infinity : Double(Int.random(in: -20...20, using: &rng))
            }
            // Brute force: every injective map of rows to columns.
            var best = Double.infinity
            func search(_ row: Int, _ used: Int, _ sum: Double) {
                if row == rows {
                    best = min(best, sum)
                    return
                }
                for c in 0..<columns where used & (1 << c) == 0 && costs[row * columns + c] < .infinity {
                    search(row + 1, used | (1 << c), sum + costs[row * columns + c])
                }
            }
            search(0, 0, 0)
            let solver = LinearAssignment(rows: rows, columns: columns, costs: costs)
            var failed: [Int] = []
            var violator: (rows: [Int], columns: [Int])?
            for r in 0..<rows where !solver.augment(from: r) {
                failed.append(r)
                if violator == nil { violator = solver.lastSearch }
            }
            if best == .infinity {
                XCTAssertFalse(failed.isEmpty, "\(costs)")
                // Hall violator: the rows reached can only use the columns reached, and there are fewer of those.
                if let violator {
                    XCTAssertLessThan(violator.columns.count, violator.rows.count)
                    for r in violator.rows {
                        for c in 0..<columns where costs[r * columns + c] < .infinity { XCTAssertTrue(violator.columns.contains(c)) }
                    }
                }
            } else {
                XCTAssertTrue(failed.isEmpty)
                XCTAssertEqual(solver.total, best, "\(rows)x\(columns) \(costs)")
                let assigned = (0..<rows).compactMap { solver.column(of: $0) }
                XCTAssertEqual(Set(assigned).count, rows)
            }
            if let rectangular = LinearAssignment.minimumCost(
                rows: columns, columns: rows,
                costs: (0..<rows * columns).map { k in
                    costs[(k % rows) * columns + k / rows]
                })
            {
                XCTAssertEqual(rectangular.total, best, "transposed")
            } else {
                XCTAssertEqual(best, .infinity)
            }
        }
    }

    func testCapacitatedMatchingAgreesWithAllSubsets() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<150 {
            let rows = Int.random(in: 1...3, using: &rng)
            let columns = Int.random(in: 1...4, using: &rng)
            let allowed = (0..<rows * columns).map { _ in Int.random(in: 0..<4, using: &rng) > 0 }
            let score = (0..<rows * columns).map { _ in Int64(Int.random(in: -3...5, using: &rng)) }
            let rowLocked = (0..<rows).map { _ in Int.random(in: 0...1, using: &rng) }
            let columnLocked = (0..<columns).map { _ in Int.random(in: 0...1, using: &rng) }
            let k = 2
            let matching = CapacitatedMatching(
                rows: rows, columns: columns, allowed: allowed, score: score, rowCapacity: rowLocked.map { k - $0 },
                columnCapacity: columnLocked.map { k - $0 }, rowLocked: rowLocked, columnLocked: columnLocked)
            matching.solve()
            func value(_ edges: [Int]) -> LexicographicCost? {
                var rowUse = [Int](repeating: 0, count: rows)
                var columnUse = [Int](repeating: 0, count: columns)
                var s: Int64 = 0
                for edge in edges {
                    rowUse[edge / columns] += 1
                    columnUse[edge % columns] += 1
                    s += score[edge]
                }
                for r in 0..<rows where rowUse[r] + rowLocked[r] > k { return nil }
                for c in 0..<columns where columnUse[c] + columnLocked[c] > k { return nil }
                let people =
                    (0..<rows).filter { rowUse[$0] > 0 && rowLocked[$0] == 0 }.count
                    + (0..<columns).filter { columnUse[$0] > 0 && columnLocked[$0] == 0 }.count
                return LexicographicCost(people: -people, tandems: -edges.count, score: -s)
            }
            let candidates = (0..<rows * columns).filter { allowed[$0] }
            var best = LexicographicCost.zero
            for subset in 0..<(1 << candidates.count) {
                let edges = candidates.indices.filter { subset & (1 << $0) != 0 }.map { candidates[$0] }
                if let v = value(edges), v < best { best = v }
            }
            let found = matching.pairs.map { $0.row * columns + $0.column }
            XCTAssertTrue(found.allSatisfy { allowed[$0] })
            XCTAssertEqual(value(found), best, "allowed \(allowed) score \(score) locked \(rowLocked) \(columnLocked)")
        }
    }

    /// Random rosters up to 8 × 8 with every rule: `tandem match` finds the brute-force optimum, keeps every hard
    /// rule, refuses exactly the rosters where the rules leave people out, and its what-if figures (what
    /// forbidding a tandem costs, what bringing in someone left out costs) are the brute-force ones.
    func testMatchAgreesWithBruteForceOnSmallRosters() {
        var rng = SplitMix64(seed: 2026)
        let topicPool = ["TikTok", "tiktok", "Video", "Podcasts", "KI-Tools", "LinkedIn"]
        var refused = 0
        var solved = 0
        for trial in 0..<90 {
            let folder = MatchFolder()
            let mentorCount = Int.random(in: 1...8, using: &rng)
            let menteeCount = Int.random(in: 1...8, using: &rng)
            let organisations = Int.random(in: 2...5, using: &rng)
            func person(_ role: String, _ i: Int) -> Person {
                let languages = ["de", "fr", "it", "en"].filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
                let topics = Array(
                    Set(
                        topicPool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.map {
                            $0.lowercased() == "tiktok" ? (Bool.random(using: &rng) ? "TikTok" : "tiktok") : $0
                        })
                )
                .sorted()
                return Person(
                    id: "\(role)-\(i)", role: role, organisation: "Org \(Int.random(in: 0..<organisations, using: &rng))",
                    languages: languages, topics: topics)
            }
            let mentors = (0..<mentorCount).map { person("mentor", $0) }
            let mentees = (0..<menteeCount).map { person("mentee", $0) }
            let rule = ["required", "preferred", "off"][Int.random(in: 0..<3, using: &rng)]
            let weightChoices = [0.0, 0.25, 0.5, 1, 1.5, 2]
            let wt = weightChoices.randomElement(using: &rng)!
            let wl = weightChoices.randomElement(using: &rng)!
            let wp = weightChoices.randomElement(using: &rng)!
            var reference = Reference(
                mentors: mentors, mentees: mentees, rule: rule, topics: Int64(wt * 1e6), languages: Int64(wl * 1e6),
                penalty: Int64(wp * 1e6), avoid: [])
            var avoidLines: [String] = []
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let m = mentors.randomElement(using: &rng)!.id
                let e = mentees.randomElement(using: &rng)!.id
                if reference.avoid.insert(reference.key(m, e)).inserted { avoidLines.append("    - {mentor: \(m), mentee: \(e)}") }
            }
            // Sometimes one locked pair (one the rules allow).
            var lock: (Int, Int)?
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let options = mentors.indices.flatMap { m in mentees.indices.map { (m, $0) } }.filter {
                    reference.allowed(mentors[$0.0], mentees[$0.1])
                }
                lock = options.randomElement(using: &rng)
            }
            var yaml =
                "rules:\n  cross_organisation: \(rule)\nmatching:\n  weights:\n    topics: \(wt)\n    languages: \(wl)\n    same_organisation: \(wp)\n"
            if !avoidLines.isEmpty { yaml += "  avoid:\n" + avoidLines.joined(separator: "\n") + "\n" }
            if let lock { yaml += "  lock:\n    - {mentor: \(mentors[lock.0].id), mentee: \(mentees[lock.1].id)}\n" }
            folder.settings(yaml)
            folder.people(mentors + mentees)
            let outcome = folder.run(report: false)

            let freeMentors = mentors.indices.filter { $0 != lock?.0 }
            let freeMentees = mentees.indices.filter { $0 != lock?.1 }
            let lockScore = lock.map { reference.score(mentors[$0.0], mentees[$0.1]) } ?? 0
            let best = reference.optimum(freeMentors: freeMentors, freeMentees: freeMentees)!
            let context = "trial \(trial): \(mentorCount)x\(menteeCount) rule \(rule)\n\(listing(outcome))"
            if best.count < min(freeMentors.count, freeMentees.count) {
                refused += 1
                XCTAssertFalse(outcome.succeeded, context)
                XCTAssertTrue(outcome.diagnostics.contains { $0.severity == .error }, context)
                XCTAssertNil(outcome.pairsCSV)
                continue
            }
            solved += 1
            guard outcome.succeeded, let result = outcome.result, let problem = outcome.problem else {
                XCTFail("expected a proposal, " + context)
                continue
            }
            XCTAssertEqual(result.tandems.count, best.count + (lock == nil ? 0 : 1), context)
            XCTAssertEqual(result.total, best.score + lockScore, context)
            var used = Set<String>()
            for tandem in result.tandems {
                let m = problem.mentors[tandem.mentor]
                let e = problem.mentees[tandem.mentee]
                let (rm, re) = (mentors.first { $0.id == m.id }!, mentees.first { $0.id == e.id }!)
                XCTAssertTrue(reference.allowed(rm, re), "\(m.id) + \(e.id) breaks a rule; " + context)
                XCTAssertEqual(tandem.score.value, reference.score(rm, re), context)
                XCTAssertTrue(used.insert(m.id).inserted && used.insert(e.id).inserted, "someone twice; " + context)
            }
            if let lock {
                XCTAssertTrue(
                    result.tandems.contains {
                        problem.mentors[$0.mentor].id == mentors[lock.0].id && problem.mentees[$0.mentee].id == mentees[lock.1].id
                            && $0.lock != nil
                    })
            }
            // The pairs.csv and --scores texts agree with the result; the proposal's scores sum to the total.
            let pairs = parseCSV(outcome.pairsCSV!)
            let scores = Dictionary(
                uniqueKeysWithValues: parseCSV(outcome.scoresCSV!).map { ($0["mentor"]! + "|" + $0["mentee"]!, $0["score"]!) })
            XCTAssertEqual(pairs.count, result.tandems.count)
            var sum = 0.0
            for row in pairs {
                XCTAssertEqual(scores[row["mentor"]! + "|" + row["mentee"]!], row["score"], "a proposed pair missing from --scores")
                sum += Double(row["score"]!)!
            }
            XCTAssertEqual(sum, Double(result.total) / 1e6, accuracy: 1e-9)
            for (key, value) in scores {
                let parts = key.split(separator: "|").map(String.init)
                let (rm, re) = (mentors.first { $0.id == parts[0] }!, mentees.first { $0.id == parts[1] }!)
                XCTAssertTrue(reference.allowed(rm, re), "--scores lists a forbidden pair")
                XCTAssertEqual(Int64((Double(value)! * 1e6).rounded()), reference.score(rm, re))
            }

            // What-if figures, with the report's alternatives switched on.
            let detailed = folder.run(report: true, templates: matchTemplates)
            guard let detail = detailed.result else {
                XCTFail("report run failed: \(listing(detailed))")
                continue
            }
            for tandem in detail.tandems where tandem.lock == nil {
                let m = mentors.firstIndex { $0.id == problem.mentors[tandem.mentor].id }!
                let e = mentees.firstIndex { $0.id == problem.mentees[tandem.mentee].id }!
                let without = reference.optimum(freeMentors: freeMentors, freeMentees: freeMentees, forbid: (m, e))!
                switch tandem.alternative {
                case .loss(let loss, _, _)?:
                    XCTAssertEqual(without.count, best.count, context)
                    XCTAssertEqual(loss, best.score - without.score, "forbidding \(m)-\(e); " + context)
                case .fewerTandems?: XCTAssertLessThan(without.count, best.count, context)
                default: XCTFail("no alternative computed")
                }
            }
            for person in detail.unmatched where person.role == .mentee {
                let e = mentees.firstIndex { $0.id == problem.mentees[person.index].id }!
                let forced = reference.optimum(freeMentors: freeMentors, freeMentees: freeMentees, forceMentee: e)
                switch person.reason {
                case .outnumbered(let loss, _, _):
                    XCTAssertEqual(forced?.count, best.count, context)
                    XCTAssertEqual(loss, best.score - (forced?.score ?? 0), "bringing in \(mentees[e].id); " + context)
                case .noOptions: XCTAssertFalse(freeMentors.contains { reference.allowed(mentors[$0], mentees[e]) }, context)
                case .partnersFull: XCTFail("partnersFull with pairs_per_person 1")
                }
            }
        }
        XCTAssertGreaterThan(refused, 3, "the random rosters should include refused ones")
        XCTAssertGreaterThan(solved, 40)
    }

    // MARK: Hard rules, kept and avoided pairs

    private func simpleRoster(_ folder: MatchFolder, settings: String = "") {
        folder.settings(settings)
        folder.people([
            Person(id: "anna", role: "mentor", organisation: "Alpha", languages: ["de", "fr"], topics: ["TikTok", "Video"]),
            Person(id: "ben", role: "mentor", organisation: "Beta", languages: ["fr"], topics: ["Podcasts"]),
            Person(id: "cleo", role: "mentor", organisation: "Gamma", languages: [], topics: ["LinkedIn"]),
            Person(id: "dora", role: "mentee", organisation: "Alpha", languages: ["de"], topics: ["TikTok", "Video"]),
            Person(id: "emil", role: "mentee", organisation: "Delta", languages: ["de", "fr"], topics: ["Podcasts", "TikTok"]),
            Person(id: "fritz", role: "mentee", organisation: "Beta", languages: ["fr"], topics: ["LinkedIn"]),
        ])
    }

    private func pairs(_ outcome: MatchOutcome) -> [String] {
        parseCSV(outcome.pairsCSV ?? "").map { $0["mentor"]! + "+" + $0["mentee"]! }.sorted()
    }

    func testRequiredOrganisationRuleAndLanguagesAreNeverBroken() {
        let folder = MatchFolder()
        simpleRoster(folder)
        let outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        // anna+dora would score best but share an organisation, so do ben+fritz; ben speaks only fr, dora only de.
        // That leaves ben only emil, and anna fritz: the one proposal the rules allow.
        XCTAssertEqual(pairs(outcome), ["anna+fritz", "ben+emil", "cleo+dora"])
        let scores = parseCSV(outcome.scoresCSV!).map { $0["mentor"]! + "+" + $0["mentee"]! }
        XCTAssertFalse(scores.contains("anna+dora"))
        XCTAssertFalse(scores.contains("ben+dora"))
        XCTAssertTrue(scores.contains("cleo+dora"), "cleo lists no language, so she may be paired with anyone")
        XCTAssertEqual(parseCSV(outcome.scoresCSV!).first.map { Array($0.keys).sorted() }, ["mentee", "mentor", "score"])
        XCTAssertTrue(outcome.scoresCSV!.hasPrefix("mentor,mentee,score\n"))
    }

    func testPreferredOrganisationRuleSubtractsThePenalty() {
        let folder = MatchFolder()
        simpleRoster(folder, settings: "rules:\n  cross_organisation: preferred\nmatching:\n  weights:\n    same_organisation: 0.75\n")
        let outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        let scores = Dictionary(
            uniqueKeysWithValues: parseCSV(outcome.scoresCSV!).map { ($0["mentor"]! + "+" + $0["mentee"]!, $0["score"]!) })
        // anna+dora: 2 topics × 1 + 1 language × 0.5 − 0.75; ben+fritz: 1 language × 0.5 − 0.75.
        XCTAssertEqual(scores["anna+dora"], "1.75")
        XCTAssertEqual(scores["anna+emil"], "2")
        XCTAssertEqual(scores["ben+fritz"], "-0.25")
        // The optimum, 1.75 + 1.5 + 1, includes a same-organisation pair.
        XCTAssertEqual(pairs(outcome), ["anna+dora", "ben+emil", "cleo+fritz"])
        XCTAssertEqual(outcome.result?.total, 4_250_000)
        let reasons = parseCSV(outcome.pairsCSV!).first { $0["mentor"] == "anna" }!["reasons"]!
        XCTAssertTrue(reasons.contains("same organisation (−0.75)"), reasons)
        XCTAssertTrue(reasons.contains("shared topics: TikTok, Video"), reasons)
    }

    func testAvoidedPairsAreNeverProposedAndLockedPairsAreKept() {
        let folder = MatchFolder()
        simpleRoster(
            folder, settings: "matching:\n  avoid:\n    - {mentor: anna, mentee: emil}\n  lock:\n    - {mentor: ben, mentee: fritz}\n")
        var outcome = folder.run()
        // ben+fritz share an organisation: a locked pair must keep the rules.
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.path.hasSuffix("programme.yml") && $0.line == 10 && $0.message.contains("ben and fritz are both from 'Beta'")
            },
            listing(outcome))

        simpleRoster(
            folder, settings: "matching:\n  avoid:\n    - {mentor: anna, mentee: emil}\n  lock:\n    - {mentor: cleo, mentee: dora}\n")
        outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        XCTAssertEqual(pairs(outcome), ["anna+fritz", "ben+emil", "cleo+dora"])
        XCTAssertFalse(parseCSV(outcome.scoresCSV!).contains { $0["mentor"] == "anna" && $0["mentee"] == "emil" })
        // cleo is locked: no other pair of hers is allowed in --scores.
        XCTAssertEqual(parseCSV(outcome.scoresCSV!).filter { $0["mentor"] == "cleo" }.map { $0["mentee"]! }, ["dora"])
        let kept = parseCSV(outcome.pairsCSV!).first!
        XCTAssertEqual(kept["mentor"], "cleo")
        XCTAssertTrue(kept["reasons"]!.contains("kept (matching.lock, programme.yml line 10)"), kept["reasons"]!)
    }

    func testPairsFileRowsAreKeptWithTheirColumns() {
        let folder = MatchFolder()
        simpleRoster(folder)
        folder.write("pairs.csv", "id,mentor,mentee,started,goals,status\nstart-1,cleo,dora,2026-03-05,Ziel eins;Ziel zwei,active\n")
        let outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        let rows = parseCSV(outcome.pairsCSV!)
        XCTAssertEqual(rows.first?["id"], "start-1")
        XCTAssertEqual(rows.first?["goals"], "Ziel eins;Ziel zwei")
        XCTAssertEqual(rows.first?["started"], "2026-03-05")
        XCTAssertTrue(outcome.pairsCSV!.hasPrefix("id,mentor,mentee,started,goals,status,score,reasons\n"))
        XCTAssertTrue(rows.first!["reasons"]!.contains("kept (pairs.csv line 2)"))
        XCTAssertEqual(rows.count, 3)
        XCTAssertFalse(rows.dropFirst().contains { $0["mentor"] == "cleo" || $0["mentee"] == "dora" })
    }

    func testPairsFileRowBreakingTheLanguageRuleIsAnErrorAtItsLine() {
        let folder = MatchFolder()
        simpleRoster(folder)
        folder.write("pairs.csv", "mentor,mentee\nanna,emil\nben,dora\n")
        let outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains { $0.path.hasSuffix("pairs.csv") && $0.line == 3 && $0.message.contains("share no language") },
            listing(outcome))
    }

    func testLockBeyondPairsPerPersonIsAnError() {
        let folder = MatchFolder()
        simpleRoster(folder, settings: "matching:\n  lock:\n    - {mentor: anna, mentee: emil}\n    - {mentor: anna, mentee: fritz}\n")
        let outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.line == 9 && $0.message.contains("'anna' is already in 1 kept tandem; rules.pairs_per_person allows 1")
            },
            listing(outcome))
    }

    func testSeveralTandemsPerPersonNeverRepeatAPairAndLeaveNobodyOut() {
        let folder = MatchFolder()
        folder.settings("rules:\n  pairs_per_person: 2\n")
        var people: [Person] = []
        for i in 0..<3 { people.append(Person(id: "m\(i)", role: "mentor", organisation: "A\(i)", topics: ["TikTok"])) }
        for i in 0..<5 { people.append(Person(id: "e\(i)", role: "mentee", organisation: "B\(i)", topics: i < 2 ? ["TikTok"] : [])) }
        folder.people(people)
        let outcome = folder.run(report: true, templates: ProgrammeFixture.templatesPath)
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        XCTAssertNotNil(outcome.reportHTML)
        let rows = parseCSV(outcome.pairsCSV!)
        XCTAssertEqual(Set(rows.map { $0["mentor"]! + $0["mentee"]! }).count, rows.count, "a pair twice")
        for i in 0..<3 { XCTAssertLessThanOrEqual(rows.filter { $0["mentor"] == "m\(i)" }.count, 2) }
        // 3 mentors × 2 = 6 places for 5 mentees: everyone gets a tandem; the 6th place goes to a TikTok mentee.
        XCTAssertEqual(Set(rows.map { $0["mentee"]! }), ["e0", "e1", "e2", "e3", "e4"])
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(outcome.result?.total, 3_000_000)
    }

    // MARK: Infeasible rosters are explained

    func testAllOneOrganisationFailsWithTheOrganisationRule() {
        let folder = MatchFolder()
        folder.settings("rules:\n  cross_organisation: required\n")
        folder.people(
            (0..<4).map { Person(id: "m\($0)", role: "mentor", organisation: "Helvetia") }
                + (0..<4).map { Person(id: "e\($0)", role: "mentee", organisation: " helvetia ") })
        let outcome = folder.run(write: true)
        XCTAssertFalse(outcome.succeeded)
        let error = outcome.diagnostics.first { $0.severity == .error }
        XCTAssertEqual(error?.path, folder.content + "/programme.yml")
        XCTAssertEqual(error?.line, 7)
        XCTAssertTrue(error?.message.contains("every mentor and every mentee is from 'Helvetia'") ?? false, listing(outcome))
        XCTAssertTrue(error?.message.contains("rules.cross_organisation is required") ?? false, listing(outcome))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("pairs-out.csv").path), "nothing is written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("scores.csv").path))

        folder.settings()
        let byDefault = folder.run()
        XCTAssertTrue(
            byDefault.diagnostics.contains { $0.path.hasSuffix("participants.csv") && $0.message.contains("required (the default)") },
            listing(byDefault))
    }

    func testBlockingOrganisationIsNamed() {
        let folder = MatchFolder()
        folder.settings("rules:\n  cross_organisation: required\n")
        var people: [Person] = []
        for i in 0..<5 { people.append(Person(id: "x-mentor-\(i)", role: "mentor", organisation: "Org X")) }
        for i in 0..<5 { people.append(Person(id: "z-mentor-\(i)", role: "mentor", organisation: "Org Z")) }
        for i in 0..<7 { people.append(Person(id: "x-mentee-\(i)", role: "mentee", organisation: "Org X")) }
        for i in 0..<3 { people.append(Person(id: "y-mentee-\(i)", role: "mentee", organisation: "Org Y")) }
        folder.people(people)
        let outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.line == 7
                    && $0.message.hasPrefix("7 mentees from 'Org X' can be paired with only 5 mentors: 5 mentors are from 'Org X' too")
            }, listing(outcome))
    }

    func testUnequalSidesAreFineUntilTheRulesLeaveMoreOut() {
        let folder = MatchFolder()
        folder.settings()
        var people = (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0)", languages: ["de"]) }
        people += (0..<4).map { Person(id: "e\($0)", role: "mentee", organisation: "B\($0)", languages: ["de"]) }
        people.append(Person(id: "f0", role: "mentee", organisation: "C", languages: ["fr"]))
        folder.people(people)
        var outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        XCTAssertEqual(outcome.result?.tandems.count, 3)
        XCTAssertEqual(outcome.result?.unmatched.count, 2)
        XCTAssertTrue(
            outcome.summary.contains { $0.contains("mentee f0") && $0.contains("No possible mentor: 3 without a shared language") },
            outcome.summary.joined(separator: "\n"))
        XCTAssertTrue(
            outcome.summary.contains { $0.contains("There are more mentees than mentors") }, outcome.summary.joined(separator: "\n"))

        // Two French-only mentees, one French mentor too many for the German mentees: now someone is left out needlessly.
        people = (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0)", languages: ["de"]) }
        people += (0..<2).map { Person(id: "f\($0)", role: "mentee", organisation: "C\($0)", languages: ["fr"]) }
        people.append(Person(id: "e0", role: "mentee", organisation: "B", languages: ["de", "fr"]))
        folder.people(people)
        outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        let text = listing(outcome)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.line == 5 && $0.message.hasPrefix("mentee 'f0' cannot be paired with any mentor: 3 mentors share no language with them")
            }, text)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.message.hasPrefix("3 mentors who speak only de can be paired with only 1 mentee: 2 mentees share no language with them")
            }, text)
    }

    func testPeopleWithoutAnyPossiblePartnerAreNamed() {
        let folder = MatchFolder()
        folder.settings(
            "matching:\n  avoid:\n"
                + ["m0-e1", "m1-e1", "m2-e2", "m0-e2", "m1-e2", "m2-e1"].map {
                    let p = $0.split(separator: "-")
                    return "    - {mentor: \(p[0]), mentee: \(p[1])}"
                }.joined(separator: "\n") + "\n")
        folder.people(
            (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0)") }
                + (0..<3).map { Person(id: "e\($0)", role: "mentee", organisation: "B\($0)") })
        let outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.line == 6
                    && $0.message.contains("mentee 'e1' cannot be paired with any mentor: 3 mentors are excluded by matching.avoid")
            }, listing(outcome))
    }

    func testGenericBlockingSetIsNamedWhenNoGroupExplainsIt() {
        let folder = MatchFolder()
        folder.settings(
            "matching:\n  avoid:\n"
                + ["m0-e1", "m0-e2", "m1-e1", "m1-e2"].map {
                    let p = $0.split(separator: "-")
                    return "    - {mentor: \(p[0]), mentee: \(p[1])}"
                }.joined(separator: "\n") + "\n")
        folder.people(
            (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0)") }
                + (0..<3).map { Person(id: "e\($0)", role: "mentee", organisation: "B\($0)") })
        let outcome = folder.run()
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(
            outcome.diagnostics.contains {
                $0.path.hasSuffix("participants.csv") && $0.line == nil
                    && $0.message
                        == "the rules leave 1 more person without a tandem than the numbers require: the 2 mentors m0, m1 can be paired only with the 1 mentee e0"
            }, listing(outcome))
    }

    // MARK: Output

    func testReportIsWrittenEscapedAndDeterministic() throws {
        let folder = MatchFolder()
        folder.settings()
        var people = (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0) <b>&", topics: ["TikTok"]) }
        people += (0..<4).map { Person(id: "e\($0)", role: "mentee", organisation: "B\($0)", topics: ["TikTok"]) }
        folder.people(people)
        let first = folder.run(report: true, write: true, templates: ProgrammeFixture.templatesPath)
        XCTAssertTrue(first.succeeded, listing(first))
        let path = folder.output + "/internal/matching.html"
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(html.contains("noindex"))
        XCTAssertTrue(html.contains("A0 &lt;b&gt;&amp;"))
        XCTAssertFalse(html.contains("<b>&"))
        XCTAssertTrue(html.contains("Matching proposal"))
        XCTAssertTrue(html.contains("Without a tandem"))
        let second = folder.run(report: true, write: false, templates: ProgrammeFixture.templatesPath)
        XCTAssertEqual(second.reportHTML, html)
        XCTAssertEqual(
            second.pairsCSV, try String(contentsOfFile: folder.root.appendingPathComponent("pairs-out.csv").path, encoding: .utf8))
        XCTAssertEqual(first.written.count, 3)
    }

    func testBuildAcceptsTheProposalAsPairsFile() throws {
        let fixture = try ProgrammeFixture()
        defer { fixture.cleanUp() }
        fixture.remove("pairs.csv")
        fixture.replace("participants.csv", ",fr,Podcasts,", with: ",fr;de,Podcasts,")
        fixture.remove("meetings.csv")
        for name in [
            "feedback/anna-bruno-mentee-kickoff.md", "feedback/anna-bruno-mentor-kickoff.md", "feedback/clara-dieter-mentee-kickoff.md",
        ] { fixture.remove(name) }
        let outcome = MatchPipeline.run(
            MatchOptions(contentPath: fixture.contentPath, templatesPath: ProgrammeFixture.templatesPath), write: false)
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        fixture.write("pairs.csv", outcome.pairsCSV!)
        let result = fixture.check()
        XCTAssertTrue(result.succeeded, result.diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertFalse(
            result.diagnostics.contains { $0.message.contains("unknown column") },
            result.diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(result.programme?.tandems.count, 2)
    }

    func testStringsAreCompleteInEveryLanguage() throws {
        let folder = URL(fileURLWithPath: ProgrammeFixture.templatesPath).appendingPathComponent("strings")
        var diagnostics = Diagnostics()
        var keys: [String: Set<String>] = [:]
        for language in supportedLanguages {
            let text = try String(contentsOf: folder.appendingPathComponent("match.\(language).yml"), encoding: .utf8)
            let strings = try XCTUnwrap(UIStrings.parse(text, path: language, language: language, diagnostics: &diagnostics))
            keys[language] = Set(strings.values.keys)
            XCTAssertTrue(strings.values.keys.allSatisfy { $0.hasPrefix("match_") })
            if language == "en" {
                for (key, value) in MatchText.englishValues { XCTAssertEqual(strings.values[key] as? String, value, key) }
            }
        }
        XCTAssertFalse(diagnostics.hasErrors)
        for language in supportedLanguages { XCTAssertEqual(keys[language], Set(MatchText.englishValues.keys), language) }
    }

    // MARK: The command line

    private func tandem(_ arguments: [String], in folder: URL) throws -> TandemRun { try runTandem(arguments, in: folder) }

    func testCommandLine() throws {
        let folder = MatchFolder()
        simpleRoster(folder)
        // Without --output the proposal goes to stdout, the summary to stderr.
        var run = try tandem(["match", "--content", "Content"], in: folder.root)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("mentor,mentee,score,reasons\n"), run.stdout)
        XCTAssertTrue(run.stderr.contains("Proposed 3 new tandems"), run.stderr)

        run = try tandem(
            [
                "match", "--content", "Content", "--templates", matchTemplates, "--output", "proposal.csv", "--scores", "scores.csv",
                "--report",
            ],
            in: folder.root)
        XCTAssertEqual(run.status, 0, run.stderr)
        for name in ["proposal.csv", "scores.csv", "Output/internal/matching.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.root.appendingPathComponent(name).path), name)
        }
        XCTAssertTrue(run.stdout.contains("Wrote proposal.csv, scores.csv, Output/internal/matching.html"), run.stdout)

        folder.settings("rules:\n  cross_organisation: required\n")
        folder.people(
            (0..<3).map { Person(id: "m\($0)", role: "mentor", organisation: "Same") }
                + (0..<3).map { Person(id: "e\($0)", role: "mentee", organisation: "Same") })
        try? FileManager.default.removeItem(at: folder.root.appendingPathComponent("again.csv"))
        run = try tandem(["match", "--content", "Content", "--output", "again.csv"], in: folder.root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("Content/programme.yml:7: error: every mentor and every mentee is from 'Same'"), run.stderr)
        XCTAssertTrue(run.stderr.contains("match failed; nothing was written"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("again.csv").path))
    }

    func testEmptySidesAndFullyLockedRosters() {
        let folder = MatchFolder()
        folder.settings()
        folder.people((0..<2).map { Person(id: "m\($0)", role: "mentor", organisation: "A\($0)") })
        var outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        XCTAssertEqual(outcome.result?.tandems.count, 0)
        XCTAssertEqual(outcome.result?.unmatched.count, 2)
        XCTAssertEqual(outcome.pairsCSV, "mentor,mentee,score,reasons\n")

        folder.people([Person(id: "m0", role: "mentor", organisation: "A"), Person(id: "e0", role: "mentee", organisation: "B")])
        folder.write("pairs.csv", "mentor,mentee\nm0,e0\n")
        outcome = folder.run()
        XCTAssertTrue(outcome.succeeded, listing(outcome))
        XCTAssertEqual(outcome.result?.tandems.count, 1)
        XCTAssertEqual(outcome.scoresCSV, "mentor,mentee,score\nm0,e0,0\n")
    }

    func testScoreFormatting() {
        XCTAssertEqual(MatchScoring.format(2_500_000), "2.5")
        XCTAssertEqual(MatchScoring.format(-1_000_000), "-1")
        XCTAssertEqual(MatchScoring.format(0), "0")
        XCTAssertEqual(MatchScoring.format(1), "0.000001")
        XCTAssertEqual(MatchScoring.format(-250_000), "-0.25")
    }
}
