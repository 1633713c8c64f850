/// A text that may exist in several languages (`{de: ..., fr: ...}` in programme.yml); plain strings are the main language's.
public struct LocalizedText: Sendable, Hashable {
    public var values: [String: String]
    public let main: String

    /// The text in `language`, falling back to the main language (then to any translation).
    public func text(in language: String) -> String {
        values[language] ?? values[main] ?? values.sorted { $0.key < $1.key }.first?.value ?? ""
    }

    /// The language the text for `language` is actually written in.
    public func language(for language: String) -> String {
        values[language] != nil ? language : (values[main] != nil ? main : values.keys.sorted().first ?? main)
    }
}

/// The site languages Tandem knows UI strings and date formats for.
public let supportedLanguages = ["de", "fr", "it", "en"]

/// The mentoring role: the younger colleague who teaches (`mentor`) or the senior leader who learns (`mentee`).
public enum Role: String, Sendable, CaseIterable {
    case mentor, mentee
}

/// How strictly mentors and mentees must come from different organisations.
public enum CrossOrganisationRule: String, Sendable {
    case required, preferred, off
}

/// The rules block of programme.yml.
public struct ProgrammeRules: Sendable {
    public var crossOrganisation: CrossOrganisationRule = .required
    public var pairsPerPerson = 1
    public var inactivityDays = 30
}

/// The programme office: sender of announcement e-mails; shown on the site and in handouts unless `public: no`.
public struct Contact: Sendable {
    /// The name in the main language (`names` holds every translation).
    public var name: String
    /// The name per language (`name: {de: ..., fr: ...}`); a plain string is the main language's.
    public var names: LocalizedText
    /// Required by SPEC v2; only nil in a model built by code.
    public var email: String?
    /// Digits, spaces, `+`, parentheses, hyphens and slashes, as written.
    public var phone: String?
    /// An http(s) URL without user info.
    public var url: String?
    /// `public: no` keeps the whole contact (name, e-mail, phone, url) off the site and the handouts.
    public var isPublic: Bool

    /// The sender address of announcement e-mails when the programme office has none Tandem can use.
    public static let fallbackSender = "programme-office@tandem.invalid"

    /// The address can go into a From header as it is.
    public var canSendMail: Bool { email.map(MIME.isSendable) ?? false }

    public init(
        name: String, names: LocalizedText? = nil, email: String?, phone: String? = nil, url: String? = nil, isPublic: Bool = true
    ) {
        self.name = name
        self.names = names ?? LocalizedText(values: ["de": name], main: "de")
        self.email = email
        self.phone = phone
        self.url = url
        self.isPublic = isPublic
    }
}

/// A wall-clock time of day, 24 h (`HH:MM`), in the programme's `timezone`.
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    /// Minutes since midnight.
    public var minutes: Int { hour * 60 + minute }
    /// `HH:MM` with two digits each.
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
}

/// A time (`HH:MM`) or a time range (`HH:MM-HH:MM`, the end after the start) on a milestone's day.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public var start: ClockTime
    /// Nil when only a start time is given.
    public var end: ClockTime?

    /// `HH:MM` or `HH:MM-HH:MM`, normalised to two-digit hours.
    public var description: String { end.map { "\(start)-\($0)" } ?? start.description }
}

/// One item of a milestone's programme (`agenda`).
public struct AgendaItem: Sendable {
    public var time: TimeRange
    public var title: LocalizedText
    public var speaker: LocalizedText?
}

/// A date in the programme's calendar: kick-off, mid-term review, symposium ...
public struct Milestone: Sendable {
    public var date: Day
    public var title: LocalizedText
    /// Local time in `Programme.timezone`; nil for an all-day date.
    public var time: TimeRange? = nil
    /// The venue's name (e.g. "Kornhausforum").
    public var location: LocalizedText?
    /// The venue's postal address; may span several lines.
    public var address: LocalizedText? = nil
    /// A registration or details link (http or https).
    public var url: String? = nil
    public var description: LocalizedText?
    /// The programme of the day, in file order.
    public var agenda: [AgendaItem] = []
    /// Position in programme.yml, used to keep milestones on the same day in file order.
    public var index: Int
}

/// A feedback question: its id (the key in a feedback entry's `ratings`) and its text.
public struct FeedbackQuestion: Sendable {
    public var id: String
    public var text: LocalizedText
}

/// A mentor–mentee pair named in `matching.lock` or `matching.avoid`.
public struct PairPreference: Sendable, Hashable {
    public var mentor: String
    public var mentee: String
}

