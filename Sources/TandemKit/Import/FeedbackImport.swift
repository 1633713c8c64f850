import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `tandem import feedback` is asked to do.
public struct FeedbackImportOptions: Sendable {
    public var contentPath: String
    public var exportPath: String
    public var phase: FeedbackPhase
    public var mappingPath: String?
    public var dryRun: Bool

    public init(contentPath: String, exportPath: String, phase: FeedbackPhase, mappingPath: String? = nil, dryRun: Bool = false) {
        self.contentPath = contentPath
        self.exportPath = exportPath
        self.phase = phase
        self.mappingPath = mappingPath
        self.dryRun = dryRun
    }
}

/// One feedback entry an import writes (or, with `--dry-run`, would write).
public struct ImportedFeedback: Sendable {
    /// The file as the user names it (`Content/feedback/midterm-lea-marc-mentee.md`).
    public var path: String
    public var tandem: String
    public var role: Role
    public var ratings: [String: Int]
    public var share: FeedbackShare
    /// The export's line (CSV) or row (workbook) the answer is on.
    public var line: Int
    /// The file's text: front matter and the comment. Never holds the e-mail address.
    public var text: String
}

/// What an import did: the entries written, the answers already there, and every row it could not use (warnings
/// naming the export's line) or why it could not run at all (errors).
public struct FeedbackImportResult: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var written: [ImportedFeedback] = []
    /// Answers whose entry already exists (same tandem, role and phase): nothing is overwritten.
    public var alreadyThere: [ImportedFeedback] = []
    /// Rows that were not imported (each has a warning in `diagnostics`).
    public var skippedRows = 0
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// Turns a survey export into `feedback/*.md` entries: the respondent is found by e-mail in the roster, which gives
/// the tandem and the role; the mapping file says which columns are the rating questions, the comment and the
/// consent to quote. The e-mail address is used for matching only and written nowhere.
public enum FeedbackImport {
    public static func run(_ options: FeedbackImportOptions) -> FeedbackImportResult {
        var result = FeedbackImportResult()
        var diagnostics = Diagnostics()
        perform(options, &result, &diagnostics)
        result.diagnostics = diagnostics.sorted
        return result
    }

