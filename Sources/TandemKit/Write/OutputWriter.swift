import Foundation

/// Writes a build aside and swaps it in only when everything was written, so a failed build leaves
/// the previous output folder exactly as it was.
public enum OutputWriter {
    /// Top-level folders a build owns; anything else found in the output folder (a `.gitkeep`, a README) is carried over.
    static let ownedFolders: Set<String> = ["site", "print", "mail", "internal"]

    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): error: \(message)" }
    }

    /// Writes `tree`, then runs `finishing` on the staging folder (e.g. to turn print HTML into PDF);
    /// only when both succeed is the staging folder swapped in.
    public static func write(_ tree: OutputTree, to outputPath: String, finishing: ((URL) throws -> Void)? = nil) throws {
        let fileManager = FileManager.default
        let output = URL(fileURLWithPath: outputPath, isDirectory: true).standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).staging-\(pid)", isDirectory: true)
        let retired = parent.appendingPathComponent(".\(name).previous-\(pid)", isDirectory: true)

        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fileManager.removeItem(at: staging)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(path: outputPath, message: "cannot create the output folder: \(error.localizedDescription)")
        }
        do {
            var created = Set<String>()
            func prepare(_ relative: String) throws -> URL {
                guard isContained(relative) else { throw WriteError(path: relative, message: "refusing to write outside the output folder") }
                let target = staging.appendingPathComponent(relative)
                let folder = (relative as NSString).deletingLastPathComponent
                if !folder.isEmpty, !created.contains(folder) {
                    try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    created.insert(folder)
                }
                return target
            }
            for path in tree.files.keys.sorted() {
                let target = try prepare(path)
                let bytes = tree.files[path]!
                guard fileManager.createFile(atPath: target.path, contents: Data(bytes)) else {
                    throw WriteError(path: outputPath + "/" + path, message: "cannot write file")
                }
            }
            for path in tree.copies.keys.sorted() {
                let target = try prepare(path)
                try fileManager.copyItem(atPath: tree.copies[path]!, toPath: target.path)
            }
            // Carry over what the build does not own (e.g. Output/.gitkeep).
            if let existing = try? fileManager.contentsOfDirectory(atPath: output.path) {
                for entry in existing where !ownedFolders.contains(entry) {
                    try fileManager.copyItem(at: output.appendingPathComponent(entry), to: staging.appendingPathComponent(entry))
                }
            }
            try finishing?(staging)
            try swap(staging: staging, into: output, retired: retired)
        } catch {
            try? fileManager.removeItem(at: staging)
            if let error = error as? WriteError { throw error }
            throw WriteError(path: outputPath, message: "cannot write the build: \(error.localizedDescription)")
        }
    }

    /// Two renames: the old folder steps aside, the new one takes its place; the old one is deleted last.
    private static func swap(staging: URL, into output: URL, retired: URL) throws {
        let fileManager = FileManager.default
        let hadOutput = fileManager.fileExists(atPath: output.path)
        try? fileManager.removeItem(at: retired)
        if hadOutput { try fileManager.moveItem(at: output, to: retired) }
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            if hadOutput { try? fileManager.moveItem(at: retired, to: output) }
            throw error
        }
        if hadOutput { try? fileManager.removeItem(at: retired) }
    }

    /// True for a plain relative path that cannot climb out of its folder.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
