// The typed contexts of the internal report (Templates/internal/report.mustache and its chart partials). Property
// names are the names the templates use. The report may show names, tandem ids, goals and meeting notes; feedback
// only as k-anonymous aggregates and comments of groups of at least k people (see `ReportRenderer`). Like every
// HTML output it is rendered with e-mail scrubbing: no address typed into any field reaches the page.

/// internal: report.mustache
struct ReportPage: TemplateContext {
    let lang: String
    /// The UI strings of the report's language (`{{t.report_title}}`).
    let t: TemplateValue
    /// The programme: title, organiser, dates (as on the site).
    let site: Prepared<SiteInfo>
    /// "As of <reference date>".
    let reference_text: String
    /// The key figures as tiles.
    let overview: [ReportTile]
    /// Remarks below the tiles (meetings logged after the reference date).
    let overview_notes: [String]
    /// Tandems per status as one line ("3 active · 1 completed").
    let status_summary: String
    /// One sentence answering "which tandems need me?" ("2 of 12 active tandems need attention: …").
    let verdict_summary: String
    /// What each verdict means, with this programme's limit.
    let verdict_legend: [VerdictLegendItem]
    /// How the verdicts are counted (reference date, a tandem's start).
    let verdict_rule: String
    /// The tandems in groups: those needing attention (most urgent first), those on track, those completed or ended.
    let tandem_groups: [TandemGroup]
    /// At least one meeting up to the reference date.
    let has_meetings: Bool
    /// Meetings per month (chart-columns).
    let months_chart: ColumnChart
    /// Meetings and hours per month (the table beside the chart).
    let months: [MonthRow]
    /// Meetings per format (chart-bars).
    let formats_chart: BarChart
    /// Meetings, share and hours per format.
    let formats: [FormatRow]
    /// The twelve most frequent topics (chart-bars); false without topics.
    let topics_chart: BarChart?
    /// The further topics with their counts, "Topic (3)".
    let more_topics: [String]
    /// How the feedback figures are computed.
    let feedback_method: String
    /// The anonymity rule: nothing about fewer than k people.
    let feedback_rule: String
    /// At least one feedback round has answers.
    let has_feedback: Bool
    /// The feedback rounds, as k-anonymous aggregates only.
    let phases: [FeedbackPhaseItem]
    /// How many feedback cells are shown and how many are suppressed.
    let suppression_summary: String
    /// The programme asks no questions.
    let no_questions: Bool
    /// The meeting log per tandem: the only place meeting notes appear.
    let log: [LogTandem]
}

/// A key figure of the overview.
struct ReportTile: TemplateContext {
    let label: String
    let value: String
    /// A second line below the value; false without one.
    let detail: String?
    /// Marks a figure that needs action (inactive tandems).
    let alert: Bool
}

/// A verdict and what it means (the legend above the tandem tables).
struct VerdictLegendItem: TemplateContext {
    /// `inactive`, `needs-attention`, `on-track`, `completed` or `ended`.
    let kind: String
    /// The verdict in the report's language.
    let label: String
    /// What it means, with the programme's limit in days.
    let text: String
}

/// One group of the tandem tables: needing attention, on track, or completed and ended.
struct TandemGroup: TemplateContext {
    /// `attention`, `on-track` or `closed`.
    let id: String
    let title: String
    /// How many tandems the group holds, as text.
    let count: String
    let rows: [HealthRow]
    /// The note shown when the group is empty; false otherwise.
    let none: String?
}

/// A tandem in the tandem tables: one verdict with its reason in words.
struct HealthRow: TemplateContext {
    /// The tandem id.
    let id: String
    /// The mentor's name.
    let mentor: String
    /// The mentee's name.
    let mentee: String
    /// `inactive`, `needs-attention`, `on-track`, `completed` or `ended`.
    let verdict: String
    /// The verdict in the report's language.
    let verdict_label: String
    /// The verdict needs the programme manager (inactive or needs attention).
    let alert: Bool
    /// Why, in words: "1 meeting in 67 days, at least 2 expected".
    let reason: String
    /// Meetings held up to the reference date.
    let meetings: String
    /// Their hours with one decimal.
    let hours: String
    let goals: [String]
    /// The start date as text; false when not recorded.
    let started: String?
    /// The last meeting's date as text; false without a meeting.
    let last_meeting: String?
}

/// Meetings in one month.
struct MonthRow: TemplateContext {
    /// "March 2025".
    let month: String
    let meetings: String
    let hours: String
}

/// Meetings in one format.
struct FormatRow: TemplateContext {
    let label: String
    let meetings: String
    /// The share of all meetings, "40 %".
    let share: String
    let hours: String
}

