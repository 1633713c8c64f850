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
    var output = OutputTree()
    /// Menus and footer links already built, by page root and current entry (see `navigation`).
    private var menus: [String: (menu: Prepared<[NavItem]>, footer: Prepared<[NavItem]>)] = [:]
    /// Paths of the HTML pages relative to the language folder, for the sitemap.
    private(set) var pagePaths: [String] = []

    /// The programme's title in this language, its dates, and both as the `site` every page shows (built once).
    let siteTitle: String
    let dates: String
    let site: Prepared<SiteInfo>
    /// The programme office as public pages show it; nil without contact or with `contact.public: no`.
    let contact: ContactInfo?

    /// Read from the model's public view (`Programme.publicView`): nothing else reaches a context built here.
    var publishedParticipants: [Participant] { programme.publicView.participants }
    var publicTandems: [PublicTandem] { programme.publicView.tandems }
    var quotes: [FeedbackEntry] { programme.publicView.quotes }

    /// Every site language's strings (og:locale:alternate); this language's alone when not given.
    let allStrings: [String: UIStrings]

    init(
        programme: Programme, theme: Theme, language: String, strings: UIStrings, languageNames: [String: String] = [:],
        allStrings: [String: UIStrings] = [:]
    ) {
        self.allStrings = allStrings
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        self.languageNames = languageNames
        siteTitle = programme.title.text(in: language)
        dates = strings.longDate(programme.start) + " – " + strings.longDate(programme.end)
        site = Cards(strings: strings, language: language).site(programme)
        contact = Cards(strings: strings, language: language).contact(programme)
        siteLead = strings.format(
            "home_lead",
            [
                "organiser": programme.organiser.text(in: language), "start": strings.longDate(programme.start),
                "end": strings.longDate(programme.end), "tandems": String(programme.figures.tandems),
            ], count: programme.figures.tandems)
    }

    /// The home page's lead: the description of a page that has none of its own (link previews).
    let siteLead: String

    /// Runs `body` on a copy of this renderer and returns what it rendered (one job of a parallel build).
    func part(_ body: (inout SiteRenderer) -> Void) -> RenderPart {
        var copy = self
        body(&copy)
        return RenderPart(output: copy.output, pagePaths: copy.pagePaths)
    }

    var multilingual: Bool { programme.languages.count > 1 }
    /// `site/` or `site/<lang>/`.
    var folder: String { multilingual ? "site/\(language)/" : "site/" }

    /// Links for a page at `path` (relative to the language folder).
    func links(for path: String) -> PageLinks {
        let root = String(repeating: "../", count: path.split(separator: "/").count - 1)
        return PageLinks(root: root, siteRoot: multilingual ? root + "../" : root)
    }

    /// `lang` to put on a block whose text is in `textLanguage`, or nil (false) when it is the page's language.
    private func langAttribute(_ textLanguage: String) -> String? { textLanguage == language ? nil : textLanguage }

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
        let links = links(for: "index.html")
        let figures = programme.figures
        let stats = [
            stat(figures.participants, "stat_participants"),
            stat(figures.organisations, "stat_organisations"),
            stat(figures.tandems, "stat_tandems"),
            stat(figures.meetings, "stat_meetings"),
            stat(figures.hours, "stat_hours"),
        ]
        let upcoming = programme.milestones.filter { $0.date >= programme.referenceDate }
        let next = upcoming.first.map(milestone)
        let milestones = (upcoming.isEmpty ? Array(programme.milestones.suffix(3)) : Array(upcoming.dropFirst().prefix(2))).map(milestone)
        var intro: IntroTeaser?
        if let original = programme.pages.first(where: { !$0.footer }) {
            let first = original.translations[language] ?? original
            let textLanguage = original.translations[language] != nil ? language : programme.language
            intro = IntroTeaser(
                title: ScrubbedText(first.title), summary: first.body.summary, href: pageHref(first.slug), lang: langAttribute(textLanguage)
            )
        }
        let lead = strings.format(
            "home_lead",
            [
                "organiser": programme.organiser.text(in: language), "start": strings.longDate(programme.start),
                "end": strings.longDate(programme.end), "tandems": String(figures.tandems),
            ], count: figures.tandems)
        // Tandems with a portrait first; each group in an order that does not follow pairs.csv.
        let featured = publicTandems.sorted { a, b in
            let portraits = (a.tandem.portrait != nil, b.tandem.portrait != nil)
            return portraits.0 != portraits.1 ? portraits.0 : stableHash(a.id) < stableHash(b.id)
        }.prefix(3).map { tandemCard($0, links, portrait: true) }
        let home = HomePage(
            lead: ScrubbedText(lead), dates: dates, stats: stats, next: next, milestones: milestones, intro: intro,
            quotes: quotes.prefix(6).map(quote), numbers: PublicFigures.section(programme, strings: strings, language: language),
            featured_tandems: featured)
        // The home page's title and h1 are the programme's name; its description is the lead.
        let common = common(path: "index.html", title: siteTitle, current: "home", description: lead)
        write("index.html", template: "home", SitePage(common, home))
    }

    private mutating func renderParticipants() {
        let links = links(for: "participants/index.html")
        let people = publishedParticipants
        let mentors = Self.sortedByName(people.filter { $0.role == .mentor }).map { card($0, links) }
        let mentees = Self.sortedByName(people.filter { $0.role == .mentee }).map { card($0, links) }
        let hidden = programme.publicView.hiddenParticipants
        let page = ParticipantsPage(
            mentors: mentors, mentees: mentees,
            unpublished_note: hidden > 0 ? strings.format("participants_unpublished", ["count": String(hidden)], count: hidden) : nil)
        let common = common(
            path: "participants/index.html", title: strings["nav_participants"], current: "participants",
            description: strings["participants_description"])
        write("participants/index.html", template: "participants", SitePage(common, page))
    }

    /// The profile pages of `publishedParticipants[range]`.
    mutating func renderParticipantPages(_ range: Range<Int>) {
        let links = links(for: "participants/index.html")
        for person in publishedParticipants[range] {
            var quote: String?
            var quoteLanguage: String?
            var body: String?
            var bodyLanguage: String?
            var profileLinks: [ProfileLinkItem] = []
            if let original = person.profile {
                // A missing translation falls back to the main language, marked with its own `lang`.
                let translated = original.translations[language]
                let profile = translated ?? original
                let textLanguage = translated != nil ? language : programme.language
                body = profile.body.html.isEmpty ? nil : profile.body.html
                bodyLanguage = langAttribute(textLanguage)
                if let translatedQuote = translated?.quote {
                    quote = translatedQuote
                } else if let originalQuote = original.quote {
                    quote = originalQuote
                    quoteLanguage = langAttribute(programme.language)
                }
                profileLinks = (profile.links.isEmpty ? original.links : profile.links)
                    .filter { !$0.url.lowercased().hasPrefix("mailto:") }
                    .map { ProfileLinkItem(title: ScrubbedText($0.title), url: $0.url) }
            }
            let partners = programme.publicView.tandems(of: person.id).map { item in
                PartnerItem(
                    partner: card(item.mentor.id == person.id ? item.mentee : item.mentor, links),
                    tandem_href: links.root + "tandems/\(item.id).html")
            }
            let details = ProfileDetails(
                quote: quote.map(ScrubbedText.init), quote_lang: quoteLanguage, body: body, body_lang: bodyLanguage, links: profileLinks,
                languages: person.languages.map { strings.label("language_names", $0) }, tandems: partners)
            let description = [person.position, person.organisation].compactMap { $0 }.joined(separator: ", ")
            let common = common(
                path: "participants/\(person.id).html", title: person.name, current: "participants", description: description)
            write(
                "participants/\(person.id).html", template: "participant",
                SitePage(common, ParticipantPage(person: Flat(card(person, links), details))))
        }
    }

    private mutating func renderTandems() {
        let links = links(for: "tandems/index.html")
        let hidden = programme.publicView.hiddenTandems
        let page = TandemsPage(
            tandems: publicTandems.map { tandemCard($0, links) },
            unpublished_note: hidden > 0 ? strings.format("tandems_unpublished", ["count": String(hidden)], count: hidden) : nil)
        write(
            "tandems/index.html", template: "tandems",
            SitePage(
                common(
                    path: "tandems/index.html", title: strings["nav_tandems"], current: "tandems",
                    description: strings["tandems_description"]), page))
    }

    /// The pages of `publicTandems[range]`.
    mutating func renderTandemPages(_ range: Range<Int>) {
        let links = links(for: "tandems/index.html")
        for item in publicTandems[range] {
            let path = ShareLinks.tandemPage(item.id)
            let share = ShareLinks(programme: programme)
            let lead = share.lead(item, strings: strings, language: language)
            let alt = strings.format(
                "card_alt_tandem", ["mentor": item.mentor.name, "mentee": item.mentee.name, "programme": siteTitle])
            let common = common(
                path: path, title: "\(item.mentor.name) & \(item.mentee.name)", current: "tandems", description: lead,
                image: (ShareLinks.tandemCard(item.id), alt))
            let url = share.url(path, language: language)
            let box = ShareBox(
                linkedin_href: url.map(ShareLinks.linkedIn), image_href: "\(item.id).card.png",
                text: ScrubbedText(url.map { lead + " " + $0 } ?? lead))
            write(path, template: "tandem", SitePage(common, TandemPage(tandem: tandemCard(item, links, portrait: true), share: box)))
        }
    }

    private mutating func renderTimeline() {
        let common = common(
            path: "timeline.html", title: strings["nav_timeline"], current: "timeline", description: strings["timeline_description"])
        let all = programme.milestones.map(milestone)
        let groups = [
            MilestoneGroup(title: strings["timeline_upcoming"], past: false, milestones: all.filter { !$0.past }),
            MilestoneGroup(title: strings["timeline_past"], past: true, milestones: all.filter(\.past)),
        ].filter { !$0.milestones.isEmpty }
        let page = TimelinePage(milestones: all, groups: groups)
        write("timeline.html", template: "timeline", SitePage(common, page))
    }

    private mutating func renderPage(_ original: Page) {
        let translated = original.translations[language]
        let page = translated ?? original
        let textLanguage = translated != nil ? language : programme.language
        let context = FreePage(
            title: ScrubbedText(page.title), body: page.body.html, slug: page.slug, lang: langAttribute(textLanguage),
            // A translation may keep the original's title; then the title is in the main language.
            title_lang: translated.map { $0.title == original.title ? langAttribute(programme.language) : nil }
                ?? langAttribute(programme.language))
        let description = Cards.excerpt(page.body.plainText, limit: 160)
        let common = common(
            path: pageHref(page.slug), title: page.title, current: "page-" + page.slug,
            description: description.isEmpty ? nil : description)
        write(pageHref(page.slug), template: "page", SitePage(common, FreePageContext(page: context)))
    }

    /// The 404 page sits at the site root and may be served at any depth, so its links are absolute when `base_url` is known.
    private mutating func renderNotFound() {
        let languageRoot = multilingual ? "\(language)/" : ""
        let base = programme.baseURL ?? ""
        let links = PageLinks(root: base + languageRoot, siteRoot: base)
        let common = common(
            path: "404.html", title: strings["not_found_title"], current: "", links: links, description: strings["not_found_text"])
        let context = SitePage(common, NoFields())
        output.add("site/404.html", bytes: theme.render("404", context))
    }

    /// site/index.html with several languages: sends the visitor to the main language (works from disk too).
    private mutating func renderLanguageIndex() {
        let common = common(
            path: "index.html", title: programme.title.text(in: language), current: "", links: PageLinks(root: "", siteRoot: ""),
            description: siteLead)
        let page = LanguageIndexPage(
            target: "\(language)/index.html",
            choices: programme.languages.map { code in
                LanguageChoice(
                    lang: code, name: languageNames[code] ?? code, href: "\(code)/index.html",
                    title: ScrubbedText(programme.title.text(in: code)))
            })
        output.add("site/index.html", bytes: theme.render("language-index", SitePage(common, page)))
    }

    // MARK: Contexts

    /// What every page template can use: `lang`, `root`, `t` (UI strings), `site`, `nav`, `title` …
    private mutating func common(
        path: String, title: String, current: String, links explicit: PageLinks? = nil, description: String? = nil,
        image: (path: String, alt: String)? = nil
    ) -> SitePageCommon {
        let links = explicit ?? links(for: path)
        let root = links.root
        let navKey = root + "\u{0}" + current
        let nav: (menu: Prepared<[NavItem]>, footer: Prepared<[NavItem]>)
        if let known = menus[navKey] {
            nav = known
        } else {
            nav = navigation(root: root, current: current)
            menus[navKey] = nav
        }
        // Language switcher and hreflang alternates: the same page in every published language.
        var switcher: [LanguageLink] = []
        var alternates: [AlternateLink] = []
        if multilingual && explicit == nil {
            for code in programme.languages {
                let href = links.siteRoot + code + "/" + path
                switcher.append(LanguageLink(lang: code, name: languageNames[code] ?? code, href: href, current: code == language))
                alternates.append(AlternateLink(lang: code, href: programme.baseURL.map { $0 + code + "/" + path } ?? href))
            }
            alternates.append(
                AlternateLink(
                    lang: "x-default",
                    href: programme.baseURL.map { $0 + programme.language + "/" + path } ?? links.siteRoot + programme.language + "/" + path
                ))
        }
        return SitePageCommon(
            lang: language, root: root, site_root: links.siteRoot, t: strings.template, title: ScrubbedText(title),
            full_title: ScrubbedText(title == siteTitle ? siteTitle : "\(title) – \(siteTitle)"), site: site, nav: nav.menu,
            calendar_href: root + "programme.ics", contact_name: contact?.name, contact: contact, footer_pages: nav.footer,
            canonical: explicit == nil ? programme.baseURL.map { $0 + languagePrefix + path } : nil,
            description: ScrubbedText(description ?? siteLead), languages: switcher, alternates: alternates,
            link_preview: sharePreview(path: explicit == nil ? path : nil, title: title, description: description, image: image))
    }

    /// The page's link preview (Open Graph, Twitter Card): its image is the tandem's card on a tandem page, else the
    /// programme's card; og:url and og:image only with base_url (they must be absolute).
    private func sharePreview(path: String?, title: String, description: String?, image: (path: String, alt: String)?) -> SharePreview {
        let links = ShareLinks(programme: programme)
        let programmeTitle = programme.title.text(in: language)
        let alt =
            image?.alt ?? strings.format("card_alt_programme", ["programme": programmeTitle, "dates": dates])
        return SharePreview(
            title: ScrubbedText(title), site_name: ScrubbedText(programmeTitle), description: ScrubbedText(description ?? siteLead),
            type: path == "index.html" ? "website" : "article", url: path.flatMap { links.url($0, language: language) },
            image: links.url(image?.path ?? ShareLinks.programmeCard, language: language), image_width: ShareRenderer.landscape.width,
            image_height: ShareRenderer.landscape.height, image_alt: ScrubbedText(alt),
            locale: ShareLinks.locale(strings, language: language),
            locale_alternates: programme.languages.filter { $0 != language }.map { code in
                allStrings[code].map { ShareLinks.locale($0, language: code) } ?? code
            }, twitter_card: "summary_large_image")
    }

    /// The menu of a page at `root` with `current` marked, and the footer's links (pages flagged `footer: true`); the
    /// same for thousands of pages, so built once per renderer job.
    private func navigation(root: String, current: String) -> (menu: Prepared<[NavItem]>, footer: Prepared<[NavItem]>) {
        var nav = [
            NavItem(title: ScrubbedText(strings["nav_home"]), href: root + "index.html", current: current == "home", lang: nil),
            NavItem(
                title: ScrubbedText(strings["nav_participants"]), href: root + "participants/index.html",
                current: current == "participants",
                lang: nil),
            NavItem(
                title: ScrubbedText(strings["nav_tandems"]), href: root + "tandems/index.html", current: current == "tandems", lang: nil),
            NavItem(title: ScrubbedText(strings["nav_timeline"]), href: root + "timeline.html", current: current == "timeline", lang: nil),
        ]
        var footer: [NavItem] = []
        for original in programme.pages {
            let page = original.translations[language] ?? original
            let titleLanguage =
                original.translations[language].map { $0.title == original.title ? programme.language : language } ?? programme.language
            let item = NavItem(
                title: ScrubbedText(page.title), href: root + pageHref(page.slug), current: current == "page-" + page.slug,
                lang: langAttribute(titleLanguage))
            if original.footer { footer.append(item) } else { nav.append(item) }
        }
        return (Prepared(nav, scrub: true), Prepared(footer, scrub: true))
    }

    private var languagePrefix: String { multilingual ? language + "/" : "" }

    private func stat(_ value: Int, _ key: String) -> StatItem { StatItem(value: strings.number(value), label: strings[key]) }

    private func milestone(_ m: Milestone) -> MilestoneItem {
        Cards(strings: strings, language: language).milestone(m, past: m.date < programme.referenceDate)
    }

    private func quote(_ entry: FeedbackEntry) -> QuoteItem {
        Cards(strings: strings, language: language).quote(entry)
    }

    /// A published participant as the templates see them. Never includes e-mail.
    func card(_ person: Participant, _ links: PageLinks) -> PersonCard {
        Cards(strings: strings, language: language).person(
            person, href: links.root + "participants/\(person.id).html",
            photo: person.photo.map { links.siteRoot + "assets/" + Escape.urlPath($0) },
            colour: programme.publicView.avatarColour(of: person.id))
    }

    /// A tandem's card; with `portrait`, its portrait in this language (the joint photo's URL relative to the page).
    private func tandemCard(_ item: PublicTandem, _ links: PageLinks, portrait: Bool = false) -> TandemCard {
        let cards = Cards(strings: strings, language: language)
        var card = cards.tandem(
            item, href: links.root + "tandems/\(item.id).html", mentor: card(item.mentor, links), mentee: card(item.mentee, links))
        if portrait, let base = item.tandem.portrait {
            let photo = (base.translations[language] ?? base).photo ?? base.photo
            card.portrait = cards.portrait(
                item.tandem, mainLanguage: programme.language, photo: photo.map { links.siteRoot + "assets/" + Escape.urlPath($0) })
        }
        return card
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

    private mutating func write<Context: TemplateContext>(_ path: String, template: String, _ context: Context) {
        output.add(folder + path, bytes: theme.render(template, context))
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
        for asset in programme.assets where programme.publicView.mayPublishAsset(asset) {
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
