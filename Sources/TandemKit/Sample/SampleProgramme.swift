import Foundation

/// `tandem sample`: a synthetic programme folder of any size, valid by SPEC.md and by Tandem's validation, for trying
/// Tandem and for benchmarks. German-language content (names, organisations, topics, profiles of realistic length,
/// meetings, feedback with every share level, a few pages). Deterministic: the same size and seed give the same
/// files byte for byte (SplitMix64, never the system's random numbers, no clock).
public enum SampleProgramme {
    /// What was written.
    public struct Summary: Sendable {
        public var participants = 0
        public var tandems = 0
        public var meetings = 0
        public var feedback = 0
        public var profiles = 0
        public var pages = 0
        public var files = 0
    }

    public enum SampleError: Error, CustomStringConvertible {
        case notEmpty(String)
        case cannotWrite(String, String)
        case participantsOutOfRange(Int)
        public var description: String {
            switch self {
            case .participantsOutOfRange(let count):
                return
                    "--participants \(count) is out of range; a sample has \(allowedParticipants.lowerBound) to \(allowedParticipants.upperBound) participants"
            case .notEmpty(let path): return "\(path): the folder exists and is not empty; choose a new folder or pass --force"
            case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
            }
        }
    }

    /// How many participants a sample may have: a tandem needs two, and a million people would take minutes and
    /// gigabytes (10,000 build in a few seconds).
    public static let allowedParticipants = 2...1_000_000

    /// The programme's dates: six months, as in the reverse-mentoring programme Tandem was written for.
    static let start = Day(year: 2026, month: 3, day: 2)
    static let end = Day(year: 2026, month: 8, day: 28)

    /// All files of a programme with `participants` people (half mentors, half mentees), by path below the folder.
    public static func files(participants count: Int, seed: UInt64) -> [(path: String, text: String)] {
        var generator = Generator(seed: seed)
        return generator.programme(count: max(2, count))
    }

    /// Writes the programme into `folder`. An existing non-empty folder is refused unless `replace` is set.
    @discardableResult
    public static func write(participants count: Int, seed: UInt64, to folder: String, replace: Bool = false, workers: Int? = nil)
        throws -> Summary
    {
        guard allowedParticipants.contains(count) else { throw SampleError.participantsOutOfRange(count) }
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            guard replace else { throw SampleError.notEmpty(folder) }
            FileIO.removeTree(folder, workers: workers ?? Parallel.defaultWorkers)
        }
        let files = self.files(participants: count, seed: seed)
        var folders = Set<String>([folder])
        for file in files {
            if let slash = file.path.lastIndex(of: "/") { folders.insert(folder + "/" + file.path[..<slash]) }
        }
        for path in folders.sorted() {
            do {
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw SampleError.cannotWrite(path, error.localizedDescription)
            }
        }
        let failures = Parallel.map(files.count, workers: workers ?? Parallel.defaultWorkers) { i -> SampleError? in
            let path = folder + "/" + files[i].path
            if let error = FileIO.write(path, Array(files[i].text.utf8)) { return .cannotWrite(path, String(cString: strerror(error))) }
            return nil
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        var summary = Summary()
        summary.files = files.count
        for file in files {
            if file.path.hasPrefix("profiles/") { summary.profiles += 1 }
            if file.path.hasPrefix("feedback/") { summary.feedback += 1 }
            if file.path.hasPrefix("pages/") { summary.pages += 1 }
            if file.path == "participants.csv" { summary.participants = file.text.split(separator: "\n").count - 1 }
            if file.path == "pairs.csv" { summary.tandems = file.text.split(separator: "\n").count - 1 }
            if file.path == "meetings.csv" { summary.meetings = file.text.split(separator: "\n").count - 1 }
        }
        return summary
    }
}

/// SplitMix64: small, fast, and the same sequence on every platform for a seed (the tests draw from it too).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n without modulo bias worth caring about here (n is small).
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// `k` different items, in the order drawn.
    mutating func sample<T>(_ items: [T], _ k: Int) -> [T] {
        var pool = items
        var result: [T] = []
        for _ in 0..<min(k, pool.count) { result.append(pool.remove(at: below(pool.count))) }
        return result
    }
}

private struct Person {
    let id: String
    let name: String
    let first: String
    let role: Role
    let organisation: Int
    let position: String
    let languages: [String]
    let topics: [String]
    let publish: Bool
    let photo: String?
}