    private static func perform(_ options: FeedbackImportOptions, _ result: inout FeedbackImportResult, _ diagnostics: inout Diagnostics) {

        // The programme must build (its roster, tandems and questions are what the answers are matched against).
        var programmeDiagnostics = Diagnostics()
        let programme = Pipeline.loadModel(BuildOptions(contentPath: options.contentPath), diagnostics: &programmeDiagnostics)
        guard let programme, !programmeDiagnostics.hasErrors else {
            for diagnostic in programmeDiagnostics.all where diagnostic.severity == .error { diagnostics.append(diagnostic) }
            diagnostics.error(options.contentPath, "the programme has errors (see above); fix them first, nothing was imported")
            return
        }
        guard let bytes = readFile(options.exportPath) else {
            diagnostics.error(options.exportPath, "cannot read the export (no such file, or not a regular file)")
            return
        }
        guard let export = SurveyExport.read(bytes: bytes, path: options.exportPath, diagnostics: &diagnostics) else { return }

        var mapping = ImportMapping()
        if let mappingPath = options.mappingPath {
            guard let mappingBytes = readFile(mappingPath) else {
                diagnostics.error(mappingPath, "cannot read the mapping file (no such file, or not a regular file)")
                return
            }
            guard
                let parsed = ImportMapping.parse(
                    TextDecoding.decode(mappingBytes).text, path: mappingPath, export: export, programme: programme,
                    diagnostics: &diagnostics)
            else { return }
            mapping = parsed
        }
        mapping.recognise(export: export, programme: programme)
        guard let emailColumn = mapping.email else {
            diagnostics.error(
                options.mappingPath ?? export.path,
                "no column with the respondents' e-mail addresses (recognised: \(SurveyColumns.email.joined(separator: ", "))); name it in the mapping file as 'email: \"Column\"' (the export's columns: \(export.columns.filter { !$0.isEmpty }.joined(separator: ", ")))"
            )
            return
        }
        if mapping.ratings.isEmpty && mapping.comment == nil {
            diagnostics.error(
                options.mappingPath ?? export.path,
                "no column of the export is a rating question of programme.yml (feedback.questions) or the comment; name them in a mapping file (--map)"
            )
            return
        }
        if diagnostics.hasErrors { return }

        // The roster by e-mail; a participant's tandems.
        var byEmail: [String: [Participant]] = [:]
        for participant in programme.participants {
            if let email = participant.email?.trimmingWhitespace.lowercased(), !email.isEmpty {
                byEmail[email, default: []].append(participant)
            }
        }
        var tandemsOf: [String: [Tandem]] = [:]
        for tandem in programme.tandems {
            tandemsOf[tandem.mentor, default: []].append(tandem)
            tandemsOf[tandem.mentee, default: []].append(tandem)
        }
        /// The (tandem, role) pairs that have an entry for this phase already.
        var existing = Set(
            programme.feedback.filter { $0.phase == options.phase }.map { "\($0.tandem)\u{0}\($0.author.rawValue)" })
        var firstRow: [String: Int] = [:]
        let feedbackFolder = options.contentPath + "/feedback"
        let phase = options.phase

        for (line, rowNumber, cells) in export.rows {
            func cell(_ index: Int?) -> String {
                guard let index, index < cells.count else { return "" }
                return cells[index].trimmingWhitespace
            }
            let rowLabel = line == rowNumber || export.path.contains(".xls") ? "" : "row \(rowNumber): "
            func skip(_ message: String) {
                diagnostics.warning(export.path, line: line, rowLabel + message + "; not imported")
                result.skippedRows += 1
            }
            let email = cell(emailColumn).lowercased()
            guard !email.isEmpty, email.contains("@") else {
                skip(
                    email.isEmpty
                        ? "the answer has no e-mail address"
                        : "'\(TextChecks.excerpt(email))' is not an e-mail address (an anonymous answer?)")
                continue
            }
            guard let people = byEmail[email] else {
                skip("no participant in the roster has the e-mail address \(TextChecks.excerpt(email, limit: 80))")
                continue
            }
            guard people.count == 1, let person = people.first else {
                skip(
                    "\(people.count) participants have the e-mail address \(TextChecks.excerpt(email, limit: 80)) (\(people.map(\.id).joined(separator: ", ")))"
                )
                continue
            }
            let tandems = tandemsOf[person.id] ?? []
            guard tandems.count == 1, let tandem = tandems.first else {
                skip(
                    tandems.isEmpty
                        ? "\(person.id) is in no tandem"
                        : "\(person.id) is in \(tandems.count) tandems (\(tandems.map(\.id).joined(separator: ", "))) and the export does not say which one the answer is about"
                )
                continue
            }
            // Ratings; an empty answer is a question left out.
            var ratings: [String: Int] = [:]
            var problems: [String] = []
            for rating in mapping.ratings {
                let answer = cell(rating.column)
                if answer.isEmpty { continue }
                switch rating.read(answer, scale: programme.feedbackScale) {
                case .success(let value): ratings[rating.question] = value
                case .failure(let problem): problems.append("'\(rating.question)': \(problem.message)")
                }
            }
            if !problems.isEmpty {
                skip("rating " + problems.joined(separator: "; "))
                continue
            }
            let comment = Self.cleaned(cell(mapping.comment))
            if ratings.isEmpty && comment.isEmpty {
                skip("the answer has no rating and no comment")
                continue
            }
            var date: Day?
            if let dateColumn = mapping.date, !cell(dateColumn).isEmpty {
                guard let day = SurveyDates.day(cell(dateColumn), monthFirst: mapping.monthFirst) else {
                    skip("the date '\(TextChecks.excerpt(cell(dateColumn)))' cannot be read")
                    continue
                }
                guard day >= programme.start, day <= programme.end else {
                    skip("the answer is dated \(day.iso), outside the programme (\(programme.start.iso) to \(programme.end.iso))")
                    continue
                }
                date = day
            }
            let share: FeedbackShare
            if let consent = mapping.consent {
                share = consent.allows(cell(consent.column)) ? .quote : .private
            } else {
                share = .private
            }
            let key = "\(tandem.id)\u{0}\(person.role.rawValue)"
            if let first = firstRow[key] {
                skip(
                    "a second answer of the \(person.role.rawValue) of '\(tandem.id)' (the first is on \(export.path.contains(".xls") ? "row" : "line") \(first))"
                )
                continue
            }
            firstRow[key] = line
            let name = "\(phase.rawValue)-\(tandem.id)-\(person.role.rawValue).md"
            let entry = ImportedFeedback(
                path: feedbackFolder + "/" + name, tandem: tandem.id, role: person.role, ratings: ratings, share: share, line: line,
                text: Self.entryText(
                    tandem: tandem.id, role: person.role, phase: phase, date: date, ratings: ratings, share: share, comment: comment))
            var info = stat()
            if existing.contains(key) || lstat(entry.path, &info) == 0 {
                result.alreadyThere.append(entry)
                continue
            }
            existing.insert(key)
            result.written.append(entry)
        }
        if options.dryRun || result.written.isEmpty { return }

        // Writing: the folder (never through a link), then each file only when it does not exist yet.
        var info = stat()
        if lstat(feedbackFolder, &info) != 0 {
            if mkdir(feedbackFolder, 0o755) != 0 {
                diagnostics.error(feedbackFolder, "cannot create the folder: \(String(cString: strerror(errno)))")
                result.written = []
                return
            }
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            diagnostics.error(feedbackFolder, "is not a folder (a link or a file); nothing was imported")
            result.written = []
            return
        }
        var written: [ImportedFeedback] = []
        for entry in result.written {
            let fd = open(entry.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                if errno == EEXIST {
                    result.alreadyThere.append(entry)
                } else {
                    diagnostics.error(entry.path, "cannot write: \(String(cString: strerror(errno)))")
                }
                continue
            }
            let bytes = Array(entry.text.utf8)
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            if count != bytes.count {
                diagnostics.error(entry.path, "cannot write the whole file")
                unlink(entry.path)
                continue
            }
            written.append(entry)
        }
        result.written = written
        return
    }

