import Foundation

/// Where the shared things live and what they say, decided once so the site, print and the cards agree: the public
/// URL of a page, the file of a card, the announcement's lead.
struct ShareLinks {
    let programme: Programme

    var multilingual: Bool { programme.languages.count > 1 }

    /// `site/` or `site/<lang>/`.
    func folder(_ language: String) -> String { multilingual ? "site/\(language)/" : "site/" }

    /// The absolute URL of a site page (`path` relative to its language folder), nil without base_url. The same
    /// address as the page's canonical link, og:url and the QR codes in print.
    func url(_ path: String, language: String) -> String? {
        programme.baseURL.map { $0 + (multilingual ? language + "/" : "") + path }
    }

    /// A tandem page, relative to its language folder.
    static func tandemPage(_ id: String) -> String { "tandems/\(id).html" }
    /// A tandem's card (1200×627), beside its page.
    static func tandemCard(_ id: String) -> String { "tandems/\(id).card.png" }
    /// The programme's card (1200×627), in the language folder.
    static let programmeCard = "card.png"
    /// A tandem's portrait card (1080×1350), beside its announcement.
    static func portraitCard(_ id: String) -> String { "print/announcements/\(id).square.png" }

    /// LinkedIn's documented share URL for `url` (no script, no tracking parameters).
    static func linkedIn(_ url: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = url.addingPercentEncoding(withAllowedCharacters: allowed) ?? url
        return "https://www.linkedin.com/sharing/share-offsite/?url=" + encoded
    }

    /// The announcement's lead: the sentence on the A4 announcement, the copyable text of the tandem page and the
    /// tandem page's description.
    func lead(_ item: PublicTandem, strings: UIStrings, language: String) -> String {
        let start = item.tandem.started ?? programme.start
        return strings.format(
            "print_announcement_lead",
            [
                "programme": programme.title.text(in: language), "organiser": programme.organiser.text(in: language),
                "start": strings.longDate(start), "mentor": item.mentor.name, "mentee": item.mentee.name,
            ])
    }

    /// og:locale of a language (`og_locale` in its strings), e.g. `de_CH`.
    static func locale(_ strings: UIStrings, language: String) -> String {
        let value = strings["og_locale"]
        return value == "og_locale" ? language : value
    }
}

/// Reuses a card from the last build into the same output folder when its SVG has not changed: the PNG carries the
/// hash of its SVG (see `CardRasterizer`), read from the file's first bytes without following a link. Within one
/// process (the live preview renders again and again) finished cards are also kept in memory.
struct CardCache: Sendable {
    /// The output folder (absolute) of the last build, nil when there is none to reuse.
    let folder: String?

    init(outputPath: String?) {
        guard let outputPath else {
            folder = nil
            return
        }
        folder = outputPath.hasPrefix("/") ? outputPath : FileManager.default.currentDirectoryPath + "/" + outputPath
    }

    /// The old file at `path` (below the output folder) when it was made from an SVG with `hash`.
    func reusable(_ path: String, hash: String) -> String? {
        guard let folder else { return nil }
        let file = folder + "/" + path
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var prefix = [UInt8](repeating: 0, count: 160)
        let count = prefix.withUnsafeMutableBytes { read(fd, $0.baseAddress, 160) }
        guard count > 0 else { return nil }
        return CardRasterizer.storedHash(Array(prefix[0..<count])) == hash ? file : nil
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var memory: [String: [UInt8]] = [:]
    nonisolated(unsafe) private static var memoryBytes = 0
    /// At most this many bytes of cards are kept: enough for the live preview's edits (a few cards each), while a
    /// first build of 5,000 tandems (some 770 MB of cards) does not keep them all.
    static let memoryLimit = 48 << 20

    static func remembered(_ hash: String) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return memory[hash]
    }

    static func remember(_ hash: String, _ png: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        if memoryBytes + png.count > memoryLimit {
            memory.removeAll()
            memoryBytes = 0
        }
        if memory.updateValue(png, forKey: hash) == nil { memoryBytes += png.count }
    }
}

/// Renders the social cards: per public tandem a 1200×627 card beside its page in every site language and a
/// 1080×1350 portrait beside its announcement (main language), and the programme's card per language. Only
/// `programme.publicView` reaches a card, and no e-mail address: the texts are scrubbed as every public text is.
struct ShareRenderer {
    let programme: Programme
    let theme: Theme
    /// UI strings per site language.
    let strings: [String: UIStrings]
    let cache: CardCache
    let fitter: TextFitter
    let links: ShareLinks

    /// The card templates (cards/ in the theme) and their sizes.
    static let landscape = (template: "card-tandem", width: 1200, height: 627)
    static let portrait = (template: "card-tandem-portrait", width: 1080, height: 1350)
    static let programmeCard = (template: "card-programme", width: 1200, height: 627)

