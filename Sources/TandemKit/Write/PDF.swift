import Foundation

/// `tandem build --pdf`: turns the staged print HTML into PDF beside each file (`handout.pdf`, `announcements/<id>.pdf`)
/// with WeasyPrint, made for CSS paged media. Runs inside the writer's `finishing` step, so a failure leaves the
/// output folder as it was.
///
/// Speed: WeasyPrint's start-up (Python, fonts) costs about as much as rendering a page, so when the `weasyprint`
/// executable is a Python script all files are rendered by its own interpreter through WeasyPrint's Python API,
/// in two processes side by side that take the next job from one longest-first queue; otherwise `weasyprint` runs once
/// per file, two at a time, longest first.
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

    /// An executable on PATH, e.g. `qpdf`; nil when not found.
    static func locate(name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
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

    /// The folder whose pages are laid out together and split again (one announcement per tandem), and the
    /// combined file written beside it for the print shop.
    public static let collectionFolder = "print/announcements/"
    public static let combinedFile = "print/announcements.pdf"
    /// Announcements laid out per combined part. WeasyPrint gives all pages of a document one resource dictionary, so
    /// each page split off a part carries the part's drawings and its fonts' union subset: 20 keeps a per-tandem PDF
    /// near 90 KB (60 KB written alone) and qpdf near 5 ms a page, while the fonts are subset once per 20 instead of
    /// once per tandem (measured: parts of 200 gave 330 KB files, 45 ms a page to split and 840 MB per process).
    /// Fixed, so the bytes do not depend on the number of workers.
    static let partSize = 20

    /// Every `.html` file below `folders` of `staging` gets a `.pdf` beside it; the announcements also go into one
    /// `print/announcements.pdf`. `epoch`: seconds since 1970 for SOURCE_DATE_EPOCH (the programme's start);
    /// `title`: the combined file's title.
    ///
    /// Where the time goes (WeasyPrint 57, one announcement written alone): about 15% layout, 80% subsetting the three
    /// Inter fonts with fontTools when the PDF is written. So announcements are laid out one by one (each keeps its own
    /// page numbers) but written as one document per part of `partSize`, which subsets each font once, then split into
    /// per-tandem files by qpdf (streams kept as they are, so no page is laid out or compressed twice). Without
    /// qpdf every announcement is written on its own (the slow way), and the combined file from the same layout.
    public static func convert(staging: URL, folders: [String], epoch: Int, title: String = "") throws {
        guard let executable = locate() else { throw Failure(path: "weasyprint", message: installHint) }
        var singles: [(html: String, pdf: String)] = []
        var collection: [(html: String, pdf: String)] = []
        for folder in folders {
            let root = staging.appendingPathComponent(folder)
            let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
            for relative in files where relative.hasSuffix(".html") {
                let job = (folder + "/" + relative, folder + "/" + String(relative.dropLast(5)) + ".pdf")
                if job.0.hasPrefix(collectionFolder), !job.0.dropFirst(collectionFolder.count).contains("/") {
                    collection.append(job)
                } else {
                    singles.append(job)
                }
            }
        }
        guard !singles.isEmpty || !collection.isEmpty else { return }
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["SOURCE_DATE_EPOCH"] = String(epoch)
        let environment = processEnvironment
        let qpdf = locate(name: "qpdf")
        let work = staging.path + "/.tandem-pdf"
        // Empty: a claim file left in it would make both processes skip that job.
        FileIO.removeTree(work, workers: 1)
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { FileIO.removeTree(work, workers: 1) }

        // The parts: consecutive runs of announcements, each laid out and written as one document.
        let parts: [Part] = stride(from: 0, to: collection.count, by: partSize).map { start in
            let jobs = Array(collection[start..<min(collection.count, start + partSize)])
            let index = start / partSize
            return Part(jobs: jobs, file: work + "/part-\(index).pdf", counts: work + "/part-\(index).json")
        }
        // Longest first: the single files (the internal report, the handouts) by the size of their HTML, then the
        // parts. Two processes (the machines this runs on have two cores or more) take the next job from this one list
        // whenever they are free, so neither waits while the other still has a queue (at 1,000 participants: report
        // 22 s of CPU, handout 11 s, a part of 20 announcements 1.5 s). Which process lays out a file does not change
        // its bytes.
        func size(_ path: String) -> Int {
            var info = stat()
            return stat(staging.path + "/" + path, &info) == 0 ? Int(info.st_size) : 0
        }
        let order = singles.indices.sorted { (size(singles[$0].html), $1) > (size(singles[$1].html), $0) }
        let queue: [Any] =
            order.map { index in ["single": [singles[index].html, singles[index].pdf]] as [String: Any] }
            + parts.map { part in
                ["part": ["html": part.jobs.map(\.html), "pdf": part.jobs.map(\.pdf), "file": part.file, "counts": part.counts]]
                    as [String: Any]
            }
        let workers = min(2, queue.count)
        let interpreter = pythonInterpreter(of: executable)
        let failures = Failures()
        let split = qpdf != nil
        var usedPython = false
        if let interpreter {
            usedPython = true
            let job: [String: Any] = ["queue": queue, "claims": work + "/claim-", "split": split, "title": title]
            let data = (try? JSONSerialization.data(withJSONObject: job, options: [.sortedKeys])) ?? Data()
            let arguments = interpreter.arguments + ["-c", pythonScript, String(decoding: data, as: UTF8.self)]
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let result = run(interpreter.executable, arguments, in: staging, environment: environment)
                if result.status == 0 { return }
                if result.status == pythonImportFailed {
                    failures.markImportFailed()
                    return
                }
                failures.add(
                    Failure(path: failedFile(in: result.stderr) ?? "print", message: "WeasyPrint failed: \(lastLines(result.stderr))"))
            }
            if let failure = failures.first { throw failure }
            // The interpreter cannot import weasyprint: fall back to the executable.
            if failures.importFailed { usedPython = false }
        }
        if usedPython {
            if split, let qpdf { try splitParts(parts, qpdf: qpdf, staging: staging) }
            if !parts.isEmpty { try combine(parts.map(\.file), into: combinedFile, qpdf: qpdf, staging: staging) }
        } else {
            // One `weasyprint` per file, two at a time, longest first; the combined file from the per-tandem files.
            let jobs = order.map { singles[$0] } + collection
            let perFile = Failures()
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(2, jobs.count)) { _ in
                while let index = next.take(below: jobs.count), perFile.first == nil {
                    let job = jobs[index]
                    let result = run(executable, [job.html, job.pdf], in: staging, environment: environment)
                    if result.status != 0 {
                        perFile.add(Failure(path: job.html, message: "WeasyPrint failed: \(lastLines(result.stderr))"))
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
                        perFile.add(Failure(path: css, message: "cannot write: \(error.localizedDescription)"))
                        return
                    }
                    let padded = run(executable, ["-s", css, job.html, job.pdf], in: staging, environment: environment)
                    try? FileManager.default.removeItem(at: cssURL)
                    if padded.status != 0 {
                        perFile.add(Failure(path: job.html, message: "WeasyPrint failed: \(lastLines(padded.stderr))"))
                        return
                    }
                }
            }
            if let failure = perFile.first { throw failure }
            if !collection.isEmpty, qpdf != nil {
                try combine(collection.map { staging.path + "/" + $0.pdf }, into: combinedFile, qpdf: qpdf, staging: staging)
            }
        }
        for job in singles + collection where !FileManager.default.fileExists(atPath: staging.appendingPathComponent(job.pdf).path) {
            throw Failure(path: job.pdf, message: "WeasyPrint wrote no PDF")
        }
    }

    /// A run of announcements laid out as one document: its PDF and the file with each announcement's page count.
    struct Part {
        var jobs: [(html: String, pdf: String)]
        var file: String
        var counts: String
    }

    /// Splits each part into its announcements: one qpdf run per part when every announcement is one page (the
    /// design), one per announcement of several pages otherwise. Streams are copied as they are; ids are derived
    /// from the content (`--deterministic-id`), so the files are the same on every build.
    static func splitParts(_ parts: [Part], qpdf: String, staging: URL) throws {
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let part = parts[index]
            guard let data = FileManager.default.contents(atPath: part.counts),
                let counts = (try? JSONSerialization.jsonObject(with: data)) as? [Int], counts.count == part.jobs.count,
                counts.allSatisfy({ $0 > 0 })
            else {
                failures.add(Failure(path: part.jobs.first?.html ?? "print", message: "WeasyPrint did not report the page counts"))
                return
            }
            let pages = part.file + ".pages"
            if counts.allSatisfy({ $0 == 1 }) {
                _ = FileIO.makeDirectory(pages)
                let result = run(
                    qpdf, ["--deterministic-id", "--stream-data=preserve", "--split-pages", part.file, pages + "/%d.pdf"], in: staging,
                    environment: nil)
                let names = (FileIO.list(pages, followLinks: false) ?? []).map(\.name).sorted()
                guard result.status == 0, names.count == part.jobs.count else {
                    failures.add(
                        Failure(path: part.jobs[0].pdf, message: "qpdf could not split the announcements: \(lastLines(result.stderr))"))
                    return
                }
                // qpdf pads the page numbers to one width, so the sorted names are in page order.
                for (name, job) in zip(names, part.jobs) where rename(pages + "/" + name, staging.path + "/" + job.pdf) != 0 {
                    failures.add(Failure(path: job.pdf, message: "cannot move the split page: \(String(cString: strerror(errno)))"))
                    return
                }
                return
            }
            var first = 1
            for (count, job) in zip(counts, part.jobs) {
                let range = count == 1 ? "\(first)" : "\(first)-\(first + count - 1)"
                first += count
                let result = run(
                    qpdf, ["--deterministic-id", "--stream-data=preserve", "--empty", "--pages", part.file, range, "--", job.pdf],
                    in: staging, environment: nil)
                if result.status != 0 {
                    failures.add(Failure(path: job.pdf, message: "qpdf could not split the announcements: \(lastLines(result.stderr))"))
                    return
                }
            }
        }
        if let failure = failures.first { throw failure }
    }

    /// Writes `target` from the PDFs `files` in order: the only part renamed, several joined by qpdf (keeping the
    /// first one's title), or nothing when several need joining and qpdf is missing.
    static func combine(_ files: [String], into target: String, qpdf: String?, staging: URL) throws {
        let destination = staging.path + "/" + target
        if files.count == 1 {
            // Copied, not moved: the one file may be a tandem's own PDF (the per-file path), which stays.
            do {
                try FileManager.default.copyItem(atPath: files[0], toPath: destination)
            } catch {
                throw Failure(path: target, message: "cannot write the combined announcements: \(error.localizedDescription)")
            }
            return
        }
        guard let qpdf else { return }
        let result = run(
            qpdf, ["--deterministic-id", "--stream-data=preserve", files[0], "--pages", "."] + files.dropFirst() + ["--", target],
            in: staging, environment: nil)
        if result.status != 0 {
            throw Failure(path: target, message: "qpdf could not join the announcements: \(lastLines(result.stderr))")
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

    /// Renders the queue of single files and parts (JSON in the first argument) with WeasyPrint's Python API. Two of
    /// these processes run side by side over the same queue: each claims the next job by creating its claim file
    /// (`O_EXCL`, so exactly one process gets it) and skips the jobs the other one has claimed. A part's announcements
    /// are laid out one by one with one font configuration (Pango's faces and shaping set up once per part, not per
    /// announcement), then written as one document (fonts subset once); without `split` each is also written on its
    /// own. Each part's page counts go to its `counts` file. A job that fails names its file on stderr.
    ///
    /// Stylesheets linked by many documents (print.css: every announcement) are parsed once per process: parsing
    /// print.css took a quarter of an announcement's layout. WeasyPrint 57 parses each document's linked stylesheets
    /// in `weasyprint.css.find_stylesheets` through the `CSS` name of that module; the driver puts a caching function
    /// there that hands every document the same parsed rules (selectors and declarations are read, never changed,
    /// when a document is styled) and its own list of `@page` rules, as WeasyPrint builds it. Only local files without
    /// `@import`, `@font-face` or `@counter-style` are cached (those register into the document's own font and
    /// counter configuration); with another WeasyPrint whose internals differ, nothing is cached.
    private static let pythonScript = """
        import gc, json, os, re, sys, traceback
        try:
            from weasyprint import HTML, CSS
        except ImportError:
            sys.exit(97)
        try:
            from weasyprint.text.fonts import FontConfiguration
        except ImportError:
            FontConfiguration = None

        def cache_linked_stylesheets():
            try:
                import weasyprint.css as module
                from weasyprint.urls import default_url_fetcher
                original = module.CSS
                if original is not CSS or not hasattr(module, 'find_stylesheets'):
                    return
            except Exception:
                return
            parsed = {}
            def cached(*args, url=None, url_fetcher=None, media_type='print', page_rules=None, **options):
                path = None
                if (not args and url and url.startswith('file://') and url.endswith('.css')
                        and url_fetcher is default_url_fetcher and '?' not in url and '#' not in url):
                    from urllib.parse import unquote
                    path = unquote(url[len('file://'):])
                try:
                    if path is None:
                        raise OSError
                    with open(path, 'rb') as source:
                        text = source.read()
                except OSError:
                    return original(*args, url=url, url_fetcher=url_fetcher, media_type=media_type,
                                    page_rules=page_rules, **options)
                if b'@import' in text or b'@font-face' in text or b'@counter-style' in text:
                    return original(*args, url=url, url_fetcher=url_fetcher, media_type=media_type,
                                    page_rules=page_rules, **options)
                key = (url, media_type, text)
                sheet = parsed.get(key)
                if sheet is None:
                    sheet = parsed[key] = original(url=url, url_fetcher=url_fetcher, media_type=media_type, **options)
                copy = object.__new__(original)
                copy.__dict__.update(sheet.__dict__)
                if page_rules is None:
                    copy.page_rules = list(sheet.page_rules)
                else:
                    page_rules.extend(sheet.page_rules)
                    copy.page_rules = page_rules
                return copy
            module.CSS = cached

        cache_linked_stylesheets()
        # WeasyPrint makes millions of small objects (boxes, styles) that live until a document is written; with
        # Python's default thresholds the collector scans them again every 700 allocations (a fifth of the report's
        # CPU). Everything imported so far stays (freeze); young objects are scanned 70 times less often, and a full
        # collection after each single file and every tenth part keeps the memory of finished documents bounded.
        gc.freeze()
        gc.set_threshold(50000, 20, 100)
        job = json.loads(sys.argv[1])
        done = 0

        def single(source, target):
            html = HTML(filename=source)
            with open(source, encoding='utf-8', errors='replace') as f:
                match = re.search(r'data-booklet-pages="([1-8])"', f.read(16384))
            if not match:
                html.write_pdf(target)
                return
            multiple = int(match.group(1))
            document = html.render()
            missing = -len(document.pages) % multiple
            if missing:
                shown = ', '.join('[data-notes-page="%d"]' % n for n in range(1, missing + 1))
                document = html.render(stylesheets=[CSS(string=shown + ' { display: block !important; }')])
            document.write_pdf(target)

        def part(part):
            # One font configuration for the part's announcements: same theme, same fonts, and Pango's font map
            # (faces, shaping) is built once instead of once per announcement.
            fonts = FontConfiguration() if FontConfiguration else None
            documents = [HTML(filename=source).render(font_config=fonts) for source in part["html"]]
            if not job["split"]:
                for document, target in zip(documents, part["pdf"]):
                    document.write_pdf(target)
            combined = documents[0].copy([page for document in documents for page in document.pages])
            if job["title"]:
                combined.metadata.title = job["title"]
            combined.write_pdf(part["file"])
            with open(part["counts"], "w") as counts:
                json.dump([len(document.pages) for document in documents], counts)

        for index, entry in enumerate(job["queue"]):
            try:
                os.close(os.open(job["claims"] + str(index), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            try:
                if "single" in entry:
                    single(*entry["single"])
                else:
                    part(entry["part"])
            except BaseException:
                traceback.print_exc()
                first = entry["single"][0] if "single" in entry else entry["part"]["html"][0]
                sys.stderr.write("\\n" + "\(failedMarker)" + first + "\\n")
                sys.exit(1)
            done += 1
            if "single" in entry or done % 10 == 0:
                gc.collect()
        """

    /// The line the Python driver writes on stderr before it exits on a failed job: the marker, then the HTML file.
    private static let failedMarker = "tandem-pdf failed: "

    /// The HTML file named by the driver's failure line, if any.
    private static func failedFile(in stderr: String) -> String? {
        stderr.split(separator: "\n").last { $0.hasPrefix(failedMarker) }.map { String($0.dropFirst(failedMarker.count)) }
    }

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

    private static func run(_ executable: String, _ arguments: [String], in folder: URL, environment: [String: String]?) -> (
        status: Int32, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        if let environment { process.environment = environment }
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
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix(failedMarker) }
        return lines.isEmpty ? "it exited without a message" : lines.suffix(3).joined(separator: " / ")
    }

    /// The next index of a shared list, for workers that take jobs until none is left.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }

    /// Failures collected from the parallel workers.
    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Failure] = []
        private var importFailedFlag = false
        func markImportFailed() { lock.lock(); importFailedFlag = true; lock.unlock() }
        var importFailed: Bool { lock.lock(); defer { lock.unlock() }; return importFailedFlag }
        func add(_ failure: Failure) { lock.lock(); list.append(failure); lock.unlock() }
        var first: Failure? { lock.lock(); defer { lock.unlock() }; return list.first }
    }
}