    /// A regular file's bytes; nil for a missing file, a folder, a FIFO or a symbolic link's target.
    static func readFile(_ path: String) -> [UInt8]? {
        if case .success(let bytes) = ContentFile.read(path: path) { return bytes }
        return nil
    }

    /// The comment as Markdown text: line breaks as LF, control characters removed, surrounding space trimmed.
    static func cleaned(_ text: String) -> String {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let scalars = unified.unicodeScalars.filter { scalar in
            let v = scalar.value
            return v == 0x0A || v == 0x09 || !(v < 0x20 || (v >= 0x7F && v <= 0x9F))
        }
        return String(String.UnicodeScalarView(scalars)).trimmingWhitespace
    }

    /// The entry as a person would write it by hand.
    static func entryText(
        tandem: String, role: Role, phase: FeedbackPhase, date: Day?, ratings: [String: Int], share: FeedbackShare, comment: String
    ) -> String {
        var text = "---\npair: \(tandem)\nauthor: \(role.rawValue)\nphase: \(phase.rawValue)\n"
        if let date { text += "date: \(date.iso)\n" }
        if !ratings.isEmpty {
            text += "ratings:\n"
            for (question, value) in ratings.sorted(by: { $0.key < $1.key }) { text += "  \(yamlKey(question)): \(value)\n" }
        }
        text += "share: \(share.rawValue)\n---\n"
        if !comment.isEmpty { text += comment + "\n" }
        return text
    }

    /// A question id as a YAML key: plain when it is a simple word, else double-quoted.
    static func yamlKey(_ key: String) -> String {
        if !key.isEmpty,
            key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }),
            !key.hasPrefix("-")
        {
            return key
        }
        return "\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
