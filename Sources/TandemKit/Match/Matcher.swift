import Foundation

// MARK: - Loading

/// What `tandem match` reads: programme.yml, participants.csv and, when present, pairs.csv (its rows are kept as
/// locked pairs). Meetings, feedback, profiles and pages are not read. Validation is the build's (`ModelBuilder`).
struct MatchInput {
    let programme: Programme
    let settings: SettingsLines
    let participantsPath: String
    let pairsPath: String
    /// Header of pairs.csv, lowercased (empty without the file).
    let pairsColumns: [String]

    static func load(contentPath: String, diagnostics: inout Diagnostics) -> MatchInput? {
        // The build's loader, asked only for what matching needs (CSV files or workbooks); pairs may be missing.
        var files = SourceFiles(contentPath: contentPath, keepsCache: false)
        files.optionalFiles.insert("pairs.csv")
        files.refresh(Set(["programme.yml"] + SourceFiles.tables.filter { !$0.hasPrefix("meetings.") }))
        // Photos are checked like the build checks them; only the named files are looked at.
        if let table = files.sources().0.participants {
            let photos = table.rows.compactMap { row in row["photo"].flatMap { ModelBuilder.unsafeRelativePath($0) == nil ? $0 : nil } }
            files.refresh(Set(photos.map { "assets/" + $0 }))
        }
        let (sources, found) = files.sources()
        diagnostics.append(contentsOf: found)
        if files.rootFailure != nil { return nil }
        let settings = SettingsLines(sources.settings)
        var modelDiagnostics = Diagnostics()
        let programme = ModelBuilder.buildKeepingErrors(sources, diagnostics: &modelDiagnostics)
        diagnostics.append(contentsOf: modelDiagnostics)
        guard let programme else { return nil }
        let input = MatchInput(
            programme: programme, settings: settings, participantsPath: sources.participants?.path ?? files.display("participants.csv"),
            pairsPath: sources.pairs?.path ?? files.display("pairs.csv"),
            pairsColumns: sources.pairs?.columns ?? [])
        guard !modelDiagnostics.hasErrors else {
            // The lock checks need only the valid rows: run them too, so one run lists every lock problem (unknown
            // ids and rule breaks alike) instead of one kind per run.
            var ignored = Diagnostics()
            let weights = MatchWeights.read(settingsOf: input, diagnostics: &ignored)
            _ = MatchProblem.make(input, weights: weights, diagnostics: &diagnostics)
            return nil
        }
        return input
    }
}

// MARK: - The problem

/// Where a kept pair comes from.
enum LockSource: Sendable {
    /// A row of pairs.csv.
    case pairsFile(Tandem)
    /// An entry of `matching.lock` (its line in programme.yml).
    case setting(line: Int?)
}

struct LockedPair: Sendable {
    var mentor: Int
    var mentee: Int
    var source: LockSource
}

extension Role {
    /// The other role of a tandem.
    var counterpart: Role { self == .mentor ? .mentee : .mentor }
}

/// The roster as the solver sees it: mentors and mentees sorted by id, the score and hard-rule verdict of every
/// pair, and the kept (locked) pairs. Indices below are positions in `mentors` and `mentees`.
struct MatchProblem {
    let mentors: [Participant]
    let mentees: [Participant]
    let weights: MatchWeights
    let rule: CrossOrganisationRule
    let perPerson: Int
    /// Row-major mentors × mentees.
    let scores: [PairScore]
    let locks: [LockedPair]
    let mentorLoad: [Int]
    let menteeLoad: [Int]
    let locked: Set<Int>

    func people(_ role: Role) -> [Participant] { role == .mentor ? mentors : mentees }
    func count(_ role: Role) -> Int { role == .mentor ? mentors.count : mentees.count }
    /// Kept tandems of a person.
    func load(_ role: Role, _ i: Int) -> Int { role == .mentor ? mentorLoad[i] : menteeLoad[i] }
    /// Tandems a person may still get.
    func room(_ role: Role, _ i: Int) -> Int { perPerson - load(role, i) }
    func index(mentor: Int, mentee: Int) -> Int { mentor * mentees.count + mentee }
    /// Index of the pair of `i` (in `role`) and `j` (in the other role).
    func index(_ role: Role, _ i: Int, _ j: Int) -> Int { role == .mentor ? index(mentor: i, mentee: j) : index(mentor: j, mentee: i) }
    func score(_ role: Role, _ i: Int, _ j: Int) -> PairScore { scores[index(role, i, j)] }
    func score(mentor: Int, mentee: Int) -> PairScore { scores[index(mentor: mentor, mentee: mentee)] }