    init(programme: Programme, theme: Theme, strings: [String: UIStrings], cache: CardCache) {
        self.programme = programme
        self.theme = theme
        self.strings = strings
        self.cache = cache
        links = ShareLinks(programme: programme)
        let fonts = theme.assets.filter { $0.hasPrefix("fonts/") && ($0.hasSuffix(".otf") || $0.hasSuffix(".ttf")) }
            .compactMap { name in theme.assetBytes(name).map { (name: name, bytes: $0) } }
        CardRasterizer.registerFonts(fonts)
        func metrics(_ weight: String) -> FontMetrics? {
            fonts.first { $0.name.lowercased().contains(weight) }.flatMap { FontMetrics($0.bytes) }
        }
        fitter = TextFitter(regular: metrics("regular") ?? fonts.first.flatMap { FontMetrics($0.bytes) }, bold: metrics("bold"))
        // What the fonts are goes into every card's hash: new fonts in the theme draw every card again.
        fontsHash = CardHash.of(fonts.flatMap { Array($0.name.utf8) + $0.bytes })
    }

    private let fontsHash: String

    /// A card to draw: where it goes, its SVG (the theme's template filled in), its size and the hash that names it.
    struct CardSource {
        let path: String
        let template: String
        let svg: [UInt8]
        let width: Int
        let height: Int
        let hash: String
    }

    /// The cards of `programme.publicView.tandems[range]`.
    func renderTandemCards(_ range: Range<Int>) -> RenderPart {
        var part = RenderPart()
        for source in tandemCardSources(range) { rasterise(source, to: &part) }
        return part
    }

    /// The programme's card in every site language.
    func renderProgrammeCards() -> RenderPart {
        var part = RenderPart()
        for source in programmeCardSources() { rasterise(source, to: &part) }
        return part
    }

    /// The SVGs of the tandem cards of `programme.publicView.tandems[range]`: per tandem the landscape card in every
    /// site language and the portrait card in the main language.
    func tandemCardSources(_ range: Range<Int>) -> [CardSource] {
        var sources: [CardSource] = []
        var photos: [String: String?] = [:]
        let main = programme.language
        for item in programme.publicView.tandems[range] {
            for code in programme.languages {
                guard let strings = strings[code] else { continue }
                let context = tandemCard(item, strings: strings, language: code, format: Self.landscape, photos: &photos)
                sources += source(links.folder(code) + ShareLinks.tandemCard(item.id), Self.landscape, context)
            }
            if let strings = strings[main] {
                let context = tandemCard(item, strings: strings, language: main, format: Self.portrait, photos: &photos)
                sources += source(ShareLinks.portraitCard(item.id), Self.portrait, context)
            }
        }
        return sources
    }

