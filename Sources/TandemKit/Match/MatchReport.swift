import Foundation

// MARK: - Public entry point

/// What `tandem match` reads and writes.
public struct MatchOptions: Sendable {
    public var contentPath: String
    /// The theme's override folder; nil: the built-in theme alone.
    public var templatesPath: String?
    /// Where the proposal is written as pairs.csv; nil: returned as `MatchOutcome.pairsCSV` (the CLI prints it).
    public var pairsPath: String?
    /// Where every allowed pair is written with its score (`mentor,mentee,score`).
    public var scoresPath: String?
    /// Write `<outputPath>/internal/matching.html`.
    public var report: Bool
    public var outputPath: String
    /// Warnings count as errors.
    public var strict: Bool

    public init(
        contentPath: String = "Content", templatesPath: String? = nil, pairsPath: String? = nil, scoresPath: String? = nil,
        report: Bool = false, outputPath: String = "Output", strict: Bool = false
    ) {
        self.contentPath = contentPath
        self.templatesPath = templatesPath
        self.pairsPath = pairsPath
        self.scoresPath = scoresPath
        self.report = report
        self.outputPath = outputPath
        self.strict = strict
    }
}

/// What a match run produced. On any error nothing is written and the texts are nil.
public struct MatchOutcome: Sendable {
    public var diagnostics: [Diagnostic]
    public var pairsCSV: String?
    public var scoresCSV: String?
    public var reportHTML: String?
    /// Lines for the terminal (English): the totals and everyone left without a tandem, with the reason.
    public var summary: [String] = []
    /// Files written, as given in the options.
    public var written: [String] = []
    var result: MatchResult?
    var problem: MatchProblem?

    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// `tandem match`: load → rules → optimal assignment → pairs.csv, scores, report.
public enum MatchPipeline {
    public static let reportPath = "internal/matching.html"

