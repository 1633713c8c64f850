/// Figures for the internal report and the public "programme in numbers": meeting activity per tandem
/// (relative to the programme's reference date, never the clock) and k-anonymous feedback aggregates.

// MARK: Meetings and tandem health

/// The one verdict on a tandem on the reference date, with its reason as data; the report words it.
///
/// An active tandem is `inactive` when its last meeting (without one: its start) lies more than `rules.inactivity_days`
/// before the reference date; otherwise it `needsAttention` when it had fewer meetings than one per full
/// `inactivity_days` period since its start; otherwise it is `onTrack`. A completed or ended tandem is judged by its
/// status alone. One value, so the report can never call a tandem active, inactive and at cadence at once.
public struct TandemVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Active, and no meeting for longer than the inactivity limit.
        case inactive
        /// Active and meeting recently, but fewer meetings than the cadence expects by now.
        case needsAttention = "needs-attention"
        /// Active, meeting at the cadence (or started too recently for a meeting to be expected).
        case onTrack = "on-track"
        /// `status: completed`.
        case completed
        /// `status: ended`.
        case ended

        /// The programme manager should act on it.
        public var needsAction: Bool { self == .inactive || self == .needsAttention }
    }

    public let kind: Kind
    /// Meetings on or before the reference date.
    public let meetings: Int
    /// The meetings the cadence expects by now: one per full `inactivity_days` period from the start to the reference date
    /// (for a completed tandem: to its last meeting). 0 for a tandem younger than one period.
    public let expectedMeetings: Int
    /// Days from the tandem's start to the reference date; nil when it starts after the reference date.
    public let daysSinceStart: Int?
    /// Days from the last meeting (without one: from the start) to the reference date; nil when that lies after it.
    public let daysSinceLastMeeting: Int?
    /// The last meeting on or before the reference date.
    public let lastMeeting: Day?
    /// Where the tandem's clock starts: `started`, else its first meeting, else the programme's start.
    public let start: Day
    /// `rules.inactivity_days`, the limit both rules are measured against.
    public let limitDays: Int

    init(status: TandemStatus, meetings: Int, lastMeeting: Day?, start: Day, reference: Day, limitDays: Int) {
        self.meetings = meetings
        self.lastMeeting = lastMeeting
        self.start = start
        self.limitDays = limitDays
        let limit = max(1, limitDays)
        daysSinceStart = start <= reference ? start.days(until: reference) : nil
        let since = lastMeeting ?? start
        daysSinceLastMeeting = since <= reference ? since.days(until: reference) : nil
        let spanEnd = status == .completed ? (lastMeeting ?? reference) : reference
        expectedMeetings = start <= spanEnd ? start.days(until: spanEnd) / limit : 0
        switch status {
        case .completed: kind = .completed
        case .ended: kind = .ended
        case .active:
            if let silent = daysSinceLastMeeting, silent > limit {
                kind = .inactive
            } else if meetings < expectedMeetings {
                kind = .needsAttention
            } else {
                kind = .onTrack
            }
        }
    }
}

/// How one tandem is doing on the reference date.
struct TandemHealth: Sendable {
    let tandem: Tandem
    /// Meetings on or before the reference date, by date (then file order).
    let meetings: [Meeting]
    /// Sum of the recorded durations.
    let minutes: Int
    /// The one verdict, with its reason as data.
    let verdict: TandemVerdict

    init(tandem: Tandem, meetings all: [Meeting], programme: Programme) {
        let reference = programme.referenceDate
        self.tandem = tandem
        meetings = all.filter { $0.date <= reference }.sorted { ($0.date, $0.line) < ($1.date, $1.line) }
        minutes = meetings.reduce(0) { $0 + ($1.minutes ?? 0) }
        verdict = TandemVerdict(
            status: tandem.status, meetings: meetings.count, lastMeeting: meetings.last?.date,
            start: tandem.started ?? meetings.first?.date ?? programme.start, reference: reference,
            limitDays: programme.rules.inactivityDays)
    }
}

/// Meeting figures of the whole programme, counting only meetings on or before the reference date.
struct MeetingStatistics: Sendable {
    struct Month: Sendable {
        let year: Int
        let month: Int
        var meetings = 0
        var minutes = 0
    }

