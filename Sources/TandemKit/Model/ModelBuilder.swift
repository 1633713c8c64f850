/// Checks the raw records against SPEC.md and against each other, and builds the immutable `Programme`.
/// Every problem becomes a diagnostic; the builder keeps going so one run reports them all.
struct ModelBuilder {
    private(set) var diagnostics = Diagnostics()
    private let sources: ProgrammeSources
    private var settings = ProgrammeSettings()
    /// Ids of rows that exist but failed validation: references to them are not reported again.
    private var invalidParticipantIDs = Set<String>()
    private var invalidTandemIDs = Set<String>()
    /// False when programme.yml could not be read: question ids are then unknown, not wrong.
    private var settingsRead = false

    /// Threads for checking the Markdown files (the result does not depend on their number).
    private let workers: Int

    init(sources: ProgrammeSources, workers: Int = Parallel.defaultWorkers) {
        self.sources = sources
        self.workers = workers
    }

    static func build(_ sources: ProgrammeSources, diagnostics: inout Diagnostics, workers: Int = Parallel.defaultWorkers) -> Programme? {
        var builder = ModelBuilder(sources: sources, workers: workers)
        let programme = builder.run()
        diagnostics.append(contentsOf: builder.diagnostics)
        return diagnostics.hasErrors ? nil : programme
    }

    /// The model of the valid rows even when others have errors (nil only without start and end dates): for checks
    /// that can still say more in the same run (`tandem match` reports every lock problem at once).
    static func buildKeepingErrors(_ sources: ProgrammeSources, diagnostics: inout Diagnostics) -> Programme? {
        var builder = ModelBuilder(sources: sources, workers: Parallel.defaultWorkers)
        let programme = builder.run()
        diagnostics.append(contentsOf: builder.diagnostics)
        return programme
    }

