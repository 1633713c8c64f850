import Foundation
import Yams

/// The neighbourhood of some participants as a programme folder of its own: their rows, their tandems, their partners,
/// the tandems' meetings and feedback, all profiles of these people, every page and asset, and programme.yml.
///
/// Rendering the neighbourhood before and after a profile edit shows which pages the edit changes; a changed page is
/// taken over only when the neighbourhood's old render equals the full build's page byte for byte (so the page depends
/// on nothing outside the neighbourhood). See `LiveBuild`.
extension SourceFiles {
    /// Nil when the tables needed to find the neighbourhood are missing or unreadable.
    func projection(of ids: Set<String>) -> (ProgrammeSources, Diagnostics)? {
        guard case .table(let participants?)? = entries["participants.csv"]?.parsed,
            case .table(let pairs?)? = entries["pairs.csv"]?.parsed
        else { return nil }
        var people = ids
        var tandemIDs = Set<String>()
        var tandemRows: [CSVRow] = []
        for row in pairs.rows {
            let mentor = row["mentor"] ?? ""
            let mentee = row["mentee"] ?? ""
            guard ids.contains(mentor) || ids.contains(mentee) else { continue }
            tandemRows.append(row)
            people.insert(mentor)
            people.insert(mentee)
            tandemIDs.insert(row["id"] ?? "\(mentor)--\(mentee)")
        }
        var profiles = Set<String>()
        for id in people { profiles.formUnion(profilesByID[id] ?? []) }
        var feedback = Set<String>()
        for id in tandemIDs { feedback.formUnion(feedbackByPair[id] ?? []) }
        var (sources, diagnostics) = self.sources(profiles: profiles, feedback: feedback, pages: folders["pages"] ?? [])
        sources.participants = participants.keeping { people.contains($0["id"] ?? "") }
        sources.pairs = pairs.keeping(tandemRows)
        if case .table(let meetings?)? = entries["meetings.csv"]?.parsed {
            sources.meetings = meetings.keeping { tandemIDs.contains($0["pair"] ?? "") }
        }
        // matching.lock / matching.avoid name people outside the neighbourhood; no page shows them.
        if let settings = sources.settings { sources.settings = settings.removing("matching") }
        return (sources, diagnostics)
    }
}

extension CSVTable {
    fileprivate func keeping(_ predicate: (CSVRow) -> Bool) -> CSVTable { keeping(rows.filter(predicate)) }

    fileprivate func keeping(_ rows: [CSVRow]) -> CSVTable {
        CSVTable(path: path, delimiter: delimiter, columns: columns, rows: rows, encoding: encoding)
    }
}

extension YAMLValue {
    /// The mapping without `key` (marks kept, so messages still point at the right lines).
    fileprivate func removing(_ key: String) -> YAMLValue {
        guard let mapping = node.mapping, mapping.contains(where: { $0.key.string == key }) else { return self }
        let kept = mapping.filter { $0.key.string != key }.map { ($0.key, $0.value) }
        return YAMLValue(node: .mapping(Node.Mapping(kept, mapping.tag, mapping.style, mapping.mark)), path: path, lineOffset: lineOffset)
    }
}