    struct Topic: Sendable {
        let name: String
        var meetings: Int
    }

    let health: [TandemHealth]
    /// Tandems per verdict kind.
    let verdictCounts: [TandemVerdict.Kind: Int]
    let meetings: [Meeting]
    /// Meetings in the log dated after the reference date (not counted anywhere).
    let laterMeetings: Int
    let minutes: Int
    let meetingsWithoutMinutes: Int
    let months: [Month]
    /// Per format (nil: not recorded), in `MeetingFormat.allCases` order, then "not recorded".
    let formats: [(format: MeetingFormat?, meetings: Int, minutes: Int)]
    /// Topics by number of meetings (descending), then name; spelled as first seen in the log.
    let topics: [Topic]

    init(_ programme: Programme) {
        let reference = programme.referenceDate
        var byTandem: [String: [Meeting]] = [:]
        for meeting in programme.meetings { byTandem[meeting.tandem, default: []].append(meeting) }
        health = programme.tandems.map { TandemHealth(tandem: $0, meetings: byTandem[$0.id] ?? [], programme: programme) }
        var counts: [TandemVerdict.Kind: Int] = [:]
        for item in health { counts[item.verdict.kind, default: 0] += 1 }
        verdictCounts = counts
        meetings = programme.meetings.filter { $0.date <= reference }
        laterMeetings = programme.meetings.count - meetings.count
        minutes = meetings.reduce(0) { $0 + ($1.minutes ?? 0) }
        meetingsWithoutMinutes = meetings.filter { $0.minutes == nil }.count

        // Every month from the programme's start to the reference date (or the end, whichever is earlier).
        let last = min(reference, programme.end)
        var months: [Month] = []
        var (year, month) = (programme.start.year, programme.start.month)
        while (year, month) <= (last.year, last.month) {
            months.append(Month(year: year, month: month))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        for meeting in meetings {
            if let index = months.firstIndex(where: { $0.year == meeting.date.year && $0.month == meeting.date.month }) {
                months[index].meetings += 1
                months[index].minutes += meeting.minutes ?? 0
            }
        }
        self.months = months

        var formats: [(format: MeetingFormat?, meetings: Int, minutes: Int)] = []
        for format in MeetingFormat.allCases as [MeetingFormat?] + [nil] {
            let these = meetings.filter { $0.format == format }
            if format != nil || !these.isEmpty {
                formats.append((format, these.count, these.reduce(0) { $0 + ($1.minutes ?? 0) }))
            }
        }
        self.formats = formats

        var topics: [Topic] = []
        var index: [String: Int] = [:]
        // The log repeats a small set of topics: each spelling is normalised once.
        var keys: [String: String] = [:]
        func key(_ topic: String) -> String {
            if let known = keys[topic] { return known }
            let normalised = TextKey.of(topic)
            keys[topic] = normalised
            return normalised
        }
        let all = programme.meetings
        for m in all.indices.sorted(by: { all[$0].line < all[$1].line }) where all[m].date <= reference {
            let spellings = all[m].topics
            for topicKey in Set(spellings.map(key)).sorted() {
                guard !topicKey.isEmpty else { continue }
                if let i = index[topicKey] {
                    topics[i].meetings += 1
                } else {
                    index[topicKey] = topics.count
                    let name = spellings.first { key($0) == topicKey } ?? topicKey
                    topics.append(Topic(name: name, meetings: 1))
                }
            }
        }
        self.topics = topics.map { (topic: $0, key: key($0.name)) }
            .sorted { ($1.topic.meetings, $0.key) < ($0.topic.meetings, $1.key) }
            .map(\.topic)
    }

    /// Tandems per verdict (every kind present, 0 when none).
    func count(_ kind: TandemVerdict.Kind) -> Int { verdictCounts[kind] ?? 0 }
}

// MARK: Feedback, k-anonymous

/// Why a feedback aggregate is (not) shown.
enum CellStatus: String, Sendable {
    /// At least k distinct people stand behind it.
    case shown
    /// Nobody answered: there is nothing to hide.
    case empty
    /// Primary suppression: fewer than k distinct people.
    case fewerThanK = "fewer-than-k"
    /// Complementary suppression: shown, it would let a suppressed sibling be worked out from the total.
    case complementary
}

/// The responses behind one aggregate: the distinct people (participant ids) and their ratings.
struct FeedbackCell: Sendable {
    var people: Set<String> = []
    /// One rating per response (a person who answered twice in a phase counts once in `people`, twice here).
    var ratings: [Int] = []
    var status = CellStatus.empty