    private mutating func run() -> Programme? {
        if let yaml = sources.settings {
            settings = ProgrammeSettings.read(yaml, diagnostics: &diagnostics)
            settingsRead = true
        }
        var participants = readParticipants()
        let index = Dictionary(participants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        checkPreferences(index)
        var tandems = readTandems(index)
        attachPortraits(&tandems)
        let tandemIndex = Dictionary(tandems.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let meetings = readMeetings(tandemIndex)
        attachProfiles(&participants)
        let feedback = readFeedback(tandemIndex)
        let pages = readPages()
        guard let start = settings.start, let end = settings.end else { return nil }
        let programme = Programme(
            settings: settings, start: start, end: end, referenceDate: settings.referenceDate ?? end, participants: participants,
            tandems: tandems, meetings: meetings,
            feedback: feedback, pages: pages, assets: sources.assets, contentRoot: sources.root.path)
        checkOutputs(programme)
        return programme
    }

    /// What the content means for the outputs, said before anything is rendered: who the e-mails come from and who
    /// cannot receive theirs, and an anonymity threshold that makes aggregates easy to trace back.
    private mutating func checkOutputs(_ programme: Programme) {
        let settingsPath = sources.settingsPath
        let organiser = programme.organiser.text(in: programme.language)
        if let contact = programme.contact {
            if contact.email == nil || !contact.canSendMail {
                let problem = contact.email == nil ? "'contact.email' is missing" : "'contact.email' is not a plain ASCII address"
                warning(settingsPath, nil, "\(problem): the e-mails in mail/ are sent from <\(Contact.fallbackSender)>; set contact.email")
            }
        } else if settingsRead {
            warning(
                settingsPath, nil,
                "'contact' is missing: the e-mails in mail/ are sent from \(organiser) <\(Contact.fallbackSender)>; set contact.name and contact.email"
            )
        }
        if let table = sources.participants {
            for tandem in programme.tandems {
                guard let mentor = programme.participant(tandem.mentor), let mentee = programme.participant(tandem.mentee) else { continue }
                let members = [mentor, mentee]
                let reachable = members.filter(\.canReceiveMail)
                let addressed =
                    reachable.isEmpty
                    ? "it has no recipient" : "it is addressed to \(reachable.map(\.name).joined(separator: " and ")) only"
                for member in members where !member.canReceiveMail {
                    let problem =
                        (member.email ?? "").isEmpty
                        ? "has no e-mail address" : "has an e-mail address that is not plain ASCII (add it by hand)"
                    warning(
                        table.path, member.line, "\(member.name) (\(member.id)) \(problem): left out of mail/\(tandem.id).eml; \(addressed)"
                    )
                }
            }
        }
        // k below 5 is allowed (SPEC's default is 3) but worth a warning once there is feedback to aggregate.
        if programme.anonymityThreshold < 5, !programme.feedback.isEmpty {
            warning(
                settingsPath, nil,
                "anonymity_threshold is \(programme.anonymityThreshold): feedback aggregates over fewer than 5 people are easy to trace back to individuals; 5 or more is recommended"
            )
        }
    }

    // MARK: Helpers

    private mutating func error(_ path: String, _ line: Int?, _ message: String) { diagnostics.error(path, line: line, message) }
    private mutating func warning(_ path: String, _ line: Int?, _ message: String) { diagnostics.warning(path, line: line, message) }

    /// Reports a date outside the programme's `start`..`end`.
    private mutating func checkInProgramme(_ day: Day, what: String, path: String, line: Int?, column: Int? = nil) {
        checkInProgramme(day, what: what, path: path, line: line, column: column, diagnostics: &diagnostics)
    }

    private func checkInProgramme(_ day: Day, what: String, path: String, line: Int?, column: Int? = nil, diagnostics: inout Diagnostics) {
        guard let start = settings.start, let end = settings.end else { return }
        if day < start || day > end {
            diagnostics.error(path, line: line, column: column, "\(what) \(day) is outside the programme (\(start) to \(end))")
        }
    }

    // MARK: participants.csv

    private mutating func readParticipants() -> [Participant] {
        guard let table = sources.participants else { return [] }
        let path = table.path
        var result: [Participant] = []
        var firstLine: [String: Int] = [:]
        let assets = Set(sources.assets)
        let displayRoot = sources.displayRoot
        // The checks of a row's cells, on `workers` threads (each row on its own); the id checks below, in row order,
        // decide whether a row's findings count.
        let checked = Parallel.map(table.rows.count, workers: workers) { index -> (Diagnostics, Participant?) in
            let row = table.rows[index]
            let line = row.line
            var local = Diagnostics()
            guard let id = row["id"], isSlug(id) else { return (local, nil) }
            func error(_ path: String, _ line: Int?, _ message: String) { local.error(path, line: line, message) }
            func warning(_ path: String, _ line: Int?, _ message: String) { local.warning(path, line: line, message) }
            Self.warnAboutMarkup(row, of: table, owner: "'\(id)'", diagnostics: &local)
            var ok = true
            func requiredLine(_ column: String) -> String? {
                guard let value = row[column] else {
                    error(path, line, "column '\(column)' is empty for '\(id)'")
                    ok = false
                    return nil
                }
                if value.containsLineBreak {
                    error(path, line, "column '\(column)' of '\(id)' must be a single line")
                    ok = false
                    return nil
                }
                return value
            }
            let name = requiredLine("name")
            let organisation = requiredLine("organisation")
            var role: Role?
            if let text = requiredLine("role") {
                role = Role(rawValue: text.lowercased())
                if role == nil {
                    error(path, line, "role '\(text)' of '\(id)' must be 'mentor' or 'mentee'")
                    ok = false
                }
            }
            var position = row["position"]
            if let text = position, text.containsLineBreak {
                warning(path, line, "position of '\(id)' spans several lines; they are joined")
                position = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            }
            let email = row["email"]
            if let email, !EmailAddress.isValid(email) {
                error(path, line, "email '\(email)' of '\(id)' is not an e-mail address")
                ok = false
            }
            var languages: [String] = []
            for code in table.list(row, "languages") {
                let lower = code.lowercased()
                if supportedLanguages.contains(lower) {
                    if !languages.contains(lower) { languages.append(lower) }
                } else {
                    error(path, line, "language '\(code)' of '\(id)' is not one of \(supportedLanguages.joined(separator: ", "))")
                    ok = false
                }
            }
            var publish = false
            if let text = row["publish"] {
                switch text.lowercased() {
                case "yes": publish = true
                case "no": publish = false
                default:
                    error(path, line, "publish '\(text)' of '\(id)' must be 'yes' or 'no'")
                    ok = false
                }
            }
            var photo: String?
            if let text = row["photo"] {
                if let problem = Self.unsafeRelativePath(text) {
                    error(path, line, "photo '\(text)' of '\(id)' \(problem)")
                    ok = false
                } else if !assets.contains(text) {
                    error(path, line, "photo '\(text)' of '\(id)' not found in \(displayRoot)/assets/")
                    ok = false
                } else {
                    photo = text
                }
            }
            var gender: Gender?
            if let text = row["gender"] {
                gender = Gender(rawValue: text.lowercased())
                if gender == nil {
                    error(path, line, "gender '\(text)' of '\(id)' must be 'f', 'm' or empty (column 'gender')")
                    ok = false
                }
            }
            guard ok, let name, let organisation, let role else { return (local, nil) }
            return (
                local,
                Participant(
                    id: id, name: name, role: role, organisation: organisation, position: position, email: email,
                    languages: languages, topics: table.list(row, "topics"), publish: publish, photo: photo, gender: gender,
                    profile: nil, line: line)
            )
        }
        for (row, (rowDiagnostics, participant)) in zip(table.rows, checked) {
            let line = row.line
            guard let id = row["id"] else {
                error(path, line, "column 'id' is empty")
                continue
            }
            guard isSlug(id) else {
                invalidParticipantIDs.insert(id)
                error(path, line, TextChecks.idProblem(id, what: "id"))
                continue
            }
            if let first = firstLine[id] {
                error(path, line, "duplicate id '\(id)' (first used on line \(first))")
                continue
            }
            firstLine[id] = line
            diagnostics.append(contentsOf: rowDiagnostics)
            guard let participant else {
                invalidParticipantIDs.insert(id)
                continue
            }
            result.append(participant)
        }
        return result
    }

    /// A warning for each cell of `row` that holds something looking like an HTML tag: Tandem shows it as text
    /// (escaped), which is safe, but "<b>Leiterin</b>" on a poster is rarely what the person who typed it wanted.
    static func warnAboutMarkup(_ row: CSVRow, of table: CSVTable, owner: String, diagnostics: inout Diagnostics) {
        for column in table.columns {
            guard let cell = row.values[column], let tag = markupTag(in: cell) else { continue }
            diagnostics.warning(
                table.path, line: row.line,
                "column '\(column)' of \(owner) looks like HTML markup ('\(tag)'): it is shown as text")
        }
    }

    /// The first HTML-like tag in `text` ("<script>", "</b>", "<a href=…>", "<!--"), shortened for a message;
    /// nil when there is none. "a < b", "<3" and "<Anna>" with a space before the name do not count.
    static func markupTag(in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.contains(0x3C) else { return nil }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        var i = 0
        while i < bytes.count {
            defer { i += 1 }
            guard bytes[i] == 0x3C else { continue }
            var j = i + 1
            if j + 2 < bytes.count, bytes[j] == 0x21, bytes[j + 1] == 0x2D, bytes[j + 2] == 0x2D { return "<!--" }
            if j < bytes.count, bytes[j] == 0x2F { j += 1 }
            guard j < bytes.count, isLetter(bytes[j]) else { continue }
            while j < bytes.count, isLetter(bytes[j]) || (bytes[j] >= 0x30 && bytes[j] <= 0x39) || bytes[j] == 0x2D { j += 1 }
            // The name ends the tag, or is followed by attributes or a self-closing slash, and a '>' closes it.
            guard j < bytes.count, [0x3E, 0x2F, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[j]),
                let close = bytes[j...].firstIndex(of: 0x3E)
            else { continue }
            let tag = String(decoding: bytes[i...close], as: UTF8.self)
            return tag.count > 40 ? String(tag.prefix(39)) + "…" : tag
        }
        return nil
    }

    /// Why `path` may not be used below assets/, or nil when it is a plain relative path.
    static func unsafeRelativePath(_ path: String) -> String? {
        if path.hasPrefix("/") || path.contains("\\") || path.contains(":") { return "must be a relative path below assets/" }
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return "must not contain '..', '.' or empty segments"
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "contains control characters" }
        return nil
    }

    private mutating func checkPreferences(_ index: [String: Participant]) {
        for preference in settings.matching.lock + settings.matching.avoid {
            let place = settings.preferenceLines[preference]
            for (id, role) in [(preference.mentor, Role.mentor), (preference.mentee, Role.mentee)] {
                guard let person = index[id] else {
                    if !invalidParticipantIDs.contains(id), sources.participants?.unreadableLines.isEmpty ?? true {
                        error(place?.path ?? sources.settingsPath, place?.line, "matching: unknown participant '\(id)'")
                    }
                    continue
                }
                if person.role != role {
                    error(
                        place?.path ?? sources.settingsPath, place?.line,
                        "matching: '\(id)' is a \(person.role.rawValue), not a \(role.rawValue)")
                }
            }
        }
    }

    // MARK: pairs.csv

    private mutating func readTandems(_ people: [String: Participant]) -> [Tandem] {
        guard let table = sources.pairs else { return [] }
        let path = table.path
        var result: [Tandem] = []
        var firstLine: [String: Int] = [:]
        var pairLine: [String: Int] = [:]
        var membership: [String: [Int]] = [:]
        for row in table.rows {
            let line = row.line
            var ok = true
            var members: [Role: Participant] = [:]
            for role in Role.allCases {
                guard let id = row[role.rawValue] else {
                    error(path, line, "column '\(role.rawValue)' is empty")
                    ok = false
                    continue
                }
                guard let person = people[id] else {
                    if !invalidParticipantIDs.contains(id), sources.participants?.unreadableLines.isEmpty ?? true {
                        error(path, line, "unknown \(role.rawValue) '\(id)': no participant with this id in participants.csv")
                    }
                    ok = false
                    continue
                }
                if person.role != role {
                    error(path, line, "'\(id)' is a \(person.role.rawValue) in participants.csv, not a \(role.rawValue)")
                    ok = false
                    continue
                }
                members[role] = person
            }
            guard ok, let mentor = members[.mentor], let mentee = members[.mentee] else {
                invalidTandemIDs.insert(row["id"] ?? "\(row["mentor"] ?? "")--\(row["mentee"] ?? "")")
                continue
            }
            let id = row["id"] ?? "\(mentor.id)--\(mentee.id)"
            guard isSlug(id) else {
                invalidTandemIDs.insert(id)
                error(path, line, TextChecks.idProblem(id, what: "tandem id"))
                continue
            }
            if let first = firstLine[id] {
                error(path, line, "duplicate tandem id '\(id)' (first used on line \(first))")
                continue
            }
            firstLine[id] = line
            Self.warnAboutMarkup(row, of: table, owner: "tandem '\(id)'", diagnostics: &diagnostics)
            let pairKey = "\(mentor.id)\u{0}\(mentee.id)"
            if let first = pairLine[pairKey] {
                error(path, line, "\(mentor.id) and \(mentee.id) are already a tandem on line \(first)")
                continue
            }
            pairLine[pairKey] = line
            if TextKey.of(mentor.organisation) == TextKey.of(mentee.organisation) {
                let message =
                    "\(mentor.id) and \(mentee.id) are both from '\(mentor.organisation)'; rules.cross_organisation is \(settings.rules.crossOrganisation.rawValue)"
                switch settings.rules.crossOrganisation {
                case .required: error(path, line, message)
                case .preferred: warning(path, line, message)
                case .off: break
                }
            }
            if settings.matching.avoid.contains(PairPreference(mentor: mentor.id, mentee: mentee.id)) {
                warning(path, line, "\(mentor.id) and \(mentee.id) are listed in matching.avoid")
            }
            for person in [mentor, mentee] {
                let lines = membership[person.id, default: []]
                if lines.count >= settings.rules.pairsPerPerson {
                    let earlier = lines.map { String($0) }.joined(separator: ", ")
                    error(
                        path, line,
                        "'\(person.id)' is already in \(lines.count) tandem\(lines.count == 1 ? "" : "s") (line \(earlier)); rules.pairs_per_person allows \(settings.rules.pairsPerPerson)"
                    )
                    ok = false
                }
                membership[person.id, default: []].append(line)
            }
            var started: Day?
            if let text = row["started"] {
                if let day = Day(iso: text) {
                    started = day
                    checkInProgramme(day, what: "started date", path: path, line: line)
                } else {
                    error(path, line, "started '\(text)' is not a date written YYYY-MM-DD (years 0001 to 9998)")
                    ok = false
                }
            }
            var status = TandemStatus.active
            if let text = row["status"] {
                if let value = TandemStatus(rawValue: text.lowercased()) {
                    status = value
                } else {
                    error(path, line, "status '\(text)' must be active, completed or ended")
                    ok = false
                }
            }
            guard ok else {
                invalidTandemIDs.insert(id)
                continue
            }
            result.append(
                Tandem(
                    id: id, mentor: mentor.id, mentee: mentee.id, started: started, goals: table.list(row, "goals"), status: status,
                    line: line))
        }
        return result
    }

    // MARK: meetings.csv

    /// Checks the rows on `workers` threads (each row on its own), then merges their diagnostics in row order.
    private mutating func readMeetings(_ tandems: [String: Tandem]) -> [Meeting] {
        guard let table = sources.meetings else { return [] }
        let path = table.path
        let builder = self
        let invalidTandemIDs = self.invalidTandemIDs
        let pairsComplete = sources.pairs?.unreadableLines.isEmpty ?? true
        let checked = Parallel.map(table.rows.count, workers: workers) { index -> (Diagnostics, Meeting?) in
            let row = table.rows[index]
            // The row's findings, in the order the checks run.
            var local = Diagnostics()
            func error(_ path: String, _ line: Int?, _ message: String) { local.error(path, line: line, message) }
            func warning(_ path: String, _ line: Int?, _ message: String) { local.warning(path, line: line, message) }
            func checkInProgramme(_ day: Day, what: String, path: String, line: Int?) {
                builder.checkInProgramme(day, what: what, path: path, line: line, diagnostics: &local)
            }
            let line = row.line
            var ok = true
            var tandem: Tandem?
            if let id = row["pair"] {
                tandem = tandems[id]
                if tandem == nil {
                    if !invalidTandemIDs.contains(id), pairsComplete {
                        error(path, line, "unknown tandem '\(id)': no such id in pairs.csv")
                    }
                    ok = false
                }
            } else {
                error(path, line, "column 'pair' is empty")
                ok = false
            }
            var date: Day?
            if let text = row["date"] {
                date = Day(iso: text)
                if let date {
                    checkInProgramme(date, what: "meeting date", path: path, line: line)
                    if let started = tandem?.started, date < started {
                        warning(path, line, "meeting on \(date) is before the tandem started (\(started))")
                    }
                } else {
                    error(path, line, "date '\(text)' is not a date written YYYY-MM-DD (years 0001 to 9998)")
                    ok = false
                }
            } else {
                error(path, line, "column 'date' is empty")
                ok = false
            }
            var minutes: Int?
            if let text = row["minutes"] {
                if let n = Int(text), n > 0, n <= 24 * 60 {
                    minutes = n
                } else {
                    error(path, line, "minutes '\(text)' must be a whole number of minutes (1 to 1440)")
                    ok = false
                }
            }
            var format: MeetingFormat?
            if let text = row["format"] {
                format = MeetingFormat(rawValue: text.lowercased())
                if format == nil {
                    error(path, line, "format '\(text)' must be in-person, video or phone")
                    ok = false
                }
            }
            guard ok, let tandem, let date else { return (local, nil) }
            return (
                local,
                Meeting(
                    tandem: tandem.id, date: date, minutes: minutes, format: format, topics: table.list(row, "topics"), note: row["note"],
                    line: line)
            )
        }
        var result: [Meeting] = []
        for (rowDiagnostics, meeting) in checked {
            diagnostics.append(contentsOf: rowDiagnostics)
            if let meeting { result.append(meeting) }
        }
        return result
    }

    // MARK: Markdown files

    /// The parse stage: renders the body of every profile, feedback entry and page with cmark on `workers` threads,
    /// in the language validation will ask for, so validation only looks the results up.
    static func renderMarkdown(_ sources: inout ProgrammeSources, workers: Int, progress: ProgressReporter = ProgressReporter(nil)) {
        var ignored = Diagnostics()
        let main = sources.settings.map { ProgrammeSettings.read($0, diagnostics: &ignored).language } ?? "de"
        var jobs: [(folder: Int, index: Int, language: String)] = []
        for (index, source) in sources.profiles.enumerated() { jobs.append((0, index, splitTranslation(source.path).language ?? main)) }
        for index in sources.feedback.indices { jobs.append((1, index, main)) }
        for (index, source) in sources.pages.enumerated() { jobs.append((2, index, splitTranslation(source.path).language ?? main)) }
        for (index, source) in sources.tandems.enumerated() { jobs.append((3, index, splitTranslation(source.path).language ?? main)) }
        let snapshot = sources
        progress.begin("parse", total: jobs.count)
        let rendered = Parallel.map(jobs.count, workers: workers) { i -> RenderedMarkdown in
            defer { if i % 100 == 99 { progress.advance(100) } }
            let job = jobs[i]
            let source: MarkdownSource
            switch job.folder {
            case 0: source = snapshot.profiles[job.index]
            case 1: source = snapshot.feedback[job.index]
            case 2: source = snapshot.pages[job.index]
            default: source = snapshot.tandems[job.index]
            }
            return Markdown.render(source.body, language: job.language)
        }
        for (job, html) in zip(jobs, rendered) {
            switch job.folder {
            case 0: (sources.profiles[job.index].rendered, sources.profiles[job.index].renderedLanguage) = (html, job.language)
            case 1: (sources.feedback[job.index].rendered, sources.feedback[job.index].renderedLanguage) = (html, job.language)
            case 2: (sources.pages[job.index].rendered, sources.pages[job.index].renderedLanguage) = (html, job.language)
            default: (sources.tandems[job.index].rendered, sources.tandems[job.index].renderedLanguage) = (html, job.language)
            }
        }
    }

    /// The rendered body from the parse stage, or rendered now when that stage did not run (e.g. `tandem match`).
    private func markdown(_ source: MarkdownSource, language: String) -> RenderedMarkdown {
        if let rendered = source.rendered, source.renderedLanguage == language { return rendered }
        return Markdown.render(source.body, language: language)
    }

    /// Renders text that may appear in public, warning when e-mail addresses had to be removed from it.
    private mutating func publicMarkdown(_ source: MarkdownSource, language: String? = nil) -> RenderedMarkdown {
        let rendered = markdown(source, language: language ?? settings.language)
        if rendered.removedEmailAddresses > 0 {
            warning(
                source.path, nil,
                "\(rendered.removedEmailAddresses) e-mail address(es) removed: the public site and handouts never show e-mail addresses")
        }
        return rendered
    }

    /// `name.md` → ("name", nil); `name.fr.md` → ("name", "fr") when fr is a language code.
    static func splitTranslation(_ path: String) -> (base: String, language: String?) {
        if path.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            // Printable ASCII: bytes are characters.
            let bytes = path.utf8
            var end = bytes.endIndex
            while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
            let start = bytes[..<end].lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
            let stemEnd = bytes.index(end, offsetBy: -min(3, bytes.distance(from: start, to: end)))
            if let dot = bytes[start..<stemEnd].lastIndex(of: UInt8(ascii: ".")) {
                let suffix = String(path[bytes.index(after: dot)..<stemEnd])
                if supportedLanguages.contains(suffix) { return (String(path[start..<dot]), suffix) }
            }
            return (String(path[start..<stemEnd]), nil)
        }
        let file = String(path.split(separator: "/").last ?? "")
        let stem = String(file.dropLast(3))
        if let dot = stem.lastIndex(of: ".") {
            let suffix = String(stem[stem.index(after: dot)...])
            if supportedLanguages.contains(suffix) { return (String(stem[..<dot]), suffix) }
        }
        return (stem, nil)
    }

