/// Renders the internal programme report (Output/internal/): report.html with inline SVG charts and CSV exports
/// below data/. It may show names, tandem ids, goals and meeting notes; feedback appears only as k-anonymous
/// aggregates (see `FeedbackGroup`) and as anonymous comments of groups with at least k people.
/// `private` feedback text, e-mail addresses and one tandem's ratings never reach any context built here.
struct ReportRenderer {
    let programme: Programme
    let theme: Theme
    let language: String
    let strings: UIStrings
    let meetings: MeetingStatistics
    let feedback: FeedbackStatistics
    var output = OutputTree()

    static let reportPath = "internal/report.html"

    init(programme: Programme, theme: Theme, language: String, strings: UIStrings) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        meetings = programme.figures.meetingStatistics
        feedback = programme.figures.feedback
        var dates: [Day: String] = [:]
        for meeting in programme.meetings where dates[meeting.date] == nil { dates[meeting.date] = strings.longDate(meeting.date) }
        meetingDates = dates
    }

    /// Each meeting day as text, formatted once (a large programme logs tens of thousands of meetings on a few hundred days).
    private let meetingDates: [Day: String]

    mutating func render() {
        let meetingFigures = meetingsSection()
        let feedbackFigures = feedbackSection()
        let context = ReportPage(
            lang: language, t: strings.template, site: Cards(strings: strings, language: language).site(programme),
            reference_text: strings.format("report_reference", ["date": strings.longDate(programme.referenceDate)]),
            overview: overview(), overview_notes: overviewNotes(), status_summary: statusSummary(), verdict_summary: verdictSummary(),
            verdict_legend: verdictLegend(),
            verdict_rule: strings.format("report_verdict_rule", ["date": strings.longDate(programme.referenceDate)]),
            tandem_groups: tandemGroups(),
            has_meetings: meetingFigures.has_meetings, months_chart: meetingFigures.months_chart, months: meetingFigures.months,
            formats_chart: meetingFigures.formats_chart, formats: meetingFigures.formats, topics_chart: meetingFigures.topics_chart,
            more_topics: meetingFigures.more_topics, feedback_method: feedbackFigures.feedback_method,
            feedback_rule: feedbackFigures.feedback_rule, has_feedback: feedbackFigures.has_feedback, phases: feedbackFigures.phases,
            suppression_summary: feedbackFigures.suppression_summary, no_questions: feedbackFigures.no_questions,
            log: meetings.health.map(logEntry))
        // Internal, but rendered like every HTML output: no e-mail address typed into any field reaches the page.
        output.add(Self.reportPath, bytes: theme.render("report", context))
        output.add("internal/data/tandem-health.csv", CSVExport.text(healthTable()))
        output.add("internal/data/feedback.csv", CSVExport.text(feedbackTable()))
        output.add("internal/data/meetings-by-month.csv", CSVExport.text(monthTable()))
    }

    // MARK: Overview

    private func overview() -> [ReportTile] {
        let figures = programme.figures
        let tandems = figures.tandems
        let held = figures.meetings
        var tiles: [ReportTile] = []
        func tile(_ key: String, _ value: String, _ detail: String? = nil, alert: Bool = false) {
            tiles.append(ReportTile(label: strings[key], value: value, detail: detail, alert: alert))
        }
        tile(
            "report_participants", strings.number(figures.participants),
            "\(strings.number(figures.mentors)) \(strings.label("report_role_groups", "mentor")) · \(strings.number(figures.mentees)) \(strings.label("report_role_groups", "mentee"))"
        )
        tile("report_organisations", strings.number(figures.organisations))
        tile("report_tandems", strings.number(tandems), statusSummary())
        tile("report_meetings", strings.number(held), strings.format("report_until", ["date": strings.longDate(programme.referenceDate)]))
        tile(
            "report_hours", strings.number(figures.hours),
            meetings.meetingsWithoutMinutes > 0
                ? strings.format(
                    "report_without_minutes", ["count": strings.number(meetings.meetingsWithoutMinutes)],
                    count: meetings.meetingsWithoutMinutes) : nil)
        tile("report_meetings_per_tandem", tandems > 0 ? decimal(tenths: (20 * held + tandems) / (2 * tandems)) : "–")
        let inactive = meetings.count(.inactive)
        let behind = meetings.count(.needsAttention)
        let active = programme.tandems.filter { $0.status == .active }.count
        tile(
            "report_tile_attention", strings.number(inactive + behind),
            strings.format(
                "report_tile_attention_detail", ["inactive": strings.number(inactive), "behind": strings.number(behind)]),
            alert: inactive + behind > 0)
        tile(
            "report_tile_on_track", strings.number(meetings.count(.onTrack)),
            strings.format("report_tile_on_track_detail", ["active": strings.number(active)], count: active))
        return tiles
    }

    private func overviewNotes() -> [String] {
        var notes: [String] = []
        if meetings.laterMeetings > 0 {
            notes.append(
                strings.format(
                    "report_later_meetings",
                    ["count": strings.number(meetings.laterMeetings), "date": strings.longDate(programme.referenceDate)],
                    count: meetings.laterMeetings))
        }
        return notes
    }

    private func statusSummary() -> String {
        TandemStatus.allCases.compactMap { status in
            let count = programme.tandems.filter { $0.status == status }.count
            return count == 0 ? nil : "\(strings.number(count)) \(strings.label("statuses", status.rawValue))"
        }.joined(separator: " · ")
    }

    // MARK: Tandem health

    private func names(_ tandem: Tandem) -> (mentor: String, mentee: String) {
        (programme.participant(tandem.mentor)?.name ?? tandem.mentor, programme.participant(tandem.mentee)?.name ?? tandem.mentee)
    }

    /// The verdict's label in the report's language.
    private func label(_ kind: TandemVerdict.Kind) -> String { strings.label("report_verdicts", kind.rawValue) }

    private func verdictSummary() -> String {
        let active = programme.tandems.filter { $0.status == .active }.count
        let inactive = meetings.count(.inactive)
        let behind = meetings.count(.needsAttention)
        guard active > 0 else { return strings["report_verdict_summary_no_active"] }
        guard inactive + behind > 0 else {
            return strings.format("report_verdict_summary_none", ["active": strings.number(active)], count: active)
        }
        return strings.format(
            "report_verdict_summary",
            [
                "count": strings.number(inactive + behind), "active": strings.number(active), "inactive": strings.number(inactive),
                "behind": strings.number(behind),
            ], count: inactive + behind)
    }

    private func verdictLegend() -> [VerdictLegendItem] {
        let days = strings.number(programme.rules.inactivityDays)
        return TandemVerdict.Kind.allCases.map { kind in
            VerdictLegendItem(
                kind: kind.rawValue, label: label(kind),
                text: strings.format("report_verdict_legend_" + kind.rawValue.replacingOccurrences(of: "-", with: "_"), ["days": days]))
        }
    }

    /// Needing attention (inactive first, longest silence first; then the furthest behind the cadence), on track, closed.
    private func tandemGroups() -> [TandemGroup] {
        let health = meetings.health
        let urgent = health.indices.filter { health[$0].verdict.kind.needsAction }
            .sorted { a, b in
                func key(_ i: Int) -> (Int, Int, Int) {
                    let v = health[i].verdict
                    return v.kind == .inactive
                        ? (0, -(v.daysSinceLastMeeting ?? 0), health[i].tandem.line)
                        : (1, v.meetings - v.expectedMeetings, health[i].tandem.line)
                }
                return key(a) < key(b)
            }
        let onTrack = health.indices.filter { health[$0].verdict.kind == .onTrack }
        let closed = health.indices.filter { health[$0].verdict.kind == .completed || health[$0].verdict.kind == .ended }
        func group(_ id: String, _ title: String, _ indices: [Int], none: String?) -> TandemGroup {
            TandemGroup(
                id: id, title: strings[title], count: strings.number(indices.count), rows: indices.map { tandemRow(health[$0]) },
                none: indices.isEmpty ? none.map { strings[$0] } : nil)
        }
        var groups = [
            group("attention", "report_group_attention", urgent, none: "report_group_attention_none"),
            group("on-track", "report_group_on_track", onTrack, none: "report_group_on_track_none"),
        ]
        if !closed.isEmpty { groups.append(group("closed", "report_group_closed", closed, none: nil)) }
        return groups
    }

    /// The verdict's reason in words, from the figures the model stage computed.
    private func reason(_ v: TandemVerdict) -> String {
        let meetingsText = strings.format("report_n_meetings", ["count": strings.number(v.meetings)], count: v.meetings)
        func span(_ days: Int) -> String {
            strings.format(
                "report_reason_span",
                [
                    "meetings": meetingsText,
                    "days": strings.format("report_days_span", ["count": strings.number(days)], count: days),
                ])
        }
        switch v.kind {
        case .inactive:
            let days = v.daysSinceLastMeeting ?? 0
            if let last = v.lastMeeting {
                return strings.format(
                    "report_attention_since", ["days": strings.number(days), "date": strings.longDate(last)], count: days)
            }
            return strings.format(
                "report_attention_never", ["days": strings.number(days), "date": strings.longDate(v.start)], count: days)
        case .needsAttention, .onTrack:
            guard let days = v.daysSinceStart else {
                return strings.format("report_reason_not_started", ["date": strings.longDate(v.start)])
            }
            if v.expectedMeetings == 0 {
                if v.meetings == 0 { return strings.format("report_reason_new", ["date": strings.longDate(v.start)]) }
                return strings.format("report_reason_none_expected", ["span": span(days)])
            }
            return strings.format(
                "report_reason_expected", ["span": span(days), "expected": strings.number(v.expectedMeetings)],
                count: v.expectedMeetings)
        case .completed, .ended:
            guard let last = v.lastMeeting else { return strings["report_reason_closed_none"] }
            return strings.format(
                "report_reason_closed", ["meetings": meetingsText, "date": strings.longDate(last)], count: v.meetings)
        }
    }

    private func tandemRow(_ health: TandemHealth) -> HealthRow {
        let (mentor, mentee) = names(health.tandem)
        let verdict = health.verdict
        return HealthRow(
            id: health.tandem.id, mentor: mentor, mentee: mentee, verdict: verdict.kind.rawValue, verdict_label: label(verdict.kind),
            alert: verdict.kind.needsAction, reason: reason(verdict), meetings: strings.number(health.meetings.count),
            hours: decimal(tenths: (health.minutes + 3) / 6), goals: health.tandem.goals,
            started: health.tandem.started.map { strings.longDate($0) },
            last_meeting: verdict.lastMeeting.map { strings.longDate($0) })
    }

    // MARK: Meetings

    /// The meetings section's names of `ReportPage`.
    private func meetingsSection() -> (
        has_meetings: Bool, months_chart: ColumnChart, months: [MonthRow], formats_chart: BarChart, formats: [FormatRow],
        topics_chart: BarChart?, more_topics: [String]
    ) {
        let shortMonths = strings.values["report_months_short"] as? [String] ?? []
        var previousYear: Int?
        let monthBars: [Charts.Bar] = meetings.months.map { month in
            let long = (strings.months.count == 12 ? strings.months[month.month - 1] : String(month.month)) + " " + String(month.year)
            let label = shortMonths.count == 12 ? shortMonths[month.month - 1] : String(twoDigits: month.month)
            let sublabel = previousYear != month.year ? String(month.year) : ""
            previousYear = month.year
            return Charts.Bar(
                label: label, sublabel: sublabel, value: month.meetings, valueText: strings.number(month.meetings),
                tip: long + ": " + strings.format("report_n_meetings", ["count": strings.number(month.meetings)], count: month.meetings))
        }
        let monthsChart = Charts.columns(
            id: "chart-months", title: strings["report_chart_months"],
            description: monthBars.map(\.tip).joined(separator: "; "), bars: monthBars)
        let months = meetings.months.map { month in
            MonthRow(
                month: (strings.months.count == 12 ? strings.months[month.month - 1] : String(month.month)) + " " + String(month.year),
                meetings: strings.number(month.meetings), hours: decimal(tenths: (month.minutes + 3) / 6))
        }

        let held = meetings.meetings.count
        let formatBars: [Charts.Bar] = meetings.formats.map { item in
            let label = strings.label("report_formats", item.format?.rawValue ?? "none")
            return Charts.Bar(
                label: label, value: item.meetings, valueText: strings.number(item.meetings),
                tip: label + ": " + strings.format("report_n_meetings", ["count": strings.number(item.meetings)], count: item.meetings))
        }
        let formatsChart = Charts.bars(
            id: "chart-formats", title: strings["report_chart_formats"], description: formatBars.map(\.tip).joined(separator: "; "),
            bars: formatBars)
        let formats = meetings.formats.map { item in
            FormatRow(
                label: strings.label("report_formats", item.format?.rawValue ?? "none"), meetings: strings.number(item.meetings),
                share: held > 0 ? percent(item.meetings, of: held) : "–", hours: decimal(tenths: (item.minutes + 3) / 6))
        }

        let topTopics = Array(meetings.topics.prefix(12))
        let topicBars: [Charts.Bar] = topTopics.map { topic in
            Charts.Bar(
                label: topic.name, value: topic.meetings, valueText: strings.number(topic.meetings),
                tip: topic.name + ": "
                    + strings.format("report_n_meetings", ["count": strings.number(topic.meetings)], count: topic.meetings))
        }
        let topicsChart =
            topicBars.isEmpty
            ? nil
            : Charts.bars(
                id: "chart-topics", title: strings["report_chart_topics"], description: topicBars.map(\.tip).joined(separator: "; "),
                bars: topicBars)
        return (
            has_meetings: held > 0, months_chart: monthsChart, months: months, formats_chart: formatsChart, formats: formats,
            topics_chart: topicsChart,
            more_topics: meetings.topics.dropFirst(12).map { "\($0.name) (\(strings.number($0.meetings)))" }
        )
    }

    // MARK: Feedback

    /// The feedback section's names of `ReportPage`.
    private func feedbackSection() -> (
        feedback_method: String, feedback_rule: String, has_feedback: Bool, phases: [FeedbackPhaseItem], suppression_summary: String,
        no_questions: Bool
    ) {
        let kText = strings.number(feedback.k)
        var counts: [CellStatus: Int] = [:]
        var phases: [FeedbackPhaseItem] = []
        let valueLabels = (1...feedback.scale).map { String($0) }
        for phase in feedback.phases {
            let phaseLabel = strings.label("report_phases", phase.phase.rawValue)
            var questions: [FeedbackQuestionItem] = []
            for (index, item) in phase.questions.enumerated() {
                let questionText = item.question.text.text(in: language)
                var rows: [FeedbackRow] = []
                for (key, cell) in zip(Role.allCases.map(\.rawValue) + ["all"], item.group.cells) {
                    counts[cell.status, default: 0] += 1
                    let roleLabel = strings.label("report_role_groups", key)
                    guard cell.isShown else {
                        rows.append(
                            FeedbackRow(
                                role: roleLabel, total: key == "all", shown: false, status: cell.status.rawValue, people: nil,
                                responses: nil, mean: nil, chart: nil, reason: reason(cell.status)))
                        continue
                    }
                    let distribution = cell.distribution(scale: feedback.scale)
                    let description = zip(valueLabels, distribution).map { "\($0): \(strings.number($1))" }.joined(separator: ", ")
                    let chart = Charts.histogram(
                        id: "chart-\(phase.phase.rawValue)-\(index + 1)-\(key)",
                        title: strings.format(
                            "report_chart_distribution", ["question": questionText, "group": roleLabel, "phase": phaseLabel]),
                        description: strings.format("report_chart_distribution_desc", ["values": description]),
                        counts: distribution, valueLabels: valueLabels)
                    rows.append(
                        FeedbackRow(
                            role: roleLabel, total: key == "all", shown: true, status: cell.status.rawValue,
                            people: strings.number(cell.people.count),
                            responses: cell.ratings.count != cell.people.count
                                ? strings.format(
                                    "report_n_responses", ["count": strings.number(cell.ratings.count)], count: cell.ratings.count)
                                : nil,
                            mean: decimal(tenths: cell.meanTenths ?? 0), chart: chart, reason: nil))
                }
                questions.append(
                    FeedbackQuestionItem(
                        text: questionText, id: item.question.id, rows: rows,
                        no_answers: item.group.total.status == .empty ? strings["report_question_no_answers"] : nil))
            }
            var respondents: [String] = []
            for (key, cell) in zip(Role.allCases.map(\.rawValue) + ["all"], phase.respondents.cells) {
                let label = strings.label("report_role_groups", key)
                switch cell.status {
                case .shown:
                    if let role = Role(rawValue: key) {
                        let total = Set(programme.tandems.map { role == .mentor ? $0.mentor : $0.mentee }).count
                        respondents.append(
                            "\(label): "
                                + strings.format(
                                    "report_respondents_of", ["count": strings.number(cell.people.count), "total": strings.number(total)]))
                    } else {
                        respondents.append("\(label): \(strings.number(cell.people.count))")
                    }
                case .empty: respondents.append("\(label): 0")
                case .fewerThanK, .complementary:
                    respondents.append("\(label): " + strings.format("report_respondents_hidden", ["k": kText]))
                }
            }
            var commentGroups: [CommentGroup] = []
            for role in Role.allCases where !phase.respondents[role].people.isEmpty {
                let heading = strings.format("report_comments_of", ["group": strings.label("report_role_groups", role.rawValue)])
                if let bodies = phase.comments[role] {
                    commentGroups.append(
                        CommentGroup(
                            heading: heading, shown: true, comments: bodies.map { CommentItem(body: $0.html) },
                            none: bodies.isEmpty ? strings["report_comments_none"] : nil, reason: nil))
                } else {
                    commentGroups.append(
                        CommentGroup(
                            heading: heading, shown: false, comments: [], none: nil,
                            reason: strings.format("report_comments_hidden", ["k": kText])))
                }
            }
            phases.append(
                FeedbackPhaseItem(
                    id: "feedback-" + phase.phase.rawValue, label: phaseLabel, respondents: respondents, questions: questions,
                    comment_groups: commentGroups))
        }
        let total = counts.values.reduce(0, +)
        let primary = counts[.fewerThanK] ?? 0
        let complementary = counts[.complementary] ?? 0
        return (
            feedback_method: strings.format("report_feedback_method", ["k": kText, "scale": strings.number(feedback.scale)]),
            feedback_rule: strings.format("report_feedback_rule", ["k": kText]), has_feedback: !feedback.phases.isEmpty,
            phases: phases,
            suppression_summary: strings.format(
                primary + complementary == 0 ? "report_suppression_none" : "report_suppression_summary",
                [
                    "shown": strings.number(counts[.shown] ?? 0), "total": strings.number(total), "primary": strings.number(primary),
                    "complementary": strings.number(complementary), "k": kText,
                ]),
            no_questions: programme.questions.isEmpty
        )
    }

    private func reason(_ status: CellStatus) -> String {
        switch status {
        case .empty: return strings["report_cell_empty"]
        case .fewerThanK: return strings.format("report_cell_fewer", ["k": strings.number(feedback.k)])
        case .complementary: return strings["report_cell_complementary"]
        case .shown: return ""
        }
    }

    // MARK: Meeting log (the only place meeting notes appear)

    private func logEntry(_ health: TandemHealth) -> LogTandem {
        let (mentor, mentee) = names(health.tandem)
        return LogTandem(
            id: health.tandem.id, mentor: mentor, mentee: mentee,
            meetings: health.meetings.map { meeting in
                LogMeeting(
                    date: meetingDates[meeting.date] ?? strings.longDate(meeting.date), iso: meeting.date.iso,
                    minutes: meeting.minutes.map { strings.format("report_minutes", ["count": strings.number($0)]) } ?? "–",
                    format: meeting.format.map { strings.label("report_formats", $0.rawValue) } ?? "–",
                    topics: meeting.topics.joined(separator: ", "), note: meeting.note)
            })
    }

    // MARK: CSV exports

    private func healthTable() -> [[String]] {
        var rows = [
            [
                "tandem", "mentor", "mentee", "status", "verdict", "started", "meetings", "minutes", "last_meeting",
                "days_since_last_meeting", "days_since_start", "expected_meetings", "goals",
            ]
        ]
        for health in meetings.health {
            let (mentor, mentee) = names(health.tandem)
            let v = health.verdict
            rows.append([
                health.tandem.id, mentor, mentee, health.tandem.status.rawValue, v.kind.rawValue, health.tandem.started?.iso ?? "",
                String(v.meetings), String(health.minutes), v.lastMeeting?.iso ?? "", v.daysSinceLastMeeting.map { String($0) } ?? "",
                v.daysSinceStart.map { String($0) } ?? "", String(v.expectedMeetings), health.tandem.goals.joined(separator: "; "),
            ])
        }
        return rows
    }

    private func feedbackTable() -> [[String]] {
        var rows = [
            ["phase", "question", "question_text", "group", "status", "people", "responses", "mean"]
                + (1...feedback.scale).map { "rating_\($0)" }
        ]
        for phase in feedback.phases {
            for item in phase.questions {
                for (key, cell) in zip(Role.allCases.map(\.rawValue) + ["all"], item.group.cells) {
                    var row = [phase.phase.rawValue, item.question.id, item.question.text.text(in: language), key, cell.status.rawValue]
                    if cell.isShown {
                        row += [
                            String(cell.people.count), String(cell.ratings.count), decimal(tenths: cell.meanTenths ?? 0, separator: "."),
                        ]
                        row += cell.distribution(scale: feedback.scale).map { String($0) }
                    } else {
                        row += [String](repeating: "", count: 3 + feedback.scale)
                    }
                    rows.append(row)
                }
            }
        }
        return rows
    }

    private func monthTable() -> [[String]] {
        [["month", "meetings", "minutes"]]
            + meetings.months.map {
                [String(format4: $0.year) + "-" + String(twoDigits: $0.month), String($0.meetings), String($0.minutes)]
            }
    }

    // MARK: Numbers

    /// A number given in tenths with one decimal and the language's separators: 43 → "4,3" (de), "4.3" (en).
    func decimal(tenths: Int, separator explicit: String? = nil) -> String {
        let separator = explicit ?? (strings.values["report_decimal_separator"] as? String ?? ".")
        let whole = explicit == nil ? strings.number(abs(tenths) / 10) : String(abs(tenths) / 10)
        return (tenths < 0 ? "-" : "") + whole + separator + String(abs(tenths) % 10)
    }

    /// A whole percentage, rounded half up, in the language's style ("75 %").
    func percent(_ part: Int, of total: Int) -> String {
        strings.format("report_percent", ["value": strings.number((200 * part + total) / (2 * max(1, total)))])
    }
}