private struct Generator {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let firstNames = [
        "Lea", "Noah", "Zoë", "Luca", "Mia", "Elena", "Tim", "Lara", "Jonas", "Selin", "Nils", "Chiara", "Amélie", "Yannick",
        "Sébastien", "Anna", "Marco", "Sara", "Ivo", "Nina", "Laura", "David", "Jana", "Matteo", "Léa", "Simon", "Alina", "Fabio",
        "Céline", "Reto", "Andrea", "Beat", "Ursula", "Thomas", "Martin", "Béatrice", "Daniela", "Hans-Peter", "Françoise", "Peter",
        "Christine", "Rolf", "Philippe", "Monika", "Urs", "Regula", "Markus", "Esther", "Stefan", "Barbara",
    ]
    static let lastNames = [
        "Meier", "Brunner", "Favre", "Bernasconi", "Keller", "Rossi", "Schärer", "Huber", "Wyss", "Yilmaz", "Zimmermann",
        "Pedrazzini", "Dubois", "Baumann", "Rochat", "Frei", "Steiner", "Egger", "Moser", "Widmer", "Gerber", "Lüthi", "Ammann",
        "Fontana", "Jaquier", "Monnier", "Cattaneo", "Käslin", "Bühler", "Fischer", "Graf", "Hofmann", "Kälin", "Müller", "Schmid",
        "Weber", "Suter", "Bachmann", "Roth", "Sutter", "Marti", "Gasser", "Hess", "Schneider", "Vogel", "Ziegler", "Berset",
        "Morf", "Notter", "Imhof",
    ]
    static let orgStems = [
        "Helvetia", "Alpen", "Léman", "Pilatus", "Rigi", "Jura", "Aare", "Limmat", "Ticino", "Säntis", "Gotthard", "Rhône",
        "Emmental", "Seeland", "Lagoverde", "Bodensee", "Engadin", "Mittelland", "Reuss", "Thur",
    ]
    static let orgKinds = [
        "Energie AG", "Versicherungen", "Kantonalbank", "Medienhaus", "Bahn AG", "Spital", "Verlag", "Telekom", "Pharma AG",
        "Stiftung", "Logistik", "Immobilien AG", "Tourismus", "Verkehrsbetriebe", "Hochschule",
    ]
    static let mentorPositions = [
        "Social Media Managerin", "Junior Content Creator", "Kommunikationsfachfrau Digital", "Content Creator",
        "Community Managerin", "Redaktor Digital", "Videojournalistin", "Praktikant Kommunikation", "Digital Marketing Specialist",
        "Podcast-Produzentin",
    ]
    static let menteePositions = [
        "CEO", "CFO", "Leiterin Kommunikation", "Mediensprecher", "Direktorin", "Leiter Personal", "Verwaltungsratspräsident",
        "Geschäftsführerin", "Leiter Marketing", "Chefredaktorin", "Bereichsleiter", "Stiftungsratspräsidentin",
    ]
    static let topics = [
        "TikTok", "Instagram", "LinkedIn", "Podcasts", "KI-Tools", "Video", "Newsletter", "Memes", "Storytelling",
        "Datenschutz", "Barrierefreiheit", "Reels", "Generation Z", "Influencer-Kooperationen", "Community Management",
        "Employer Branding", "Krisenkommunikation", "Livestreams",
    ]
    static let goals = [
        "Einen eigenen LinkedIn-Auftritt aufbauen", "Ein kurzes Video mit dem eigenen Team drehen und schneiden",
        "KI-Tools für Textentwürfe sicher einsetzen", "Den TikTok-Kanal des Unternehmens fundiert beurteilen können",
        "Ein Podcast-Pilotprojekt konzipieren", "Newsletter barrierefrei gestalten", "Instagram-Stories selbst gestalten",
        "Verstehen, wie die Generation Z das Unternehmen wahrnimmt", "Eine Social-Media-Richtlinie überarbeiten",
        "Kriterien für Influencer-Kooperationen festlegen", "Einen Livestream für die Belegschaft planen",
        "Reels-Formate für saisonale Produkte testen",
    ]
    static let sentences = [
        "Kommunikation verändert sich schneller als je zuvor, und wer mithalten will, muss neugierig bleiben.",
        "Im Alltag fehlt oft die Zeit, neue Formate in Ruhe auszuprobieren.",
        "Genau deshalb ist der Austausch im Tandem so wertvoll: Man lernt im geschützten Rahmen und auf Augenhöhe.",
        "Die jüngere Generation nutzt Plattformen ganz selbstverständlich, die in vielen Chefetagen noch fremd sind.",
        "Gute Geschichten funktionieren auf jedem Kanal, aber jeder Kanal erzählt sie anders.",
        "Vertrauen entsteht, wenn man zuhört, bevor man sendet.",
        "Nach ein paar Treffen wird klar, dass beide Seiten voneinander lernen.",
        "Ein kurzer Clip kann mehr erreichen als eine lange Medienmitteilung, wenn er ehrlich ist.",
        "Datenschutz und Kreativität schliessen sich nicht aus, sie brauchen nur klare Regeln.",
        "Wer Führung ernst nimmt, zeigt sich auch dort, wo die eigenen Mitarbeitenden unterwegs sind.",
        "Barrierefreie Texte sind nicht nur für Menschen mit Behinderungen besser lesbar, sondern für alle.",
        "Künstliche Intelligenz spart Zeit beim Entwurf, ersetzt aber das eigene Urteil nicht.",
        "Feedback in beide Richtungen ist der Kern des Programms.",
        "Manchmal ist die wichtigste Erkenntnis, was man bewusst nicht tun will.",
        "Die ersten Versuche sind selten perfekt, aber sie zeigen, was möglich ist.",
        "Zwischen zwei Treffen bleibt Zeit, das Gelernte im eigenen Team auszuprobieren.",
        "Eine klare Haltung hilft, auch in hektischen Momenten die richtigen Worte zu finden.",
        "Die Zielgruppe entscheidet, welches Format passt, nicht die eigene Gewohnheit.",
        "Ein Redaktionsplan schafft Ruhe, weil nicht jeder Beitrag eine spontane Idee sein muss.",
        "Interne Kommunikation profitiert genauso von neuen Formaten wie die externe.",
    ]
    static let cities = ["Bern", "Zürich", "Luzern", "Basel", "St. Gallen", "Lausanne", "Lugano", "Winterthur", "Biel", "Chur"]