    /// Reads the front matter's keys, warning about unknown ones.
    private mutating func frontMatter(_ source: MarkdownSource, known: [String]) -> FrontMatterFields {
        Self.frontMatter(source, known: known, diagnostics: &diagnostics)
    }

    private static func frontMatter(_ source: MarkdownSource, known: [String], diagnostics: inout Diagnostics) -> FrontMatterFields {
        guard case .mapping(let entries, _)? = source.frontMatter?.root, let yaml = source.frontMatter else {
            return FrontMatterFields(yaml: nil)
        }
        for entry in entries where !known.contains(entry.key) {
            diagnostics.warning(
                source.path, line: entry.keyMark.map { $0.line + yaml.lineOffset }, column: entry.keyMark?.column,
                "unknown front matter key '\(entry.key)' is ignored")
        }
        return FrontMatterFields(yaml: yaml)
    }

    /// The keys profiles, feedback entries, pages and tandem portraits may have.
    static let profileKeys = ["quote", "links"]
    static let feedbackKeys = ["pair", "author", "phase", "date", "ratings", "share"]
    static let pageKeys = ["title", "order", "slug", "footer"]
    static let portraitKeys = ["quote", "photo"]

    /// Checks a translation's language; returns false when it should be skipped.
    private mutating func acceptTranslation(_ language: String, path: String) -> Bool {
        if language == settings.language {
            error(path, 1, "'.\(language).md' names the main language; the main text belongs in the file without a language suffix")
            return false
        }
        if !settings.languages.contains(language) {
            warning(path, 1, "translation into '\(language)' is not published: '\(language)' is not in programme.yml languages")
            return false
        }
        return true
    }

