// The typed context of the pairing e-mails (Templates/mail/mail-text.mustache and mail-html.mustache). Property names
// are the names the templates use. Mail is the one output rendered without e-mail scrubbing: a message goes only to
// the tandem's two members and introduces them to each other, so their addresses stay (and nothing else is public).
// Plain-text values are single lines, so a name cannot break the text's layout.

/// mail: mail-text.mustache and mail-html.mustache (one conversion for both).
struct MailMessage: TemplateContext {
    let lang: String
    /// The UI strings of the message's language (`{{t.mail_closing}}`).
    let t: TemplateValue
    /// The Subject header's text.
    let subject: String
    /// "Dear Anna and Ben".
    let greeting: String
    /// The opening sentence: programme, organiser and start date.
    let intro: String
    /// Mentor, then mentee.
    let members: [MailMember]
    /// Topics both listed.
    let shared_topics: [String]
    /// The shared topics as one line; false when there are none.
    let shared_topics_text: String?
    /// Names of the languages both speak, in the message's language.
    let shared_languages: [String]
    /// The shared languages as one line; false when there are none.
    let shared_languages_text: String?
    /// The tandem's goals.
    let goals: [String]
    /// Shared topics, shared languages or goals to show.
    let has_together: Bool
    /// The programme's milestones (the same in every message, converted once).
    let milestones: Prepared<[MailMilestone]>
    /// The language the content is written in (topics, goals, positions, untranslated milestones) when it is not the
    /// message's: the HTML marks those texts with `lang`; else false.
    let content_lang: String?
    /// "Some details are only available in German.", in the message's language, once; false when everything shown is
    /// in the message's language.
    let content_note: String?
    /// The sender: the programme office's name (else the organiser's).
    let sender_name: String
    /// The signature under the sender's name: the organiser, the office's phone and the web addresses, each once
    /// (a line equal to one above it is left out).
    let signature: [MailSignatureLine]
    /// The organiser's name.
    let organiser: String
    /// The programme's title.
    let programme: String
    /// The site's base URL; false without one.
    let website: String?
    /// The tandem's page on the site (public tandems with a base URL); else false.
    let tandem_url: String?
}

/// A member as the message presents them to the other. Profile links only for published participants.
struct MailMember: TemplateContext {
    let id: String
    let name: String
    let organisation: String
    /// False when not recorded.
    let position: String?
    /// The address, when it can receive mail; else false.
    let email: String?
    /// "Mentor" or "Mentee" in the message's language.
    let role_label: String
    /// "Strengths" or "Wishes to learn", by role.
    let topics_label: String
    let topics: [String]
    /// The topics as one line.
    let topics_text: String
    /// Names of the languages the person speaks, as one line; false without languages.
    let languages_text: String?
    /// The profile page on the site (published participants, with a base URL); else false.
    let profile_url: String?
    /// The profile's web links (http and https only); empty for unpublished participants.
    let links: [MailLink]
}

/// A web link of a member's profile.
struct MailLink: TemplateContext {
    let title: String
    let url: String
}

/// A milestone in the message.
struct MailMilestone: TemplateContext {
    let date_text: String
    /// "13.30–18.00 Uhr"; false without a time.
    let time_text: String?
    let title: String
    /// The language of the title when it is not the message's (no translation); else false.
    let title_lang: String?
    /// False when not recorded.
    let location: String?
    /// The language of the location when it is not the message's; else false.
    let location_lang: String?
}

/// A line of the signature: a text, with a link for a phone number or a web address.
struct MailSignatureLine: TemplateContext {
    let text: String
    /// `tel:` or the web address; false for plain text.
    let href: String?
    /// The line in the plain-text part: a web address in full (so every client links it), else `text`.
    let plain: String
}
