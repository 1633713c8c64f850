/// Every figure any output shows, computed once in the model stage: the site's key figures, the handout's
/// "programme in numbers", the report's overview and its tables all read these, so they cannot disagree.
/// Meetings count up to `reference_date` (never the clock); organisations compare by `TextKey`.
public struct ProgrammeFigures: Sendable {
    public let participants: Int
    public let mentors: Int
    public let mentees: Int
    /// Distinct organisations of the roster (everybody, published or not: a count names nobody).
    public let organisations: Int
    public let tandems: Int
    /// Meetings on or before the reference date, their recorded minutes and those minutes in whole hours (rounded).
    public let meetings: Int
    public let minutes: Int
    public var hours: Int { (minutes + 30) / 60 }
    /// Meeting activity per tandem, per month, format and topic (internal report).
    let meetingStatistics: MeetingStatistics
    /// k-anonymous feedback aggregates (the report's tables, the site's and handout's public means).
    let feedback: FeedbackStatistics

    init(_ programme: Programme) {
        let people = programme.participants
        participants = people.count
        mentors = people.filter { $0.role == .mentor }.count
        mentees = participants - mentors
        organisations = Set(people.map { TextKey.of($0.organisation) }).count
        tandems = programme.tandems.count
        // Two independent passes over thousands of meetings and feedback entries: one core each.
        enum Part {
            case meetings(MeetingStatistics)
            case feedback(FeedbackStatistics)
        }
        var meetingStatistics = MeetingStatistics.empty
        var feedback = FeedbackStatistics.empty
        for part in Parallel.run(
            [{ .meetings(MeetingStatistics(programme)) }, { Part.feedback(FeedbackStatistics(programme)) }], workers: 2)
        {
            switch part {
            case .meetings(let statistics): meetingStatistics = statistics
            case .feedback(let statistics): feedback = statistics
            }
        }
        self.meetingStatistics = meetingStatistics
        meetings = meetingStatistics.meetings.count
        minutes = meetingStatistics.minutes
        self.feedback = feedback
    }

    /// Before the model is complete (a placeholder while `Programme` is initialised).
    fileprivate init() {
        (participants, mentors, mentees, organisations, tandems, meetings, minutes) = (0, 0, 0, 0, 0, 0, 0)
        meetingStatistics = MeetingStatistics.empty
        feedback = FeedbackStatistics.empty
    }

    static let placeholder = ProgrammeFigures()
}