    /// Computes the proposal and, when `write` is true and there is no error, writes the files named in `options`
    /// (each written aside and renamed into place only when all of them are ready).
    public static func run(_ options: MatchOptions, write: Bool = true) -> MatchOutcome {
        var diagnostics = Diagnostics()
        var outcome = MatchOutcome(diagnostics: [])
        func finish() -> MatchOutcome {
            let effective = options.strict ? diagnostics.promotingWarnings() : diagnostics
            outcome.diagnostics = effective.sorted
            if !outcome.succeeded {
                outcome.pairsCSV = nil
                outcome.scoresCSV = nil
                outcome.reportHTML = nil
                outcome.summary = []
                outcome.result = nil
            }
            return outcome
        }
        guard let input = MatchInput.load(contentPath: options.contentPath, diagnostics: &diagnostics) else { return finish() }
        let programme = input.programme
        let weights = MatchWeights.read(settingsOf: input, diagnostics: &diagnostics)
        let problem = MatchProblem.make(input, weights: weights, diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { return finish() }

        // Texts: the theme's strings in the programme's language; built-in English when there is no theme and none is needed.
        var theme: Theme?
        var strings = MatchText.english
        if options.report {
            var themeDiagnostics = Diagnostics()
            theme = Theme.load(path: options.templatesPath, diagnostics: &themeDiagnostics)
            diagnostics.append(contentsOf: themeDiagnostics)
            if let loaded = theme?.strings[programme.language] {
                strings = MatchText(loaded)
            } else if let theme {
                diagnostics.warning(
                    theme.missingFilePath("strings/match.\(programme.language).yml"),
                    "UI strings for '\(programme.language)' are missing; using English")
            }
        } else if options.templatesPath.map({ FileManager.default.fileExists(atPath: $0) }) ?? true {
            var ignored = Diagnostics()
            if let loaded = Theme.load(path: options.templatesPath, diagnostics: &ignored)?.strings[programme.language], !ignored.hasErrors
            {
                strings = MatchText(loaded)
            }
        }
        guard !diagnostics.hasErrors else { return finish() }

        var matcher = Matcher(problem: problem, input: input, alternatives: options.report)
        let result = matcher.run()
        diagnostics.append(contentsOf: matcher.diagnostics)
        guard let result, !diagnostics.hasErrors else { return finish() }
        outcome.result = result
        outcome.problem = problem

        let writer = MatchWriter(problem: problem, input: input, result: result, strings: strings)
        outcome.pairsCSV = writer.pairsCSV()
        if options.scoresPath != nil { outcome.scoresCSV = writer.scoresCSV() }
        if options.report, let theme {
            var renderDiagnostics = Diagnostics()
            outcome.reportHTML = writer.reportHTML(theme: theme, language: programme.language, diagnostics: &renderDiagnostics)
            diagnostics.append(contentsOf: renderDiagnostics)
        }
        outcome.summary = MatchWriter(problem: problem, input: input, result: result, strings: .english).summary()
        if options.strict ? !diagnostics.all.isEmpty : diagnostics.hasErrors { return finish() }

        if write {
            var files: [(display: String, path: String, text: String)] = []
            if let path = options.pairsPath, let text = outcome.pairsCSV { files.append((path, path, text)) }
            if let path = options.scoresPath, let text = outcome.scoresCSV { files.append((path, path, text)) }
            if options.report, let text = outcome.reportHTML {
                let output = options.outputPath.hasSuffix("/") ? String(options.outputPath.dropLast()) : options.outputPath
                files.append((output + "/" + reportPath, output + "/" + reportPath, text))
            }
            do {
                try AtomicFiles.write(files.map { ($0.path, $0.text) })
                outcome.written = files.map(\.display)
            } catch let error as AtomicFiles.WriteError {
                diagnostics.error(error.path, error.message)
            } catch {
                diagnostics.error(options.contentPath, "\(error)")
            }
        }
        return finish()
    }
}

extension MatchWeights {
    static func read(settingsOf input: MatchInput, diagnostics: inout Diagnostics) -> MatchWeights {
        var settings = ProgrammeSettings()
        settings.matching = input.programme.matching
        return read(settings, yaml: input.settings.yaml, diagnostics: &diagnostics)
    }
}

/// Writes several files so that none is replaced unless all could be written: each goes to a hidden sibling
/// first, then all are renamed into place.
enum AtomicFiles {
    struct WriteError: Error {
        var path: String
        var message: String
    }

    static func write(_ files: [(path: String, text: String)]) throws {
        let fileManager = FileManager.default
        let pid = ProcessInfo.processInfo.processIdentifier
        var staged: [(temporary: URL, target: URL)] = []
        func cleanUp() { for item in staged { try? fileManager.removeItem(at: item.temporary) } }
        for file in files {
            let target = URL(fileURLWithPath: file.path).standardizedFileURL
            let folder = target.deletingLastPathComponent()
            let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).tandem-\(pid)")
            do {
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: temporary)
            } catch {
                cleanUp()
                throw WriteError(path: file.path, message: "cannot write file: \(error.localizedDescription)")
            }
            staged.append((temporary, target))
        }
        for item in staged {
            if rename(item.temporary.path, item.target.path) != 0 {
                cleanUp()
                throw WriteError(path: item.target.path, message: "cannot write file: \(String(cString: strerror(errno)))")
            }
        }
    }
}

// MARK: - Texts

/// The strings of `tandem match` (Templates/strings/match.<lang>.yml, keys `match_*`), with `{name}` placeholders.
struct MatchText {
    let strings: UIStrings

    init(_ strings: UIStrings) { self.strings = strings }

    subscript(key: String) -> String { strings.values[key] as? String ?? MatchText.englishValues[key] ?? key }

    func format(_ key: String, _ arguments: [String: String]) -> String {
        var text = self[key]
        for (name, value) in arguments { text = text.replacingAll("{\(name)}", with: value) }
        return text
    }

    /// A score for people: the language's decimal separator.
    func score(_ micro: Int64) -> String {
        MatchScoring.format(micro).replacingOccurrences(of: ".", with: self["match_decimal_separator"])
            .replacingOccurrences(of: "-", with: "−")
    }