    private mutating func attachProfiles(_ participants: inout [Participant]) {
        var position: [String: Int] = [:]
        for (i, p) in participants.enumerated() { position[p.id] = i }
        var translations: [(String, String, Profile, String)] = []
        for source in sources.profiles {
            let (id, language) = Self.splitTranslation(source.path)
            guard let index = position[id] else {
                if let table = sources.participants, table.unreadableLines.isEmpty, !invalidParticipantIDs.contains(id) {
                    error(source.path, 1, "profile for unknown participant '\(id)': no such id in participants.csv")
                }
                continue
            }
            var reader = YAMLReader()
            let fields = frontMatter(source, known: Self.profileKeys)
            var quote: String?
            if let field = fields["quote"] { quote = reader.line(field.value, "quote") }
            var links: [ProfileLink] = []
            if let field = fields["links"], let items = reader.items(field.value, "links") {
                for item in items {
                    guard let entries = reader.entries(item, "links") else { continue }
                    let title = entries.first { $0.key == "title" }.flatMap { reader.line($0.value, "links.title") }
                    let url = entries.first { $0.key == "url" }
                    guard let title, let url, let urlText = reader.line(url.value, "links.url") else {
                        if entries.first(where: { $0.key == "title" }) == nil || entries.first(where: { $0.key == "url" }) == nil {
                            reader.error(item, "a link needs 'title' and 'url'")
                        }
                        continue
                    }
                    guard URLSafety.isSafeLink(urlText) else {
                        reader.error(url.value, "link url '\(urlText)' must start with https://, http:// or mailto:")
                        continue
                    }
                    links.append(ProfileLink(title: title, url: urlText))
                }
            }
            diagnostics.append(contentsOf: reader.diagnostics)
            let profile = Profile(quote: quote, links: links, body: publicMarkdown(source, language: language))
            if let language {
                if acceptTranslation(language, path: source.path) { translations.append((id, language, profile, source.path)) }
            } else {
                participants[index].profile = profile
            }
        }
        for (id, language, profile, path) in translations {
            guard let index = position[id] else { continue }
            guard participants[index].profile != nil else {
                error(path, 1, "translation without original: \(sources.displayRoot)/profiles/\(id).md does not exist")
                continue
            }
            participants[index].profile?.translations[language] = profile
        }
    }