    var isShown: Bool { status == .shown }
    var sum: Int { ratings.reduce(0, +) }

    /// The mean times ten, rounded half up: 4.25 → 43 (one decimal, no floating point, so every machine agrees).
    var meanTenths: Int? {
        guard !ratings.isEmpty else { return nil }
        return (20 * sum + ratings.count) / (2 * ratings.count)
    }

    /// Responses per rating value 1...scale.
    func distribution(scale: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: scale)
        for rating in ratings where (1...scale).contains(rating) { counts[rating - 1] += 1 }
        return counts
    }

    static func + (a: FeedbackCell, b: FeedbackCell) -> FeedbackCell {
        FeedbackCell(people: a.people.union(b.people), ratings: a.ratings + b.ratings)
    }
}

/// The cells of one phase × question (or the respondents of one phase): one per role and their total.
/// Suppression is decided for the whole group, because the total links the roles.
struct FeedbackGroup: Sendable {
    var roles: [Role: FeedbackCell]
    var total: FeedbackCell

    init(roles: [Role: FeedbackCell], k: Int) {
        var roles = roles
        for role in Role.allCases where roles[role] == nil { roles[role] = FeedbackCell() }
        self.roles = roles
        total = Role.allCases.reduce(FeedbackCell()) { $0 + roles[$1]! }
        suppress(k: k)
    }

    subscript(role: Role) -> FeedbackCell { roles[role] ?? FeedbackCell() }

    /// Primary suppression: a cell with fewer than k distinct people is hidden.
    /// Complementary suppression: the total is the sum of the role cells, so when the total is shown and exactly one
    /// role cell is hidden, the smallest shown role cell is hidden too (or, with none to hide, the total);
    /// otherwise "total minus the shown roles" would reveal the hidden cell.
    private mutating func suppress(k: Int) {
        func primary(_ cell: inout FeedbackCell) {
            cell.status = cell.people.isEmpty ? .empty : (cell.people.count < k ? .fewerThanK : .shown)
        }
        for role in Role.allCases { primary(&roles[role]!) }
        primary(&total)
        guard total.status == .shown else { return }
        let hidden = Role.allCases.filter { roles[$0]!.status == .fewerThanK || roles[$0]!.status == .complementary }
        guard hidden.count == 1 else { return }
        let candidates = Role.allCases.enumerated().filter { roles[$0.element]!.status == .shown }
            .sorted { (roles[$0.element]!.people.count, $0.offset) < (roles[$1.element]!.people.count, $1.offset) }
        if let smallest = candidates.first?.element {
            roles[smallest]!.status = .complementary
        } else {
            total.status = .complementary
        }
    }

    /// Every cell of the group, roles first.
    var cells: [FeedbackCell] { Role.allCases.map { self[$0] } + [total] }
}

/// The feedback of one phase.
struct PhaseFeedback: Sendable {
    let phase: FeedbackPhase
    /// Who answered at all in this phase (any entry, with or without ratings).
    let respondents: FeedbackGroup
    /// One group per question of programme.yml, in its order.
    let questions: [(question: FeedbackQuestion, group: FeedbackGroup)]
    /// Texts shared as `anonymous` or `quote`, per role, only for roles with at least k respondents;
    /// ordered by a hash of the text, never by tandem.
    let comments: [Role: [RenderedMarkdown]]
}

extension FeedbackEntry {
    /// `indices` of `feedback` ordered by a hash of each entry's text, then the text: the order quotes and comments are
    /// shown in, which says nothing about tandems or files. Entries are read in place, never copied.
    static func inTextHashOrder(_ indices: [Int], of feedback: [FeedbackEntry]) -> [Int] {
        indices.map { (key: stableHash(feedback[$0].body.plainText), index: $0) }
            .sorted { ($0.key, feedback[$0.index].body.plainText) < ($1.key, feedback[$1.index].body.plainText) }
            .map(\.index)
    }
}

