import Foundation

/// Renders the public microsite (Output/site/) from the validated programme through the theme's templates.
/// Only published participants and tandems whose two members are published reach any context built here.
struct SiteRenderer {
    let programme: Programme
    let theme: Theme
    let language: String
    let strings: UIStrings
    var diagnostics = Diagnostics()
    var output = OutputTree()
    /// Site-relative paths of the HTML pages, for the sitemap.
    private(set) var pagePaths: [String] = []

    init(programme: Programme, theme: Theme, language: String, strings: UIStrings) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
    }

    // MARK: What is public

    var publishedParticipants: [Participant] { programme.participants.filter(\.publish) }
    var publicTandems: [Tandem] { programme.tandems.filter { programme.isPublic($0) } }

    /// Quotes (share: quote), ordered by a hash of their text so the order says nothing about tandems.
    var quotes: [FeedbackEntry] {
        programme.feedback.filter { $0.share == .quote && !$0.body.plainText.isEmpty }
            .sorted { (stableHash($0.body.plainText), $0.body.plainText) < (stableHash($1.body.plainText), $1.body.plainText) }
    }

    // MARK: Pages

    mutating func render() {
        renderHome()
        renderParticipants()
        renderTandems()
        renderTimeline()
        for page in programme.pages { renderPage(page) }
        renderNotFound()
        output.add("site/programme.ics", Calendar.ics(programme, language: language))
        output.add("site/robots.txt", robots())
        if programme.baseURL != nil { output.add("site/sitemap.xml", sitemap()) }
        copyAssets()
    }

    private mutating func renderHome() {
        var context = common(path: "index.html", title: strings["nav_home"], current: "home")
        let meetings = programme.meetings
        let minutes = meetings.reduce(0) { $0 + ($1.minutes ?? 0) }
        let organisations = Set(programme.participants.map { $0.organisation.lowercased() }).count
        context["stats"] = [
            stat(programme.participants.count, "stat_participants"),
            stat(organisations, "stat_organisations"),
            stat(programme.tandems.count, "stat_tandems"),
            stat(meetings.count, "stat_meetings"),
            stat((minutes + 30) / 60, "stat_hours"),
        ]
        let upcoming = programme.milestones.filter { $0.date >= programme.referenceDate }
        context["milestones"] = (upcoming.isEmpty ? Array(programme.milestones.suffix(3)) : Array(upcoming.prefix(3))).map(milestone)
        if let first = programme.pages.first {
            context["intro"] = [
                "title": first.title, "summary": first.body.summary, "href": pageHref(first.slug),
            ]
        }
        context["lead"] = strings.format(
            "home_lead",
            [
                "organiser": programme.organiser.text(in: language), "start": strings.longDate(programme.start),
                "end": strings.longDate(programme.end), "tandems": String(programme.tandems.count),
            ])
        context["dates"] = strings.longDate(programme.start) + " – " + strings.longDate(programme.end)
        context["quotes"] = quotes.prefix(6).map(quote)
        context["numbers"] = PublicFigures.section(programme, strings: strings, language: language)  // issue 4: k-safe feedback means
        context["featured_tandems"] = publicTandems.sorted { stableHash($0.id) < stableHash($1.id) }.prefix(3).map { tandemCard($0, root: "") }
        write("index.html", template: "home", context)
    }

    private mutating func renderParticipants() {
        let root = "../"
        var context = common(path: "participants/index.html", title: strings["nav_participants"], current: "participants")
        for role in Role.allCases {
            let people = publishedParticipants.filter { $0.role == role }.sorted(by: Self.byName)
            context[role == .mentor ? "mentors" : "mentees"] = people.map { card($0, root: root) }
        }
        let hidden = programme.participants.count - publishedParticipants.count
        if hidden > 0 { context["unpublished_note"] = strings.format("participants_unpublished", ["count": String(hidden)]) }
        write("participants/index.html", template: "participants", context)

        for person in publishedParticipants {
            var page = common(path: "participants/\(person.id).html", title: person.name, current: "participants")
            var details = card(person, root: root)
            details["links"] = [[String: Any]]()
            details["quote"] = person.profile?.quote ?? false
            details["body"] = person.profile.map { $0.body.html.isEmpty ? false : $0.body.html as Any } ?? false
            if let profile = person.profile {
                details["links"] = profile.links.filter { !$0.url.lowercased().hasPrefix("mailto:") }.map { ["title": $0.title, "url": $0.url] }
            }
            details["languages"] = person.languages.map { strings.label("language_names", $0) }
            let partners: [[String: Any]] = programme.tandems(of: person.id).filter { programme.isPublic($0) }.compactMap { tandem in
                let partnerID = tandem.mentor == person.id ? tandem.mentee : tandem.mentor
                guard let partner = programme.participant(partnerID) else { return nil }
                return ["partner": card(partner, root: root), "tandem_href": root + "tandems/\(tandem.id).html"]
            }
            details["tandems"] = partners
            page["person"] = details
            page["description"] = [person.position, person.organisation].compactMap { $0 }.joined(separator: ", ")
            write("participants/\(person.id).html", template: "participant", page)
        }
    }

    private mutating func renderTandems() {
        let root = "../"
        var context = common(path: "tandems/index.html", title: strings["nav_tandems"], current: "tandems")
        context["tandems"] = publicTandems.map { tandemCard($0, root: root) }
        let hidden = programme.tandems.count - publicTandems.count
        if hidden > 0 { context["unpublished_note"] = strings.format("tandems_unpublished", ["count": String(hidden)]) }
        write("tandems/index.html", template: "tandems", context)

        for tandem in publicTandems {
            guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { continue }
            var page = common(path: "tandems/\(tandem.id).html", title: "\(mentor.name) & \(mentee.name)", current: "tandems")
            var details = tandemCard(tandem, root: root)
            details["mentor_profile"] = mentor.profile?.body.summary
            details["mentee_profile"] = mentee.profile?.body.summary
            page["tandem"] = details
            write("tandems/\(tandem.id).html", template: "tandem", page)
        }
    }

    private mutating func renderTimeline() {
        var context = common(path: "timeline.html", title: strings["nav_timeline"], current: "timeline")
        context["milestones"] = programme.milestones.map(milestone)
        write("timeline.html", template: "timeline", context)
    }

    private mutating func renderPage(_ page: Page) {
        var context = common(path: pageHref(page.slug), title: page.title, current: "page-" + page.slug)
        context["page"] = ["title": page.title, "body": page.body.html, "slug": page.slug]
        write(pageHref(page.slug), template: "page", context)
    }

    /// The 404 page may be served at any depth, so its links are absolute when `base_url` is known.
    private mutating func renderNotFound() {
        var context = common(path: "404.html", title: strings["not_found_title"], current: "")
        if let base = programme.baseURL { context = common(path: "404.html", title: strings["not_found_title"], current: "", root: base) }
        output.add("site/404.html", theme.render("404", context, diagnostics: &diagnostics) ?? "")
    }

    // MARK: Contexts

    /// Keys every page template can use: `lang`, `root`, `t` (UI strings), `site`, `nav`, `title`.
    private func common(path: String, title: String, current: String, root explicitRoot: String? = nil) -> [String: Any] {
        let depth = path.split(separator: "/").count - 1
        let root = explicitRoot ?? String(repeating: "../", count: depth)
        var nav: [[String: Any]] = [
            ["title": strings["nav_home"], "href": root + "index.html", "current": current == "home"],
            ["title": strings["nav_participants"], "href": root + "participants/index.html", "current": current == "participants"],
            ["title": strings["nav_tandems"], "href": root + "tandems/index.html", "current": current == "tandems"],
            ["title": strings["nav_timeline"], "href": root + "timeline.html", "current": current == "timeline"],
        ]
        for page in programme.pages {
            nav.append(["title": page.title, "href": root + pageHref(page.slug), "current": current == "page-" + page.slug])
        }
        let siteTitle = programme.title.text(in: language)
        var context: [String: Any] = [
            "lang": language,
            "root": root,
            "t": strings.values,
            "title": title,
            "full_title": title == siteTitle ? siteTitle : "\(title) – \(siteTitle)",
            "site": [
                "title": siteTitle,
                "organiser": programme.organiser.text(in: language),
                "dates": strings.longDate(programme.start) + " – " + strings.longDate(programme.end),
            ] as [String: Any],
            "nav": nav,
            "calendar_href": root + "programme.ics",
        ]
        if let contact = programme.contact { context["contact_name"] = contact.name }
        if let base = programme.baseURL, explicitRoot == nil { context["canonical"] = base + path }
        return context
    }

    private func stat(_ value: Int, _ key: String) -> [String: Any] {
        ["value": strings.number(value), "label": strings[key]]
    }

    private func milestone(_ m: Milestone) -> [String: Any] {
        var item: [String: Any] = [
            "date": m.date.iso, "date_text": strings.longDate(m.date), "day": String(m.date.day),
            "month": strings.months.count == 12 ? strings.months[m.date.month - 1] : "", "year": String(m.date.year),
            "title": m.title.text(in: language), "past": m.date < programme.referenceDate,
        ]
        item["location"] = m.location?.text(in: language) ?? false
        item["description"] = m.description?.text(in: language) ?? false
        return item
    }

    private func quote(_ entry: FeedbackEntry) -> [String: Any] {
        ["body": entry.body.html, "role": strings.label("quote_roles", entry.author.rawValue)]
    }

    /// A published participant as the templates see them. Never includes e-mail.
    func card(_ person: Participant, root: String) -> [String: Any] {
        var card: [String: Any] = [
            "id": person.id, "name": person.name, "organisation": person.organisation,
            "role": person.role.rawValue, "role_label": strings.label("roles", person.role.rawValue),
            "is_mentor": person.role == .mentor,
            "topics": person.topics, "initials": initials(person.name),
            "href": root + "participants/\(person.id).html",
        ]
        // Optional keys are always set (false when absent): Mustache would otherwise find the
        // enclosing person's value, e.g. show a profile owner's photo for a partner without one.
        card["position"] = person.position ?? false
        card["photo"] = person.photo.map { root + "assets/" + Escape.urlPath($0) } ?? false
        return card
    }

    private func tandemCard(_ tandem: Tandem, root: String) -> [String: Any] {
        guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { return [:] }
        let menteeTopics = Set(mentee.topics.map { $0.lowercased() })
        let shared = mentor.topics.filter { menteeTopics.contains($0.lowercased()) }
        let languages = mentor.languages.filter { mentee.languages.contains($0) }.map { strings.label("language_names", $0) }
        var card: [String: Any] = [
            "id": tandem.id, "href": root + "tandems/\(tandem.id).html",
            "mentor": self.card(mentor, root: root), "mentee": self.card(mentee, root: root),
            "shared_topics": shared, "shared_languages": languages, "goals": tandem.goals,
            "status": tandem.status.rawValue, "status_label": strings.label("statuses", tandem.status.rawValue),
        ]
        card["started"] = tandem.started.map { strings.longDate($0) } ?? false
        return card
    }

    private func initials(_ name: String) -> String {
        name.split(separator: " ").compactMap(\.first).prefix(2).map { String($0).uppercased() }.joined()
    }

    private func pageHref(_ slug: String) -> String { slug + ".html" }

    /// Alphabetical as a reader expects it: accents and case do not change the order (Sébastien before Selin).
    private static func byName(_ a: Participant, _ b: Participant) -> Bool {
        (sortKey(a.name), a.id) < (sortKey(b.name), b.id)
    }

    static func sortKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    // MARK: Writing

    private mutating func write(_ path: String, template: String, _ context: [String: Any]) {
        guard let html = theme.render(template, context, diagnostics: &diagnostics) else { return }
        output.add("site/" + path, html)
        pagePaths.append(path)
    }

    private func robots() -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let base = programme.baseURL { text += "Sitemap: \(base)sitemap.xml\n" }
        return text
    }

    private func sitemap() -> String {
        guard let base = programme.baseURL else { return "" }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in pagePaths.sorted() {
            xml += "  <url><loc>\(Escape.xml(base + Escape.urlPath(path)))</loc></url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// Theme assets go to site/theme/; content assets to site/assets/, except photos nobody published.
    private mutating func copyAssets() {
        for asset in theme.assets {
            output.copy(theme.root.appendingPathComponent("assets/" + asset).path, to: "site/theme/" + asset)
        }
        let publishedPhotos = Set(publishedParticipants.compactMap(\.photo))
        let privatePhotos = Set(programme.participants.filter { !$0.publish }.compactMap(\.photo))
        for asset in programme.assets {
            if privatePhotos.contains(asset) && !publishedPhotos.contains(asset) { continue }
            if asset.hasPrefix("photos/") && !publishedPhotos.contains(asset) { continue }
            output.copy(programme.contentRoot + "/assets/" + asset, to: "site/assets/" + asset)
        }
    }
}

/// FNV-1a over UTF-8: a stable, platform-independent order key (Swift's `hashValue` changes per run).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}
