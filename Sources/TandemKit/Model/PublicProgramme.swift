/// What of a programme may be published (SPEC rules 2–5), decided once in the model stage: the site, the handout,
/// the announcements and the e-mails' public links read it and never decide for themselves.
public struct PublicProgramme: Sendable {
    /// Participants who agreed to be published, in roster order.
    public let participants: [Participant]
    /// Tandems whose two members are published, in pairs.csv order.
    public let tandems: [PublicTandem]
    /// Feedback shared as `quote` with a text, ordered by a hash of the text so the order says nothing about tandems.
    public let quotes: [FeedbackEntry]
    /// Photos (paths below assets/) that published participants and the portraits of public tandems use: the only
    /// photos any public output shows.
    public let photos: Set<String>
    /// Photos only unpublished participants or the portraits of tandems that are not public use: never copied,
    /// wherever they lie below assets/.
    private let withheldPhotos: Set<String>
    /// How many people and tandems are not shown (the overviews say only how many).
    public let hiddenParticipants: Int
    public let hiddenTandems: Int
    /// Positions in `tandems` per participant id.
    private let tandemsByParticipant: [String: [Int]]
    private let tandemIndex: [String: Int]
    /// The initials-avatar colour of each published participant, 1 … `avatarColourCount`.
    private let avatarColours: [String: Int]

    /// How many avatar colours the theme defines (`avatar-1` … `avatar-6` in its CSS and card SVGs).
    public static let avatarColourCount = 6

    init(participants all: [Participant], tandems allTandems: [Tandem], feedback: [FeedbackEntry], participant: (String) -> Participant?) {
        participants = all.filter(\.publish)
        var tandems: [PublicTandem] = []
        for tandem in allTandems {
            guard let mentor = participant(tandem.mentor), let mentee = participant(tandem.mentee), mentor.publish, mentee.publish
            else { continue }
            tandems.append(PublicTandem(tandem: tandem, mentor: mentor, mentee: mentee))
        }
        self.tandems = tandems
        let shared = feedback.indices.filter { feedback[$0].share == .quote && !feedback[$0].body.plainText.isEmpty }
        quotes = FeedbackEntry.inTextHashOrder(shared, of: feedback).map { feedback[$0] }
        let publicIDs = Set(tandems.map(\.id))
        let portraitPhotos = { (tandems: [Tandem]) -> [String] in
            tandems.flatMap { tandem -> [String] in
                guard let portrait = tandem.portrait else { return [] }
                return ([portrait.photo] + portrait.translations.values.map(\.photo)).compactMap { $0 }
            }
        }
        photos = Set(participants.compactMap(\.photo) + portraitPhotos(tandems.map(\.tandem)))
        withheldPhotos = Set(
            all.filter { !$0.publish }.compactMap(\.photo) + portraitPhotos(allTandems.filter { !publicIDs.contains($0.id) })
        ).subtracting(photos)
        hiddenParticipants = all.count - participants.count
        hiddenTandems = allTandems.count - tandems.count
        var byParticipant: [String: [Int]] = [:]
        for (i, item) in tandems.enumerated() {
            byParticipant[item.mentor.id, default: []].append(i)
            if item.mentee.id != item.mentor.id { byParticipant[item.mentee.id, default: []].append(i) }
        }
        tandemsByParticipant = byParticipant
        tandemIndex = Dictionary(tandems.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        avatarColours = Self.assignAvatarColours(participants: participants, tandems: tandems)
    }

    /// A colour per person from a hash of the id, so it stays the same across builds, outputs and edits of other
    /// rows; a mentee whose colour equals the mentor's takes the next one, so the two avatars of a tandem differ.
    private static func assignAvatarColours(participants: [Participant], tandems: [PublicTandem]) -> [String: Int] {
        var colours: [String: Int] = [:]
        colours.reserveCapacity(participants.count)
        for person in participants {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in person.id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            colours[person.id] = Int(hash % UInt64(avatarColourCount)) + 1
        }
        for item in tandems where item.mentor.id != item.mentee.id {
            if let mentor = colours[item.mentor.id], colours[item.mentee.id] == mentor {
                colours[item.mentee.id] = mentor % avatarColourCount + 1
            }
        }
        return colours
    }

    /// The initials-avatar colour (1 … `avatarColourCount`) of a published participant; 1 for anyone else.
    public func avatarColour(of participantID: String) -> Int { avatarColours[participantID] ?? 1 }

    /// The public tandems a participant belongs to, in pairs.csv order.
    public func tandems(of participantID: String) -> [PublicTandem] { (tandemsByParticipant[participantID] ?? []).map { tandems[$0] } }

    /// The public tandem with this id, nil when it does not exist or is not public.
    public func tandem(_ id: String) -> PublicTandem? { tandemIndex[id].map { tandems[$0] } }

    /// Whether a file below Content/assets/ may be copied to the site: below photos/ only what a published participant
    /// uses, nowhere a photo that only unpublished participants use; everything else as it is.
    public func mayPublishAsset(_ path: String) -> Bool {
        !withheldPhotos.contains(path) && (!path.hasPrefix("photos/") || photos.contains(path))
    }
}

/// A tandem whose two members agreed to be published, with what the two have in common.
public struct PublicTandem: Sendable {
    public let tandem: Tandem
    public let mentor: Participant
    public let mentee: Participant
    public var id: String { tandem.id }

    init(tandem: Tandem, mentor: Participant, mentee: Participant) {
        self.tandem = tandem
        self.mentor = mentor
        self.mentee = mentee
    }
}

extension Tandem {
    /// The mentor's topics the mentee named too (compared by `TextKey`), in the mentor's order and spelling.
    public static func sharedTopics(mentor: Participant, mentee: Participant) -> [String] {
        TextKey.shared(mentor.topics, with: mentee.topics)
    }

    /// Language codes both members speak, in the mentor's order.
    public static func sharedLanguages(mentor: Participant, mentee: Participant) -> [String] {
        mentor.languages.filter { mentee.languages.contains($0) }
    }
}

extension PublicTandem {
    public var sharedTopics: [String] { Tandem.sharedTopics(mentor: mentor, mentee: mentee) }
    public var sharedLanguages: [String] { Tandem.sharedLanguages(mentor: mentor, mentee: mentee) }
}