    /// May the solver propose this pair? It keeps every hard rule and both still have room.
    func proposable(mentor: Int, mentee: Int) -> Bool {
        let k = index(mentor: mentor, mentee: mentee)
        return scores[k].block == nil && !locked.contains(k) && mentorLoad[mentor] < perPerson && menteeLoad[mentee] < perPerson
    }

    func proposable(_ role: Role, _ i: Int, _ j: Int) -> Bool {
        role == .mentor ? proposable(mentor: i, mentee: j) : proposable(mentor: j, mentee: i)
    }

    /// The pairs `--scores` lists: proposable or kept.
    func listed(mentor: Int, mentee: Int) -> Bool {
        locked.contains(index(mentor: mentor, mentee: mentee)) || proposable(mentor: mentor, mentee: mentee)
    }

    /// Builds the problem; kept pairs that break a hard rule are errors at their line.
    static func make(_ input: MatchInput, weights: MatchWeights, diagnostics: inout Diagnostics) -> MatchProblem {
        let programme = input.programme
        let mentors = programme.participants.filter { $0.role == .mentor }.sorted { $0.id < $1.id }
        let mentees = programme.participants.filter { $0.role == .mentee }.sorted { $0.id < $1.id }
        let mentorIndex = Dictionary(uniqueKeysWithValues: mentors.enumerated().map { ($1.id, $0) })
        let menteeIndex = Dictionary(uniqueKeysWithValues: mentees.enumerated().map { ($1.id, $0) })
        let avoid = Set(programme.matching.avoid)
        let rule = programme.rules.crossOrganisation
        let k = programme.rules.pairsPerPerson
        var scores: [PairScore] = []
        scores.reserveCapacity(mentors.count * mentees.count)
        for mentor in mentors {
            for mentee in mentees {
                scores.append(
                    MatchScoring.score(
                        mentor: mentor, mentee: mentee, weights: weights, rule: rule,
                        avoided: avoid.contains(PairPreference(mentor: mentor.id, mentee: mentee.id))))
            }
        }
        var mentorLoad = [Int](repeating: 0, count: mentors.count)
        var menteeLoad = [Int](repeating: 0, count: mentees.count)
        var locked = Set<Int>()
        var locks: [LockedPair] = []
        func problemText(_ score: PairScore, _ mentor: Participant, _ mentee: Participant) -> String? {
            switch score.block {
            case .organisation:
                return "\(mentor.id) and \(mentee.id) are both from '\(mentor.organisation)'; rules.cross_organisation is required"
            case .language:
                return
                    "\(mentor.id) (\(mentor.languages.joined(separator: ", "))) and \(mentee.id) (\(mentee.languages.joined(separator: ", "))) share no language"
            case .avoid: return "\(mentor.id) and \(mentee.id) are listed in matching.avoid"
            case nil: return nil
            }
        }
        // pairs.csv rows: the build already checked organisations and pairs_per_person.
        for tandem in programme.tandems {
            guard let m = mentorIndex[tandem.mentor], let e = menteeIndex[tandem.mentee] else { continue }
            let index = m * mentees.count + e
            if let problem = problemText(scores[index], mentors[m], mentees[e]) {
                diagnostics.error(
                    input.pairsPath, line: tandem.line,
                    "\(problem); tandem match keeps every pairs.csv row, so a kept tandem must keep the rules too")
                continue
            }
            if locked.insert(index).inserted {
                mentorLoad[m] += 1
                menteeLoad[e] += 1
                locks.append(LockedPair(mentor: m, mentee: e, source: .pairsFile(tandem)))
            }
        }
        let lockLines = input.settings.preferenceLines("lock")
        for preference in programme.matching.lock {
            guard let m = mentorIndex[preference.mentor], let e = menteeIndex[preference.mentee] else { continue }
            let index = m * mentees.count + e
            let line = lockLines[preference]
            if locked.contains(index) { continue }  // also a row of pairs.csv
            if scores[index].block == .avoid { continue }  // programme.yml already reports "both locked and avoided"
            if let problem = problemText(scores[index], mentors[m], mentees[e]) {
                diagnostics.error(input.settings.path, line: line, "matching.lock: \(problem)")
                continue
            }
            var full = false
            for (id, load) in [(mentors[m].id, mentorLoad[m]), (mentees[e].id, menteeLoad[e])] where load >= k {
                diagnostics.error(
                    input.settings.path, line: line,
                    "matching.lock: '\(id)' is already in \(load) kept tandem\(load == 1 ? "" : "s"); rules.pairs_per_person allows \(k)")
                full = true
            }
            if full { continue }
            locked.insert(index)
            mentorLoad[m] += 1
            menteeLoad[e] += 1
            locks.append(LockedPair(mentor: m, mentee: e, source: .setting(line: line)))
        }
        return MatchProblem(
            mentors: mentors, mentees: mentees, weights: weights, rule: rule, perPerson: k, scores: scores, locks: locks,
            mentorLoad: mentorLoad, menteeLoad: menteeLoad, locked: locked)
    }
}

