import Foundation

/// The neighbourhood of some participants as a programme folder of its own: their rows, their tandems, their partners,
/// the tandems' meetings, feedback and portraits, all profiles of these people, every page and asset, and programme.yml.
///
/// Rendering the neighbourhood before and after a profile edit shows which pages the edit changes; a changed page is
/// taken over only when the neighbourhood's old render equals the full build's page byte for byte (so the page depends
/// on nothing outside the neighbourhood). See `LiveBuild`.
extension SourceFiles {
    /// Nil when the tables needed to find the neighbourhood are missing or unreadable.
    /// - Parameter previous: entries to read instead of the current ones (nil: the path did not exist), to project
    ///   the folder as it was at the last good build.
    func projection(of ids: Set<String>, previous: [String: CachedSource?] = [:]) -> (ProgrammeSources, Diagnostics)? {
        guard let participantsEntry = entries["participants.csv"], case .table(let participants?) = participantsEntry.parsed,
            let pairsEntry = entries["pairs.csv"], case .table(let pairs?) = pairsEntry.parsed
        else { return nil }
        var people = ids
        var tandemIDs = Set<String>()
        var tandemRows = Set<Int>()
        for id in ids {
            for position in pairsEntry.rowsByID[id] ?? [] where tandemRows.insert(position).inserted {
                let row = pairs.rows[position]
                let mentor = row["mentor"] ?? ""
                let mentee = row["mentee"] ?? ""
                people.insert(mentor)
                people.insert(mentee)
                tandemIDs.insert(row["id"] ?? "\(mentor)--\(mentee)")
            }
        }
        var profiles = Set<String>()
        for id in people { profiles.formUnion(profilesByID[id] ?? []) }
        for (relative, entry) in previous {
            guard let id = SourceFiles.profileID(relative), people.contains(id) else { continue }
            if entry == nil { profiles.remove(relative) } else { profiles.insert(relative) }
        }
        var feedback = Set<String>()
        for id in tandemIDs { feedback.formUnion(feedbackByPair[id] ?? []) }
        // The portraits of the neighbourhood's tandems (a portrait edit itself triggers a full build).
        let portraits = (folders["tandems"] ?? []).filter { tandemIDs.contains(ModelBuilder.splitTranslation($0).base) }
        var (sources, diagnostics) = self.sources(
            profiles: profiles, feedback: feedback, pages: folders["pages"] ?? [], tandems: portraits, previous: previous)
        let participantRows = Set(people.flatMap { participantsEntry.rowsByID[$0] ?? [] })
        sources.participants = participants.keeping(rows: participantRows)
        sources.pairs = pairs.keeping(rows: tandemRows)
        if let meetingsEntry = entries["meetings.csv"], case .table(let meetings?) = meetingsEntry.parsed {
            sources.meetings = meetings.keeping(rows: Set(tandemIDs.flatMap { meetingsEntry.rowsByID[$0] ?? [] }))
        }
        // matching.lock / matching.avoid name people outside the neighbourhood; no page shows them.
        if let settings = sources.settings { sources.settings = settings.removing("matching") }
        return (sources, diagnostics)
    }
}

extension CSVTable {
    /// The table with the rows at `positions`, in file order (so messages and order stay those of the whole file).
    fileprivate func keeping(rows positions: Set<Int>) -> CSVTable {
        CSVTable(path: path, delimiter: delimiter, columns: columns, rows: positions.sorted().map { rows[$0] }, encoding: encoding)
    }
}
