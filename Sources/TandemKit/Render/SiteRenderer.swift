import Foundation

/// Where a page sits: `root` leads to its language's home folder, `siteRoot` to site/ (theme, assets).
struct PageLinks {
    let root: String
    let siteRoot: String
}

/// Renders the public microsite (Output/site/) in one language through the theme's templates.
/// With several languages each one gets its folder (site/de/, site/fr/ ...); with one, pages sit in site/ itself.
/// Only published participants and tandems whose two members are published reach any context built here.
struct SiteRenderer {
    let programme: Programme
    let theme: Theme
    let language: String
    let strings: UIStrings
    /// Each published language's name in itself (Deutsch, Français ...), for the language switcher.
    let languageNames: [String: String]
    var diagnostics = Diagnostics()
    var output = OutputTree()
    /// Menus already built, by page root and current entry (see `navigation`).
    private var menus: [String: TemplateValue] = [:]
    /// Paths of the HTML pages relative to the language folder, for the sitemap.
    private(set) var pagePaths: [String] = []

    /// The programme's title in this language, its dates, and both as the `site` every page shows (built once).
    let siteTitle: String
    let dates: String
    let site: TemplateValue

    /// Participants who agreed to be published, in roster order.
    let publishedParticipants: [Participant]
    /// Tandems whose two members are published, in pairs.csv order.
    let publicTandems: [Tandem]
    /// Quotes (share: quote), ordered by a hash of their text so the order says nothing about tandems.
    let quotes: [FeedbackEntry]