extension SettingsLines {
    /// Lines of the entries of `matching.lock` or `matching.avoid`.
    func preferenceLines(_ key: String) -> [PairPreference: Int] {
        var result: [PairPreference: Int] = [:]
        guard let matching = yaml?.entries?.first(where: { $0.key == "matching" })?.value,
            let items = matching.entries?.first(where: { $0.key == key })?.value.items
        else { return result }
        for item in items {
            guard let entries = item.entries,
                let mentor = entries.first(where: { $0.key == "mentor" })?.value.scalarText?.trimmingWhitespace,
                let mentee = entries.first(where: { $0.key == "mentee" })?.value.scalarText?.trimmingWhitespace,
                let line = item.line
            else { continue }
            let preference = PairPreference(mentor: mentor, mentee: mentee)
            if result[preference] == nil { result[preference] = line }
        }
        return result
    }
}

// MARK: - The result

/// What forbidding a proposed tandem would cost: the best proposal without it.
enum Alternative: Sendable {
    /// The total drops by `loss` (millionths, ≥ 0); the partners the two would get (nil: none).
    case loss(Int64, mentorPartner: Int?, menteePartner: Int?)
    /// Without this pair, more people would stay without a tandem (or, with pairs_per_person > 1, fewer tandems).
    case fewerTandems
    /// Not computed (pairs_per_person > 1 on a large roster).
    case notComputed
}

struct ProposedTandem: Sendable {
    var mentor: Int
    var mentee: Int
    /// Nil for a new proposal.
    var lock: LockSource?
    var score: PairScore
    /// The partner's rank among the person's options (1 = best; ties share a rank) and the number of options.
    var mentorRank: (rank: Int, options: Int)
    var menteeRank: (rank: Int, options: Int)
    var alternative: Alternative?
}

/// Counts of people of the other side who cannot be paired with a person (or a group), by the reason.
struct Exclusions: Sendable {
    var organisation = 0
    var language = 0
    var avoid = 0
    /// Already at pairs_per_person through kept tandems.
    var full = 0
}

enum UnmatchedReason: Sendable {
    /// No possible partner at all.
    case noOptions(Exclusions)
    /// More people on this side: bringing them in would lower the total by `loss` (they would go with
    /// `partner`, and `displaced` would stay without a tandem instead).
    case outnumbered(loss: Int64, partner: Int, displaced: Int?)
    /// pairs_per_person > 1: every possible partner is at the limit in the proposal.
    case partnersFull(options: Int)
}

struct UnmatchedPerson: Sendable {
    var role: Role
    var index: Int
    var reason: UnmatchedReason
}

struct MatchResult: Sendable {
    /// Kept pairs first (pairs.csv order, then matching.lock order), then new proposals by mentor id and mentee id.
    var tandems: [ProposedTandem]
    var unmatched: [UnmatchedPerson]
    /// In millionths.
    var total: Int64
}

// MARK: - Solving

struct Matcher {
    let problem: MatchProblem
    let input: MatchInput
    /// Compute what overriding each proposed tandem would cost (for the report).
    var alternatives = false
    var diagnostics = Diagnostics()

    init(problem: MatchProblem, input: MatchInput, alternatives: Bool) {
        self.problem = problem
        self.input = input
        self.alternatives = alternatives
    }

    /// The optimal proposal, or nil (with errors explaining why) when the rules leave more people without a
    /// tandem than the numbers require.
    mutating func run() -> MatchResult? {
        problem.perPerson == 1 ? solveOnePerPerson() : solveSeveralPerPerson()
    }

