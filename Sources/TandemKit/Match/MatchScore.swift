import Foundation

/// The match score of a mentor–mentee pair:
///
///     score = weights.topics    × (topics both list)
///           + weights.languages × (languages both list)
///           − weights.same_organisation × (1 when both are from the same organisation and
///                                          rules.cross_organisation is `preferred`, else 0)
///
/// Defaults: topics 1, languages 0.5, same_organisation 2. Topics are compared ignoring case and surrounding
/// or repeated spaces; organisations like the build compares them. Weights are rounded to millionths and
/// scores are computed in whole millionths (`Int64`), so every sum is exact and the score printed with up
/// to six decimals is exactly the score the solver used.
public struct MatchWeights: Sendable, Equatable {
    /// In millionths.
    public var topics: Int64 = 1_000_000
    public var languages: Int64 = 500_000
    public var sameOrganisation: Int64 = 2_000_000

    public static let keys = ["topics", "languages", "same_organisation"]
    /// Weights are capped so that sums of a few thousand scores stay far inside exact `Double` integers.
    static let maximum = 1000.0

    public init() {}

    /// The weights of `matching.weights`; unknown keys are warnings, values above `maximum` errors.
    static func read(_ settings: ProgrammeSettings, yaml: YAMLValue?, diagnostics: inout Diagnostics) -> MatchWeights {
        var weights = MatchWeights()
        let lines = SettingsLines(yaml)
        for (key, value) in settings.matching.weights.sorted(by: { $0.key < $1.key }) {
            let place = lines.place(["matching", "weights", key])
            guard value <= maximum else {
                diagnostics.error(place.path, line: place.line, "matching.weights.\(key) must be at most \(Int(maximum)), found \(value)")
                continue
            }
            let micro = Int64((value * 1_000_000).rounded())
            switch key {
            case "topics": weights.topics = micro
            case "languages": weights.languages = micro
            case "same_organisation": weights.sameOrganisation = micro
            default:
                diagnostics.warning(
                    place.path, line: place.line,
                    "unknown weight 'matching.weights.\(key)' is ignored (tandem match knows \(keys.joined(separator: ", ")))")
            }
        }
        return weights
    }
}

/// Why a pair may not be proposed (a hard rule), in the order explanations name them.
enum PairBlock: Int, Sendable, Comparable, CaseIterable {
    /// Both from the same organisation and `rules.cross_organisation: required`.
    case organisation
    /// Both list languages, none in common.
    case language
    /// Listed in `matching.avoid`.
    case avoid

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Score parts of one pair, for the solver, the CSV files and the report.
struct PairScore: Sendable {
    /// In millionths.
    var value: Int64
    /// The mentee's spelling, in the mentee's order.
    var sharedTopics: [String]
    var sharedLanguages: [String]
    var sameOrganisation: Bool
    /// The same-organisation penalty was subtracted (`preferred`).
    var penalised: Bool
    /// The first hard rule the pair breaks, nil when it may be proposed.
    var block: PairBlock?
}

enum MatchScoring {
    /// Topics and organisations compare as everywhere else (`TextKey`).
    static func key(_ text: String) -> String { TextKey.of(text) }

    static func score(
        mentor: Participant, mentee: Participant, weights: MatchWeights, rule: CrossOrganisationRule, avoided: Bool
    ) -> PairScore {
        let sharedTopics = TextKey.shared(mentee.topics, with: mentor.topics)
        let sharedLanguages = mentee.languages.filter { mentor.languages.contains($0) }
        let sameOrganisation = key(mentor.organisation) == key(mentee.organisation)
        let penalised = sameOrganisation && rule == .preferred
        var value = weights.topics * Int64(sharedTopics.count) + weights.languages * Int64(sharedLanguages.count)
        if penalised { value -= weights.sameOrganisation }
        var block: PairBlock?
        if sameOrganisation && rule == .required {
            block = .organisation
        } else if !mentor.languages.isEmpty && !mentee.languages.isEmpty && sharedLanguages.isEmpty {
            block = .language
        } else if avoided {
            block = .avoid
        }
        return PairScore(
            value: value, sharedTopics: sharedTopics, sharedLanguages: sharedLanguages, sameOrganisation: sameOrganisation,
            penalised: penalised, block: block)
    }

    /// Millionths as a decimal with up to six places and no trailing zeros: 2500000 → "2.5", -1000000 → "-1".
    static func format(_ micro: Int64) -> String {
        let negative = micro < 0
        let magnitude = micro.magnitude
        let whole = magnitude / 1_000_000
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}

/// Where keys of programme.yml are, for messages about settings that `ProgrammeSettings` keeps without lines.
struct SettingsLines {
    let yaml: YAMLValue?

    init(_ yaml: YAMLValue?) { self.yaml = yaml }

    var path: String { yaml?.path ?? "programme.yml" }

    /// The line of the value of `keys` (a path of mapping keys), or the deepest key found on the way.
    func line(_ keys: [String]) -> Int? {
        var value = yaml
        var line: Int?
        for key in keys {
            guard let entry = value?.entries?.first(where: { $0.key == key }) else { return line }
            line = entry.keyLine
            value = entry.value
        }
        return line
    }

    /// Like `line`, but nil when the key itself is not written (a default applies).
    func exactLine(_ keys: [String]) -> Int? {
        var value = yaml
        var line: Int?
        for key in keys {
            guard let entry = value?.entries?.first(where: { $0.key == key }) else { return nil }
            line = entry.keyLine
            value = entry.value
        }
        return line
    }

    func place(_ keys: [String]) -> (path: String, line: Int?) { (path, line(keys)) }
}