    mutating func paragraph(_ count: Int) -> String {
        (0..<count).map { _ in random.pick(Self.sentences) }.joined(separator: " ")
    }

    mutating func programme(count: Int) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        let mentors = (count + 1) / 2
        // Organisations: enough that a pairing always finds another one; 20 × 15 names, then numbered.
        let organisationCount = max(8, min(2000, count / 12))
        let organisations = (0..<organisationCount).map { i -> String in
            let base = Self.orgStems[i % Self.orgStems.count] + " " + Self.orgKinds[(i / Self.orgStems.count) % Self.orgKinds.count]
            let round = i / (Self.orgStems.count * Self.orgKinds.count)
            return round == 0 ? base : base + " \(round + 1)"
        }

        // participants.csv
        var people: [Person] = []
        var usedIDs = Set<String>()
        var photos: [String] = []
        for i in 0..<count {
            let role: Role = i < mentors ? .mentor : .mentee
            let first = random.pick(Self.firstNames)
            let last = random.pick(Self.lastNames)
            let name = first + " " + last
            var id = slugify(name)
            if !usedIDs.insert(id).inserted {
                var n = 2
                while !usedIDs.insert("\(id)-\(n)").inserted { n += 1 }
                id = "\(id)-\(n)"
            }
            var organisation = random.below(organisations.count)
            // A mentee is paired with mentor number i - mentors: never from the same organisation.
            if role == .mentee, i - mentors < people.count, people[i - mentors].organisation == organisation {
                organisation = (organisation + 1 + random.below(organisations.count - 1)) % organisations.count
            }
            let position = random.pick(role == .mentor ? Self.mentorPositions : Self.menteePositions)
            var languages = ["de"]
            if random.chance(60) { languages.append("en") }
            if random.chance(25) { languages.append(random.pick(["fr", "it"])) }
            let topics = random.sample(Self.topics, 2 + random.below(3))
            let publish = random.chance(88)
            // One person in twenty has a photo (an SVG avatar in assets/photos/).
            let photo: String? = random.chance(5) ? "photos/\(id).svg" : nil
            if let photo { photos.append(photo) }
            people.append(
                Person(
                    id: id, name: name, first: first, role: role, organisation: organisation, position: position, languages: languages,
                    topics: topics, publish: publish, photo: photo))
        }
        var csv = "id,name,role,organisation,position,email,languages,topics,publish,photo\n"
        for p in people {
            let domain = slugify(organisations[p.organisation]) + ".example.ch"
            csv += "\(p.id),\(p.name),\(p.role.rawValue),\(organisations[p.organisation]),\(p.position),\(p.id)@\(domain),"
            csv += "\(p.languages.joined(separator: ";")),\(p.topics.joined(separator: ";")),\(p.publish ? "yes" : "no"),\(p.photo ?? "")\n"
        }
        files.append(("participants.csv", csv))
        for (index, photo) in photos.enumerated() {
            let hue = (index * 47) % 360
            files.append(
                (
                    "assets/" + photo,
                    """
                    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(\(hue),45%,70%)"/>\
                    <circle cx="32" cy="26" r="12" fill="#fff"/><rect x="14" y="42" width="36" height="22" rx="11" fill="#fff"/></svg>

                    """
                ))
        }