    /// `pairs_per_person: 1`. The smaller side's free people are the rows (so all of them must be matched), the
    /// larger side's the columns; dummy rows of cost 0 make the matrix square, and the columns they take are the
    /// people left without a tandem. Costs are −score; forbidden pairs are +∞.
    private mutating func solveOnePerPerson() -> MatchResult? {
        let freeMentors = (0..<problem.mentors.count).filter { problem.mentorLoad[$0] == 0 }
        let freeMentees = (0..<problem.mentees.count).filter { problem.menteeLoad[$0] == 0 }
        let transposed = freeMentors.count > freeMentees.count
        let rowRole: Role = transposed ? .mentee : .mentor
        let rowPeople = transposed ? freeMentees : freeMentors
        let columnPeople = transposed ? freeMentors : freeMentees
        let realRows = rowPeople.count
        let n = columnPeople.count
        var costs = [Double](repeating: 0, count: n * n)
        for r in 0..<realRows {
            for c in 0..<n {
                let (m, e) = transposed ? (columnPeople[c], rowPeople[r]) : (rowPeople[r], columnPeople[c])
                costs[r * n + c] = problem.proposable(mentor: m, mentee: e) ? -Double(problem.score(mentor: m, mentee: e).value) : .infinity
            }
        }
        let solver = LinearAssignment(rows: n, columns: n, costs: costs)
        var failed: [Int] = []
        var violator: (rows: [Int], columns: [Int])?
        for r in 0..<realRows where !solver.augment(from: r) {
            failed.append(r)
            if violator == nil { violator = solver.lastSearch }
        }
        if !failed.isEmpty {
            let blocking = violator.map { v in
                (role: rowRole, people: v.rows.map { rowPeople[$0] }, partners: v.columns.map { columnPeople[$0] })
            }
            explainInfeasible(deficit: failed.count, matchable: [.mentor: realRows, .mentee: realRows], violator: blocking)
            return nil
        }
        for r in realRows..<n { solver.augment(from: r) }

        func pair(_ r: Int, _ c: Int) -> (mentor: Int, mentee: Int) {
            transposed ? (columnPeople[c], rowPeople[r]) : (rowPeople[r], columnPeople[c])
        }
        let baseline = solver.total
        var proposed: [(mentor: Int, mentee: Int, row: Int, column: Int)] = []
        for r in 0..<realRows {
            let c = solver.column(of: r)!
            let p = pair(r, c)
            proposed.append((p.mentor, p.mentee, r, c))
        }
        var tandems = lockedTandems()
        for item in proposed.sorted(by: { ($0.mentor, $0.mentee) < ($1.mentor, $1.mentee) }) {
            var tandem = makeTandem(mentor: item.mentor, mentee: item.mentee, lock: nil)
            if alternatives {
                // Forbid the pair and re-solve from the optimum: one augmenting path from the freed row.
                let snapshot = solver.snapshot()
                let saved = solver.cost(item.row, item.column)
                solver.setCost(item.row, item.column, .infinity)
                solver.unassign(row: item.row)
                if solver.augment(from: item.row) {
                    let newRowColumn = solver.column(of: item.row)!
                    let newColumnRow = solver.row(of: item.column)!
                    let rowPartner = columnPeople[newRowColumn]
                    let columnPartner = newColumnRow < realRows ? rowPeople[newColumnRow] : nil
                    let loss = Int64((solver.total - baseline).rounded())
                    tandem.alternative = .loss(
                        loss, mentorPartner: transposed ? columnPartner : rowPartner, menteePartner: transposed ? rowPartner : columnPartner
                    )
                } else {
                    tandem.alternative = .fewerTandems
                }
                solver.setCost(item.row, item.column, saved)
                solver.restore(snapshot)
            }
            tandems.append(tandem)
        }
        // The columns taken by dummy rows: people left without a tandem.
        var unmatched: [UnmatchedPerson] = []
        let columnRole = rowRole.counterpart
        for c in 0..<n where solver.row(of: c)! >= realRows {
            let person = columnPeople[c]
            let options = (0..<problem.count(rowRole)).filter { problem.proposable(columnRole, person, $0) }
            if options.isEmpty {
                unmatched.append(
                    UnmatchedPerson(role: columnRole, index: person, reason: .noOptions(exclusions(columnRole, [person]).excluded)))
                continue
            }
            // What bringing them in would cost: forbid their column to every dummy row and re-solve from the optimum.
            let dummy = solver.row(of: c)!
            let snapshot = solver.snapshot()
            for r in realRows..<n { solver.setCost(r, c, .infinity) }
            solver.unassign(row: dummy)
            if solver.augment(from: dummy) {
                let partner = rowPeople[solver.row(of: c)!]
                // The column that moved from a real row to a dummy row: who would lose their tandem instead.
                let displaced = (0..<n).first { x in snapshot.rowOfColumn[x] < realRows && solver.row(of: x)! >= realRows }
                    .map { columnPeople[$0] }
                let loss = Int64((solver.total - baseline).rounded())
                unmatched.append(
                    UnmatchedPerson(
                        role: columnRole, index: person, reason: .outnumbered(loss: loss, partner: partner, displaced: displaced)))
            } else {
                unmatched.append(
                    UnmatchedPerson(role: columnRole, index: person, reason: .noOptions(exclusions(columnRole, [person]).excluded)))
            }
            for r in realRows..<n { solver.setCost(r, c, 0) }
            solver.restore(snapshot)
        }
        return finish(tandems: tandems, unmatched: unmatched)
    }

