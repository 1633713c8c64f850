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
        site = Cards(strings: strings, language: language).site(programme)
        pageCSS = Self.pageCSS(programme: programme, language: language, strings: strings)
    }

    /// What every print page shows of the programme, built once: its title, `site` and the margin boxes' CSS.
    let siteTitle: String
    let dates: String
    let site: Prepared<SiteInfo>
    let pageCSS: String

    /// `handout.html`, or `handout.<lang>.html` when the programme is published in several languages.
    var handoutFile: String { programme.languages.count > 1 ? "handout.\(language).html" : "handout.html" }

    // MARK: What is public

    /// Read from the model's public view (`Programme.publicView`), as the site does.
    var publicTandems: [PublicTandem] { programme.publicView.tandems }
    var quotes: [FeedbackEntry] { programme.publicView.quotes }

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
        let organiser = programme.organiser.text(in: language)
        let cards = Cards(strings: strings, language: language)
        let symposium = Self.symposium(of: programme).map { event in
            SymposiumItem(
                title: ScrubbedText(event.title.text(in: language)), date_text: strings.longDate(event.date), date: event.date.iso,
                location: event.location.map { ScrubbedText($0.text(in: language)) })
        }
        let cover = HandoutCover(
            eyebrow: strings["print_cover_eyebrow"], title: ScrubbedText(programmeTitle), organiser: ScrubbedText(organiser), dates: dates,
            symposium: symposium)
        let about: HandoutAbout
        if let original = programme.pages.first {
            let page = original.translations[language] ?? original
            let textLanguage = original.translations[language] != nil ? language : programme.language
            about = HandoutAbout(title: ScrubbedText(page.title), body: page.body.html, lang: textLanguage == language ? nil : textLanguage)
        } else {
            about = HandoutAbout(title: ScrubbedText(strings["print_about_title"]), body: nil, lang: nil)
        }
        let figures = programme.figures
        let lead = strings.format(
            "print_lead",
            [
                "organiser": organiser, "programme": programmeTitle,
                "start": strings.longDate(programme.start), "end": strings.longDate(programme.end),
                "tandems": String(figures.tandems),
            ], count: figures.tandems)
        let tandems = publicTandems
        let links = ShareLinks(programme: programme)
        let hidden = programme.publicView.hiddenTandems
        let page = HandoutPage(
            cover: cover, about: about, lead: ScrubbedText(lead), stats: stats,
            tandems: tandems.map { item in
                // Beside each tandem, a QR code to its page in the handout's language (only with base_url).
                var card = tandemCard(item, root: root)
                card.page_qr = links.url(ShareLinks.tandemPage(item.id), language: language).flatMap { QRCode(url: $0) }
                return card
            },
            // With no public tandem at all the template says so (print_no_public_tandems) instead of counting.
            tandems_hidden: hidden > 0 && !tandems.isEmpty
                ? strings.format("tandems_unpublished", ["count": String(hidden)], count: hidden) : nil,
            quotes: quotes.prefix(6).map { cards.quote($0) },
            // A handout is read at the symposium: no "past" badges.
            milestones: programme.milestones.map { cards.milestone($0, past: false) },
            // The programme office is named, never its e-mail address (print/ is public).
            office: HandoutOffice(
                organiser: ScrubbedText(organiser), contact_name: programme.contact.map { ScrubbedText($0.name) },
                website: programme.baseURL,
                // The back cover leads to the site: the same address as printed above it.
                qr: programme.baseURL.flatMap { QRCode(url: $0) }))
        write(
            handoutFile, template: "handout",
            PrintPage(common(title: strings["print_handout_title"], root: root, bodyClass: "handout"), page))
    }

    private mutating func renderAnnouncement(_ item: PublicTandem) {
        let (mentor, mentee) = (item.mentor, item.mentee)
        let root = "../"
        var card = tandemCard(item, root: root)
        let start = item.tandem.started ?? programme.start
        card.start_text = strings.longDate(start)
        card.start_date = start.iso
        // What they will work on: the agreed goals, and the shared topics (else the mentee's learning wishes).
        // A poster has one page: at most `posterGoals` goals and `posterTopics` topics (the handout shows all).
        let shared = item.sharedTopics
        card.work_topics = Array((shared.isEmpty ? mentee.topics : shared).prefix(Self.posterTopics)).scrubbed
        card.goals = Array(card.goals.prefix(Self.posterGoals))
        let links = ShareLinks(programme: programme)
        let lead = links.lead(item, strings: strings, language: language)
        let cards = Cards(strings: strings, language: language)
        card.portrait = cards.portrait(item.tandem, mainLanguage: programme.language, photo: nil)
        let common = common(title: "\(mentor.name) & \(mentee.name)", root: root, bodyClass: "announcement")
        // A QR code to the tandem's page, whose address is printed beside it (only with base_url).
        let qr = links.url(ShareLinks.tandemPage(item.id), language: language).flatMap { QRCode(url: $0) }
        let page = AnnouncementPage(
            tandem: card, lead: ScrubbedText(lead), website: programme.baseURL, qr: qr, quote: announcementQuote(item),
            contact: cards.contact(programme),
            organiser_line: ScrubbedText(
                strings.format("print_announcement_organiser", ["organiser": programme.organiser.text(in: language)])),
            url_parts: Self.urlParts(qr?.url ?? programme.baseURL ?? ""))
        write("announcements/\(item.id).html", template: "announcement", PrintPage(common, page))
    }

    /// `url` cut before each `/`, `.` and `-` (not inside `//` or `--`, nor after the scheme's `:`): the pieces a
    /// printed address may be broken between.
    static func urlParts(_ url: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previous: Character?
        for character in url {
            if "/.-".contains(character), !current.isEmpty, previous != character, previous != ":" {
                parts.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// The tandem's own line (its portrait's `quote`), else the mentee's, else the mentor's profile quote, in this
    /// language when translated.
    private func announcementQuote(_ item: PublicTandem) -> AnnouncementQuote? {
        func written<T>(_ base: T?, _ translations: [String: T], _ quote: (T) -> String?) -> (String, String?)? {
            if let translated = translations[language], let text = quote(translated) { return (text, nil) }
            guard let base, let text = quote(base) else { return nil }
            return (text, language == programme.language ? nil : programme.language)
        }
        if let portrait = item.tandem.portrait, let (text, lang) = written(portrait, portrait.translations, \.quote) {
            return AnnouncementQuote(text: ScrubbedText(text), by: ScrubbedText("\(item.mentor.name) & \(item.mentee.name)"), lang: lang)
        }
        for person in [item.mentee, item.mentor] {
            guard let profile = person.profile, let (text, lang) = written(profile, profile.translations, \.quote) else { continue }
            return AnnouncementQuote(text: ScrubbedText(text), by: ScrubbedText(person.name), lang: lang)
        }
        return nil
    }

    // MARK: Contexts

    /// What every print template can use: `lang`, `t`, `title`, `full_title`, `site`, `css_href`, `page_css`, `body_class`.
    private func common(title: String, root: String, bodyClass: String) -> PrintPageCommon {
        PrintPageCommon(
            lang: language, root: root, t: strings.template, title: ScrubbedText(title),
            full_title: ScrubbedText(title == siteTitle ? siteTitle : "\(title) – \(siteTitle)"), site: site,
            css_href: root + "theme/" + Self.stylesheet, page_css: pageCSS, body_class: bodyClass)
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

    /// The same figures as the site's home page (`Programme.figures`).
    private var stats: [StatItem] {
        let figures = programme.figures
        return [
            (figures.participants, "stat_participants"), (figures.organisations, "stat_organisations"),
            (figures.tandems, "stat_tandems"), (figures.meetings, "stat_meetings"), (figures.hours, "stat_hours"),
        ].map { StatItem(value: strings.number($0.0), label: strings[$0.1]) }
    }

    /// A published participant as the print templates see them. Never includes e-mail.
    private mutating func person(_ person: Participant, root: String) -> PersonCard {
        var photo: String?
        if let path = person.photo, programme.publicView.photos.contains(path) {
            usedPhotos.insert(path)
            photo = root + "assets/" + Escape.urlPath(path)
        }
        return Cards(strings: strings, language: language).person(
            person, href: nil, photo: photo, colour: programme.publicView.avatarColour(of: person.id),
            topicsLabel: strings[person.role == .mentor ? "profile_topics_mentor" : "profile_topics_mentee"])
    }

    private mutating func tandemCard(_ item: PublicTandem, root: String) -> TandemCard {
        let mentor = person(item.mentor, root: root)
        let mentee = person(item.mentee, root: root)
        return Cards(strings: strings, language: language).tandem(item, href: nil, mentor: mentor, mentee: mentee)
    }

    // MARK: Writing

    private mutating func write<Context: TemplateContext>(_ path: String, template: String, _ context: Context) {
        output.add("print/" + path, bytes: theme.render(template, context))
    }

    /// print/ is self-contained: its stylesheet goes to print/theme/, the photos it shows to print/assets/.
    private mutating func copyAssets() {
        if theme.assets.contains(Self.stylesheet) {
            theme.addAsset(Self.stylesheet, at: "print/theme/" + Self.stylesheet, to: &output)
        }
        for photo in usedPhotos.sorted() where programme.publicView.photos.contains(photo) {
            output.copy(programme.contentRoot + "/assets/" + photo, to: "print/assets/" + photo)
        }
    }
}