    func role(_ role: Role, plural: Bool = false) -> String { self["match_\(role.rawValue)\(plural ? "s" : "")"] }

    func list(_ items: [String]) -> String { items.joined(separator: ", ") }

    /// Built in so `tandem match` works without a theme folder; the same as Templates/strings/match.en.yml.
    static let englishValues: [String: String] = [
        "match_title": "Matching proposal",
        "match_banner": "Internal – do not publish.",
        "match_banner_text": "This proposal contains names, organisations and topics. For the programme team only.",
        "match_decimal_separator": ".",
        "match_mentor": "mentor",
        "match_mentee": "mentee",
        "match_mentors": "mentors",
        "match_mentees": "mentees",
        "match_summary": "{tandems} tandems: {kept} kept, {proposed} proposed. Total score {total}.",
        "match_summary_unmatched": "{count} people without a tandem.",
        "match_summary_everyone": "Everyone has a tandem.",
        "match_optimal":
            "The proposal is optimal under the rules below: no other pairing leaves fewer people without a tandem, and none with as many tandems reaches a higher total score. Computed exactly (shortest augmenting paths), not estimated.",
        "match_formula_title": "The score",
        "match_formula": "score = {topics} × shared topics + {languages} × shared languages",
        "match_formula_penalty": "− {penalty} when both are from the same organisation",
        "match_rules_title": "Rules",
        "match_rule_required": "Mentor and mentee are never from the same organisation.",
        "match_rule_preferred": "Mentor and mentee from the same organisation are possible but lose {penalty} points.",
        "match_rule_off": "Organisations are not compared.",
        "match_rule_languages": "When both list languages, mentor and mentee share at least one.",
        "match_rule_per_person": "Tandems per person: at most {count}.",
        "match_rule_avoid": "Pairs never to propose (matching.avoid): {count}.",
        "match_rule_kept": "Kept tandems (pairs.csv and matching.lock): {count}.",
        "match_tandems_title": "Tandems",
        "match_col_tandem": "Tandem",
        "match_col_score": "Score",
        "match_col_why": "Why",
        "match_col_ranks": "Choice",
        "match_col_alternative": "Without this tandem",
        "match_shared_topics": "Shared topics: {list}",
        "match_no_shared_topics": "No shared topics",
        "match_shared_languages": "Shared languages: {list}",
        "match_same_organisation": "Same organisation: −{penalty}",
        "match_rank": "For {name}: option {rank} of {count}",
        "match_kept_pairs": "Kept: tandem in pairs.csv, line {line}",
        "match_kept_lock": "Kept: matching.lock in programme.yml, line {line}",
        "match_kept_alternative": "Kept as it is.",
        "match_alternative_loss":
            "The best proposal without it scores {loss} less: {mentor} with {mentor_partner}, {mentee} with {mentee_partner}.",
        "match_alternative_tie":
            "An equally good proposal exists without it: {mentor} with {mentor_partner}, {mentee} with {mentee_partner}.",
        "match_alternative_fewer": "Without it, fewer people could have a tandem.",
        "match_alternative_unknown": "Not computed (pairs_per_person above 1 on a large roster).",
        "match_nobody": "nobody",
        "match_unmatched_title": "Without a tandem",
        "match_unmatched_outnumbered":
            "There are more {side} than {other_side}. Including {name} would lower the total by {loss}: {name} with {partner}, and {displaced} without a tandem instead.",
        "match_unmatched_tie":
            "There are more {side} than {other_side}. {name} was left out at a tie: an equally good proposal pairs {name} with {partner} and leaves {displaced} without a tandem instead.",
        "match_unmatched_none": "No possible {other}: {reasons}.",
        "match_unmatched_full": "All {count} possible {other_side} already have {limit} tandems in this proposal.",
        "match_excluded_organisation": "{count} from the same organisation",
        "match_excluded_language": "{count} without a shared language",
        "match_excluded_avoid": "{count} excluded by matching.avoid",
        "match_excluded_full": "{count} already in kept tandems",
        "match_excluded_nobody": "there is nobody on the other side",
        "match_reason_rank": "option {rank} of {count} for {id}",
        "match_reason_kept_pairs": "kept (pairs.csv line {line})",
        "match_reason_kept_lock": "kept (matching.lock, programme.yml line {line})",
        "match_reason_topics": "shared topics: {list}",
        "match_reason_no_topics": "no shared topics",
        "match_reason_languages": "shared languages: {list}",
        "match_reason_same_organisation": "same organisation (−{penalty})",
        "match_footer": "Made with Tandem (tandem match) from programme.yml and participants.csv. Internal – do not publish.",
        "match_build_note": "tandem build replaces the output folder's internal/ folder: run tandem match --report again after a build.",
    ]