        // pairs.csv: mentor i with mentee i (always from another organisation, see above).
        let menteeIndices = Array(mentors..<count)
        var tandems: [(id: String, mentor: Person, mentee: Person, started: Day, status: TandemStatus)] = []
        var pairs = "id,mentor,mentee,started,goals,status\n"
        for (i, menteeIndex) in menteeIndices.enumerated() {
            let mentor = people[i]
            let mentee = people[menteeIndex]
            let started = Day(ordinal: SampleProgramme.start.ordinal + 3 + random.below(25))
            let status: TandemStatus = random.chance(90) ? .active : (random.chance(70) ? .completed : .ended)
            let id = "t\(String(i + 1).leftPadded(5))-" + slugify(mentor.first + "-" + mentee.first)
            let goals = random.sample(Self.goals, 1 + random.below(3))
            pairs += "\(id),\(mentor.id),\(mentee.id),\(started.iso),\"\(goals.joined(separator: ";"))\",\(status.rawValue)\n"
            tandems.append((id, mentor, mentee, started, status))
        }
        files.append(("pairs.csv", pairs))
        // meetings.csv: every three to four weeks from the start, some missed; notes are private.
        var meetings = "pair,date,minutes,format,topics,note\n"
        let formats = ["in-person", "video", "video", "phone"]
        let notes = [
            "Lernziele notiert, Rhythmus vereinbart.", "Erste eigene Story veröffentlicht.", "Über Datenschutz bei KI-Tools gesprochen.",
            "Treffen verschoben, dann kurz per Video.", "Redaktionsplan gemeinsam entworfen.", "Feedback zur Kampagne ausgetauscht.",
            "Schwierige Woche, kurzes Gespräch.", "Workshop mit dem Team vorbereitet.",
        ]
        for tandem in tandems {
            var day = tandem.started.ordinal
            let last = tandem.status == .active ? SampleProgramme.end.ordinal : tandem.started.ordinal + 60 + random.below(90)
            while true {
                day += 18 + random.below(20)
                if day > min(last, SampleProgramme.end.ordinal) { break }
                if random.chance(12) { continue }
                let topics = random.sample(tandem.mentor.topics, 1 + random.below(2))
                let minutes = random.pick([30, 45, 60, 60, 90, 120])
                meetings +=
                    "\(tandem.id),\(Day(ordinal: day).iso),\(minutes),\(random.pick(formats)),\(topics.joined(separator: ";")),\"\(random.pick(notes))\"\n"
            }
        }
        files.append(("meetings.csv", meetings))

        // profiles/<id>.md: about 150 to 250 words, a heading, sometimes a list; front matter for some.
        for person in people where random.chance(92) {
            var text = ""
            if random.chance(60) {
                text += "---\n"
                text += "quote: \"\(random.pick(Self.sentences))\"\n"
                if random.chance(50) {
                    text += "links:\n  - title: \"LinkedIn\"\n    url: \"https://www.linkedin.com/in/\(person.id)\"\n"
                }
                text += "---\n"
            }
            text +=
                "\(person.first) arbeitet als \(person.position) und bringt \(person.role == .mentor ? "frische Ideen aus dem digitalen Alltag" : "langjährige Erfahrung in Führung und Kommunikation") ins Programm. "
            text += paragraph(3) + "\n\n"
            text += "## \(person.role == .mentor ? "Was ich weitergebe" : "Was ich lernen möchte")\n\n"
            text += paragraph(3 + random.below(2)) + "\n\n"
            if random.chance(50) {
                for topic in person.topics { text += "- **\(topic)**: \(random.pick(Self.sentences))\n" }
                text += "\n"
            }
            text +=
                "## Erwartungen an das Tandem\n\n" + paragraph(2 + random.below(3))
                + " \"Lernen auf Augenhöhe\" -- so fasst \(person.first) es zusammen.\n"
            files.append(("profiles/\(person.id).md", text))
        }

