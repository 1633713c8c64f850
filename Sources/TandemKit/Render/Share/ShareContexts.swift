// The typed contexts of sharing: the social cards' SVG templates, the link preview (Open Graph, Twitter Card) every
// site page has, the share box of a tandem page and the QR codes of print (see docs/sharing.md).

/// A member of a tandem on a social card. Never an e-mail address; only published people reach a card.
struct CardPerson: TemplateContext {
    /// The name on one or two lines, as large as fits; both members of a card share one size. Never cut: "…" only
    /// when two lines at the smallest size are not enough.
    let name: CardText
    /// "Mentorin", "Mentor", "Mentee" … in the card's language.
    let role_label: String
    /// The position on one line below the name (shortened to fit); false without one.
    let position: CardText?
    /// The organisation on one or two lines below the position.
    let organisation: CardText
    /// Up to two letters for the avatar without photo.
    let initials: String
    /// The photo as a `data:` URL (cards load nothing else); false without one.
    let photo: String?
    /// 1–6: the person's avatar colour (`PublicProgramme.avatarColour`), the same in every output and build.
    let colour: Int
}

/// A text Tandem has set on a card: one or two lines at one size, each with its place. Tandem lays the member's
/// texts out one below the other (a name on two lines moves the position and organisation down), so a template
/// draws each line where it says: `{{#name.lines}}<text x="50" y="{{y}}" font-size="{{size}}">{{text}}</text>{{/name.lines}}`.
struct CardText: TemplateContext {
    /// The whole text as shown, its lines joined by a space.
    let text: String
    /// The font size in pixels (at least 32).
    let size: Int
    /// The lines, top to bottom.
    let lines: [CardLine]
}

/// One line of a `CardText`.
struct CardLine: TemplateContext {
    let text: String
    /// The baseline, in pixels from the top of the card.
    let y: Int
    /// The font size in pixels (the same as the text's).
    let size: Int
}

/// cards: card-tandem.mustache (1200×627, LinkedIn, X, intranet) and card-tandem-portrait.mustache (1080×1350, Instagram).
struct TandemCardImage: TemplateContext {
    /// The card's size in pixels.
    let width: Int
    let height: Int
    let lang: String
    /// The UI strings of the card's language (`{{t.card_eyebrow}}`).
    let t: TemplateValue
    /// The programme's title, organiser and dates, each fitted to its line.
    let programme: FittedText
    let organiser: FittedText
    let dates: FittedText
    /// "Start: 2. März 2026" (the tandem's start, else the programme's), fitted.
    let start: FittedText
    let mentor: CardPerson
    let mentee: CardPerson
}

/// cards: card-programme.mustache (1200×627): the image of every page that is not a tandem page.
struct ProgrammeCardImage: TemplateContext {
    let width: Int
    let height: Int
    let lang: String
    let t: TemplateValue
    let title: FittedText
    let organiser: FittedText
    let dates: FittedText
    /// "24 Teilnehmende · 12 Tandems", fitted.
    let figures: FittedText
    /// The site's address without `https://` (with base_url), else false.
    let website: FittedText?
}

/// A page's link preview: Open Graph and Twitter Card tags in layouts/base.mustache.
struct SharePreview: TemplateContext {
    /// og:title (the page's title) and og:site_name (the programme).
    let title: ScrubbedText
    let site_name: ScrubbedText
    /// og:description: the page's description, else the programme's lead.
    let description: ScrubbedText
    /// og:type: `website` for the home page, `article` for the others.
    let type: String
    /// og:url, absolute (only with base_url); else false.
    let url: String?
    /// og:image, absolute (only with base_url): the tandem's card on a tandem page, else the programme's card.
    let image: String?
    let image_width: Int
    let image_height: Int
    let image_alt: ScrubbedText
    /// og:locale (`de_CH` …, from the strings' `og_locale`) and the site's other languages.
    let locale: String
    let locale_alternates: [String]
    /// `summary_large_image`.
    let twitter_card: String
}

/// The share box of a tandem page: nothing loaded from elsewhere, no script, no tracking.
struct ShareBox: TemplateContext {
    /// LinkedIn's share URL for the page (only with base_url); else false.
    let linkedin_href: String?
    /// The card (1200×627) beside the page, for "Bild herunterladen".
    let image_href: String
    /// The text to copy: the announcement's lead (and the page's address with base_url).
    let text: ScrubbedText
}