    static let english = MatchText(UIStrings(values: englishValues, path: "built-in", language: "en"))
}

// MARK: - Output files

/// Turns a result into pairs.csv, the scores CSV, the report and the terminal summary.
struct MatchWriter {
    let problem: MatchProblem
    let input: MatchInput
    let result: MatchResult
    let strings: MatchText

    private func mentor(_ i: Int) -> Participant { problem.mentors[i] }
    private func mentee(_ i: Int) -> Participant { problem.mentees[i] }

    /// pairs.csv as SPEC.md defines it plus `score` and `reasons`; `id`, `started`, `goals`, `status` are kept from
    /// pairs.csv when it has them. Comma-separated, UTF-8 without BOM, LF.
    func pairsCSV() -> String {
        let carried = ["id", "started", "goals", "status"].filter { input.pairsColumns.contains($0) }
        var header = ["mentor", "mentee"]
        if carried.contains("id") { header.insert("id", at: 0) }
        header += carried.filter { $0 != "id" } + ["score", "reasons"]
        var rows = [header]
        for tandem in result.tandems {
            var values: [String: String] = [
                "mentor": mentor(tandem.mentor).id, "mentee": mentee(tandem.mentee).id,
                "score": MatchScoring.format(tandem.score.value), "reasons": reasons(tandem),
            ]
            if case .pairsFile(let existing)? = tandem.lock {
                values["id"] = existing.id == "\(existing.mentor)--\(existing.mentee)" ? "" : existing.id
                values["started"] = existing.started?.iso ?? ""
                values["goals"] = existing.goals.joined(separator: ";")
                values["status"] = existing.status.rawValue
            }
            rows.append(header.map { values[$0] ?? "" })
        }
        return CSVText.text(rows)
    }

    /// Every pair the proposal could contain, with the score the solver used: `mentor,mentee,score`, by mentor id
    /// then mentee id. Pairs a hard rule forbids, and pairs with someone whose kept tandems fill pairs_per_person,
    /// are absent.
    func scoresCSV() -> String {
        var rows = [["mentor", "mentee", "score"]]
        for m in problem.mentors.indices {
            for e in problem.mentees.indices where problem.listed(mentor: m, mentee: e) {
                rows.append([mentor(m).id, mentee(e).id, MatchScoring.format(problem.score(mentor: m, mentee: e).value)])
            }
        }
        return CSVText.text(rows)
    }

    /// The `reasons` cell: kept or not, shared topics and languages, the penalty, and each partner's rank.
    func reasons(_ tandem: ProposedTandem) -> String {
        var parts: [String] = []
        switch tandem.lock {
        case .pairsFile(let existing)?: parts.append(strings.format("match_reason_kept_pairs", ["line": String(existing.line)]))
        case .setting(let line)?: parts.append(strings.format("match_reason_kept_lock", ["line": line.map { String($0) } ?? "?"]))
        case nil: break
        }
        let score = tandem.score
        parts.append(
            score.sharedTopics.isEmpty
                ? strings["match_reason_no_topics"]
                : strings.format("match_reason_topics", ["list": score.sharedTopics.joined(separator: ", ")]))
        if !score.sharedLanguages.isEmpty {
            parts.append(strings.format("match_reason_languages", ["list": score.sharedLanguages.joined(separator: ", ")]))
        }
        if score.penalised {
            parts.append(
                strings.format("match_reason_same_organisation", ["penalty": MatchScoring.format(problem.weights.sameOrganisation)]))
        }
        parts.append(
            strings.format(
                "match_reason_rank",
                ["rank": String(tandem.mentorRank.rank), "count": String(tandem.mentorRank.options), "id": mentor(tandem.mentor).id]))
        parts.append(
            strings.format(
                "match_reason_rank",
                ["rank": String(tandem.menteeRank.rank), "count": String(tandem.menteeRank.options), "id": mentee(tandem.mentee).id]))
        return parts.joined(separator: "; ")
    }

