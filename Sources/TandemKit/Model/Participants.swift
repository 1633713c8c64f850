/// A link a participant shows on their profile.
public struct ProfileLink: Sendable {
    public var title: String
    public var url: String
}

/// The optional profile text of a participant (profiles/<id>.md).
public struct Profile: Sendable {
    public var quote: String?
    public var links: [ProfileLink]
    public var body: RenderedMarkdown
    /// Translations by language code (profiles/<id>.<lang>.md).
    public var translations: [String: Profile] = [:]
}

/// The `gender` column: used only to choose a grammatical role label ("Mentorin", "Mentor"); nil is the neutral form.
public enum Gender: String, Sendable, CaseIterable {
    case female = "f"
    case male = "m"
}

/// One person of the roster.
public struct Participant: Sendable {
    public var id: String
    public var name: String
    public var role: Role
    public var organisation: String
    public var position: String?
    /// Private: never written to site/ or print/.
    public var email: String?
    public var languages: [String]
    public var topics: [String]
    /// Consent to appear on the public site and in handouts.
    public var publish: Bool
    /// Path below Content/assets/.
    public var photo: String?
    /// Grammatical gender for role labels; nil (empty cell) means the neutral form.
    public var gender: Gender? = nil
    public var profile: Profile?
    /// Row in participants.csv.
    public var line: Int

    /// The announcement e-mail can be addressed to this person as the address stands.
    public var canReceiveMail: Bool { email.map { !$0.isEmpty && MIME.isSendable($0) } ?? false }
}

/// Where a tandem stands.
public enum TandemStatus: String, Sendable, CaseIterable {
    case active, completed, ended
}

/// A tandem's public portrait (tandems/<tandem-id>.md), shown only when the tandem is public.
public struct TandemPortrait: Sendable {
    /// One line the tandem wants shown.
    public var quote: String?
    /// A joint photo, as a path below Content/assets/ (checked to exist).
    public var photo: String?
    /// The text, e-mail addresses removed (public text).
    public var body: RenderedMarkdown
    /// Translations by language code (tandems/<id>.<lang>.md).
    public var translations: [String: TandemPortrait] = [:]
}

/// A mentor and a mentee working together.
public struct Tandem: Sendable {
    public var id: String
    public var mentor: String
    public var mentee: String
    public var started: Day?
    public var goals: [String]
    public var status: TandemStatus
    /// The portrait from tandems/<id>.md, if there is one.
    public var portrait: TandemPortrait? = nil
    public var line: Int
}

/// How a meeting took place.
public enum MeetingFormat: String, Sendable, CaseIterable {
    case inPerson = "in-person"
    case video, phone
}

/// One row of the meeting log.
public struct Meeting: Sendable {
    public var tandem: String
    public var date: Day
    public var minutes: Int?
    public var format: MeetingFormat?
    public var topics: [String]
    /// Private: internal report only.
    public var note: String?
    public var line: Int
}

/// The feedback round a response belongs to.
public enum FeedbackPhase: String, Sendable, CaseIterable {
    case kickoff, midterm, final
}

/// Who may see a feedback entry's text.
public enum FeedbackShare: String, Sendable, CaseIterable {
    /// Counts only in aggregates.
    case `private`
    /// Text may appear without attribution in the internal report.
    case anonymous
    /// Text may also appear on the public site and in handouts, attributed to the role only.
    case quote
}

/// One feedback response of a tandem member.
public struct FeedbackEntry: Sendable {
    public var path: String
    public var tandem: String
    public var author: Role
    public var phase: FeedbackPhase
    public var date: Day?
    public var ratings: [String: Int]
    public var share: FeedbackShare
    public var body: RenderedMarkdown
}

/// A free page of the site (about, FAQ ...).
public struct Page: Sendable {
    public var path: String
    public var slug: String
    public var title: String
    public var order: Int?
    /// `footer: true`: linked from the footer (imprint, privacy notice) instead of the menu.
    public var footer: Bool = false
    public var body: RenderedMarkdown
    /// Translations by language code (pages/<slug>.<lang>.md).
    public var translations: [String: Page] = [:]
}