/// CSV for spreadsheets: `;`-separated (what Excel expects with Swiss, German, French and Italian settings),
/// UTF-8 with BOM, CRLF, fields quoted when needed. Text that a spreadsheet would run as a formula gets a leading `'`.
enum CSVExport {
    static func text(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil {
            value = "'" + value
        }
        if value.utf8.contains(where: { $0 == 0x3B || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x2C }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// The public site's "programme in numbers": per feedback question, the mean of the latest round whose total
/// stands on at least k people (the same suppression as the internal report). No role split, no tandem.
enum PublicFigures {
    /// The home page's feedback figures, or nil when no question has a total over at least k people.
    static func section(_ programme: Programme, strings: UIStrings, language: String) -> FeedbackNumbers? {
        let statistics = programme.figures.feedback
        let separator = strings.values["report_decimal_separator"] as? String ?? "."
        let figures = statistics.publicFigures.map { item in
            let tenths = item.cell.meanTenths ?? 0
            let mean = String(tenths / 10) + separator + String(tenths % 10)
            return FeedbackFigure(
                question: ScrubbedText(item.question.text.text(in: language)), mean: mean,
                value: strings.format("numbers_mean_of", ["mean": mean, "scale": strings.number(statistics.scale)]),
                detail: strings.format(
                    "numbers_detail",
                    ["people": strings.number(item.cell.people.count), "phase": strings.label("report_phases", item.phase.rawValue)],
                    count: item.cell.people.count))
        }
        guard !figures.isEmpty else { return nil }
        return FeedbackNumbers(
            intro: strings.format("numbers_intro", ["k": strings.number(programme.anonymityThreshold)]), figures: figures)
    }
}
