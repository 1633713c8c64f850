import Foundation

/// `tandem build --pdf`: turns the staged print HTML into PDF beside each file (`handout.pdf`, `announcements/<id>.pdf`)
/// with WeasyPrint, made for CSS paged media. Runs inside the writer's `finishing` step, so a failure leaves the
/// output folder as it was.
///
/// Speed: WeasyPrint's start-up (Python, fonts) costs about as much as rendering a page, so when the `weasyprint`
/// executable is a Python script all files are rendered by its own interpreter through WeasyPrint's Python API,
/// in two processes side by side; otherwise `weasyprint` runs once per file, two at a time.
///
/// Deterministic: `SOURCE_DATE_EPOCH` is set to the programme's start (WeasyPrint's font subsetting honours it),
/// and no PDF carries a creation date or a path of the build machine.
public enum PDF {
    /// Names the executable explicitly (a path, or a name looked up on PATH), e.g. WeasyPrint in a virtualenv.
    public static let executableVariable = "TANDEM_WEASYPRINT"

    public static let installHint =
        "--pdf needs WeasyPrint: install it with 'apt-get install weasyprint' (Debian, Ubuntu) or 'pip install weasyprint'"

    /// Failures are the writer's errors, so the pipeline reports them like any other write problem.
    typealias Failure = OutputWriter.WriteError