    /// Reads tandems/<tandem-id>.md (and its translations) into the tandem's portrait. A portrait needs a tandem of
    /// pairs.csv; its `photo` must be a file below assets/. Public text: e-mail addresses are removed, as from profiles.
    private mutating func attachPortraits(_ tandems: inout [Tandem]) {
        var position: [String: Int] = [:]
        for (i, tandem) in tandems.enumerated() { position[tandem.id] = i }
        let assets = Set(sources.assets)
        var translations: [(String, String, TandemPortrait, String)] = []
        for source in sources.tandems {
            let (id, language) = Self.splitTranslation(source.path)
            guard let index = position[id] else {
                if sources.pairs != nil && !invalidTandemIDs.contains(id) {
                    error(source.path, 1, "portrait for unknown tandem '\(id)': no tandem with this id in pairs.csv")
                }
                continue
            }
            var reader = YAMLReader()
            let fields = frontMatter(source, known: Self.portraitKeys)
            var quote: String?
            if let field = fields["quote"] { quote = reader.line(field.value, "quote") }
            var photo: String?
            if let field = fields["photo"], let text = reader.line(field.value, "photo") {
                if let problem = Self.unsafeRelativePath(text) {
                    reader.error(field.value, "photo '\(text)' \(problem)")
                } else if !assets.contains(text) {
                    reader.error(field.value, "photo '\(text)' not found in \(sources.displayRoot)/assets/")
                } else {
                    photo = text
                }
            }
            diagnostics.append(contentsOf: reader.diagnostics)
            let portrait = TandemPortrait(quote: quote, photo: photo, body: publicMarkdown(source, language: language))
            if let language {
                if acceptTranslation(language, path: source.path) { translations.append((id, language, portrait, source.path)) }
            } else {
                tandems[index].portrait = portrait
            }
        }
        for (id, language, portrait, path) in translations {
            guard let index = position[id] else { continue }
            guard tandems[index].portrait != nil else {
                error(path, 1, "translation without original: \(sources.displayRoot)/tandems/\(id).md does not exist")
                continue
            }
            tandems[index].portrait?.translations[language] = portrait
        }
    }