/// One feedback round (midterm, final).
struct FeedbackPhaseItem: TemplateContext {
    /// The section's HTML id, `feedback-<phase>`.
    let id: String
    let label: String
    /// Respondents per group, as "Mentors: 4 of 5".
    let respondents: [String]
    let questions: [FeedbackQuestionItem]
    let comment_groups: [CommentGroup]
}

/// A question of a feedback round.
struct FeedbackQuestionItem: TemplateContext {
    let text: String
    let id: String
    /// Mentors, mentees and all.
    let rows: [FeedbackRow]
    /// The note shown when nobody answered; false otherwise.
    let no_answers: String?
}

/// A group's answers to a question: figures when shown, else the reason.
struct FeedbackRow: TemplateContext {
    /// The group's label.
    let role: String
    /// The row of all respondents.
    let total: Bool
    /// The group stands on at least k people (and is not suppressed to protect another group).
    let shown: Bool
    /// `shown`, `empty`, `fewer-than-k` or `complementary`.
    let status: String
    /// Shown rows: how many people answered; else false.
    let people: String?
    /// Shown rows where someone answered twice in the round: "5 answers" (the mean is over answers); else false.
    let responses: String?
    /// Shown rows: the mean with one decimal; else false.
    let mean: String?
    /// Shown rows: the distribution (chart-histogram); else false.
    let chart: HistogramChart?
    /// Hidden rows: why; else false.
    let reason: String?
}

/// A group's free-text comments of a round.
struct CommentGroup: TemplateContext {
    let heading: String
    /// The group stands on at least k people.
    let shown: Bool
    let comments: [CommentItem]
    /// Shown without comments: the note saying so; else false.
    let none: String?
    /// Hidden: why; else false.
    let reason: String?
}

/// An anonymous comment.
struct CommentItem: TemplateContext {
    /// The comment as HTML (rendered from Markdown).
    let body: String
}

/// A tandem in the meeting log.
struct LogTandem: TemplateContext {
    let id: String
    let mentor: String
    let mentee: String
    let meetings: [LogMeeting]
}

/// A meeting in the log.
struct LogMeeting: TemplateContext {
    /// The date as text.
    let date: String
    /// The date as ISO date (`<time datetime>`).
    let iso: String
    /// The duration ("60 min") or "–".
    let minutes: String
    /// The format's label or "–".
    let format: String
    /// The topics as one line.
    let topics: String
    /// The meeting note; false without one.
    let note: String?
}

// MARK: Charts (Templates/internal/chart-*.mustache). Coordinates are texts with one decimal (see `Charts.fixed`).

/// chart-columns: vertical columns (meetings per month).
struct ColumnChart: TemplateContext {
    /// Unique in the page; the SVG's title and description ids derive from it.
    let id: String
    let title: String
    /// The chart's data as text (the SVG's `<desc>`).
    let description: String
    let bars: [ColumnBar]
    let width: String
    let height: String
    let baseline_y: String
    let baseline_x2: String
}

/// A column.
struct ColumnBar: TemplateContext {
    let x: String
    let y: String
    let w: String
    let h: String
    /// The column's centre, where its texts are anchored.
    let cx: String
    let value_y: String
    let label_y: String
    let sublabel_y: String
    let label: String
    /// The year below the first month of a year; false otherwise.
    let sublabel: String?
    let value_text: String
    /// The tooltip (`<title>`).
    let tip: String
    /// The value is 0 (no rectangle).
    let zero: Bool
}

/// chart-bars: horizontal bars with labels on the left (formats, topics).
struct BarChart: TemplateContext {
    let id: String
    let title: String
    let description: String
    let bars: [BarItem]
    let width: String
    let height: String
    /// Where the bars start.
    let axis_x: String
}

/// A horizontal bar.
struct BarItem: TemplateContext {
    let y: String
    let h: String
    let w: String
    let x: String
    /// The baseline of the bar's texts.
    let text_y: String
    let label_x: String
    let value_x: String
    /// The label, shortened with "…" when too long (the tooltip has it in full).
    let label: String
    let value_text: String
    let tip: String
}

/// chart-histogram: the distribution of a feedback cell's ratings.
struct HistogramChart: TemplateContext {
    let id: String
    let title: String
    let description: String
    let bars: [HistogramBar]
    let width: String
    let height: String
    let baseline_y: String
    let baseline_x2: String
}

/// The column of one rating value.
struct HistogramBar: TemplateContext {
    let x: String
    let y: String
    let w: String
    let h: String
    let cx: String
    let value_y: String
    let label_y: String
    /// How many gave this rating.
    let count: String
    /// The rating value.
    let label: String
    /// The scale is short enough to label every column.
    let show_text: Bool
    let zero: Bool
}
