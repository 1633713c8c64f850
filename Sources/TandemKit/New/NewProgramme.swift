import Foundation

/// `tandem new DIR`: a new project folder for a programme, ready for `tandem check`, in the chosen language.
///
/// The folder holds `Content/` (programme.yml with every key commented, participants.csv and pairs.csv with their
/// header and example rows, one example profile, the pages every programme site needs as drafts, assets/photos/),
/// a `.gitignore` that keeps `Output/` out of version control, and a short read-me that tells the programme manager
/// what to fill in and which commands to run. The theme is not copied: the built-in one is used until the programme
/// exports its own (`tandem theme export`).
///
/// The texts live in `NewProgrammeTexts` (one file per language beside this one): placeholders `@KEY@` are replaced
/// with the title, the organiser and dates derived from `today` (a parameter, so the same input gives the same files).
public enum NewProgramme {
    public enum Language: String, CaseIterable, Sendable {
        case de, fr, it, en
    }

    public struct Options: Sendable {
        public var language: Language
        public var title: String?
        public var organiser: String?
        /// The address the site will be served from; without it a placeholder below example.org (reserved for examples)
        /// stands in programme.yml, marked to be replaced, so previews and QR codes work from the first build.
        public var baseURL: String?
        /// The day the folder is made: the example dates follow it (the programme starts on the 1st of next month).
        public var today: Day

        public init(language: Language = .de, title: String? = nil, organiser: String? = nil, baseURL: String? = nil, today: Day) {
            self.language = language
            self.title = title
            self.organiser = organiser
            self.baseURL = baseURL
            self.today = today
        }
    }

    /// Why nothing (or not everything) was written: the path as the user gave it and what is wrong.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let message: String
        public var description: String { "\(path): error: \(message)" }
    }

    /// The files of the new folder, by path below it (a path ending in `/` is an empty folder).
    public static func files(_ options: Options) throws(Failure) -> [(path: String, text: String)] {
        let texts = NewProgrammeTexts.of(options.language)
        let title = try oneLine(options.title ?? texts.defaultTitle, option: "--title")
        let organiser = try oneLine(options.organiser ?? texts.defaultOrganiser, option: "--organiser")
        let dates = Dates(today: options.today)
        var baseURL = try oneLine(options.baseURL ?? "https://www.example.org/mentoring/", option: "--base-url")
        guard let url = URLComponents(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false,
            url.user == nil
        else {
            throw Failure(path: "--base-url", message: "'\(baseURL)' is not an http(s) address such as https://mentoring.example.ch/")
        }
        if !baseURL.hasSuffix("/") { baseURL += "/" }
        let values: [(String, String)] = [
            ("@BASE_URL_YAML@", yamlQuoted(baseURL)),
            ("@TITLE_YAML@", yamlQuoted(title)),
            ("@ORGANISER_YAML@", yamlQuoted(organiser)),
            ("@TITLE@", title),
            ("@ORGANISER@", organiser),
            ("@START@", dates.start.iso),
            ("@END@", dates.end.iso),
            ("@KICKOFF@", dates.kickoff.iso),
            ("@MIDTERM@", dates.midterm.iso),
            ("@SYMPOSIUM@", dates.symposium.iso),
        ]
        func fill(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        var files: [(path: String, text: String)] = [
            (".gitignore", gitignore),
            (texts.readmeName, fill(texts.readme)),
            ("Content/programme.yml", fill(texts.programme)),
            ("Content/participants.csv", fill(texts.participants)),
            ("Content/pairs.csv", fill(texts.pairs)),
            ("Content/profiles/\(texts.profile.id).md", fill(texts.profile.text)),
        ]
        for page in texts.pages { files.append(("Content/pages/\(page.name).md", fill(page.text))) }
        // An empty folder does not survive git; the hidden file keeps it (hidden files are never published).
        files.append(("Content/assets/photos/.gitkeep", ""))
        return files
    }

    /// Writes the new folder. `folder` must not exist or be an empty folder; it is never a symbolic link, and no file
    /// is written through one. Returns the paths written, below `folder`.
    @discardableResult
    public static func write(_ options: Options, to folder: String) throws(Failure) -> [String] {
        let shown = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        guard !shown.isEmpty else { throw Failure(path: "''", message: "give the folder to create, e.g. tandem new mentoring-2027") }
        let files = try files(options)
        var info = stat()
        if lstat(shown, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard let entries = try? FileManager.default.contentsOfDirectory(atPath: shown) else {
                    throw Failure(path: shown, message: "cannot read the folder")
                }
                guard entries.isEmpty else {
                    throw Failure(
                        path: shown, message: "folder is not empty; tandem new creates a new programme only in a new or empty folder")
                }
            case S_IFLNK:
                throw Failure(path: shown, message: "is a symbolic link; Tandem does not follow links (give the real folder)")
            default:
                throw Failure(path: shown, message: "exists and is not a folder")
            }
        } else if errno != ENOENT {
            throw Failure(path: shown, message: "cannot use the folder: \(String(cString: strerror(errno)))")
        } else {
            do {
                try FileManager.default.createDirectory(atPath: shown, withIntermediateDirectories: true)
            } catch {
                throw Failure(path: shown, message: "cannot create the folder: \(error.localizedDescription)")
            }
        }
        var made: Set<String> = []
        for file in files {
            var parent = ""
            for part in file.path.split(separator: "/").dropLast() {
                parent += (parent.isEmpty ? "" : "/") + part
                guard made.insert(parent).inserted else { continue }
                // mkdir never follows a link at its last component; a new folder's children are new.
                if mkdir(shown + "/" + parent, 0o755) != 0 {
                    throw Failure(path: shown + "/" + parent, message: "cannot create the folder: \(String(cString: strerror(errno)))")
                }
            }
            if let error = FileIO.writeNew(shown + "/" + file.path, Array(file.text.utf8)) {
                throw Failure(path: shown + "/" + file.path, message: "cannot create the file: \(String(cString: strerror(error)))")
            }
        }
        return files.map(\.path)
    }

    static let gitignore = """
        # What `tandem build` writes: never commit it (mail/ and internal/ hold personal data).
        /Output/
        /.Output.*

        """

    /// The example dates: a six-month programme from the 1st of next month, kick-off in its first week, a mid-term
    /// meeting after three months and a closing symposium three weeks after the end.
    struct Dates {
        let start: Day
        let end: Day
        let kickoff: Day
        let midterm: Day
        let symposium: Day

        init(today: Day) {
            func month(_ offset: Int, day: Int) -> Day {
                let index = today.year * 12 + (today.month - 1) + offset
                let year = min(max(index / 12, 1), Day.years.upperBound - 1)
                let month = index % 12 + 1
                return Day(year: year, month: month, day: min(day, Day.daysIn(month: month, year: year)))
            }
            start = month(1, day: 1)
            end = month(6, day: 31)
            kickoff = month(1, day: 8)
            midterm = month(4, day: 15)
            symposium = month(7, day: 21)
        }
    }

    /// The text on one line, trimmed; an empty text or a line break is refused (titles are one line).
    static func oneLine(_ text: String, option: String) throws(Failure) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Failure(path: option, message: "must not be empty") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" })
        else { throw Failure(path: option, message: "must be one line of text, without line breaks or control characters") }
        return trimmed
    }

    /// A YAML double-quoted scalar: `"` and `\` escaped (control characters were refused before).
    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
