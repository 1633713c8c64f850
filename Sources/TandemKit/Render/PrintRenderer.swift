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

    /// Each public tandem's QR code to its page in `language`, by tandem id: the handout and the announcement print
    /// the same code, so it is drawn once (libqrencode's choice of mask is the costly part of a print build).
    let pageQRCodes: [String: QRCode]

    init(
        programme: Programme, theme: Theme, language: String, strings: UIStrings, handoutOnly: Bool = false,
        pageQRCodes: [String: QRCode]
    ) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        self.handoutOnly = handoutOnly
        self.pageQRCodes = pageQRCodes
        siteTitle = programme.title.text(in: language)
        dates = strings.longDate(programme.start) + " – " + strings.longDate(programme.end)
        site = Cards(strings: strings, language: language).site(programme)
        // Scrubbed once: every announcement carries it, and its `@page` rules send each copy through the full
        // e-mail search.
        pageCSS = ScrubbedText(Self.pageCSS(programme: programme, language: language, strings: strings))
    }

    /// What every print page shows of the programme, built once: its title, `site` and the margin boxes' CSS.
    let siteTitle: String
    let dates: String
    let site: Prepared<SiteInfo>
    let pageCSS: ScrubbedText

    /// `handout.html`, or `handout.<lang>.html` when the programme is published in several languages.
    var handoutFile: String { programme.languages.count > 1 ? "handout.\(language).html" : "handout.html" }

    // MARK: What is public

    /// Read from the model's public view (`Programme.publicView`), as the site does.
    var publicTandems: [PublicTandem] { programme.publicView.tandems }
    var quotes: [FeedbackEntry] { programme.publicView.quotes }

    /// The symposium the handout presents: the milestone on `print.symposium`'s date when programme.yml names one
    /// (checked in the model stage), else the last milestone whose title (in any language) contains "symposium" (or
    /// Italian "simposio"), else the last milestone.
    static func symposium(of programme: Programme) -> Milestone? {
        if let day = programme.print.symposium, let marked = programme.milestones.last(where: { $0.date == day }) { return marked }
        let named = programme.milestones.filter { milestone in
            milestone.title.values.values.contains { title in
                let lower = title.lowercased()
                return lower.contains("symposium") || lower.contains("simposio")
            }
        }
        return named.last ?? programme.milestones.last
    }

    /// The handout's PDF has a multiple of this many pages (saddle stitch: four pages to a folded sheet).
    static let bookletMultiple = 4

    // MARK: Rendering

    /// The QR codes to the public tandems' pages in `language` (none without `base_url`), drawn on `workers` threads.
    static func pageQRCodes(programme: Programme, language: String, workers: Int) -> [String: QRCode] {
        let links = ShareLinks(programme: programme)
        let tandems = programme.publicView.tandems
        let codes = Parallel.map(tandems.count, workers: workers) { index in
            links.url(ShareLinks.tandemPage(tandems[index].id), language: language).flatMap { QRCode(url: $0) }
        }
        var byID: [String: QRCode] = [:]
        for (tandem, code) in zip(tandems, codes) { byID[tandem.id] = code }
        return byID
    }

    /// The handout and, for the main language, the announcements and print/'s stylesheet and photos.
    mutating func render() {
        renderHandoutPart()
        guard !handoutOnly else { return }
        renderAnnouncements(publicTandems.indices)
    }

    /// The handout; in the main language also the stylesheet and the photos the handout shows.
    mutating func renderHandoutPart() {
        renderHandoutPage()
        guard !handoutOnly else { return }
        if theme.assets.contains(Self.stylesheet) {
            theme.addAsset(Self.stylesheet, at: "print/theme/" + Self.stylesheet, to: &output)
        }
        copyPhotos()
    }

    /// The announcements of the public tandems in `range` (of `publicTandems`) and the photos they show: a build
    /// renders them in parts, each written as soon as it is done.
    mutating func renderAnnouncements(_ range: Range<Int>) {
        for tandem in publicTandems[range] { renderAnnouncement(tandem) }
        copyPhotos()
    }

    private mutating func renderHandoutPage() {
        let root = ""
        let programmeTitle = programme.title.text(in: language)
        let organiser = programme.organiser.text(in: language)
        let cards = Cards(strings: strings, language: language)
        let symposiumMilestone = Self.symposium(of: programme)
        let cover = HandoutCover(
            eyebrow: strings["print_cover_eyebrow"], title: ScrubbedText(programmeTitle), organiser: ScrubbedText(organiser), dates: dates,
            symposium: symposiumMilestone.map { event in
                SymposiumItem(
                    title: ScrubbedText(event.title.text(in: language)), date_text: strings.longDate(event.date), date: event.date.iso,
                    location: event.location.map { ScrubbedText($0.text(in: language)) },
                    time_text: event.time.map { strings.timeRange($0) })
            })
        let about: HandoutAbout
        if let original = programme.pages.first(where: { !$0.footer }) {
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
        let hidden = programme.publicView.hiddenTandems
        let symposium = symposiumMilestone.map { event in
            HandoutSymposium(
                event: cards.milestone(event, past: false), url_qr: event.url.flatMap { QRCode(url: $0) },
                url_text: event.url.map(Self.shortURL))
        }
        // The site's feedback figures (the same k-anonymous means as its home page), each as a bar of the scale.
        let numbers = PublicFigures.section(programme, strings: strings, language: language)
        let scale = max(programme.figures.feedback.scale, 1)
        let results = HandoutResults(
            stats: stats, feedback_intro: numbers?.intro,
            feedback: (numbers?.figures ?? []).map { figure in
                let tenths = Int(figure.mean.filter(\.isNumber)) ?? 0
                return HandoutFeedbackBar(figure: figure, percent: min(100, max(0, tenths * 10 / scale)))
            })
        let quoteItems = quotes.prefix(6).map { cards.quote($0) }
        var chapters: [HandoutChapter] = []
        if let symposium { chapters.append(HandoutChapter(id: "symposium", title: symposium.event.title)) }
        chapters.append(HandoutChapter(id: "about", title: about.title))
        chapters.append(HandoutChapter(id: "results", title: ScrubbedText(strings["home_figures"])))
        chapters.append(HandoutChapter(id: "tandems", title: ScrubbedText(strings["print_tandems_title"])))
        if !quoteItems.isEmpty { chapters.append(HandoutChapter(id: "voices", title: ScrubbedText(strings["home_voices"]))) }
        if !programme.milestones.isEmpty { chapters.append(HandoutChapter(id: "timeline", title: ScrubbedText(strings["nav_timeline"]))) }
        let page = HandoutPage(
            format: programme.print.format.rawValue, booklet_pages: Self.bookletMultiple, cover: cover, chapters: chapters, about: about,
            lead: ScrubbedText(lead), stats: stats, symposium: symposium, results: results,
            tandems: tandems.map { item in
                // Beside each tandem, a QR code to its page in the handout's language (only with base_url).
                var card = tandemCard(item, root: root)
                card.page_qr = pageQRCodes[item.id]
                card.portrait = portrait(item.tandem, root: root, cards: cards)
                return card
            }.sorted { ($0.portrait == nil ? 1 : 0) < ($1.portrait == nil ? 1 : 0) },
            // With no public tandem at all the template says so (print_no_public_tandems) instead of counting.
            tandems_hidden: hidden > 0 && !tandems.isEmpty
                ? strings.format("tandems_unpublished", ["count": String(hidden)], count: hidden) : nil,
            quotes: quoteItems,
            // A handout is read at the symposium: no "past" badges.
            milestones: programme.milestones.map { cards.milestone($0, past: false) },
            office: HandoutOffice(
                organiser: ScrubbedText(organiser), contact_name: programme.contact.map { ScrubbedText($0.names.text(in: language)) },
                website: programme.baseURL, website_text: programme.baseURL.map(Self.shortURL),
                // The back cover leads to the site: the same address as printed beside it.
                qr: programme.baseURL.flatMap { QRCode(url: $0) },
                // The office's public contact (SPEC v2: shown in handouts unless `public: no`).
                contact: cards.contact(programme)),
            // At most three pages are ever needed to reach the next multiple of four; the PDF step shows as many.
            notes_pages: (1..<Self.bookletMultiple).map { HandoutNotesPage(number: $0) })
        write(
            handoutFile, template: "handout",
            PrintPage(
                common(title: strings["print_handout_title"], root: root, bodyClass: "handout handout-\(programme.print.format.rawValue)"),
                page))
    }

    /// A URL as printed: without `https://` (or `http://`) and a trailing slash.
    static func shortURL(_ url: String) -> String {
        var text = Substring(url)
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// A public tandem's portrait with its joint photo (copied to print/assets/ when the asset rules allow it).
    private mutating func portrait(_ tandem: Tandem, root: String, cards: Cards) -> PortraitItem? {
        var photo: String?
        if let path = tandem.portrait?.photo, programme.publicView.mayPublishAsset(path) {
            usedPhotos.insert(path)
            photo = root + "assets/" + Escape.urlPath(path)
        }
        return cards.portrait(tandem, mainLanguage: programme.language, photo: photo)
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
        let qr = pageQRCodes[item.id]
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
        let number = parts.joined(separator: " ")
        // Announcements are single pages; the handout is a booklet, so its page numbers sit on the outer edge:
        // right on right-hand pages, left on left-hand ones. The chapter (`string(chapter)`, CSS paged media) is set
        // in print.css, which the HTML validator does not read: it knows no `string()`.
        var css =
            "@page { @top-left { content: \(title); } @bottom-left { content: \(organiser); } "
            + "@bottom-right { content: \(number); } } "
            + "@page handout:left { @top-left { content: \(title); } "
            + "@bottom-left { content: \(number); } @bottom-right { content: \(organiser); } } "
            + "@page handout:right { @top-right { content: \(title); } "
            + "@bottom-left { content: \(organiser); } @bottom-right { content: \(number); } }"
        // Quotation marks as the language writes them (strings: quote_open … quote_inner_close).
        let marks = ["quote_open", "quote_close", "quote_inner_open", "quote_inner_close"].map { cssString(strings[$0]) }
        css += " .booklet blockquote, .booklet q { quotes: \(marks.joined(separator: " ")); }"
        if programme.print.format == .a5 {
            // A5: outer margins 15 mm, inner 16 mm (the A4 ones are in print.css).
            css +=
                " @page { size: A5; } @page cover { size: A5; } @page back { size: A5; }"
                + " @page handout { size: A5; margin: 17mm 15mm 16mm 16mm; }"
                + " @page handout:left { margin-left: 15mm; margin-right: 16mm; }"
                + " @page handout:right { margin-left: 16mm; margin-right: 15mm; }"
        }
        return css
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
    private mutating func copyPhotos() {
        for photo in usedPhotos.sorted() where programme.publicView.mayPublishAsset(photo) {
            output.copy(programme.contentRoot + "/assets/" + photo, to: "print/assets/" + photo)
        }
    }
}