    /// The WeasyPrint executable: `$TANDEM_WEASYPRINT` when set, else `weasyprint` on PATH; nil when not found.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let name = environment[executableVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "weasyprint"
        let fileManager = FileManager.default
        if name.contains("/") { return fileManager.isExecutableFile(atPath: name) ? name : nil }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/" + name
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }

    /// The diagnostic for a build with `--pdf` on a machine without WeasyPrint; nil when it is there.
    public static func missingDiagnostic(environment: [String: String] = ProcessInfo.processInfo.environment) -> Diagnostic? {
        guard locate(environment: environment) == nil else { return nil }
        let name = environment[executableVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "weasyprint"
        return Diagnostic(path: name, severity: .error, message: installHint)
    }

    /// Every `.html` file below `folders` of `staging` gets a `.pdf` beside it.
    /// `epoch`: seconds since 1970 for SOURCE_DATE_EPOCH (the programme's start).
    public static func convert(staging: URL, folders: [String], epoch: Int) throws {
        guard let executable = locate() else { throw Failure(path: "weasyprint", message: installHint) }
        var jobs: [(html: String, pdf: String)] = []
        for folder in folders {
            let root = staging.appendingPathComponent(folder)
            let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
            for relative in files where relative.hasSuffix(".html") {
                jobs.append((folder + "/" + relative, folder + "/" + String(relative.dropLast(5)) + ".pdf"))
            }
        }
        guard !jobs.isEmpty else { return }
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["SOURCE_DATE_EPOCH"] = String(epoch)
        let environment = processEnvironment

        // Two batches (the machines this runs on have two cores or more); the handout goes first in the first one.
        let batches = [stride(from: 0, to: jobs.count, by: 2).map { jobs[$0] }, stride(from: 1, to: jobs.count, by: 2).map { jobs[$0] }]
            .filter { !$0.isEmpty }
        let interpreter = pythonInterpreter(of: executable)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: batches.count) { index in
            let batch = batches[index]
            if let interpreter {
                let arguments = interpreter.arguments + ["-c", pythonScript] + batch.flatMap { [$0.html, $0.pdf] }
                let result = run(interpreter.executable, arguments, in: staging, environment: environment)
                if result.status == 0 { return }
                if result.status != pythonImportFailed {
                    failures.add(Failure(path: batch.first?.html ?? "print", message: "WeasyPrint failed: \(lastLines(result.stderr))"))
                    return
                }
                // The interpreter cannot import weasyprint: fall back to the executable.
            }
            for job in batch {
                let result = run(executable, [job.html, job.pdf], in: staging, environment: environment)
                if result.status != 0 {
                    failures.add(Failure(path: job.html, message: "WeasyPrint failed: \(lastLines(result.stderr))"))
                    return
                }
                // A booklet: count its pages and lay it out again with the padding pages it lacks.
                guard let multiple = bookletMultiple(ofFileAt: staging.appendingPathComponent(job.html).path),
                    let pages = pageCount(ofPDFAt: staging.appendingPathComponent(job.pdf).path), pages % multiple != 0
                else { continue }
                let css = job.pdf + ".padding.css"
                let cssURL = staging.appendingPathComponent(css)
                do {
                    try Data(paddingCSS(count: (multiple - pages % multiple) % multiple).utf8).write(to: cssURL)
                } catch {
                    failures.add(Failure(path: css, message: "cannot write: \(error.localizedDescription)"))
                    return
                }
                let padded = run(executable, ["-s", css, job.html, job.pdf], in: staging, environment: environment)
                try? FileManager.default.removeItem(at: cssURL)
                if padded.status != 0 {
                    failures.add(Failure(path: job.html, message: "WeasyPrint failed: \(lastLines(padded.stderr))"))
                    return
                }
            }
        }
        if let failure = failures.first { throw failure }
        for job in jobs where !FileManager.default.fileExists(atPath: staging.appendingPathComponent(job.pdf).path) {
            throw Failure(path: job.pdf, message: "WeasyPrint wrote no PDF")
        }
    }

    // MARK: Running WeasyPrint

    private static let pythonImportFailed: Int32 = 97

    // MARK: Booklets

    /// A print page that is a booklet says so with `data-booklet-pages="N"` (the handout: 4, for saddle stitch) and
    /// holds up to N − 1 padding pages marked `data-notes-page="1"` … (hidden by the theme). Its PDF is laid out once,
    /// its pages counted, and when the count is not a multiple of N laid out again with as many padding pages shown as
    /// are missing: they stand before the back cover and each fills one page, so nothing before them moves and the
    /// page numbers ("Seite 3 von 12") count the padding. One extra layout for three in four handouts; nothing for
    /// any other file.
    static let bookletMarker = "data-booklet-pages=\""

    /// The CSS that shows the first `count` padding pages.
    static func paddingCSS(count: Int) -> String {
        (1...max(count, 1)).map { "[data-notes-page=\"\($0)\"]" }.joined(separator: ", ") + " { display: block !important; }"
    }

    /// The page multiple a print HTML file asks for (1…8), nil when it is no booklet.
    static func bookletMultiple(ofFileAt path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // The marker is on the first element inside <main>, within the first few kilobytes.
        let head = String(decoding: handle.readData(ofLength: 16_384), as: UTF8.self)
        guard let range = head.range(of: bookletMarker), let digit = head[range.upperBound...].first,
            let value = digit.wholeNumberValue, (1...8).contains(value)
        else { return nil }
        return value
    }

    /// Counts the pages of a PDF WeasyPrint wrote (its page objects are written out, not compressed); nil when none found.
    static func pageCount(ofPDFAt path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var count = 0
        let bytes = [UInt8](data)
        let pattern = Array("/Type /Page".utf8)
        let compact = Array("/Type/Page".utf8)
        var index = 0
        while index < bytes.count {
            for needle in [pattern, compact] where index + needle.count < bytes.count && bytes[index] == needle[0] {
                if Array(bytes[index..<index + needle.count]) == needle, bytes[index + needle.count] != UInt8(ascii: "s") {
                    count += 1
                }
            }
            index += 1
        }
        return count > 0 ? count : nil
    }

    /// Renders pairs of arguments (HTML, PDF) with WeasyPrint's Python API, all in one process; booklets are padded
    /// to their page multiple (see `bookletMarker`).
    private static let pythonScript = """
        import re, sys
        try:
            from weasyprint import HTML, CSS
        except ImportError:
            sys.exit(97)
        args = sys.argv[1:]
        for source, target in zip(args[0::2], args[1::2]):
            html = HTML(filename=source)
            with open(source, encoding='utf-8', errors='replace') as f:
                match = re.search(r'data-booklet-pages="([1-8])"', f.read(16384))
            if not match:
                html.write_pdf(target)
                continue
            multiple = int(match.group(1))
            document = html.render()
            missing = -len(document.pages) % multiple
            if missing:
                shown = ', '.join('[data-notes-page="%d"]' % n for n in range(1, missing + 1))
                document = html.render(stylesheets=[CSS(string=shown + ' { display: block !important; }')])
            document.write_pdf(target)
        """

    /// The Python interpreter named by the executable's `#!` line, when it is a Python script.
    private static func pythonInterpreter(of executable: String) -> (executable: String, arguments: [String])? {
        guard let handle = FileHandle(forReadingAtPath: executable) else { return nil }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 256)
        guard let text = String(data: head, encoding: .utf8), text.hasPrefix("#!"),
            let line = text.dropFirst(2).split(separator: "\n").first
        else { return nil }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return nil }
        if first.hasSuffix("/env") {
            // `#!/usr/bin/env python3`: resolve python3 on PATH.
            guard let name = words.dropFirst().first(where: { !$0.hasPrefix("-") }), name.hasPrefix("python") else { return nil }
            return (first, Array(words.dropFirst()))
        }
        guard (first as NSString).lastPathComponent.hasPrefix("python") else { return nil }
        return (first, Array(words.dropFirst()))
    }

    private static func run(_ executable: String, _ arguments: [String], in folder: URL, environment: [String: String]) -> (
        status: Int32, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (127, "cannot run \(executable): \(error.localizedDescription)")
        }
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func lastLines(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? "it exited without a message" : lines.suffix(3).joined(separator: " / ")
    }

    /// Failures collected from the parallel batches.
    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Failure] = []
        func add(_ failure: Failure) { lock.lock(); list.append(failure); lock.unlock() }
        var first: Failure? { lock.lock(); defer { lock.unlock() }; return list.first }
    }
}