    /// What checking one feedback file found: its diagnostics in the order the checks ran, and the entry when it is valid.
    private struct CheckedFeedback {
        var diagnostics = Diagnostics()
        var entry: FeedbackEntry?
    }

    /// Checks the feedback files on `workers` threads, then, in file order, merges their diagnostics and reports
    /// second answers of the same person and phase.
    private mutating func readFeedback(_ tandems: [String: Tandem]) -> [FeedbackEntry] {
        let questionIDs = settings.questions.map(\.id)
        let feedback = sources.feedback
        let builder = self
        let checked = Parallel.map(feedback.count, workers: workers) { i in
            builder.checkFeedback(feedback[i], tandems: tandems, questionIDs: questionIDs)
        }
        var result: [FeedbackEntry] = []
        var seen: [String: String] = [:]
        for item in checked {
            diagnostics.append(contentsOf: item.diagnostics)
            guard let entry = item.entry else { continue }
            let key = "\(entry.tandem)/\(entry.author.rawValue)/\(entry.phase.rawValue)"
            if let first = seen[key] {
                warning(
                    entry.path, 1,
                    "second \(entry.phase.rawValue) feedback from the \(entry.author.rawValue) of '\(entry.tandem)' (first: \(first)); both are counted as one person"
                )
            } else {
                seen[key] = entry.path
            }
            // Text that may appear in public (see `publicMarkdown`).
            if entry.share == .quote, entry.body.removedEmailAddresses > 0 {
                warning(
                    entry.path, nil,
                    "\(entry.body.removedEmailAddresses) e-mail address(es) removed: the public site and handouts never show e-mail addresses"
                )
            }
            result.append(entry)
        }
        return result
    }