    /// `pairs_per_person` > 1: a b-matching by min-cost flow with lexicographic costs (`CapacitatedMatching`).
    private mutating func solveSeveralPerPerson() -> MatchResult? {
        let solution = capacitated(forbidding: nil)
        // The same roster without the rules: how many people could have a tandem at all.
        let free = CapacitatedMatching(
            rows: problem.mentors.count, columns: problem.mentees.count,
            allowed: (0..<problem.scores.count).map { !problem.locked.contains($0) },
            score: [Int64](repeating: 0, count: problem.scores.count),
            rowCapacity: (0..<problem.mentors.count).map { problem.room(.mentor, $0) },
            columnCapacity: (0..<problem.mentees.count).map { problem.room(.mentee, $0) }, rowLocked: problem.mentorLoad,
            columnLocked: problem.menteeLoad)
        free.solve()
        func newlyMatched(_ m: CapacitatedMatching) -> [Role: Int] {
            [
                .mentor: (0..<m.rows).filter { problem.mentorLoad[$0] == 0 && m.rowFlow[$0] > 0 }.count,
                .mentee: (0..<m.columns).filter { problem.menteeLoad[$0] == 0 && m.columnFlow[$0] > 0 }.count,
            ]
        }
        let possible = newlyMatched(free)
        let reached = newlyMatched(solution)
        let deficit = possible.values.reduce(0, +) - reached.values.reduce(0, +)
        if deficit > 0 {
            let leftOut = [Role.mentor, .mentee].flatMap { role in
                (0..<problem.count(role)).filter { i in
                    problem.load(role, i) == 0 && (role == .mentor ? solution.rowFlow[i] : solution.columnFlow[i]) == 0
                }.map { "\(role.rawValue) \(problem.people(role)[$0].id)" }
            }
            explainInfeasible(deficit: deficit, matchable: possible, violator: nil, leftOut: leftOut)
            return nil
        }
        var tandems = lockedTandems()
        let baseline = totals(solution)
        let small = problem.mentors.count + problem.mentees.count <= 120
        for (m, e) in solution.pairs {
            var tandem = makeTandem(mentor: m, mentee: e, lock: nil)
            if alternatives {
                if small {
                    let other = capacitated(forbidding: problem.index(mentor: m, mentee: e))
                    let changed = totals(other)
                    if changed.people < baseline.people || changed.tandems < baseline.tandems {
                        tandem.alternative = .fewerTandems
                    } else {
                        let newMentee = (0..<problem.mentees.count).first {
                            other.matched[problem.index(mentor: m, mentee: $0)] && !solution.matched[problem.index(mentor: m, mentee: $0)]
                        }
                        let newMentor = (0..<problem.mentors.count).first {
                            other.matched[problem.index(mentor: $0, mentee: e)] && !solution.matched[problem.index(mentor: $0, mentee: e)]
                        }
                        tandem.alternative = .loss(baseline.score - changed.score, mentorPartner: newMentee, menteePartner: newMentor)
                    }
                } else {
                    tandem.alternative = .notComputed
                }
            }
            tandems.append(tandem)
        }
        var unmatched: [UnmatchedPerson] = []
        for role in [Role.mentor, Role.mentee] {
            for i in 0..<problem.count(role) where problem.load(role, i) == 0 {
                let flow = role == .mentor ? solution.rowFlow[i] : solution.columnFlow[i]
                guard flow == 0 else { continue }
                let options = (0..<problem.count(role.counterpart)).filter { problem.proposable(role, i, $0) }
                let reason: UnmatchedReason =
                    options.isEmpty ? .noOptions(exclusions(role, [i]).excluded) : .partnersFull(options: options.count)
                unmatched.append(UnmatchedPerson(role: role, index: i, reason: reason))
            }
        }
        return finish(tandems: tandems, unmatched: unmatched)
    }