/// All feedback aggregates of a programme. A "person" behind an entry is the participant holding the entry's role
/// in its tandem, so a person answering twice in a phase (or for two tandems) is counted once.
struct FeedbackStatistics: Sendable {
    let k: Int
    let scale: Int
    /// Phases with at least one entry, in programme order (kickoff, midterm, final).
    let phases: [PhaseFeedback]

    init(_ programme: Programme) {
        k = programme.anonymityThreshold
        scale = programme.feedbackScale
        let feedback = programme.feedback
        // The person behind each entry, looked up once (entries are read in place by index, never copied).
        let people: [String?] = feedback.indices.map { i in
            guard let tandem = programme.tandem(feedback[i].tandem) else { return nil }
            return feedback[i].author == .mentor ? tandem.mentor : tandem.mentee
        }
        var phases: [PhaseFeedback] = []
        for phase in FeedbackPhase.allCases {
            let entries = feedback.indices.filter { feedback[$0].phase == phase }
            guard !entries.isEmpty else { continue }
            var respondents: [Role: FeedbackCell] = [:]
            for i in entries {
                guard let id = people[i] else { continue }
                respondents[feedback[i].author, default: FeedbackCell()].people.insert(id)
            }
            let respondentGroup = FeedbackGroup(roles: respondents, k: k)
            var questions: [(FeedbackQuestion, FeedbackGroup)] = []
            for question in programme.questions {
                var cells: [Role: FeedbackCell] = [:]
                for i in entries {
                    guard let rating = feedback[i].ratings[question.id], let id = people[i] else { continue }
                    cells[feedback[i].author, default: FeedbackCell()].people.insert(id)
                    cells[feedback[i].author, default: FeedbackCell()].ratings.append(rating)
                }
                questions.append((question, FeedbackGroup(roles: cells, k: k)))
            }
            var comments: [Role: [RenderedMarkdown]] = [:]
            for role in Role.allCases where respondentGroup[role].people.count >= k {
                let shared = entries.filter {
                    feedback[$0].author == role && feedback[$0].share != .private && !feedback[$0].body.plainText.isEmpty
                }
                comments[role] = FeedbackEntry.inTextHashOrder(shared, of: feedback).map { feedback[$0].body }
            }
            phases.append(PhaseFeedback(phase: phase, respondents: respondentGroup, questions: questions, comments: comments))
        }
        self.phases = phases
    }

    /// For the public site: per question, the total of the latest phase whose total may be shown.
    var publicFigures: [(question: FeedbackQuestion, phase: FeedbackPhase, cell: FeedbackCell)] {
        guard let questions = phases.first?.questions.map(\.question) else { return [] }
        return questions.enumerated().compactMap { index, question in
            for phase in phases.reversed() where phase.questions[index].group.total.isShown {
                return (question, phase.phase, phase.questions[index].group.total)
            }
            return nil
        }
    }
}

extension MeetingStatistics {
    /// No meetings at all (the placeholder while a `Programme` is put together).
    static let empty = MeetingStatistics(
        health: [], meetings: [], laterMeetings: 0, minutes: 0, meetingsWithoutMinutes: 0, months: [], formats: [], topics: [])

    private init(
        health: [TandemHealth], meetings: [Meeting], laterMeetings: Int, minutes: Int, meetingsWithoutMinutes: Int, months: [Month],
        formats: [(format: MeetingFormat?, meetings: Int, minutes: Int)], topics: [Topic]
    ) {
        self.health = health
        verdictCounts = [:]
        self.meetings = meetings
        self.laterMeetings = laterMeetings
        self.minutes = minutes
        self.meetingsWithoutMinutes = meetingsWithoutMinutes
        self.months = months
        self.formats = formats
        self.topics = topics
    }
}

extension FeedbackStatistics {
    /// No feedback at all (the placeholder while a `Programme` is put together).
    static let empty = FeedbackStatistics(k: 3, scale: 5, phases: [])

    private init(k: Int, scale: Int, phases: [PhaseFeedback]) {
        self.k = k
        self.scale = scale
        self.phases = phases
    }
}