    /// Checks one feedback file on its own (any thread): everything but what depends on the other files.
    private func checkFeedback(_ source: MarkdownSource, tandems: [String: Tandem], questionIDs: [String]) -> CheckedFeedback {
        var checked = CheckedFeedback()
        guard source.frontMatter != nil else {
            checked.diagnostics.error(source.path, line: 1, "feedback needs front matter between '---' lines with pair, author and phase")
            return checked
        }
        var diagnostics = Diagnostics()
        let fields = Self.frontMatter(source, known: Self.feedbackKeys, diagnostics: &diagnostics)
        var reader = YAMLReader()
        var ok = true
        func required(_ key: String) -> YAMLValue? {
            guard let field = fields[key] else {
                diagnostics.error(source.path, line: 1, "missing front matter key '\(key)'")
                ok = false
                return nil
            }
            return field.value
        }
        var tandem: Tandem?
        if let value = required("pair"), let id = reader.string(value, "pair") {
            tandem = tandems[id]
            if tandem == nil {
                if invalidTandemIDs.contains(id) || !(sources.pairs?.unreadableLines.isEmpty ?? true) {
                    ok = false
                } else {
                    reader.error(value, "unknown tandem '\(id)': no such id in pairs.csv")
                }
            }
        }
        var author: Role?
        if let value = required("author"), let text = reader.string(value, "author") {
            author = Role(rawValue: text)
            if author == nil { reader.error(value, "author must be 'mentor' or 'mentee' (a role, never a name), found '\(text)'") }
        }
        var phase: FeedbackPhase?
        if let value = required("phase"), let text = reader.string(value, "phase") {
            phase = FeedbackPhase(rawValue: text)
            if phase == nil { reader.error(value, "phase must be kickoff, midterm or final, found '\(text)'") }
        }
        var date: Day?
        if let value = fields["date"]?.value {
            date = reader.day(value, "date")
            if let date {
                checkInProgramme(
                    date, what: "feedback date", path: source.path, line: value.line, column: value.column, diagnostics: &diagnostics)
            }
        }
        var share = FeedbackShare.private
        if let value = fields["share"]?.value, let text = reader.string(value, "share") {
            if let parsed = FeedbackShare(rawValue: text) {
                share = parsed
            } else {
                reader.error(value, "share must be private, anonymous or quote, found '\(text)'")
            }
        }
        var ratings: [String: Int] = [:]
        if let value = fields["ratings"]?.value, !value.isNull, let entries = reader.entries(value, "ratings") {
            for entry in entries where settingsRead {
                guard questionIDs.contains(entry.key) else {
                    let known =
                        questionIDs.isEmpty
                        ? "programme.yml defines no feedback.questions" : "known questions: \(questionIDs.joined(separator: ", "))"
                    diagnostics.error(
                        source.path, line: entry.keyLine, column: entry.keyColumn, "unknown question '\(entry.key)' (\(known))")
                    ok = false
                    continue
                }
                if let n = reader.int(entry.value, "ratings.\(entry.key)", range: 1...settings.feedbackScale) {
                    ratings[entry.key] = n
                }
            }
        }
        if reader.diagnostics.hasErrors { ok = false }
        diagnostics.append(contentsOf: reader.diagnostics)
        checked.diagnostics = diagnostics
        guard ok, let tandem, let author, let phase else { return checked }
        checked.entry = FeedbackEntry(
            path: source.path, tandem: tandem.id, author: author, phase: phase, date: date, ratings: ratings, share: share,
            // Shown among other texts (quotes, report comments): headings as bold paragraphs, no ids (issue 6).
            body: markdown(source, language: settings.language).headingsAsParagraphs)
        return checked
    }