    private func capacitated(forbidding forbidden: Int?) -> CapacitatedMatching {
        var allowed = (0..<problem.scores.count).map { k in
            problem.proposable(mentor: k / problem.mentees.count, mentee: k % problem.mentees.count)
        }
        if let forbidden { allowed[forbidden] = false }
        let matching = CapacitatedMatching(
            rows: problem.mentors.count, columns: problem.mentees.count, allowed: allowed, score: problem.scores.map(\.value),
            rowCapacity: (0..<problem.mentors.count).map { problem.room(.mentor, $0) },
            columnCapacity: (0..<problem.mentees.count).map { problem.room(.mentee, $0) }, rowLocked: problem.mentorLoad,
            columnLocked: problem.menteeLoad)
        matching.solve()
        return matching
    }

    private func totals(_ m: CapacitatedMatching) -> (people: Int, tandems: Int, score: Int64) {
        let people =
            (0..<m.rows).filter { m.rowFlow[$0] > 0 && problem.mentorLoad[$0] == 0 }.count
            + (0..<m.columns).filter { m.columnFlow[$0] > 0 && problem.menteeLoad[$0] == 0 }.count
        let pairs = m.pairs
        return (people, pairs.count, pairs.reduce(0) { $0 + problem.score(mentor: $1.row, mentee: $1.column).value })
    }

    private func lockedTandems() -> [ProposedTandem] {
        problem.locks.map { makeTandem(mentor: $0.mentor, mentee: $0.mentee, lock: $0.source) }
    }

    private func makeTandem(mentor: Int, mentee: Int, lock: LockSource?) -> ProposedTandem {
        let score = problem.score(mentor: mentor, mentee: mentee)
        func rank(_ role: Role, _ i: Int, _ j: Int) -> (Int, Int) {
            let value = problem.score(role, i, j).value
            var options = 0
            var better = 0
            for other in 0..<problem.count(role.counterpart) {
                let (m, e) = role == .mentor ? (i, other) : (other, i)
                // A kept tandem is ranked among everyone the rules allow; a proposal among the proposable pairs.
                let option = lock == nil ? problem.listed(mentor: m, mentee: e) : problem.score(mentor: m, mentee: e).block == nil
                guard option || other == j else { continue }
                options += 1
                if problem.score(mentor: m, mentee: e).value > value { better += 1 }
            }
            return (better + 1, options)
        }
        return ProposedTandem(
            mentor: mentor, mentee: mentee, lock: lock, score: score, mentorRank: rank(.mentor, mentor, mentee),
            menteeRank: rank(.mentee, mentee, mentor), alternative: nil)
    }

    private func finish(tandems: [ProposedTandem], unmatched: [UnmatchedPerson]) -> MatchResult {
        let total = tandems.reduce(Int64(0)) { $0 + $1.score.value }
        let sorted = unmatched.sorted {
            ($0.role == .mentor ? 0 : 1, problem.people($0.role)[$0.index].id) < (
                $1.role == .mentor ? 0 : 1, problem.people($1.role)[$1.index].id
            )
        }
        return MatchResult(tandems: tandems, unmatched: sorted, total: total)
    }

    // MARK: Explaining an infeasible roster

