// The typed contexts of the site and print templates. Property names are the names templates use (so they are
// written as the templates spell them, `role_label`, not `roleLabel`); docs/theme-variables.md is generated from
// these types. An optional that is nil reaches the template as `false`.

/// Two contexts shown to a template as one: the names of both, side by side (a page's common names and its own).
struct Flat<First: TemplateContext, Second: TemplateContext>: TemplateContext {
    let first: First
    let second: Second

    init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    init(from decoder: Decoder) throws {
        first = try First(from: decoder)
        second = try Second(from: decoder)
    }

    func encode(to encoder: Encoder) throws {
        try first.encode(to: encoder)
        try second.encode(to: encoder)
    }
}

/// A value converted once and reused on many pages (the menu, the programme's `site`), shaped as `Value`.
struct Prepared<Value: Codable>: Codable {
    let value: TemplateValue

    init(_ value: Value, scrub: Bool) { self.value = TemplateEncoder.encode(value, scrub: scrub) }

    init(from decoder: Decoder) throws {
        _ = try decoder.singleValueContainer().decode(Value.self)
        value = .null
    }

    func encode(to encoder: Encoder) throws {
        if TemplateEncoder.encodePrepared(value, to: encoder) { return }
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// An empty context: a page that shows only the names every page has.
struct NoFields: TemplateContext {}

// MARK: Shared by site and print

/// The programme as every page shows it.
struct SiteInfo: TemplateContext {
    let title: ScrubbedText
    let organiser: ScrubbedText
    let dates: String
}

/// A published participant as a card (person-card, avatar, print-member). Never an e-mail address.
struct PersonCard: TemplateContext {
    let id: String
    let name: ScrubbedText
    let organisation: ScrubbedText
    let position: ScrubbedText?
    /// `mentor` or `mentee`, and its label in the page's language.
    let role: String
    let role_label: String
    let is_mentor: Bool
    let topics: [ScrubbedText]
    /// Up to two letters for the avatar without photo.
    let initials: String
    /// The avatar's colour, 1 … 6 (`avatar-1` … `avatar-6` in the theme's CSS): the same for a person everywhere.
    let avatar_colour: Int
    /// The profile page (site); false in print.
    let href: String?
    /// The photo's URL relative to the page; false without one.
    let photo: String?
    /// Print: "Stärken" or "Lernwünsche", by role.
    let topics_label: String?
}

/// A public tandem as a card (tandem-card, print-tandem-card, the tandem page, an announcement).
struct TandemCard: TemplateContext {
    let id: String
    /// The tandem page (site); false in print.
    let href: String?
    let mentor: PersonCard
    let mentee: PersonCard
    let shared_topics: [ScrubbedText]
    /// Names of the languages both speak, in the page's language.
    let shared_languages: [String]
    var goals: [ScrubbedText]
    let status: String
    let status_label: String
    /// The start date as text; false when not recorded.
    let started: String?
    /// Announcement: the start date as text and ISO date, and the topics to work on (shared, else the mentee's wishes).
    var start_text: String?
    var start_date: String?
    var work_topics: [ScrubbedText]?
    /// Handout: a QR code to the tandem's page (with base_url); false on the site.
    var page_qr: QRCode? = nil
    /// The tandem's portrait (tandems/<id>.md); false when it has none.
    var portrait: PortraitItem? = nil
}

/// The programme office as public pages and the handout show it; false when `contact.public: no`. Never a
/// participant's address.
struct ContactInfo: TemplateContext {
    let name: ScrubbedText
    /// The office's e-mail address and its `mailto:` link; false when there is none.
    let email: ScrubbedText?
    let email_href: ScrubbedText?
    /// The phone number as written and its `tel:` link (digits and a leading +).
    let phone: String?
    let phone_href: String?
    /// The office's web page, and the same without `https://` and a trailing slash for print.
    let url: String?
    let url_text: String?
}

/// One item of a milestone's agenda.
struct AgendaEntry: TemplateContext {
    /// "13.30 Uhr" or "13.30–14.00 Uhr", as the language writes times; the ISO start ("13:30") for `datetime`.
    let time_text: String
    let time: String
    let title: ScrubbedText
    let speaker: ScrubbedText?
}

/// A milestone of the programme.
struct MilestoneItem: TemplateContext {
    /// ISO date, the long date, and its parts for a calendar-leaf design.
    let date: String
    let date_text: String
    let day: String
    let month: String
    let year: String
    let title: ScrubbedText
    /// The language the title is written in, when it falls back from the page's; else false.
    let title_lang: String?
    let location: ScrubbedText?
    let description: ScrubbedText?
    /// Before the reference date (site); always false in print.
    let past: Bool
    /// The time as the language writes it ("13.30–18.00 Uhr"); false for an all-day date.
    let time_text: String?
    /// For `<time datetime>`: the ISO date, with the start time when there is one ("2026-09-24T13:30").
    let datetime: String
    /// The venue's postal address, a line each (empty when none).
    let address_lines: [ScrubbedText]
    /// A registration or details link; false when none.
    let url: String?
    /// The programme of the day (empty when none).
    let agenda: [AgendaEntry]
}

/// A tandem's public portrait (tandems/<id>.md) in the page's language.
struct PortraitItem: TemplateContext {
    /// The whole text as HTML, and a plain-text excerpt of about 220 characters for the home page and announcements.
    let html: String
    let excerpt: ScrubbedText
    /// One line the tandem wants shown; false when none.
    let quote: ScrubbedText?
    /// The joint photo's URL relative to the page; false when none.
    let photo: String?
    /// The language the portrait is written in, when it falls back from the page's; else false.
    let lang: String?
}

/// A quote from feedback shared as `quote`, attributed to the role only.
struct QuoteItem: TemplateContext {
    /// The quote's text as HTML (paragraphs).
    let body: String
    /// The neutral role label ("Mentee").
    let role: String
    /// Role and feedback round: "Mentee, Schlussbilanz".
    let attribution: String
}

/// A key figure.
struct StatItem: TemplateContext {
    let value: String
    let label: String
}

// MARK: Site

/// A menu entry.
struct NavItem: TemplateContext {
    let title: ScrubbedText
    let href: String
    let current: Bool
    /// The language of the title, when not the page's; else false.
    let lang: String?
}

/// An entry of the language switcher.
struct LanguageLink: TemplateContext {
    let lang: String
    let name: String
    let href: String
    let current: Bool
}

/// A `<link rel="alternate" hreflang>`.
struct AlternateLink: TemplateContext {
    let lang: String
    let href: String
}

/// What every site page has.
struct SitePageCommon: TemplateContext {
    let lang: String
    /// Relative path to the language's home folder; `site_root` to site/ (theme/, assets/).
    let root: String
    let site_root: String
    /// The UI strings of the page's language (`{{t.nav_home}}`).
    let t: TemplateValue
    let title: ScrubbedText
    /// "page title – programme title" (the programme title alone on the home page).
    let full_title: ScrubbedText
    let site: Prepared<SiteInfo>
    let nav: Prepared<[NavItem]>
    let calendar_href: String
    /// The programme office's name; false without contact or when the contact is not public (`contact.public: no`).
    let contact_name: ScrubbedText?
    /// The programme office with its links (footer, 404 page); false without contact or with `contact.public: no`.
    let contact: ContactInfo?
    /// Free pages flagged `footer: true` (imprint, privacy notice): linked from the footer, not from the menu.
    let footer_pages: Prepared<[NavItem]>
    /// The page's absolute URL (with base_url), else false.
    let canonical: String?
    /// A one-line description of the page (meta description); every page has one (the home page's lead by default).
    let description: ScrubbedText?
    let languages: [LanguageLink]
    let alternates: [AlternateLink]
    /// The link preview: Open Graph and Twitter Card tags (see docs/sharing.md).
    let link_preview: SharePreview
}

/// A site page: the common names and the page's own.
typealias SitePage<Content: TemplateContext> = Flat<SitePageCommon, Content>

/// The home page's first free page, as a teaser.
struct IntroTeaser: TemplateContext {
    let title: ScrubbedText
    let summary: String
    let href: String
    let lang: String?
}

/// A k-anonymous feedback mean on the home page.
struct FeedbackFigure: TemplateContext {
    let question: ScrubbedText
    let mean: String
    let value: String
    let detail: String
}

/// The home page's feedback figures.
struct FeedbackNumbers: TemplateContext {
    let intro: String
    let figures: [FeedbackFigure]
}

/// site: home.mustache
struct HomePage: TemplateContext {
    let lead: ScrubbedText
    let dates: String
    let stats: [StatItem]
    /// The next date: the first milestone on or after `reference_date`, with time, place, link and agenda; false
    /// when every milestone lies before it.
    let next: MilestoneItem?
    /// The dates after `next` (up to two); with none ahead, the last three dates.
    let milestones: [MilestoneItem]
    let intro: IntroTeaser?
    let quotes: [QuoteItem]
    let numbers: FeedbackNumbers?
    /// Up to three tandems, those with a portrait first (each card's `portrait` has the excerpt).
    let featured_tandems: [TandemCard]
}

/// site: participants.mustache
struct ParticipantsPage: TemplateContext {
    let mentors: [PersonCard]
    let mentees: [PersonCard]
    /// How many people are not shown; false when everybody is.
    let unpublished_note: String?
}

/// A link on a profile.
struct ProfileLinkItem: TemplateContext {
    let title: ScrubbedText
    let url: String
}

/// A tandem on a profile page: the partner and the tandem page.
struct PartnerItem: TemplateContext {
    let partner: PersonCard
    let tandem_href: String
}

/// What a profile page adds to the person's card.
struct ProfileDetails: TemplateContext {
    let quote: ScrubbedText?
    /// The language of the quote or body when it falls back to the main language; else false.
    let quote_lang: String?
    /// The profile text as HTML; false without one.
    let body: String?
    let body_lang: String?
    let links: [ProfileLinkItem]
    /// Names of the languages the person speaks.
    let languages: [String]
    let tandems: [PartnerItem]
}

/// site: participant.mustache
struct ParticipantPage: TemplateContext {
    let person: Flat<PersonCard, ProfileDetails>
}

/// site: tandems.mustache
struct TandemsPage: TemplateContext {
    let tandems: [TandemCard]
    let unpublished_note: String?
}

/// site: tandem.mustache
struct TandemPage: TemplateContext {
    /// The tandem with its portrait (`tandem.portrait`, false without one).
    let tandem: TandemCard
    /// "Auf LinkedIn teilen", "Bild herunterladen" and the text to copy.
    let share: ShareBox
}

/// site: timeline.mustache
struct TimelinePage: TemplateContext {
    /// Every milestone in date order.
    let milestones: [MilestoneItem]
    /// The same split at `reference_date`: "Demnächst" (the dates ahead), then "Rückblick" (those past); a group
    /// without dates is left out.
    let groups: [MilestoneGroup]
}

/// A group of milestones on the timeline, with its heading.
struct MilestoneGroup: TemplateContext {
    let title: String
    let past: Bool
    let milestones: [MilestoneItem]
}

/// A free page.
struct FreePage: TemplateContext {
    let title: ScrubbedText
    let body: String
    let slug: String
    let lang: String?
    let title_lang: String?
}

/// site: page.mustache
struct FreePageContext: TemplateContext {
    let page: FreePage
}

/// A language on the language index.
struct LanguageChoice: TemplateContext {
    let lang: String
    let name: String
    let href: String
    let title: ScrubbedText
}

/// site: language-index.mustache (site/index.html with several languages)
struct LanguageIndexPage: TemplateContext {
    let target: String
    let choices: [LanguageChoice]
}

// MARK: Print

/// What every print page has.
struct PrintPageCommon: TemplateContext {
    let lang: String
    let root: String
    let t: TemplateValue
    let title: ScrubbedText
    let full_title: ScrubbedText
    let site: Prepared<SiteInfo>
    let css_href: String
    /// The margin boxes' CSS (running head, page numbers), CSS-escaped.
    let page_css: ScrubbedText
    let body_class: String
}

/// A print page: the common names and the page's own.
typealias PrintPage<Content: TemplateContext> = Flat<PrintPageCommon, Content>

/// The symposium on the handout's cover.
struct SymposiumItem: TemplateContext {
    let title: ScrubbedText
    let date_text: String
    let date: String
    let location: ScrubbedText?
    /// "13.30–18.00 Uhr"; false for an all-day date.
    let time_text: String?
}

/// The handout's cover.
struct HandoutCover: TemplateContext {
    let eyebrow: String
    let title: ScrubbedText
    let organiser: ScrubbedText
    let dates: String
    let symposium: SymposiumItem?
}

/// The handout's "about" text (the first free page).
struct HandoutAbout: TemplateContext {
    let title: ScrubbedText
    let body: String?
    let lang: String?
}

/// The programme office on the handout's back cover.
struct HandoutOffice: TemplateContext {
    let organiser: ScrubbedText
    let contact_name: ScrubbedText?
    let website: String?
    /// The site's address without `https://` and trailing slash, as printed beside the QR code; false without base_url.
    let website_text: String?
    /// A QR code to the site (with base_url), for the back cover; else false.
    let qr: QRCode?
    /// Name, e-mail, phone and web page of the office as text; false when `contact.public: no` or no contact.
    let contact: ContactInfo?
}

/// An entry of the handout's contents: the chapter's anchor (`#id`, whose page WeasyPrint prints) and title.
struct HandoutChapter: TemplateContext {
    let id: String
    let title: ScrubbedText
}

/// The symposium's own page: the milestone with date, time, venue, address, agenda and link.
struct HandoutSymposium: TemplateContext {
    let event: MilestoneItem
    /// A QR code to the registration or details link (`url`); false without one.
    let url_qr: QRCode?
    /// The link as printed: without `https://` and trailing slash.
    let url_text: String?
}

/// One key figure's feedback mean as a bar: its width in per cent of the scale.
struct HandoutFeedbackBar: TemplateContext {
    let figure: FeedbackFigure
    let percent: Int
}

/// The handout's results: the site's key figures and its k-anonymous feedback means (`ProgrammeFigures`).
struct HandoutResults: TemplateContext {
    let stats: [StatItem]
    /// "Ausgewertet werden nur Fragen mit mindestens 3 Antworten …"; false when no question reaches k.
    let feedback_intro: String?
    let feedback: [HandoutFeedbackBar]
}

/// A padding page "Notizen" before the back cover; shown only in the PDF, as many as the page count needs.
struct HandoutNotesPage: TemplateContext {
    let number: Int
}

/// print: handout.mustache
struct HandoutPage: TemplateContext {
    /// `a4` or `a5` (`print.format`).
    let format: String
    /// The page count of the PDF is a multiple of this (saddle stitch): notes pages are added before the back cover.
    let booklet_pages: Int
    let cover: HandoutCover
    /// The chapters in order, for the contents page.
    let chapters: [HandoutChapter]
    let about: HandoutAbout
    let lead: ScrubbedText
    let stats: [StatItem]
    let symposium: HandoutSymposium?
    let results: HandoutResults
    let tandems: [TandemCard]
    /// How many tandems are not shown; false when all are (or none is public).
    let tandems_hidden: String?
    let quotes: [QuoteItem]
    let milestones: [MilestoneItem]
    let office: HandoutOffice
    let notes_pages: [HandoutNotesPage]
}

/// print: announcement.mustache
struct AnnouncementPage: TemplateContext {
    /// The tandem, with `portrait` (its excerpt is printed when the tandem has a portrait), `start_text`,
    /// `work_topics` and at most five goals.
    let tandem: TandemCard
    let lead: ScrubbedText
    let website: String?
    /// A QR code to the tandem's page (with base_url), its address printed beside it; else false.
    let qr: QRCode?
    /// One line in the tandem's or a member's own words (the portrait's `quote`, else a member's profile quote);
    /// false when there is none. Feedback quotes never appear here: they stay anonymous, away from their tandem.
    let quote: AnnouncementQuote?
    /// The programme office (name, e-mail, phone, web address); false without a contact or with `public: no`.
    let contact: ContactInfo?
    /// "Veranstalter: Forum …" (`print_announcement_organiser`).
    let organiser_line: ScrubbedText
    /// The address printed beside the QR code (else the website) in pieces a line may end between, each but the
    /// first starting with `/`, `.` or `-`, so it never breaks after a hyphen, where a reader would take it for a
    /// hyphenation: `{{#url_parts}}<span class="url-part">{{.}}</span>{{/url_parts}}`, each piece an inline block.
    let url_parts: [String]
}

/// The line an announcement quotes, and whose words they are.
struct AnnouncementQuote: TemplateContext {
    let text: ScrubbedText
    /// "Lea Meier & Ursula Gerber" for the tandem's own quote, else the member's name.
    let by: ScrubbedText
    /// The language the quote is written in when it is not the page's; else false.
    let lang: String?
}
