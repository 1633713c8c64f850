import Foundation

/// Renders mail/: one pairing-announcement e-mail per tandem (`mail/<tandem-id>.eml`), public or not, since it goes
/// only to the tandem's two members. A ready-to-send RFC 5322 message: multipart/mixed with a multipart/alternative
/// (text/plain and text/html, both from the theme's mail templates) and the programme's calendar (`programme.ics`).
///
/// Deterministic: Date is the tandem's `started` day (else the programme's `start`) at 09:00 UTC, Message-ID and
/// MIME boundaries come from the tandem id, nothing reads the clock.
struct MailRenderer {
    let programme: Programme
    let theme: Theme
    let language: String
    let strings: UIStrings
    var output = OutputTree()

    /// Sender when programme.yml has no `contact.email`: a reserved, never-deliverable domain (RFC 2606),
    /// so the message cannot be sent by mistake before someone puts in the real address.

    /// The tandems written in this renderer's language (see `language(for:)`).
    let tandems: [Tandem]

    init(programme: Programme, theme: Theme, language: String, strings: UIStrings, tandems: [Tandem]? = nil) {
        self.programme = programme
        self.theme = theme
        self.language = language
        self.strings = strings
        self.tandems = tandems ?? programme.tandems
        let line = MIME.singleLine
        func lang(_ text: LocalizedText) -> String? {
            let written = text.language(for: language)
            return written == language ? nil : written
        }
        milestones = Prepared(
            programme.milestones.map { m in
                MailMilestone(
                    date_text: strings.longDate(m.date), time_text: m.time.map { strings.timeRange($0) },
                    title: line(m.title.text(in: language)), title_lang: lang(m.title),
                    location: m.location.map { line($0.text(in: language)) }, location_lang: m.location.flatMap(lang))
            }, scrub: false)
        untranslatedMilestones = programme.milestones.contains { lang($0.title) != nil || $0.location.flatMap(lang) != nil }
    }

    /// Some milestone title or place is shown in another language than the message's.
    private let untranslatedMilestones: Bool

    /// The programme's milestones as every message lists them (the same in each, so converted once).
    private let milestones: Prepared<[MailMilestone]>

    /// A tandem's e-mail is written in the first language of the mentor's list that the mentee also speaks and the
    /// theme has strings for; else in the programme's main language.
    static func language(for tandem: Tandem, in programme: Programme, available: Set<String>) -> String {
        guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else {
            return programme.language
        }
        return mentor.languages.first { mentee.languages.contains($0) && available.contains($0) } ?? programme.language
    }

    /// Site address of `path` in this language (`<base>/<lang>/path` on a multilingual site).
    private func siteURL(_ base: String, _ path: String) -> String {
        guard programme.languages.count > 1 else { return base + path }
        return base + (programme.languages.contains(language) ? language : programme.language) + "/" + path
    }

    mutating func render() {
        guard !tandems.isEmpty else { return }
        let sender = self.sender()
        // The same attachment goes into every message: encoded once.
        let calendar = Array(MIME.base64Lines(Array(Calendar.ics(programme, language: language).utf8)).utf8)
        for tandem in tandems {
            guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { continue }
            renderMail(tandem, mentor: mentor, mentee: mentee, sender: sender, calendar: calendar)
        }
    }

    // MARK: Headers

    /// The From mailbox: the programme office (`contact`); without a usable address the office's (else the organiser's)
    /// name at `Contact.fallbackSender` (the model stage has warned about it).
    private func sender() -> (name: String, address: String) {
        guard let contact = programme.contact else { return (programme.organiser.text(in: language), Contact.fallbackSender) }
        guard contact.canSendMail, let email = contact.email else { return (contact.name, Contact.fallbackSender) }
        return (contact.name, email)
    }

    private var messageHost: String { programme.baseURL.flatMap(Calendar.hostName) ?? "tandem.invalid" }

    // MARK: The message