    /// The SVGs of the programme's cards, one per site language.
    func programmeCardSources() -> [CardSource] {
        var sources: [CardSource] = []
        for code in programme.languages {
            guard let strings = strings[code] else { continue }
            let format = Self.programmeCard
            let figures = programme.figures
            let line =
                "\(strings.number(figures.participants)) \(strings["stat_participants"]) · \(strings.number(figures.tandems)) \(strings["stat_tandems"])"
            let website = programme.baseURL.map { url in
                var host = Substring(url)
                for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host = host.dropFirst(scheme.count) }
                return String(host.hasSuffix("/") ? host.dropLast() : host)
            }
            let context = ProgrammeCardImage(
                width: format.width, height: format.height, lang: code, t: strings.template,
                title: fit(programme.title.text(in: code), 1100, [88, 80, 72, 64, 56, 48, 40], bold: true),
                organiser: fit(programme.organiser.text(in: code), 1100, [36, 32]),
                dates: fit(strings.longDate(programme.start) + " – " + strings.longDate(programme.end), 1100, [40, 36, 32]),
                figures: fit(line, 820, [36, 32]), website: website.map { fit($0, 700, [32]) })
            sources += source(links.folder(code) + ShareLinks.programmeCard, format, context)
        }
        return sources
    }

    // MARK: Contexts

    /// Where a member's texts go on a card (in pixels): the name's top (its first baseline is this plus its cap
    /// height) per member, the text column's width, the name's sizes on one line and on two, and the distances from
    /// the name's last baseline to the next line and between the 32 px lines below it.
    struct PersonLayout {
        let nameTop: (mentor: Int, mentee: Int)
        /// The lowest baseline a member's text may have (the next member or the rule below must stay clear).
        let lastBaseline: (mentor: Int, mentee: Int)
        let width: Double
        let nameSizes: [Int]
        let wrapSizes: [Int]
        let afterName: Int
        let lineHeight: Int
        /// Added between a position and an organisation when one of them takes two lines.
        let air: Int

        /// Landscape: two columns of 520 px; the lowest line ends above the rule at y 482 even with a name and an
        /// organisation on two lines each (the position then keeps one line).
        static let landscape = PersonLayout(
            nameTop: (258, 258), lastBaseline: (462, 462), width: 520, nameSizes: [52, 48, 44, 40], wrapSizes: [40, 36, 32], afterName: 46,
            lineHeight: 38, air: 10)
        /// Portrait: 680 px beside the photo, members one below the other; the mentor's lines end above the mentee's
        /// role, the mentee's above the rule at y 1166.
        static let portrait = PersonLayout(
            nameTop: (453, 843), lastBaseline: (740, 1140), width: 680, nameSizes: [64, 58, 52, 46], wrapSizes: [46, 40, 36, 32],
            afterName: 52, lineHeight: 44, air: 12)
    }

    /// Inter's cap height in em: the first baseline of a name set from its top.
    private static let capHeight = 0.73
    /// The distance between the lines of a name on two lines, in em.
    private static let nameLeading = 1.15

    private func tandemCard(
        _ item: PublicTandem, strings: UIStrings, language: String, format: (template: String, width: Int, height: Int),
        photos: inout [String: String?]
    ) -> TandemCardImage {
        let wide = format.width > format.height
        let layout = wide ? PersonLayout.landscape : PersonLayout.portrait
        let start = item.tandem.started ?? programme.start
        // Both names share the size the longer one needs, so the card reads as one.
        func wrapName(_ p: Participant, upTo size: Int) -> WrappedText {
            fitter.wrap(
                PublicText.scrub(p.name), width: layout.width, sizes: layout.nameSizes.filter { $0 <= size },
                wrapSizes: layout.wrapSizes.filter { $0 <= size }, bold: true)
        }
        let largest = layout.nameSizes.first ?? 32
        let alone = (mentor: wrapName(item.mentor, upTo: largest), mentee: wrapName(item.mentee, upTo: largest))
        let common = min(alone.mentor.size, alone.mentee.size)
        let names = (
            mentor: alone.mentor.size == common ? alone.mentor : wrapName(item.mentor, upTo: common),
            mentee: alone.mentee.size == common ? alone.mentee : wrapName(item.mentee, upTo: common)
        )
        // Side by side (landscape) the positions and organisations start on one line in both columns.
        let nameLines = max(names.mentor.lines.count, names.mentee.lines.count)
        func person(_ p: Participant, _ name: WrappedText, top: Int, last: Int) -> CardPerson {
            var photo: String?
            if let path = p.photo, programme.publicView.photos.contains(path) {
                if let known = photos[path] {
                    photo = known
                } else {
                    let loaded = dataURL(path)
                    photos[path] = loaded
                    photo = loaded
                }
            }
            let first = top + Int((Double(name.size) * Self.capHeight).rounded())
            let step = Int((Double(name.size) * Self.nameLeading).rounded())
            let lines = wide ? nameLines : name.lines.count
            let y = first + (lines - 1) * step + layout.afterName
            // The organisation gets two lines when it needs them; the position two only when they fit with a little
            // air before the organisation, else one.
            let organisation = fitter.wrap(PublicText.scrub(p.organisation), width: layout.width, sizes: [32], wrapSizes: [32])
            let twoLines = y + 2 * layout.lineHeight + layout.air + (organisation.lines.count - 1) * layout.lineHeight <= last
            let position = p.position.map { text -> WrappedText in
                twoLines
                    ? fitter.wrap(PublicText.scrub(text), width: layout.width, sizes: [32], wrapSizes: [32])
                    : WrappedText(lines: [fit(text, layout.width, [32]).text], size: 32)
            }
            // A little air between a position and an organisation when either takes two lines, so they read as two
            // (when the room allows it).
            let positionLines = position?.lines.count ?? 0
            let below = y + positionLines * layout.lineHeight
            let gap =
                positionLines > 0 && (positionLines > 1 || organisation.lines.count > 1)
                    && below + layout.air + (organisation.lines.count - 1) * layout.lineHeight <= last ? layout.air : 0
            let organisationTop = below + gap
            return CardPerson(
                name: cardText(name, firstBaseline: first, step: step),
                role_label: strings.roleLabel(p.role, gender: p.gender),
                position: position.map { cardText($0, firstBaseline: y, step: layout.lineHeight) },
                organisation: cardText(organisation, firstBaseline: organisationTop, step: layout.lineHeight),
                initials: Cards.initials(PublicText.scrub(p.name)), photo: photo, colour: avatarColour(p))
        }
        return TandemCardImage(
            width: format.width, height: format.height, lang: language, t: strings.template,
            programme: fit(programme.title.text(in: language), wide ? 1100 : 960, wide ? [32] : [48, 44, 40, 36, 32], bold: true),
            organiser: fit(programme.organiser.text(in: language), wide ? 1100 : 960, [32]),
            dates: fit(strings.longDate(programme.start) + " – " + strings.longDate(programme.end), wide ? 1100 : 960, [36, 32]),
            start: fit(strings.format("card_start", ["date": strings.longDate(start)]), wide ? 540 : 960, [32]),
            mentor: person(item.mentor, names.mentor, top: layout.nameTop.mentor, last: layout.lastBaseline.mentor),
            mentee: person(item.mentee, names.mentee, top: layout.nameTop.mentee, last: layout.lastBaseline.mentee))
    }

    /// The avatar colour of a person without photo: the model's (`PublicProgramme.avatarColour`, `.c1`…`.c6` in the
    /// card templates, the same palette as the site's and print's `avatar-1`…`avatar-6`), so a person has one colour
    /// on every page, card and sheet.
    private func avatarColour(_ p: Participant) -> Int { programme.publicView.avatarColour(of: p.id) }

    /// Lines read as one text again: a space where the text broke at a space, none after a hyphen or between East
    /// Asian characters.
    static func joined(_ lines: [String]) -> String {
        lines.dropFirst().reduce(lines.first ?? "") { text, line in
            func wide(_ c: Character?) -> Bool { c?.unicodeScalars.first.map { FontMetrics.estimate($0) == 1.0 } ?? false }
            let glued = text.hasSuffix("-") || text.hasSuffix("\u{2010}") || (wide(text.last) && wide(line.first))
            return text + (glued ? "" : " ") + line
        }
    }

    private func cardText(_ wrapped: WrappedText, firstBaseline: Int, step: Int) -> CardText {
        CardText(
            text: Self.joined(wrapped.lines), size: wrapped.size,
            lines: wrapped.lines.enumerated().map { i, line in CardLine(text: line, y: firstBaseline + i * step, size: wrapped.size) })
    }

    private func fit(_ text: String, _ width: Double, _ sizes: [Int], bold: Bool = false) -> FittedText {
        fitter.fit(PublicText.scrub(text), width: width, sizes: sizes, bold: bold)
    }

    /// A published photo as a `data:` URL, read without following a link; nil when it is no image librsvg reads.
    private func dataURL(_ path: String) -> String? {
        let types = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "svg": "image/svg+xml"]
        guard let type = types[(path as NSString).pathExtension.lowercased()], programme.publicView.mayPublishAsset(path),
            case .success(let bytes) = ContentFile.read(path: programme.contentRoot + "/assets/" + path, limit: 20_000_000),
            Self.looksLike(type, bytes)
        else { return nil }
        return "data:\(type);base64," + Data(bytes).base64EncodedString()
    }

    /// Whether `bytes` start as an image of `type` does: a file that is no image gets the initials, not a broken card.
    static func looksLike(_ type: String, _ bytes: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }
        switch type {
        case "image/jpeg": return starts([0xFF, 0xD8, 0xFF])
        case "image/png": return starts([0x89, 0x50, 0x4E, 0x47])
        case "image/gif": return starts(Array("GIF8".utf8))
        default: return String(decoding: bytes.prefix(4096), as: UTF8.self).contains("<svg")
        }
    }

    // MARK: Rasterising

    private func source<Context: TemplateContext>(
        _ path: String, _ format: (template: String, width: Int, height: Int), _ context: Context
    ) -> [CardSource] {
        let svg = theme.render(format.template, context)
        let hash = CardHash.of(svg + Array("\(format.width)x\(format.height):\(fontsHash):\(CardRasterizer.version)".utf8))
        return [CardSource(path: path, template: format.template, svg: svg, width: format.width, height: format.height, hash: hash)]
    }

    /// Adds the card's PNG: from memory or the last build when its SVG is unchanged, else drawn by librsvg.
    private func rasterise(_ card: CardSource, to part: inout RenderPart) {
        if let png = CardCache.remembered(card.hash) {
            part.output.add(card.path, bytes: png)
        } else if let old = cache.reusable(card.path, hash: card.hash) {
            part.output.copy(old, to: card.path)
        } else if let png = CardRasterizer.png(svg: card.svg, width: card.width, height: card.height, hash: card.hash) {
            CardCache.remember(card.hash, png)
            part.output.add(card.path, bytes: png)
        } else {
            part.failures.append(
                Diagnostic(
                    path: theme.templatePaths[card.template] ?? card.template, severity: .error,
                    message: "librsvg cannot draw the SVG of \(card.path)"))
        }
    }
}