        // feedback/: kickoff and midterm for most tandems, final for some; share levels private, anonymous, quote.
        let phases: [(FeedbackPhase, Int, Int)] = [(.kickoff, 10, 80), (.midterm, 85, 70), (.final, 170, 40)]
        for tandem in tandems {
            for (phase, offset, percent) in phases {
                for role in Role.allCases where random.chance(percent) {
                    let date = Day(ordinal: min(SampleProgramme.end.ordinal, SampleProgramme.start.ordinal + offset + random.below(10)))
                    let share = random.chance(70) ? "private" : (random.chance(60) ? "anonymous" : "quote")
                    var text = "---\npair: \(tandem.id)\nauthor: \(role.rawValue)\nphase: \(phase.rawValue)\ndate: \(date.iso)\nratings:\n"
                    text += "  nutzen: \(2 + random.below(4))\n  chemie: \(2 + random.below(4))\n  umsetzung: \(1 + random.below(5))\n"
                    text += "share: \(share)\n---\n"
                    text += paragraph(2 + random.below(3)) + "\n"
                    files.append(("feedback/\(date.iso)-\(tandem.id)-\(role.rawValue)-\(phase.rawValue).md", text))
                }
            }
        }

        // pages/
        files.append(
            (
                "pages/ueber.md",
                "---\ntitle: \"Über das Programm\"\norder: 1\n---\n" + paragraph(4) + "\n\n## Wie es funktioniert\n\n" + paragraph(4) + "\n"
            ))
        files.append(
            (
                "pages/faq.md",
                "---\ntitle: \"Häufige Fragen\"\norder: 2\n---\n## Wie oft treffen sich die Tandems?\n\n" + paragraph(2)
                    + "\n\n## Was kostet die Teilnahme?\n\n" + paragraph(2) + "\n"
            ))
        files.append(
            (
                "pages/gute-praxis.md",
                "---\ntitle: \"Gute Praxis\"\norder: 3\n---\n" + paragraph(3) + "\n\n1. " + paragraph(1) + "\n2. " + paragraph(1) + "\n3. "
                    + paragraph(1) + "\n"
            ))

        // programme.yml
        let yml = """
            title: "Reverse Mentoring \(count >= 1000 ? "Netzwerk" : "Programm") 2026"
            organiser: "Forum Kommunikation Schweiz"
            language: de
            languages: [de]
            base_url: "https://tandem.example.ch/"
            start: \(SampleProgramme.start.iso)
            end: \(SampleProgramme.end.iso)
            reference_date: \(SampleProgramme.end.iso)

            rules:
              cross_organisation: required
              pairs_per_person: 1
              inactivity_days: 30

            contact:
              name: "Programmbüro Reverse Mentoring"
              email: "programm@forum-kommunikation.example.ch"

            anonymity_threshold: 5

            milestones:
              - date: 2026-03-05
                title: "Kick-off"
                location: "\(Self.cities[0])"
                description: "Alle Tandems lernen sich kennen und halten ihre ersten Lernziele fest."
              - date: 2026-05-28
                title: "Halbzeit-Treffen"
                location: "\(Self.cities[1])"
                description: "Austausch über die ersten drei Monate."
              - date: 2026-08-27
                title: "Abschlussrunde"
                location: "\(Self.cities[2])"
              - date: 2026-09-24
                title: "Symposium Reverse Mentoring"
                location: "\(Self.cities[1])"
                description: "Öffentliche Präsentation der Ergebnisse."

            feedback:
              scale: 5
              questions:
                nutzen: "Wie nützlich waren die Treffen für Sie?"
                chemie: "Wie gut stimmt die Zusammenarbeit im Tandem?"
                umsetzung: "Wie gut können Sie das Gelernte im Alltag anwenden?"

            """
        files.insert(("programme.yml", yml), at: 0)
        return files
    }
}