/// Settings for `tandem match`.
public struct MatchingSettings: Sendable {
    public var weights: [String: Double] = [:]
    public var lock: [PairPreference] = []
    public var avoid: [PairPreference] = []
}

/// The validated programme: settings from programme.yml plus roster, tandems, meetings, feedback and pages.
/// Immutable once built; every stage after validation only reads it.
public struct Programme: Sendable {
    public var title: LocalizedText
    public var organiser: LocalizedText
    public var language: String
    public var languages: [String]
    /// Always ends with `/` when set.
    public var baseURL: String?
    public var start: Day
    public var end: Day
    public var rules: ProgrammeRules
    public var contact: Contact?
    public var matching: MatchingSettings
    public var anonymityThreshold: Int
    public var milestones: [Milestone]
    /// IANA zone of milestone times (`Europe/Zurich` unless programme.yml says otherwise).
    public var timezone: String
    public var referenceDate: Day
    public var feedbackScale: Int
    public var questions: [FeedbackQuestion]
    /// The handout's paper format and the milestone it presents as the symposium (`print:` in programme.yml).
    public var print: PrintSettings

    public var participants: [Participant]
    public var tandems: [Tandem]
    public var meetings: [Meeting]
    public var feedback: [FeedbackEntry]
    public var pages: [Page]
    /// Files below Content/assets/, relative to it.
    public var assets: [String]
    /// The content folder, for copying assets.
    public var contentRoot: String

    /// Who and what may be published: every public output reads this, none decides for itself.
    public private(set) var publicView: PublicProgramme
    /// Every figure the outputs show, computed once.
    public private(set) var figures: ProgrammeFigures

    let participantIndex: [String: Int]
    let tandemIndex: [String: Int]
    /// Positions in `tandems` per participant id, and in `meetings` per tandem id (so lookups are not linear scans).
    let tandemsByParticipant: [String: [Int]]
    let meetingsByTandem: [String: [Int]]

    init(
        settings: ProgrammeSettings, start: Day, end: Day, referenceDate: Day, participants: [Participant], tandems: [Tandem],
        meetings: [Meeting],
        feedback: [FeedbackEntry], pages: [Page], assets: [String], contentRoot: String
    ) {
        title = settings.title
        organiser = settings.organiser
        language = settings.language
        languages = settings.languages
        baseURL = settings.baseURL
        self.start = start
        self.end = end
        rules = settings.rules
        contact = settings.contact
        matching = settings.matching
        anonymityThreshold = settings.anonymityThreshold
        milestones = settings.milestones
        timezone = settings.timezone
        self.referenceDate = referenceDate
        feedbackScale = settings.feedbackScale
        questions = settings.questions
        print = settings.print
        self.participants = participants
        self.tandems = tandems
        self.meetings = meetings
        self.feedback = feedback
        self.pages = pages
        self.assets = assets
        self.contentRoot = contentRoot
        participantIndex = Dictionary(participants.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        tandemIndex = Dictionary(tandems.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byParticipant: [String: [Int]] = [:]
        for (i, tandem) in tandems.enumerated() {
            byParticipant[tandem.mentor, default: []].append(i)
            if tandem.mentee != tandem.mentor { byParticipant[tandem.mentee, default: []].append(i) }
        }
        tandemsByParticipant = byParticipant
        var byTandem: [String: [Int]] = [:]
        for (i, meeting) in meetings.enumerated() { byTandem[meeting.tandem, default: []].append(i) }
        meetingsByTandem = byTandem
        let index = participantIndex
        publicView = PublicProgramme(participants: participants, tandems: tandems, feedback: feedback) { id in
            index[id].map { participants[$0] }
        }
        // The figures read the finished programme: a placeholder first, so that `self` is complete.
        figures = .placeholder
        figures = ProgrammeFigures(self)
    }

    public func participant(_ id: String) -> Participant? { participantIndex[id].map { participants[$0] } }
    public func tandem(_ id: String) -> Tandem? { tandemIndex[id].map { tandems[$0] } }

    /// A tandem may appear in public output only when both members agreed to publication.
    public func isPublic(_ tandem: Tandem) -> Bool { publicView.tandem(tandem.id) != nil }

    /// The tandems a participant belongs to, in pairs.csv order.
    public func tandems(of participantID: String) -> [Tandem] {
        (tandemsByParticipant[participantID] ?? []).map { tandems[$0] }
    }

    /// The meetings of a tandem, in meetings.csv order.
    public func meetings(of tandemID: String) -> [Meeting] { (meetingsByTandem[tandemID] ?? []).map { meetings[$0] } }
}
