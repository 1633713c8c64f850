/// Renders print/: the symposium handout (`handout.html`) and one pairing announcement per public tandem
/// (`announcements/<id>.html`), A4 HTML for CSS paged media (WeasyPrint turns them into PDF with `--pdf`).
///
/// print/ is self-contained and public: like the site, only published participants and tandems whose two members
/// are published reach a context built here, no e-mail address (not even the programme office's), no meeting note,
/// no rating, and feedback text only when shared as `quote`, by role and in hash order.
struct PrintRenderer {
    let programme: Programme
    let theme: Theme
    let language: String
    let strings: UIStrings
    var diagnostics = Diagnostics()
    var output = OutputTree()
    /// Photos (below Content/assets/) shown in print/; only published participants' photos are ever added.
    private var usedPhotos = Set<String>()

    static let stylesheet = "print.css"
    /// An announcement is one A4 page: it lists at most this many goals and topics.
    static let posterGoals = 5
    static let posterTopics = 10

    /// With several site languages the handout exists once per language (`handout.<lang>.html`);
    /// announcements and assets are written by the main language's renderer only.
    let handoutOnly: Bool

    init(programme: Programme, theme: Theme, language: String, strings: UIStrings, handoutOnly: Bool = false) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        self.handoutOnly = handoutOnly
        siteTitle = programme.title.text(in: language)
        dates = strings.longDate(programme.start) + " – " + strings.longDate(programme.end)
        site = TemplateValue(
            ["title": siteTitle, "organiser": programme.organiser.text(in: language), "dates": dates] as [String: Any], scrub: true)
        pageCSS = Self.pageCSS(programme: programme, language: language, strings: strings)
    }

    /// What every print page shows of the programme, built once: its title, `site` and the margin boxes' CSS.
    let siteTitle: String
    let dates: String
    let site: TemplateValue
    let pageCSS: String

    /// `handout.html`, or `handout.<lang>.html` when the programme is published in several languages.
    var handoutFile: String { programme.languages.count > 1 ? "handout.\(language).html" : "handout.html" }

    // MARK: What is public

    var publicTandems: [Tandem] { programme.tandems.filter { programme.isPublic($0) } }

    /// Quotes (share: quote), ordered by a hash of their text so the order says nothing about tandems (as on the site).
    var quotes: [FeedbackEntry] { SiteRenderer.quotes(of: programme) }

    /// The symposium: the last milestone whose title (in any language) contains "symposium" (or Italian "simposio"),
    /// else the last milestone.
    static func symposium(of programme: Programme) -> Milestone? {
        let named = programme.milestones.filter { milestone in
            milestone.title.values.values.contains { title in
                let lower = title.lowercased()
                return lower.contains("symposium") || lower.contains("simposio")
            }
        }
        return named.last ?? programme.milestones.last
    }

    // MARK: Rendering

    mutating func render() {
        renderHandout()
        guard !handoutOnly else { return }
        for tandem in publicTandems { renderAnnouncement(tandem) }
        copyAssets()
    }

    private mutating func renderHandout() {
        let root = ""
        let programmeTitle = programme.title.text(in: language)
        var context = common(title: strings["print_handout_title"], root: root)
        context["body_class"] = "handout"

        var cover: [String: Any] = [
            "eyebrow": strings["print_cover_eyebrow"],
            "title": programmeTitle,
            "organiser": programme.organiser.text(in: language),
            "dates": dates,
        ]
        if let symposium = Self.symposium(of: programme) {
            var event: [String: Any] = [
                "title": symposium.title.text(in: language), "date_text": strings.longDate(symposium.date), "date": symposium.date.iso,
            ]
            event["location"] = symposium.location?.text(in: language) ?? false
            cover["symposium"] = event
        } else {
            cover["symposium"] = false
        }
        context["cover"] = cover

        if let original = programme.pages.first {
            let about = original.translations[language] ?? original
            let textLanguage = original.translations[language] != nil ? language : programme.language
            context["about"] =
                ["title": about.title, "body": about.body.html, "lang": textLanguage == language ? false : textLanguage] as [String: Any]
        } else {
            context["about"] = ["title": strings["print_about_title"], "body": false] as [String: Any]
        }
        context["lead"] = strings.format(
            "print_lead",
            [
                "organiser": programme.organiser.text(in: language), "programme": programmeTitle,
                "start": strings.longDate(programme.start), "end": strings.longDate(programme.end),
                "tandems": String(programme.tandems.count),
            ], count: programme.tandems.count)
        context["stats"] = stats

        let tandems = publicTandems
        context["tandems"] = tandems.map { tandemCard($0, root: root) }
        let hidden = programme.tandems.count - tandems.count
        // With no public tandem at all the template says so (print_no_public_tandems) instead of counting.
        context["tandems_hidden"] =
            hidden > 0 && !tandems.isEmpty ? strings.format("tandems_unpublished", ["count": String(hidden)], count: hidden) : false

        context["quotes"] = quotes.prefix(6).map { entry -> [String: Any] in
            ["body": entry.body.html, "role": strings.label("quote_roles", entry.author.rawValue)]
        }
        context["milestones"] = programme.milestones.map(milestone)
        var office: [String: Any] = ["organiser": programme.organiser.text(in: language)]
        // The programme office is named, never its e-mail address (print/ is public).
        office["contact_name"] = programme.contact?.name ?? false
        office["website"] = programme.baseURL ?? false
        context["office"] = office
        write(handoutFile, template: "handout", context)
    }

    private mutating func renderAnnouncement(_ tandem: Tandem) {
        guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { return }
        let root = "../"
        var context = common(title: "\(mentor.name) & \(mentee.name)", root: root)
        context["body_class"] = "announcement"
        var card = tandemCard(tandem, root: root)
        let start = tandem.started ?? programme.start
        card["start_text"] = strings.longDate(start)
        card["start_date"] = start.iso
        // What they will work on: the agreed goals, and the shared topics (else the mentee's learning wishes).
        // A poster has one page: at most `posterGoals` goals and `posterTopics` topics (the handout shows all).
        let shared = card["shared_topics"] as? [String] ?? []
        card["work_topics"] = Array((shared.isEmpty ? mentee.topics : shared).prefix(Self.posterTopics))
        card["goals"] = Array(tandem.goals.prefix(Self.posterGoals))
        context["tandem"] = card
        context["lead"] = strings.format(
            "print_announcement_lead",
            [
                "programme": programme.title.text(in: language), "organiser": programme.organiser.text(in: language),
                "start": strings.longDate(start), "mentor": mentor.name, "mentee": mentee.name,
            ])
        context["website"] = programme.baseURL ?? false
        write("announcements/\(tandem.id).html", template: "announcement", context)
    }

    // MARK: Contexts

    /// Keys every print template can use: `lang`, `t`, `title`, `full_title`, `site`, `css_href`, `page_css`.
    private func common(title: String, root: String) -> [String: Any] {
        return [
            "lang": language,
            "root": root,
            "t": strings.template,
            "title": title,
            "full_title": title == siteTitle ? siteTitle : "\(title) – \(siteTitle)",
            "site": site,
            "css_href": root + "theme/" + Self.stylesheet,
            "page_css": pageCSS,
        ]
    }

    /// The margin boxes' text: programme title, organiser and the localised page number ("Seite 3 von 12", from
    /// `print_page_number`) as CSS `content` values; text is CSS-escaped so nothing can leave the style element.
    private static func pageCSS(programme: Programme, language: String, strings: UIStrings) -> String {
        var parts: [String] = []
        var rest = Substring(strings["print_page_number"])
        while !rest.isEmpty {
            let next = [("{page}", "counter(page)"), ("{pages}", "counter(pages)")]
                .compactMap { token, css in rest.range(of: token).map { ($0, css) } }
                .min { $0.0.lowerBound < $1.0.lowerBound }
            guard let (range, css) = next else {
                parts.append(cssString(String(rest)))
                break
            }
            if range.lowerBound > rest.startIndex { parts.append(cssString(String(rest[..<range.lowerBound]))) }
            parts.append(css)
            rest = rest[range.upperBound...]
        }
        let title = cssString(programme.title.text(in: language))
        let organiser = cssString(programme.organiser.text(in: language))
        return "@page { @top-left { content: \(title); } @bottom-left { content: \(organiser); } "
            + "@bottom-right { content: \(parts.joined(separator: " ")); } }"
    }

    /// A double-quoted CSS string: quotes, backslashes, `<` and `>` and controls as hex escapes.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" || scalar == "<" || scalar == ">" || scalar == "&" || scalar.value < 0x20
                || scalar.value == 0x7F
            {
                out += "\\" + String(scalar.value, radix: 16, uppercase: true) + " "
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private var stats: [[String: Any]] {
        let meetings = programme.meetings
        let minutes = meetings.reduce(0) { $0 + ($1.minutes ?? 0) }
        // Counted as on the site's home page, so the handout and the site show the same figures.
        let organisations = Set(programme.participants.map { $0.organisation.lowercased() }).count
        return [
            (programme.participants.count, "stat_participants"), (organisations, "stat_organisations"),
            (programme.tandems.count, "stat_tandems"), (meetings.count, "stat_meetings"), ((minutes + 30) / 60, "stat_hours"),
        ].map { value, key in ["value": strings.number(value), "label": strings[key]] }
    }

    private func milestone(_ m: Milestone) -> [String: Any] {
        var item: [String: Any] = [
            "date": m.date.iso, "date_text": strings.longDate(m.date), "day": String(m.date.day),
            "month": strings.months.count == 12 ? strings.months[m.date.month - 1] : "", "year": String(m.date.year),
            // A handout is read at the symposium: no "past" badges.
            "title": m.title.text(in: language), "past": false,
        ]
        item["location"] = m.location?.text(in: language) ?? false
        item["description"] = m.description?.text(in: language) ?? false
        // The language a title is actually written in, when it falls back to another one (for `lang=`).
        let written = m.title.language(for: language)
        item["title_lang"] = written == language ? false : written
        return item
    }

    /// A published participant as the print templates see them. Never includes e-mail.
    private mutating func person(_ person: Participant, root: String) -> [String: Any] {
        var card: [String: Any] = [
            "id": person.id, "name": person.name, "organisation": person.organisation,
            "role": person.role.rawValue, "role_label": strings.label("roles", person.role.rawValue),
            "is_mentor": person.role == .mentor,
            "topics": person.topics, "initials": initials(person.name),
            "topics_label": strings[person.role == .mentor ? "profile_topics_mentor" : "profile_topics_mentee"],
        ]
        card["position"] = person.position ?? false
        // Mustache would otherwise find an enclosing context's value: every optional key is set.
        card["href"] = false
        if person.publish, let photo = person.photo {
            usedPhotos.insert(photo)
            card["photo"] = root + "assets/" + Escape.urlPath(photo)
        } else {
            card["photo"] = false
        }
        return card
    }

    private mutating func tandemCard(_ tandem: Tandem, root: String) -> [String: Any] {
        guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { return [:] }
        let menteeTopics = Set(mentee.topics.map { $0.lowercased() })
        let shared = mentor.topics.filter { menteeTopics.contains($0.lowercased()) }
        let languages = mentor.languages.filter { mentee.languages.contains($0) }.map { strings.label("language_names", $0) }
        var card: [String: Any] = [
            "id": tandem.id,
            "mentor": person(mentor, root: root), "mentee": person(mentee, root: root),
            "shared_topics": shared, "shared_languages": languages, "goals": tandem.goals,
            "status": tandem.status.rawValue, "status_label": strings.label("statuses", tandem.status.rawValue),
        ]
        card["started"] = tandem.started.map { strings.longDate($0) } ?? false
        return card
    }

    private func initials(_ name: String) -> String {
        name.split(separator: " ").compactMap(\.first).prefix(2).map { String($0).uppercased() }.joined()
    }

    // MARK: Writing

    private mutating func write(_ path: String, template: String, _ context: [String: Any]) {
        guard let html = theme.renderBytes(template, context, diagnostics: &diagnostics) else { return }
        output.add("print/" + path, bytes: html)
    }

    /// print/ is self-contained: its stylesheet goes to print/theme/, the photos it shows to print/assets/.
    private mutating func copyAssets() {
        if theme.assets.contains(Self.stylesheet) {
            theme.addAsset(Self.stylesheet, at: "print/theme/" + Self.stylesheet, to: &output)
        } else {
            diagnostics.warning(
                theme.missingFilePath("assets/" + Self.stylesheet), "print stylesheet is missing; print/ is unstyled")
        }
        let published = Set(programme.participants.filter(\.publish).compactMap(\.photo))
        for photo in usedPhotos.sorted() where published.contains(photo) {
            output.copy(programme.contentRoot + "/assets/" + photo, to: "print/assets/" + photo)
        }
    }
}
