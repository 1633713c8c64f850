// The typed context of the matching report (Templates/internal/matching.mustache), written by `tandem match --report`.
// Property names are the names the template uses. Internal: names, organisations and topics, never an e-mail
// address (the page is rendered with e-mail scrubbing like every HTML output).

/// internal: matching.mustache
struct MatchPage: TemplateContext {
    let lang: String
    /// The UI strings of the programme's language (`{{t.match_title}}`); built-in English without a theme's.
    let t: TemplateValue
    let site: MatchSiteInfo
    /// "12 tandems: 2 kept, 10 proposed. Total score 31.5."
    let summary: String
    /// Who is left without a tandem, or that everyone has one.
    let unmatched_summary: String
    /// How a pair's score is computed, with this programme's weights.
    let formula: String
    /// The rules the proposal keeps.
    let rules: [String]
    /// The proposal, kept tandems first.
    let tandems: [MatchTandemItem]
    /// Someone is left without a tandem.
    let has_unmatched: Bool
    /// Everyone left without a tandem, with the reason.
    let unmatched: [UnmatchedItem]
}

/// The programme as the matching report's header shows it.
struct MatchSiteInfo: TemplateContext {
    let title: String
    let organiser: String
}

/// A member of a proposed tandem.
struct MatchPerson: TemplateContext {
    let name: String
    let id: String
    let organisation: String
    /// False when not recorded.
    let position: String?
}

/// A proposed (or kept) tandem with the reasons for it.
struct MatchTandemItem: TemplateContext {
    let mentor: MatchPerson
    let mentee: MatchPerson
    /// The pair's score with the language's decimal separator.
    let score: String
    /// Shared topics and languages, the same-organisation penalty.
    let why: [String]
    /// Where each partner stands among their own options.
    let ranks: [String]
    /// Where the tandem was kept from (pairs.csv or matching.lock); false for a new proposal.
    let kept: String?
    /// What the best proposal without this tandem would look like; empty when not computed.
    let alternative: String
    /// Both are from the same organisation (score lowered).
    let penalised: Bool
}

/// Someone left without a tandem, with the reason.
struct UnmatchedItem: TemplateContext {
    let name: String
    let id: String
    let organisation: String
    /// `mentor` or `mentee` in the report's language.
    let role: String
    let reason: String
}