    /// Who of the other side `group` (people of `role`) may be paired with, and why the others may not.
    func exclusions(_ role: Role, _ group: [Int]) -> (partners: [Int], supply: Int, excluded: Exclusions) {
        let other = role.counterpart
        var partners: [Int] = []
        var supply = 0
        var excluded = Exclusions()
        for j in 0..<problem.count(other) {
            let reachable = group.filter { problem.proposable(role, $0, j) }
            if !reachable.isEmpty {
                partners.append(j)
                supply += min(problem.room(other, j), reachable.count)
                continue
            }
            if problem.room(other, j) <= 0 {
                excluded.full += 1
                continue
            }
            var counts: [PairBlock: Int] = [:]
            for i in group { if let block = problem.score(role, i, j).block { counts[block, default: 0] += 1 } }
            let block = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? .avoid
            switch block {
            case .organisation: excluded.organisation += 1
            case .language: excluded.language += 1
            case .avoid: excluded.avoid += 1
            }
        }
        return (partners, supply, excluded)
    }

    private func word(_ role: Role, _ count: Int) -> String { "\(count) \(role.rawValue)\(count == 1 ? "" : "s")" }

    private func exclusionText(_ excluded: Exclusions, other: Role, organisation: String?) -> String {
        var parts: [String] = []
        if excluded.organisation > 0 {
            let from = organisation.map { "from '\($0)' too" } ?? "from the same organisation"
            parts.append(
                "\(word(other, excluded.organisation)) \(excluded.organisation == 1 ? "is" : "are") \(from) and rules.cross_organisation is required"
            )
        }
        if excluded.language > 0 {
            parts.append(
                "\(word(other, excluded.language)) share\(excluded.language == 1 ? "s" : "") no language with \(organisation == nil ? "them" : "any of them")"
            )
        }
        if excluded.avoid > 0 {
            parts.append("\(word(other, excluded.avoid)) \(excluded.avoid == 1 ? "is" : "are") excluded by matching.avoid")
        }
        if excluded.full > 0 {
            parts.append(
                "\(word(other, excluded.full)) already \(excluded.full == 1 ? "has" : "have") \(problem.perPerson) kept tandem\(problem.perPerson == 1 ? "" : "s") (rules.pairs_per_person)"
            )
        }
        return parts.joined(separator: ", ")
    }