    init(programme: Programme, theme: Theme, language: String, strings: UIStrings, languageNames: [String: String] = [:]) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        self.languageNames = languageNames
        siteTitle = programme.title.text(in: language)
        dates = strings.longDate(programme.start) + " – " + strings.longDate(programme.end)
        site = TemplateValue(
            ["title": siteTitle, "organiser": programme.organiser.text(in: language), "dates": dates] as [String: Any], scrub: true)
        publishedParticipants = programme.participants.filter(\.publish)
        publicTandems = programme.tandems.filter { programme.isPublic($0) }
        quotes = Self.quotes(of: programme)
    }

    /// Feedback shared as `quote`, ordered by a hash of its text so the order says nothing about tandems
    /// (the site and the handout show the same quotes in the same order).
    static func quotes(of programme: Programme) -> [FeedbackEntry] {
        let feedback = programme.feedback
        let shared = feedback.indices.filter { feedback[$0].share == .quote && !feedback[$0].body.plainText.isEmpty }
        return FeedbackEntry.inTextHashOrder(shared, of: feedback).map { feedback[$0] }
    }

    /// Runs `body` on a copy of this renderer and returns what it rendered (one job of a parallel build).
    func part(_ body: (inout SiteRenderer) -> Void) -> RenderPart {
        var copy = self
        body(&copy)
        return RenderPart(output: copy.output, diagnostics: copy.diagnostics, pagePaths: copy.pagePaths)
    }

    var multilingual: Bool { programme.languages.count > 1 }
    /// `site/` or `site/<lang>/`.
    var folder: String { multilingual ? "site/\(language)/" : "site/" }

    /// Links for a page at `path` (relative to the language folder).
    func links(for path: String) -> PageLinks {
        let root = String(repeating: "../", count: path.split(separator: "/").count - 1)
        return PageLinks(root: root, siteRoot: multilingual ? root + "../" : root)
    }

    /// `lang` to put on a block whose text is in `textLanguage`, or false when it is the page's language.
    private func langAttribute(_ textLanguage: String) -> Any { textLanguage == language ? false : textLanguage }

    // MARK: Pages

    /// The pages of this language and its calendar.
    mutating func render() {
        renderOverview()
        renderParticipantPages(publishedParticipants.indices)
        renderTandemPages(publicTandems.indices)
    }

    /// Everything but the profile and tandem pages: home, the two overviews, timeline, free pages, calendar.
    mutating func renderOverview() {
        renderHome()
        renderParticipants()
        renderTandems()
        renderTimeline()
        for page in programme.pages { renderPage(page) }
        output.add(folder + "programme.ics", Calendar.ics(programme, language: language))
    }

    /// What exists once per site: 404, robots.txt, sitemap.xml, assets and, with several languages, the language index.
    mutating func renderShared(pagePaths: [String]) {
        renderNotFound()
        if multilingual { renderLanguageIndex() }
        output.add("site/robots.txt", robots())
        if programme.baseURL != nil { output.add("site/sitemap.xml", sitemap(pagePaths)) }
        copyAssets()
    }

    private mutating func renderHome() {
        var context = common(path: "index.html", title: strings["nav_home"], current: "home")
        let meetings = programme.meetings.filter { $0.date <= programme.referenceDate }
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
        if let original = programme.pages.first {
            let first = original.translations[language] ?? original
            let textLanguage = original.translations[language] != nil ? language : programme.language
            context["intro"] = [
                "title": first.title, "summary": first.body.summary, "href": pageHref(first.slug), "lang": langAttribute(textLanguage),
            ]
        }
        context["lead"] = strings.format(
            "home_lead",
            [
                "organiser": programme.organiser.text(in: language), "start": strings.longDate(programme.start),
                "end": strings.longDate(programme.end), "tandems": String(programme.tandems.count),
            ], count: programme.tandems.count)
        context["dates"] = dates
        context["quotes"] = quotes.prefix(6).map(quote)
        context["numbers"] = PublicFigures.section(programme, strings: strings, language: language)  // issue 4: k-safe feedback means
        context["featured_tandems"] = publicTandems.sorted { stableHash($0.id) < stableHash($1.id) }.prefix(3).map {
            tandemCard($0, links(for: "index.html"))
        }
        write("index.html", template: "home", context)
    }

    private mutating func renderParticipants() {
        let links = links(for: "participants/index.html")
        var context = common(path: "participants/index.html", title: strings["nav_participants"], current: "participants")
        for role in Role.allCases {
            let people = Self.sortedByName(publishedParticipants.filter { $0.role == role })
            context[role == .mentor ? "mentors" : "mentees"] = people.map { card($0, links) }
        }
        let hidden = programme.participants.count - publishedParticipants.count
        if hidden > 0 { context["unpublished_note"] = strings.format("participants_unpublished", ["count": String(hidden)], count: hidden) }
        write("participants/index.html", template: "participants", context)
    }

    /// The profile pages of `publishedParticipants[range]`.
    mutating func renderParticipantPages(_ range: Range<Int>) {
        let links = links(for: "participants/index.html")
        for person in publishedParticipants[range] {
            var page = common(path: "participants/\(person.id).html", title: person.name, current: "participants")
            var details = card(person, links)
            details["links"] = [[String: Any]]()
            details["quote"] = false
            details["quote_lang"] = false
            details["body"] = false
            details["body_lang"] = false
            if let original = person.profile {
                // A missing translation falls back to the main language, marked with its own `lang`.
                let translated = original.translations[language]
                let profile = translated ?? original
                let textLanguage = translated != nil ? language : programme.language
                details["body"] = profile.body.html.isEmpty ? false : profile.body.html
                details["body_lang"] = langAttribute(textLanguage)
                if let quote = translated?.quote {
                    details["quote"] = quote
                } else if let quote = original.quote {
                    details["quote"] = quote
                    details["quote_lang"] = langAttribute(programme.language)
                }
                let profileLinks = profile.links.isEmpty ? original.links : profile.links
                details["links"] = profileLinks.filter { !$0.url.lowercased().hasPrefix("mailto:") }.map {
                    ["title": $0.title, "url": $0.url]
                }
            }
            details["languages"] = person.languages.map { strings.label("language_names", $0) }
            let partners: [[String: Any]] = programme.tandems(of: person.id).filter { programme.isPublic($0) }.compactMap { tandem in
                let partnerID = tandem.mentor == person.id ? tandem.mentee : tandem.mentor
                guard let partner = programme.participant(partnerID) else { return nil }
                return ["partner": card(partner, links), "tandem_href": links.root + "tandems/\(tandem.id).html"]
            }
            details["tandems"] = partners
            page["person"] = details
            page["description"] = [person.position, person.organisation].compactMap { $0 }.joined(separator: ", ")
            write("participants/\(person.id).html", template: "participant", page)
        }
    }

    private mutating func renderTandems() {
        let links = links(for: "tandems/index.html")
        var context = common(path: "tandems/index.html", title: strings["nav_tandems"], current: "tandems")
        context["tandems"] = publicTandems.map { tandemCard($0, links) }
        let hidden = programme.tandems.count - publicTandems.count
        if hidden > 0 { context["unpublished_note"] = strings.format("tandems_unpublished", ["count": String(hidden)], count: hidden) }
        write("tandems/index.html", template: "tandems", context)
    }

    /// The pages of `publicTandems[range]`.
    mutating func renderTandemPages(_ range: Range<Int>) {
        let links = links(for: "tandems/index.html")
        for tandem in publicTandems[range] {
            guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { continue }
            var page = common(path: "tandems/\(tandem.id).html", title: "\(mentor.name) & \(mentee.name)", current: "tandems")
            let details = tandemCard(tandem, links)
            page["tandem"] = details
            write("tandems/\(tandem.id).html", template: "tandem", page)
        }
    }

    private mutating func renderTimeline() {
        var context = common(path: "timeline.html", title: strings["nav_timeline"], current: "timeline")
        context["milestones"] = programme.milestones.map(milestone)
        write("timeline.html", template: "timeline", context)
    }

    private mutating func renderPage(_ original: Page) {
        let translated = original.translations[language]
        let page = translated ?? original
        let textLanguage = translated != nil ? language : programme.language
        var context = common(path: pageHref(page.slug), title: page.title, current: "page-" + page.slug)
        context["page"] = [
            "title": page.title, "body": page.body.html, "slug": page.slug,
            "lang": langAttribute(textLanguage),
            // A translation may keep the original's title; then the title is in the main language.
            "title_lang": translated.map { $0.title == original.title ? langAttribute(programme.language) : false }
                ?? langAttribute(programme.language),
        ]
        write(pageHref(page.slug), template: "page", context)
    }

    /// The 404 page sits at the site root and may be served at any depth, so its links are absolute when `base_url` is known.
    private mutating func renderNotFound() {
        let languageRoot = multilingual ? "\(language)/" : ""
        let base = programme.baseURL ?? ""
        let links = PageLinks(root: base + languageRoot, siteRoot: base)
        let context = common(path: "404.html", title: strings["not_found_title"], current: "", links: links)
        output.add("site/404.html", theme.render("404", context, diagnostics: &diagnostics) ?? "")
    }

    /// site/index.html with several languages: sends the visitor to the main language (works from disk too).
    private mutating func renderLanguageIndex() {
        var context = common(
            path: "index.html", title: programme.title.text(in: language), current: "", links: PageLinks(root: "", siteRoot: ""))
        context["target"] = "\(language)/index.html"
        context["choices"] = programme.languages.map { code in
            ["lang": code, "name": languageNames[code] ?? code, "href": "\(code)/index.html", "title": programme.title.text(in: code)]
        }
        context["canonical"] = false
        if let html = theme.render("language-index", context, diagnostics: &diagnostics) { output.add("site/index.html", html) }
    }

    // MARK: Contexts

    /// Keys every page template can use: `lang`, `root`, `t` (UI strings), `site`, `nav`, `title`.
    private mutating func common(path: String, title: String, current: String, links explicit: PageLinks? = nil) -> [String: Any] {
        let links = explicit ?? links(for: path)
        let root = links.root
        let navKey = root + "\u{0}" + current
        let nav = menus[navKey] ?? navigation(root: root, current: current)
        menus[navKey] = nav
        var context: [String: Any] = [
            "lang": language,
            "root": root,
            "site_root": links.siteRoot,
            "t": strings.template,
            "title": title,
            "full_title": title == siteTitle ? siteTitle : "\(title) – \(siteTitle)",
            "site": site,
            "nav": nav,
            "calendar_href": root + "programme.ics",
        ]
        if let contact = programme.contact { context["contact_name"] = contact.name }
        context["canonical"] = false
        if let base = programme.baseURL, explicit == nil { context["canonical"] = base + languagePrefix + path }
        // Language switcher and hreflang alternates: the same page in every published language.
        var switcher: [[String: Any]] = []
        var alternates: [[String: Any]] = []
        if multilingual && explicit == nil {
            for code in programme.languages {
                let href = links.siteRoot + code + "/" + path
                switcher.append(["lang": code, "name": languageNames[code] ?? code, "href": href, "current": code == language])
                alternates.append(["lang": code, "href": programme.baseURL.map { $0 + code + "/" + path } ?? href])
            }
            alternates.append([
                "lang": "x-default",
                "href": programme.baseURL.map { $0 + programme.language + "/" + path } ?? links.siteRoot + programme.language + "/" + path,
            ])
        }
        context["languages"] = switcher
        context["alternates"] = alternates
        return context
    }

    /// The menu of a page at `root` with `current` marked; the same for thousands of pages, so built once per renderer job.
    private func navigation(root: String, current: String) -> TemplateValue {
        var nav: [[String: Any]] = [
            ["title": strings["nav_home"], "href": root + "index.html", "current": current == "home", "lang": false],
            [
                "title": strings["nav_participants"], "href": root + "participants/index.html", "current": current == "participants",
                "lang": false,
            ],
            ["title": strings["nav_tandems"], "href": root + "tandems/index.html", "current": current == "tandems", "lang": false],
            ["title": strings["nav_timeline"], "href": root + "timeline.html", "current": current == "timeline", "lang": false],
        ]
        for original in programme.pages {
            let page = original.translations[language] ?? original
            let titleLanguage =
                original.translations[language].map { $0.title == original.title ? programme.language : language } ?? programme.language
            nav.append([
                "title": page.title, "href": root + pageHref(page.slug), "current": current == "page-" + page.slug,
                "lang": langAttribute(titleLanguage),
            ])
        }
        return TemplateValue(nav, scrub: true)
    }

    private var languagePrefix: String { multilingual ? language + "/" : "" }

    private func stat(_ value: Int, _ key: String) -> [String: Any] {
        ["value": strings.number(value), "label": strings[key]]
    }

    private func milestone(_ m: Milestone) -> [String: Any] {
        var item: [String: Any] = [
            "date": m.date.iso, "date_text": strings.longDate(m.date), "day": String(m.date.day),
            "month": strings.months.count == 12 ? strings.months[m.date.month - 1] : "", "year": String(m.date.year),
            "title": m.title.text(in: language), "past": m.date < programme.referenceDate,
            "title_lang": langAttribute(m.title.language(for: language)),
        ]
        item["location"] = m.location?.text(in: language) ?? false
        item["description"] = m.description?.text(in: language) ?? false
        return item
    }

    private func quote(_ entry: FeedbackEntry) -> [String: Any] {
        ["body": entry.body.html, "role": strings.label("quote_roles", entry.author.rawValue)]
    }

    /// A published participant as the templates see them. Never includes e-mail.
    func card(_ person: Participant, _ links: PageLinks) -> [String: Any] {
        let root = links.root
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
        card["photo"] = person.photo.map { links.siteRoot + "assets/" + Escape.urlPath($0) } ?? false
        return card
    }

    private func tandemCard(_ tandem: Tandem, _ links: PageLinks) -> [String: Any] {
        let root = links.root
        guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { return [:] }
        let menteeTopics = Set(mentee.topics.map { $0.lowercased() })
        let shared = mentor.topics.filter { menteeTopics.contains($0.lowercased()) }
        let languages = mentor.languages.filter { mentee.languages.contains($0) }.map { strings.label("language_names", $0) }
        var card: [String: Any] = [
            "id": tandem.id, "href": root + "tandems/\(tandem.id).html",
            "mentor": self.card(mentor, links), "mentee": self.card(mentee, links),
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
    /// Each name's key is computed once, not in every comparison.
    static func sortedByName(_ people: [Participant]) -> [Participant] {
        people.map { (key: sortKey($0.name), person: $0) }
            .sorted { ($0.key, $0.person.id) < ($1.key, $1.person.id) }
            .map(\.person)
    }

    static func sortKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    // MARK: Writing

    private mutating func write(_ path: String, template: String, _ context: [String: Any]) {
        guard let html = theme.renderBytes(template, context, diagnostics: &diagnostics) else { return }
        output.add(folder + path, bytes: html)
        pagePaths.append(path)
    }

    private func robots() -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let base = programme.baseURL { text += "Sitemap: \(base)sitemap.xml\n" }
        return text
    }

    /// One `<url>` per page and language; with several languages each lists its alternates (xhtml:link hreflang).
    private func sitemap(_ paths: [String]) -> String {
        guard let base = programme.baseURL else { return "" }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        guard multilingual else {
            xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            for path in paths.sorted() { xml += "  <url><loc>\(Escape.xml(base + Escape.urlPath(path)))</loc></url>\n" }
            return xml + "</urlset>\n"
        }
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        for code in programme.languages {
            for path in paths.sorted() {
                xml += "  <url>\n    <loc>\(Escape.xml(base + code + "/" + Escape.urlPath(path)))</loc>\n"
                for other in programme.languages {
                    xml +=
                        "    <xhtml:link rel=\"alternate\" hreflang=\"\(other)\" href=\"\(Escape.xml(base + other + "/" + Escape.urlPath(path)))\"/>\n"
                }
                xml += "  </url>\n"
            }
        }
        return xml + "</urlset>\n"
    }

    /// Theme assets go to site/theme/; content assets to site/assets/, except photos nobody published.
    private mutating func copyAssets() {
        for asset in theme.assets {
            theme.addAsset(asset, at: "site/theme/" + asset, to: &output)
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