    private mutating func renderMail(
        _ tandem: Tandem, mentor: Participant, mentee: Participant, sender: (name: String, address: String), calendar: [UInt8]
    ) {
        let members = [mentor, mentee]
        // The office's name in the message's language (`contact.name: {de: …, fr: …}`); the From header keeps its main name.
        let signed = programme.contact.map { $0.names.text(in: language) }.flatMap { $0.isEmpty ? nil : $0 } ?? sender.name
        let context = self.context(tandem, mentor: mentor, mentee: mentee, sender: signed)
        // site/ and print/ contexts lose every e-mail address (SPEC rule 2); mail/ is private by nature and
        // introduces the two members to each other, so their addresses stay.
        let value = TemplateEncoder.encode(context, scrub: false)
        let text = theme.renderBytes("mail-text", value: value)
        let html = theme.renderBytes("mail-html", value: value)

        let to = members.filter(\.canReceiveMail)
        let day = tandem.started ?? programme.start
        let key = String(stableHash(tandem.id), radix: 16).leftPadded(16)
        let mixed = "=_tandem_mixed_" + key
        let alternative = "=_tandem_alt_" + key

        var headers = ""
        headers += MIME.header("From", MIME.mailbox(name: sender.name, address: sender.address))
        if to.isEmpty {
            headers += MIME.header("To", ["undisclosed-recipients:;"])
        } else {
            headers += MIME.header("To", MIME.addressList(to.map { MIME.mailbox(name: $0.name, address: $0.email ?? "") }))
        }
        headers += MIME.header("Subject", MIME.unstructured(context.subject))
        headers += MIME.header("Date", [MIME.date(day)])
        headers += MIME.messageID(local: "\(tandem.id).announcement", host: messageHost)
        headers += MIME.header("MIME-Version", ["1.0"])
        headers += MIME.header("Content-Language", [language])
        // Outlook opens a message marked unsent as a draft, ready to send.
        headers += MIME.header("X-Unsent", ["1"])
        headers += MIME.header("Content-Type", ["multipart/mixed;", "boundary=\"\(mixed)\""])
        headers += MIME.crlf
        headers += "This is a multi-part message in MIME format." + MIME.crlf
        headers += MIME.crlf + "--" + mixed + MIME.crlf
        headers += MIME.header("Content-Type", ["multipart/alternative;", "boundary=\"\(alternative)\""])
        headers += MIME.crlf
        // The message is put together as bytes: the two bodies are encoded straight into it.
        var message: [UInt8] = []
        message.reserveCapacity(headers.utf8.count + 4 * (text.count + html.count) + calendar.count + 1_024)
        message.append(contentsOf: headers.utf8)
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            var part = "--" + alternative + MIME.crlf
            part += MIME.header("Content-Type", ["\(type);", "charset=utf-8"])
            part += MIME.header("Content-Transfer-Encoding", ["quoted-printable"])
            part += MIME.crlf
            message.append(contentsOf: part.utf8)
            MIME.appendQuotedPrintable(body, to: &message)
            message.append(contentsOf: MIME.crlf.utf8)
        }
        var attachment = "--" + alternative + "--" + MIME.crlf
        attachment += MIME.crlf + "--" + mixed + MIME.crlf
        attachment += MIME.header("Content-Type", ["text/calendar;", "charset=utf-8;", "name=\"programme.ics\""])
        attachment += MIME.header("Content-Disposition", ["attachment;", "filename=\"programme.ics\""])
        attachment += MIME.header("Content-Transfer-Encoding", ["base64"])
        attachment += MIME.crlf
        message.append(contentsOf: attachment.utf8)
        message.append(contentsOf: calendar)
        message.append(contentsOf: (MIME.crlf + "--" + mixed + "--" + MIME.crlf).utf8)
        // Kept until the write: a copy of exactly its size, not the encoder's headroom.
        output.add("mail/\(tandem.id).eml", bytes: message.withUnsafeBufferPointer { Array($0) })
    }

    /// What the mail templates see. Plain-text values are single lines (a name cannot break the text's layout).
    private func context(_ tandem: Tandem, mentor: Participant, mentee: Participant, sender: String) -> MailMessage {
        let programmeTitle = programme.title.text(in: language)
        let organiser = programme.organiser.text(in: language)
        let start = tandem.started ?? programme.start
        let and = " " + strings["mail_names_and"] + " "
        let sharedTopics = Tandem.sharedTopics(mentor: mentor, mentee: mentee).map(MIME.singleLine)
        let sharedLanguages = Tandem.sharedLanguages(mentor: mentor, mentee: mentee).map { strings.label("language_names", $0) }
        let goals = tandem.goals.map(MIME.singleLine)
        let line = MIME.singleLine
        // Topics, goals and positions are written in the programme's main language; a message in another language
        // marks them (lang) and says so once.
        let foreign = language != programme.language
        let showsContent =
            !sharedTopics.isEmpty || !goals.isEmpty || [mentor, mentee].contains { $0.position != nil || !$0.topics.isEmpty }
        let contentNote =
            foreign && (showsContent || untranslatedMilestones)
            ? strings.format("mail_content_language", ["language": strings.label("language_names", programme.language)]) : nil

        return MailMessage(
            lang: language, t: strings.template,
            subject: strings.format("mail_subject", ["programme": programmeTitle, "mentor": mentor.name, "mentee": mentee.name]),
            greeting: line(strings.format("mail_greeting", ["names": mentor.name + and + mentee.name])),
            intro: line(
                strings.format("mail_intro", ["programme": programmeTitle, "organiser": organiser, "start": strings.longDate(start)])),
            members: [member(mentor), member(mentee)], shared_topics: sharedTopics,
            shared_topics_text: Self.text(sharedTopics.joined(separator: ", ")), shared_languages: sharedLanguages,
            shared_languages_text: Self.text(sharedLanguages.joined(separator: ", ")), goals: goals,
            has_together: !(sharedTopics.isEmpty && sharedLanguages.isEmpty && goals.isEmpty), milestones: milestones,
            content_lang: foreign ? programme.language : nil, content_note: contentNote.map(line), sender_name: line(sender),
            signature: signature(sender: sender, organiser: organiser), organiser: line(organiser), programme: line(programmeTitle),
            website: programme.baseURL,
            tandem_url: programme.isPublic(tandem) ? programme.baseURL.map { siteURL($0, "tandems/\(tandem.id).html") } : nil)
    }

    /// The lines under the sender's name: the organiser, the office's phone, its web address and the programme's site,
    /// each left out when it repeats a line above it (an office named like its organiser, a site that is the office's).
    private func signature(sender: String, organiser: String) -> [MailSignatureLine] {
        var lines: [MailSignatureLine] = []
        var seen: Set<String> = [TextKey.of(sender)]
        func add(_ text: String, href: String? = nil, plain: String? = nil) {
            let text = MIME.singleLine(text)
            guard !text.isEmpty, seen.insert(TextKey.of(text)).inserted else { return }
            lines.append(MailSignatureLine(text: text, href: href, plain: plain.map(MIME.singleLine) ?? text))
        }
        add(organiser)
        let contact = programme.contact
        if let phone = contact?.phone {
            add(phone, href: "tel:" + (phone.hasPrefix("+") ? "+" : "") + phone.filter { $0.isASCII && $0.isNumber })
        }
        for url in [contact?.url, programme.baseURL].compactMap({ $0 }) {
            let lower = url.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { continue }
            add(Self.displayURL(url), href: url, plain: url)
        }
        return lines
    }

    /// A web address as a person writes it: without the scheme and the final slash.
    static func displayURL(_ url: String) -> String {
        var text = Substring(url)
        for scheme in ["https://", "http://"] where text.lowercased().hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// One member as the mail presents them to the other. Profile links only for published participants.
    private func member(_ person: Participant) -> MailMember {
        let line = MIME.singleLine
        let topics = person.topics.map(line)
        let links =
            person.publish
            ? (person.profile?.links ?? []).filter { link in
                let lower = link.url.lowercased()
                return lower.hasPrefix("https://") || lower.hasPrefix("http://")
            } : []
        return MailMember(
            id: person.id, name: line(person.name), organisation: line(person.organisation), position: person.position.map(line),
            email: person.email.flatMap { MIME.isSendable($0) ? $0 : nil },
            role_label: strings.roleLabel(person.role, gender: person.gender),
            topics_label: strings[person.role == .mentor ? "profile_topics_mentor" : "profile_topics_mentee"], topics: topics,
            topics_text: topics.joined(separator: ", "),
            languages_text: Self.text(person.languages.map { strings.label("language_names", $0) }.joined(separator: ", ")),
            profile_url: person.publish ? programme.baseURL.map { siteURL($0, "participants/\(person.id).html") } : nil,
            links: links.map { MailLink(title: line($0.title), url: line($0.url)) })
    }

    /// A text for a Mustache section: nil (`false`) when empty (an empty string would still open the section).
    private static func text(_ value: String) -> String? { value.isEmpty ? nil : value }
}
