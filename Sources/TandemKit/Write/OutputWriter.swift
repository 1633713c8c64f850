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
    /// only when both succeed is the staging folder swapped in. Folders are made once each, then the files are
    /// written on `workers` threads with plain open/write/close.
    public static func write(
        _ tree: OutputTree, to outputPath: String, workers: Int = Parallel.defaultWorkers, finishing: ((URL) throws -> Void)? = nil
    ) throws {
        try write(tree, to: outputPath, workers: workers, progress: ProgressReporter(nil), finishing: finishing)
    }

    static func write(
        _ tree: OutputTree, to outputPath: String, workers: Int, progress: ProgressReporter, finishing: ((URL) throws -> Void)?
    ) throws {
        let fileManager = FileManager.default
        let output = URL(fileURLWithPath: outputPath, isDirectory: true).standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).staging-\(pid)", isDirectory: true)
        let retired = parent.appendingPathComponent(".\(name).previous-\(pid)", isDirectory: true)

        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            if fileManager.fileExists(atPath: staging.path) { FileIO.removeTree(staging.path, workers: workers) }
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(path: outputPath, message: "cannot create the output folder: \(error.localizedDescription)")
        }
        do {
            // Every path is checked before anything is written.
            let generated = tree.files.keys.sorted()
            let copied = tree.copies.keys.sorted()
            for relative in generated + copied where !isContained(relative) {
                throw WriteError(path: relative, message: "refusing to write outside the output folder")
            }
            // One mkdir per folder, parents first.
            var folders = Set<String>()
            for relative in generated + copied {
                var folder = Substring(relative)
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    if !folders.insert(String(folder)).inserted { break }
                }
            }
            let root = staging.path
            for folder in folders.sorted() {
                if let error = FileIO.makeDirectory(root + "/" + folder) {
                    throw WriteError(path: outputPath + "/" + folder, message: "cannot create folder: \(String(cString: strerror(error)))")
                }
            }
            let total = generated.count + copied.count
            progress.begin("write", total: total)
            let step = max(1, total / 100)
            let failures: [WriteError?] = Parallel.map(total, workers: workers) { i in
                defer { if i % step == 0 { progress.advance(step) } }
                if i < generated.count {
                    let relative = generated[i]
                    if let error = FileIO.write(root + "/" + relative, tree.files[relative]!) {
                        return WriteError(path: outputPath + "/" + relative, message: "cannot write file: \(String(cString: strerror(error)))")
                    }
                    return nil
                }
                let relative = copied[i - generated.count]
                let source = tree.copies[relative]!
                // The content policy's read: a copy never follows a link or opens a special file.
                guard let bytes = ContentFile.bytesToCopy(source) else {
                    return WriteError(path: source, message: "cannot read file to copy it to \(outputPath)/\(relative)")
                }
                if let error = FileIO.write(root + "/" + relative, bytes) {
                    return WriteError(path: outputPath + "/" + relative, message: "cannot write file: \(String(cString: strerror(error)))")
                }
                return nil
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            // Carry over what the build does not own (e.g. Output/.gitkeep).
            if let existing = try? fileManager.contentsOfDirectory(atPath: output.path) {
                for entry in existing.sorted() where !ownedFolders.contains(entry) {
                    try fileManager.copyItem(at: output.appendingPathComponent(entry), to: staging.appendingPathComponent(entry))
                }
            }
            try finishing?(staging)
            try swap(staging: staging, into: output, retired: retired, workers: workers)
        } catch {
            FileIO.removeTree(staging.path, workers: workers)
            if let error = error as? WriteError { throw error }
            throw WriteError(path: outputPath, message: "cannot write the build: \(error.localizedDescription)")
        }
    }

    /// Two renames: the old folder steps aside, the new one takes its place; the old one is deleted last.
    private static func swap(staging: URL, into output: URL, retired: URL, workers: Int) throws {
        let fileManager = FileManager.default
        let hadOutput = fileManager.fileExists(atPath: output.path)
        if fileManager.fileExists(atPath: retired.path) { FileIO.removeTree(retired.path, workers: workers) }
        if hadOutput { try fileManager.moveItem(at: output, to: retired) }
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            if hadOutput { try? fileManager.moveItem(at: retired, to: output) }
            throw error
        }
        if hadOutput { FileIO.removeTree(retired.path, workers: workers) }
    }

    /// True for a plain relative path that cannot climb out of its folder.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