    func exclusionText(_ excluded: Exclusions) -> String {
        var parts: [String] = []
        for (key, count) in [
            ("match_excluded_organisation", excluded.organisation), ("match_excluded_language", excluded.language),
            ("match_excluded_avoid", excluded.avoid), ("match_excluded_full", excluded.full),
        ] where count > 0 {
            parts.append(strings.format(key, ["count": String(count)]))
        }
        return parts.isEmpty ? strings["match_excluded_nobody"] : strings.list(parts)
    }

    private func name(_ role: Role, _ i: Int?) -> String {
        guard let i else { return strings["match_nobody"] }
        return problem.people(role)[i].name
    }

    func unmatchedReason(_ person: UnmatchedPerson) -> String {
        let other = person.role.counterpart
        switch person.reason {
        case .noOptions(let excluded):
            return strings.format("match_unmatched_none", ["other": strings.role(other), "reasons": exclusionText(excluded)])
        case .outnumbered(let loss, let partner, let displaced):
            return strings.format(
                loss == 0 ? "match_unmatched_tie" : "match_unmatched_outnumbered",
                [
                    "side": strings.role(person.role, plural: true), "other_side": strings.role(other, plural: true),
                    "name": name(person.role, person.index), "loss": strings.score(loss), "partner": name(other, partner),
                    "displaced": name(person.role, displaced),
                ])
        case .partnersFull(let options):
            return strings.format(
                "match_unmatched_full",
                ["count": String(options), "other_side": strings.role(other, plural: true), "limit": String(problem.perPerson)])
        }
    }

    /// Lines for the terminal.
    func summary() -> [String] {
        let kept = result.tandems.filter { $0.lock != nil }.count
        var lines = [
            "Proposed \(result.tandems.count - kept) new tandem\(result.tandems.count - kept == 1 ? "" : "s") and kept \(kept): \(result.tandems.count) in total, total score \(MatchScoring.format(result.total))"
        ]
        if result.unmatched.isEmpty {
            lines.append("Everyone has a tandem.")
        } else {
            lines.append("\(result.unmatched.count) without a tandem:")
            for person in result.unmatched {
                let p = problem.people(person.role)[person.index]
                lines.append("  \(person.role.rawValue) \(p.id) (\(p.name)): \(unmatchedReason(person))")
            }
        }
        return lines
    }

    // MARK: The report