    /// Page slugs the site uses itself.
    static let reservedSlugs: Set<String> = [
        "index", "404", "participants", "tandems", "timeline", "programme", "sitemap", "robots", "theme", "assets", "print", "internal",
        "mail",
    ]

    private mutating func readPages() -> [Page] {
        var result: [Page] = []
        var translations: [(String, String, Page)] = []
        var slugSource: [String: String] = [:]
        for source in sources.pages {
            let (base, language) = Self.splitTranslation(source.path)
            let fields = frontMatter(source, known: Self.pageKeys)
            var reader = YAMLReader()
            var title: String?
            if let field = fields["title"] {
                title = reader.line(field.value, "title")
            } else if language == nil {
                reader.diagnostics.error(source.path, line: 1, "missing front matter key 'title'")
            }
            var order: Int?
            if let field = fields["order"] { order = reader.int(field.value, "order", range: -100000...100000) }
            var footer = false
            if let field = fields["footer"], let flag = reader.bool(field.value, "footer") { footer = flag }
            var slug = base
            if let field = fields["slug"], let text = reader.string(field.value, "slug") {
                if isSlug(text) { slug = text } else { reader.error(field.value, "slug '\(text)' may use only a-z, 0-9 and '-'") }
            } else if !isSlug(base) {
                reader.diagnostics.error(
                    source.path, line: 1, "file name '\(base)' is not a valid slug; rename it or set 'slug' (a-z, 0-9 and '-')")
            }
            let failed = reader.diagnostics.hasErrors
            diagnostics.append(contentsOf: reader.diagnostics)
            guard !failed else { continue }
            let page = Page(
                path: source.path, slug: slug, title: title ?? "", order: order, footer: footer,
                body: publicMarkdown(source, language: language))
            if let language {
                if acceptTranslation(language, path: source.path) { translations.append((base, language, page)) }
                continue
            }
            guard let title, !title.isEmpty else { continue }
            if Self.reservedSlugs.contains(slug) {
                error(source.path, 1, "slug '\(slug)' is used by the site itself; choose another")
                continue
            }
            if let first = slugSource[slug] {
                error(source.path, 1, "slug '\(slug)' is already used by \(first)")
                continue
            }
            slugSource[slug] = source.path
            result.append(page)
        }
        for (base, language, page) in translations {
            let original = result.firstIndex { Self.splitTranslation($0.path).base == base }
            guard let original else {
                error(page.path, 1, "translation without original: \(sources.displayRoot)/pages/\(base).md does not exist")
                continue
            }
            var translated = page
            translated.slug = result[original].slug
            // Menu or footer is the page's place on the site, the same in every language.
            translated.footer = result[original].footer
            if translated.title.isEmpty { translated.title = result[original].title }
            result[original].translations[language] = translated
        }
        result.sort { ($0.order ?? Int.max, $0.slug) < ($1.order ?? Int.max, $1.slug) }
        return result
    }
}

/// Which URLs may become links in output.
enum URLSafety {
    static func isSafeLink(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") else { return false }
        return !url.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" }
    }
}

/// The keys of a front matter; a key written twice gives its last value, as a dictionary of them would.
/// Looked up one by one: a front matter has a handful of keys.
struct FrontMatterFields {
    let yaml: YAMLValue?

    subscript(key: String) -> (line: Int?, value: YAMLValue)? {
        guard let yaml, case .mapping(let entries, _) = yaml.root, let entry = entries.last(where: { $0.key == key }) else { return nil }
        return (entry.keyMark.map { $0.line + yaml.lineOffset }, YAMLValue(root: entry.value, path: yaml.path, lineOffset: yaml.lineOffset))
    }
}