    /// Errors naming the blocking sets (Hall's theorem): a group of people that needs more partners than the
    /// rules leave them. A group on a side with more people than can be matched (`slack`) blocks the roster only
    /// when it is short by more than that slack.
    private mutating func explainInfeasible(
        deficit: Int, matchable: [Role: Int], violator: (role: Role, people: [Int], partners: [Int])?, leftOut: [String] = []
    ) {
        let settingsPath = input.settings.path
        let participants = input.participantsPath
        let organisationLine = input.settings.exactLine(["rules", "cross_organisation"])
        let organisationPlace = organisationLine == nil ? (participants, nil as Int?) : (settingsPath, organisationLine)
        var reported = Set<[Int]>()
        var certificates = 0
        var contributing: [String] = []

        let allPeople = problem.mentors + problem.mentees
        if problem.rule == .required, let first = allPeople.first,
            allPeople.allSatisfy({ MatchScoring.key($0.organisation) == MatchScoring.key(first.organisation) })
        {
            diagnostics.error(
                organisationPlace.0, line: organisationPlace.1,
                "every mentor and every mentee is from '\(first.organisation)' and rules.cross_organisation is \(organisationLine == nil ? "required (the default)" : "required"): no tandem is possible"
            )
            return
        }

        for role in [Role.mentor, Role.mentee] {
            let other = role.counterpart
            let free = (0..<problem.count(role)).filter { problem.load(role, $0) == 0 }
            let slack = free.count - (matchable[role] ?? 0)
            let freeOther = (0..<problem.count(other)).filter { problem.room(other, $0) > 0 }.count
            let slackText: String
            if slack > 0 {
                slackText =
                    "; at most \(slack) of the \(word(role, free.count)) can stay without a tandem (there are \(freeOther) \(other.rawValue)s with room)"
            } else if free.count < freeOther {
                slackText = " (there are \(word(role, free.count)) for \(word(other, freeOther)), so every \(role.rawValue) needs a tandem)"
            } else {
                slackText = ""
            }

            // Single people without any possible partner.
            let alone = free.filter { i in !(0..<problem.count(other)).contains { problem.proposable(role, i, $0) } }
            if !alone.isEmpty {
                if alone.count > slack {
                    reported.insert(alone.map { $0 * 2 + (role == .mentor ? 0 : 1) })
                    certificates += 1
                    for i in alone {
                        let person = problem.people(role)[i]
                        let why = exclusionText(exclusions(role, [i]).excluded, other: other, organisation: nil)
                        let note = slack > 0 ? "; \(word(role, alone.count)) have no possible \(other.rawValue)\(slackText)" : slackText
                        diagnostics.error(
                            participants, line: person.line,
                            "\(role.rawValue) '\(person.id)' cannot be paired with any \(other.rawValue): \(why.isEmpty ? "there is none" : why)\(note)"
                        )
                    }
                } else {
                    contributing.append("\(word(role, alone.count)) without any possible \(other.rawValue)")
                }
            }

            // Groups: one organisation (when the rule is required), one set of languages.
            var groups: [(members: [Int], place: (String, Int?), description: String, organisation: String?)] = []
            if problem.rule == .required {
                var byOrganisation: [String: [Int]] = [:]
                for i in free { byOrganisation[MatchScoring.key(problem.people(role)[i].organisation), default: []].append(i) }
                for key in byOrganisation.keys.sorted() {
                    let members = byOrganisation[key]!
                    let name = problem.people(role)[members[0]].organisation
                    groups.append((members, organisationPlace, "\(word(role, members.count)) from '\(name)'", name))
                }
            }
            let languageSets = Set(free.map { Set(problem.people(role)[$0].languages) }.filter { !$0.isEmpty })
            for set in languageSets.sorted(by: {
                ($0.count, $0.sorted().joined(separator: ",")) < ($1.count, $1.sorted().joined(separator: ","))
            }) {
                let members = free.filter { i in
                    let languages = problem.people(role)[i].languages
                    return !languages.isEmpty && Set(languages).isSubset(of: set)
                }
                let list = supportedLanguages.filter { set.contains($0) }.joined(separator: " or ")
                groups.append((members, (participants, nil), "\(word(role, members.count)) who speak only \(list)", nil))
            }
            for group in groups where group.members.count > 1 || group.organisation != nil {
                let key = group.members.map { $0 * 2 + (role == .mentor ? 0 : 1) }
                guard !reported.contains(key), !(alone.count > slack && Set(group.members).isSubset(of: alone)) else { continue }
                let (partners, supply, excluded) = exclusions(role, group.members)
                let shortfall = group.members.count - supply
                // Only groups the rule that names them actually blocks.
                let named = group.organisation != nil ? excluded.organisation : excluded.language
                guard shortfall > 0, named > 0 else { continue }
                let description = group.description
                if shortfall > slack {
                    reported.insert(key)
                    certificates += 1
                    let capacity = problem.perPerson > 1 ? " (room for \(supply) tandems)" : ""
                    let only =
                        partners.isEmpty
                        ? "cannot be paired with any \(other.rawValue)"
                        : "can be paired with only \(word(other, partners.count))\(capacity)"
                    let why = exclusionText(excluded, other: other, organisation: group.organisation)
                    diagnostics.error(
                        group.place.0, line: group.place.1, "\(description) \(only)\(why.isEmpty ? "" : ": " + why)\(slackText)")
                } else {
                    contributing.append("\(description) can be paired with only \(word(other, partners.count))")
                }
            }
        }
        guard certificates == 0 else { return }
        // No single group explains it: name the set the solver found.
        var message = "the rules leave \(deficit) more \(deficit == 1 ? "person" : "people") without a tandem than the numbers require"
        if let violator {
            func names(_ role: Role, _ indices: [Int]) -> String {
                let ids = indices.map { problem.people(role)[$0].id }
                return ids.count <= 8 ? ids.joined(separator: ", ") : ids.prefix(8).joined(separator: ", ") + " and \(ids.count - 8) more"
            }
            let other = violator.role.counterpart
            message +=
                ": the \(word(violator.role, violator.people.count)) \(names(violator.role, violator.people)) can be paired only with "
                + (violator.partners.isEmpty ? "nobody" : "the \(word(other, violator.partners.count)) \(names(other, violator.partners))")
        }
        if violator == nil && !leftOut.isEmpty {
            let shown =
                leftOut.count <= 8
                ? leftOut.joined(separator: ", ") : leftOut.prefix(8).joined(separator: ", ") + " and \(leftOut.count - 8) more"
            message += ": the best proposal leaves out \(shown)"
        }
        if !contributing.isEmpty { message += " (\(contributing.joined(separator: "; ")))" }
        diagnostics.error(participants, message)
    }
}