    func reportHTML(theme: Theme, language: String, diagnostics: inout Diagnostics) -> String? {
        let programme = input.programme
        let kept = result.tandems.filter { $0.lock != nil }.count
        let weights = problem.weights
        var formula = strings.format(
            "match_formula", ["topics": strings.score(weights.topics), "languages": strings.score(weights.languages)])
        if problem.rule == .preferred {
            formula += " " + strings.format("match_formula_penalty", ["penalty": strings.score(weights.sameOrganisation)])
        }
        var rules: [String] = []
        switch problem.rule {
        case .required: rules.append(strings["match_rule_required"])
        case .preferred: rules.append(strings.format("match_rule_preferred", ["penalty": strings.score(weights.sameOrganisation)]))
        case .off: rules.append(strings["match_rule_off"])
        }
        rules.append(strings["match_rule_languages"])
        rules.append(strings.format("match_rule_per_person", ["count": String(problem.perPerson)]))
        rules.append(strings.format("match_rule_avoid", ["count": String(programme.matching.avoid.count)]))
        rules.append(strings.format("match_rule_kept", ["count": String(kept)]))
        let context = MatchPage(
            lang: language, t: strings.strings.template,
            site: MatchSiteInfo(title: programme.title.text(in: language), organiser: programme.organiser.text(in: language)),
            summary: strings.format(
                "match_summary",
                [
                    "tandems": String(result.tandems.count), "kept": String(kept), "proposed": String(result.tandems.count - kept),
                    "total": strings.score(result.total),
                ]),
            unmatched_summary: result.unmatched.isEmpty
                ? strings["match_summary_everyone"] : strings.format("match_summary_unmatched", ["count": String(result.unmatched.count)]),
            formula: formula, rules: rules, tandems: result.tandems.map(tandemContext), has_unmatched: !result.unmatched.isEmpty,
            unmatched: result.unmatched.map { person in
                let p = problem.people(person.role)[person.index]
                return UnmatchedItem(
                    name: p.name, id: p.id, organisation: p.organisation, role: strings.role(person.role), reason: unmatchedReason(person))
            })
        // Rendered like every HTML output: an e-mail address typed into a name or organisation does not reach the page.
        guard theme.requireTemplate("matching", diagnostics: &diagnostics) else { return nil }
        return String(decoding: theme.render("matching", context), as: UTF8.self)
    }

    private func personContext(_ p: Participant) -> MatchPerson {
        MatchPerson(name: p.name, id: p.id, organisation: p.organisation, position: p.position)
    }

    private func tandemContext(_ tandem: ProposedTandem) -> MatchTandemItem {
        let m = mentor(tandem.mentor)
        let e = mentee(tandem.mentee)
        let score = tandem.score
        var why: [String] = []
        why.append(
            score.sharedTopics.isEmpty
                ? strings["match_no_shared_topics"] : strings.format("match_shared_topics", ["list": strings.list(score.sharedTopics)]))
        if !score.sharedLanguages.isEmpty {
            why.append(strings.format("match_shared_languages", ["list": strings.list(score.sharedLanguages)]))
        }
        if score.penalised {
            why.append(strings.format("match_same_organisation", ["penalty": strings.score(problem.weights.sameOrganisation)]))
        }
        let ranks = [
            strings.format(
                "match_rank", ["name": m.name, "rank": String(tandem.mentorRank.rank), "count": String(tandem.mentorRank.options)]),
            strings.format(
                "match_rank", ["name": e.name, "rank": String(tandem.menteeRank.rank), "count": String(tandem.menteeRank.options)]),
        ]
        var kept: String?
        switch tandem.lock {
        case .pairsFile(let existing)?: kept = strings.format("match_kept_pairs", ["line": String(existing.line)])
        case .setting(let line)?: kept = strings.format("match_kept_lock", ["line": line.map { String($0) } ?? "?"])
        case nil: break
        }
        var alternative = ""
        switch tandem.alternative {
        case .loss(let loss, let mentorPartner, let menteePartner)?:
            alternative = strings.format(
                loss == 0 ? "match_alternative_tie" : "match_alternative_loss",
                [
                    "loss": strings.score(loss), "mentor": m.name, "mentor_partner": name(.mentee, mentorPartner), "mentee": e.name,
                    "mentee_partner": name(.mentor, menteePartner),
                ])
        case .fewerTandems?: alternative = strings["match_alternative_fewer"]
        case .notComputed?: alternative = strings["match_alternative_unknown"]
        case nil: alternative = tandem.lock == nil ? "" : strings["match_kept_alternative"]
        }
        return MatchTandemItem(
            mentor: personContext(m), mentee: personContext(e), score: strings.score(score.value), why: why, ranks: ranks, kept: kept,
            alternative: alternative, penalised: score.penalised)
    }
}

/// Comma-separated values as the proposal files use them: quotes only where needed, LF line ends, no BOM.
enum CSVText {
    static func text(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func field(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" })
            || value.first?.isWhitespace == true || value.last?.isWhitespace == true
        {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
