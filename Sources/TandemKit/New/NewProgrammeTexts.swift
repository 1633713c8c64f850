/// The texts of a new programme folder in one language (see `NewProgramme`). Placeholders: `@TITLE_YAML@` and
/// `@ORGANISER_YAML@` (quoted for YAML), `@TITLE@`, `@ORGANISER@`, `@START@`, `@END@`, `@KICKOFF@`, `@MIDTERM@`,
/// `@SYMPOSIUM@` (ISO dates). Each language's file beside this one is meant to be read and corrected by a translator.
struct NewProgrammeTexts: Sendable {
    struct Page: Sendable {
        /// The file name without `.md`: the page's address on the site.
        let name: String
        let text: String
    }

    let defaultTitle: String
    let defaultOrganiser: String
    /// The read-me's file name (LIESMICH.md, LISEZMOI.md, LEGGIMI.md, README.md).
    let readmeName: String
    let readme: String
    let programme: String
    let participants: String
    let pairs: String
    let profile: (id: String, text: String)
    let pages: [Page]

    static func of(_ language: NewProgramme.Language) -> NewProgrammeTexts {
        switch language {
        case .de: return german
        case .fr: return french
        case .it: return italian
        case .en: return english
        }
    }
}
