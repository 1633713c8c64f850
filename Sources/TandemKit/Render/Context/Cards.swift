/// Builds the cards site and print share (person, tandem, milestone, the programme's `site`), in one language:
/// one builder, so a card reads the same on a page, in the handout and on an announcement.
struct Cards {
    let strings: UIStrings
    let language: String

    /// The programme as every page shows it: title, organiser, dates.
    func site(_ programme: Programme) -> Prepared<SiteInfo> {
        Prepared(
            SiteInfo(
                title: ScrubbedText(programme.title.text(in: language)), organiser: ScrubbedText(programme.organiser.text(in: language)),
                dates: strings.longDate(programme.start) + " – " + strings.longDate(programme.end)),
            scrub: true)
    }

    /// A published participant. `href` and `photo` are relative to the page; `topicsLabel` is print's heading;
    /// `colour` is the model's avatar colour (`PublicProgramme.avatarColour(of:)`).
    func person(_ person: Participant, href: String?, photo: String?, colour: Int, topicsLabel: String? = nil) -> PersonCard {
        PersonCard(
            id: person.id, name: ScrubbedText(person.name), organisation: ScrubbedText(person.organisation),
            position: person.position.map(ScrubbedText.init), role: person.role.rawValue,
            role_label: strings.roleLabel(person.role, gender: person.gender), is_mentor: person.role == .mentor,
            topics: person.topics.scrubbed, initials: Self.initials(person.name), avatar_colour: colour, href: href, photo: photo,
            topics_label: topicsLabel)
    }

    /// A quote from feedback, attributed to the neutral role and the feedback round only ("Mentee, Schlussbilanz").
    func quote(_ entry: FeedbackEntry) -> QuoteItem {
        let role = strings.label("roles", entry.author.rawValue)
        return QuoteItem(
            body: entry.body.html, role: role,
            attribution: strings.format("quote_attribution", ["role": role, "phase": strings.label("quote_phases", entry.phase.rawValue)]))
    }

    /// A public tandem with its members' cards.
    func tandem(_ item: PublicTandem, href: String?, mentor: PersonCard, mentee: PersonCard) -> TandemCard {
        let tandem = item.tandem
        return TandemCard(
            id: tandem.id, href: href, mentor: mentor, mentee: mentee, shared_topics: item.sharedTopics.scrubbed,
            shared_languages: item.sharedLanguages.map { strings.label("language_names", $0) }, goals: tandem.goals.scrubbed,
            status: tandem.status.rawValue, status_label: strings.label("statuses", tandem.status.rawValue),
            started: tandem.started.map { strings.longDate($0) })
    }

    /// A milestone; `past` marks it as over (the site; a handout read at the symposium shows no such badge).
    func milestone(_ m: Milestone, past: Bool) -> MilestoneItem {
        let written = m.title.language(for: language)
        return MilestoneItem(
            date: m.date.iso, date_text: strings.longDate(m.date), day: String(m.date.day),
            month: strings.months.count == 12 ? strings.months[m.date.month - 1] : "", year: String(m.date.year),
            title: ScrubbedText(m.title.text(in: language)), title_lang: written == language ? nil : written,
            location: m.location.map { ScrubbedText($0.text(in: language)) },
            description: m.description.map { ScrubbedText($0.text(in: language)) }, past: past,
            time_text: m.time.map { strings.timeRange($0) },
            datetime: m.date.iso + (m.time.map { "T" + $0.start.description } ?? ""),
            address_lines: (m.address?.text(in: language) ?? "").split(whereSeparator: \.isNewline)
                .map { ScrubbedText($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.text.isEmpty },
            url: m.url,
            agenda: m.agenda.map { item in
                AgendaEntry(
                    time_text: strings.timeRange(item.time), time: item.time.start.description,
                    title: ScrubbedText(item.title.text(in: language)),
                    speaker: item.speaker.map { ScrubbedText($0.text(in: language)) })
            })
    }

    /// The programme office for public pages; nil when there is no contact or it says `public: no`.
    func contact(_ programme: Programme) -> ContactInfo? {
        guard let contact = programme.contact, contact.isPublic else { return nil }
        let email = contact.email.flatMap { MIME.isSendable($0) ? $0 : nil }
        let phoneDigits = contact.phone.map { phone in
            (phone.hasPrefix("+") ? "+" : "") + phone.filter(\.isASCII).filter(\.isNumber)
        }
        var urlText = contact.url.map { url -> String in
            var text = Substring(url)
            for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
            return String(text)
        }
        if let text = urlText, text.hasSuffix("/") { urlText = String(text.dropLast()) }
        return ContactInfo(
            name: ScrubbedText(contact.names.text(in: language)), email: email.map { ScrubbedText.officeAddress($0) },
            email_href: email.map { ScrubbedText.officeAddress("mailto:" + $0) }, phone: contact.phone,
            phone_href: phoneDigits.map { "tel:" + $0 }, url: contact.url, url_text: urlText)
    }

    /// A tandem's portrait in this language (else in `mainLanguage`, the programme's); `photo` is the joint photo's
    /// URL relative to the page.
    func portrait(_ tandem: Tandem, mainLanguage: String, photo: String?) -> PortraitItem? {
        guard let base = tandem.portrait else { return nil }
        let portrait = base.translations[language] ?? base
        let written = base.translations[language] != nil || language == mainLanguage ? nil : mainLanguage
        return PortraitItem(
            html: portrait.body.html, excerpt: ScrubbedText(Self.excerpt(portrait.body.plainText, limit: 220)),
            quote: portrait.quote.map(ScrubbedText.init), photo: photo, lang: written)
    }

    /// The text up to `limit` characters, cut at a word and ended with "…" when it is longer.
    static func excerpt(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        var cut = String(flat.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        while let last = cut.last, ",;:.–-".contains(last) { cut.removeLast() }
        return cut + "…"
    }

    /// Up to two initials for an avatar without photo.
    /// The first letters of the first and the last word ("Anna-Katharina von Graffenried" → "AG"), so a particle
    /// or a middle name does not stand for the family name.
    static func initials(_ name: String) -> String {
        let words = name.split(separator: " ")
        guard let first = words.first?.first else { return "" }
        guard words.count > 1, let last = words.last?.first else { return String(first).uppercased() }
        return (String(first) + String(last)).uppercased()
    }
}

extension Theme {
    /// Renders template `name` with a typed context. Every text is also stripped of e-mail addresses (SPEC rule 2):
    /// whatever field a programme manager typed an address into, no template can publish it.
    func render<Context: TemplateContext>(_ name: String, _ context: Context) -> [UInt8] {
        renderBytes(name, value: TemplateEncoder.encode(context, scrub: true))
    }
}
