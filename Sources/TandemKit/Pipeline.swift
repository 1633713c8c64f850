import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var contentPath: String
    /// The theme's override folder (see docs/theme.md); nil: the built-in theme alone.
    public var templatesPath: String?
    public var outputPath: String
    /// Warnings count as errors.
    public var strict: Bool
    /// Also turn the print HTML (and the internal report) into PDF.
    public var pdf: Bool
    /// Threads for loading, parsing, rendering and writing; nil: one per core (`TANDEM_WORKERS` overrides).
    /// The output is byte-identical for any number.
    public var workers: Int?
    /// `tandem build --only`: the outputs to render, check and replace; the others stay as the last build wrote them.
    /// Empty: all of them.
    public var only: Set<OutputPart> = []
    /// Told how far the build is (from worker threads, one call at a time), e.g. for a progress bar.
    public var progress: (@Sendable (BuildProgress) -> Void)?

    public init(
        contentPath: String = "Content", templatesPath: String? = nil, outputPath: String = "Output", strict: Bool = false,
        pdf: Bool = false, workers: Int? = nil, progress: (@Sendable (BuildProgress) -> Void)? = nil
    ) {
        self.contentPath = contentPath
        self.templatesPath = templatesPath
        self.outputPath = outputPath
        self.strict = strict
        self.pdf = pdf
        self.workers = workers
        self.progress = progress
    }

    /// The number of worker threads this build uses.
    var workerCount: Int { workers ?? Parallel.defaultWorkers }
}

/// The output folders a build writes.
public enum OutputPart: String, CaseIterable, Sendable, Comparable {
    case site, print, mail, `internal`

    public static func < (a: OutputPart, b: OutputPart) -> Bool { a.rawValue < b.rawValue }
}

extension BuildOptions {
    /// The output folders this build renders: those of `only`, else all.
    var renderedParts: Set<OutputPart> { only.isEmpty ? Set(OutputPart.allCases) : only }
    /// The top-level folders a partial build keeps from the output folder (empty for a full build).
    var keptFolders: Set<String> { only.isEmpty ? [] : Set(OutputPart.allCases.filter { !only.contains($0) }.map(\.rawValue)) }
}

/// What a run produced: its diagnostics and, when it got that far, the model and the output.
public struct BuildResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var programme: Programme?
    public var output: OutputTree?
    /// Wall time per stage (load, parse, validate, render, check, write) and peak memory.
    public var timings = BuildTimings()
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// The build in named stages: load (files → records), model (validated programme), render (pages), write (swap in).
public enum Pipeline {
    /// Load and validate only; nothing is written.
    public static func check(_ options: BuildOptions) -> BuildResult {
        var diagnostics = Diagnostics()
        var timings = BuildTimings()
        let progress = ProgressReporter(options.progress)
        let programme = loadModel(options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        var result = finish(diagnostics, options: options, programme: programme, output: nil)
        result.timings = timings
        return result
    }

    /// Load, validate and render into memory; nothing is written.
    public static func render(_ options: BuildOptions) -> BuildResult {
        var diagnostics = Diagnostics()
        var timings = BuildTimings()
        let progress = ProgressReporter(options.progress)
        let programme = loadModel(options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        let theme = timings.measure("render") {
            let theme = Theme.load(path: options.templatesPath, diagnostics: &diagnostics)
            theme?.checkContexts(TemplateContexts.schemas, descriptions: TemplateContexts.descriptions, diagnostics: &diagnostics)
            return theme
        }
        guard let programme, let theme, !diagnostics.hasErrors else {
            var result = finish(diagnostics, options: options, programme: programme, output: nil)
            result.timings = timings
            return result
        }
        let output = timings.measure("render") {
            renderOutput(
                programme, theme: theme, diagnostics: &diagnostics, workers: options.workerCount, progress: progress,
                previousOutput: options.outputPath, outputs: options.renderedParts)
        }
        timings.measure("check") {
            // Every internal link and #anchor of site/, print/ and internal/ must resolve (issue 6); with --only, links
            // into the kept outputs are resolved against the output folder as it is.
            let kept = options.only.isEmpty ? nil : LinkChecker.KeptOutput(folder: options.outputPath, folders: options.keptFolders)
            for finding in LinkChecker.check(output, outputPath: options.outputPath, workers: options.workerCount, kept: kept).diagnostics {
                diagnostics.append(finding)
            }
        }
        var result = finish(diagnostics, options: options, programme: programme, output: output)
        result.timings = timings
        return result
    }

    /// The whole build: on any error (or warning with `strict`) the output folder stays as it was.
    public static func build(_ options: BuildOptions) -> BuildResult {
        // The output folder must be one Tandem may replace (OutputLocation); reported with everything else.
        let refusals = OutputLocation.check(
            options.outputPath, protecting: [options.contentPath, options.templatesPath].compactMap { $0 })
        // --only without an earlier full build: reported before rendering (mail/ is checked when writing, since it is
        // only needed when the programme has tandems).
        let missing = OutputWriter.missingKeptFolders(
            options.keptFolders.subtracting([OutputPart.mail.rawValue]), in: options.outputPath)
        var result = render(options)
        if !refusals.isEmpty || !missing.isEmpty {
            result.diagnostics = (result.diagnostics + refusals + missing).sorted { $0.path < $1.path }
        }
        // --pdf without WeasyPrint: fail before anything is written (issue 3).
        if options.pdf, let missing = PDF.missingDiagnostic() { result.diagnostics.append(missing) }
        guard result.succeeded, let output = result.output else {
            result.output = nil
            return result
        }
        let writeStart = BuildTimings.now()
        do {
            let epoch = (result.programme?.start.ordinal ?? 0) * 86_400
            let title = result.programme.map { $0.title.text(in: $0.language) } ?? ""
            // A partial build needs the kept outputs a full build would have written (mail/ only with tandems).
            var required = options.keptFolders
            if result.programme?.tandems.isEmpty ?? true { required.remove(OutputPart.mail.rawValue) }
            let pdfFolders = ["print", "internal"].filter { options.renderedParts.contains(OutputPart(rawValue: $0)!) }
            result.diagnostics += try OutputWriter.write(
                output, to: options.outputPath, protecting: [options.contentPath, options.templatesPath].compactMap { $0 },
                workers: options.workerCount, progress: ProgressReporter(options.progress), keeping: options.keptFolders,
                required: required,
                finishing: options.pdf && !pdfFolders.isEmpty
                    ? { staging in try PDF.convert(staging: staging, folders: pdfFolders, epoch: epoch, title: title) } : nil)
        } catch let error as OutputWriter.WriteError {
            result.diagnostics.append(Diagnostic(path: error.path, severity: .error, message: error.message))
        } catch {
            result.diagnostics.append(Diagnostic(path: options.outputPath, severity: .error, message: "\(error)"))
        }
        result.timings.add("write", BuildTimings.now() - writeStart)
        return result
    }

    static func loadModel(_ options: BuildOptions, diagnostics: inout Diagnostics) -> Programme? {
        var timings = BuildTimings()
        return loadModel(options, diagnostics: &diagnostics, timings: &timings, progress: ProgressReporter(options.progress))
    }

    /// load (files → records), parse (Markdown → HTML, all cores), validate (records → `Programme`).
    static func loadModel(
        _ options: BuildOptions, diagnostics: inout Diagnostics, timings: inout BuildTimings, progress: ProgressReporter
    ) -> Programme? {
        let workers = options.workerCount
        var sources = timings.measure("load") {
            ProgrammeFolder.load(contentPath: options.contentPath, diagnostics: &diagnostics, workers: workers, progress: progress)
        }
        timings.measure("parse") { ModelBuilder.renderMarkdown(&sources, workers: workers, progress: progress) }
        let programme = timings.measure("validate") { ModelBuilder.build(sources, diagnostics: &diagnostics, workers: workers) }
        if let programme, programme.baseURL == nil {
            // Once per run: what sharing cannot do without an absolute address (docs/sharing.md).
            diagnostics.warning(
                sources.settingsPath,
                "base_url is not set: link previews get no og:url or og:image and print/ gets no QR codes; set base_url to the address the site is served from"
            )
        }
        return programme
    }

    /// Renders every output folder into memory. The work is cut into jobs (the site's overview pages, chunks of profile
    /// and tandem pages, print/, chunks of mail/, internal/) that run on `workers` threads; their files
    /// are merged in a fixed order, so the result is the same for any number of workers.
    /// `previousOutput`: the output folder the last build wrote, whose social cards are reused when unchanged.
    static func renderOutput(
        _ programme: Programme, theme: Theme, diagnostics: inout Diagnostics, workers: Int = Parallel.defaultWorkers,
        progress: ProgressReporter? = nil, previousOutput: String? = nil, outputs: Set<OutputPart> = Set(OutputPart.allCases)
    ) -> OutputTree {
        var output = OutputTree()
        let language = programme.language
        guard let stringsByLanguage = theme.strings(for: programme, diagnostics: &diagnostics), let strings = stringsByLanguage[language]
        else { return output }
        // The site: one folder per language when there are several, plus what exists once (404, sitemap, assets).
        // Each language's name in itself, capitalised for the switcher (français → Français).
        let names = Dictionary(
            uniqueKeysWithValues: stringsByLanguage.map { code, strings in
                let name = strings.label("language_names", code)
                return (code, name.prefix(1).uppercased() + name.dropFirst())
            })
        var jobs: [RenderJob] = []
        /// Pages per job: small enough to balance the cores, large enough that a job's overhead does not count.
        let chunk = 200
        func chunks(_ count: Int) -> [Range<Int>] {
            stride(from: 0, to: count, by: chunk).map { $0..<min(count, $0 + chunk) }
        }
        for code in programme.languages where outputs.contains(.site) {
            let site = SiteRenderer(
                programme: programme, theme: theme, language: code, strings: stringsByLanguage[code]!, languageNames: names,
                allStrings: stringsByLanguage)
            let main = code == language
            jobs.append(RenderJob(weight: 20 + programme.pages.count, sitemap: main) { site.part { $0.renderOverview() } })
            for range in chunks(site.publishedParticipants.count) {
                jobs.append(RenderJob(weight: range.count, sitemap: main) { site.part { $0.renderParticipantPages(range) } })
            }
            for range in chunks(site.publicTandems.count) {
                jobs.append(RenderJob(weight: range.count, sitemap: main) { site.part { $0.renderTandemPages(range) } })
            }
        }
        // print/ and mail/ (issue 3) are rendered here.
        // The handout once per site language; announcements in the main language.
        for code in programme.languages where outputs.contains(.print) {
            let handoutOnly = code != language
            let printer = PrintRenderer(
                programme: programme, theme: theme, language: code, strings: stringsByLanguage[code]!, handoutOnly: handoutOnly,
                pageQRCodes: PrintRenderer.pageQRCodes(programme: programme, language: code, workers: workers))
            jobs.append(
                RenderJob(weight: 50 + printer.publicTandems.count / 2) {
                    var handout = printer
                    handout.renderHandout()
                    return RenderPart(output: handout.output)
                })
            for range in chunks(handoutOnly ? 0 : printer.publicTandems.count) {
                jobs.append(
                    RenderJob(weight: range.count) {
                        var announcements = printer
                        announcements.renderAnnouncements(range)
                        return RenderPart(output: announcements.output)
                    })
            }
        }
        // Each tandem's e-mail in its first shared language (see MailRenderer.language(for:)), in chunks of tandems.
        let mailLanguages = Set(theme.strings.keys)
        let byLanguage = Dictionary(grouping: programme.tandems) { MailRenderer.language(for: $0, in: programme, available: mailLanguages) }
        for code in byLanguage.keys.sorted() where outputs.contains(.mail) {
            guard let mailStrings = theme.strings[code] ?? stringsByLanguage[language] else { continue }
            let tandems = byLanguage[code]!
            for range in chunks(tandems.count) {
                let part = Array(tandems[range])
                jobs.append(
                    RenderJob(weight: 2 * range.count, mail: true) {
                        var mailRenderer = MailRenderer(
                            programme: programme, theme: theme, language: code, strings: mailStrings, tandems: part)
                        mailRenderer.render()
                        return RenderPart(output: mailRenderer.output)
                    })
            }
        }
        // internal/ (issue 4) is rendered here.
        if outputs.contains(.internal) {
            jobs.append(
                RenderJob(weight: 100 + programme.tandems.count / 2 + programme.meetings.count / 20) {
                    var report = ReportRenderer(programme: programme, theme: theme, language: language, strings: strings)
                    report.render()
                    return RenderPart(output: report.output)
                })
        }
        // The social cards (docs/sharing.md): rasterising is the costly part, so they come in small chunks of tandems.
        let cards = ShareRenderer(
            programme: programme, theme: theme, strings: stringsByLanguage, cache: CardCache(outputPath: previousOutput))
        let cardChunk = 50
        let publicCount = programme.publicView.tandems.count
        // Cards go to site/ (link previews) and print/ (square announcement cards).
        if outputs.contains(.site) || outputs.contains(.print) {
            for start in stride(from: 0, to: publicCount, by: cardChunk) {
                let range = start..<min(publicCount, start + cardChunk)
                jobs.append(RenderJob(weight: 30 * range.count) { cards.renderTandemCards(range) })
            }
            jobs.append(RenderJob(weight: 30) { cards.renderProgrammeCards() })
        }

        // Largest jobs first, so no core is left with a big one at the end; results are merged in job order.
        let schedule = jobs.indices.sorted { (jobs[$1].weight, $0) < (jobs[$0].weight, $1) }
        progress?.begin("render", total: jobs.reduce(0) { $0 + $1.weight })
        let finished = Parallel.run(
            schedule.map { i in
                { () -> RenderPart in
                    let part = jobs[i].render()
                    progress?.advance(jobs[i].weight)
                    return part
                }
            }, workers: workers)
        var parts = [RenderPart?](repeating: nil, count: jobs.count)
        for (position, i) in schedule.enumerated() { parts[i] = finished[position] }

        var pagePaths: [String] = []
        var sharedMerged = false
        for (job, part) in zip(jobs, parts) {
            guard let part else { continue }
            if job.kind == .other, !sharedMerged, outputs.contains(.site) {
                // After the language sites: what exists once (404, robots.txt, sitemap, assets).
                sharedMerged = true
                var shared = SiteRenderer(programme: programme, theme: theme, language: language, strings: strings, languageNames: names)
                shared.renderShared(pagePaths: pagePaths)
                output.merge(shared.output)
            }
            output.merge(part.output)
            for failure in part.failures { diagnostics.append(failure) }
            if job.sitemap { pagePaths += part.pagePaths }
        }
        if !sharedMerged, outputs.contains(.site) {
            var shared = SiteRenderer(programme: programme, theme: theme, language: language, strings: strings, languageNames: names)
            shared.renderShared(pagePaths: pagePaths)
            output.merge(shared.output)
        }
        if outputs.count < OutputPart.allCases.count {
            // A job may write into several folders (the cards: site/ and print/): only the named ones are kept.
            output.keep(folders: Set(outputs.map { $0.rawValue + "/" }))
        }
        return output
    }

    /// One piece of rendering work and an estimate of its size (pages) for scheduling and progress.
    struct RenderJob {
        enum Kind { case site, mail, other }
        let weight: Int
        let kind: Kind
        /// The pages belong to the main language's site (listed in the sitemap).
        let sitemap: Bool
        let render: () -> RenderPart

        init(weight: Int, sitemap: Bool, render: @escaping () -> RenderPart) {
            (self.weight, self.kind, self.sitemap, self.render) = (weight, .site, sitemap, render)
        }

        init(weight: Int, mail: Bool = false, render: @escaping () -> RenderPart) {
            (self.weight, self.kind, self.sitemap, self.render) = (weight, mail ? .mail : .other, false, render)
        }
    }

    private static func finish(_ diagnostics: Diagnostics, options: BuildOptions, programme: Programme?, output: OutputTree?) -> BuildResult
    {
        let effective = options.strict ? diagnostics.promotingWarnings() : diagnostics
        let ok = !effective.hasErrors
        return BuildResult(diagnostics: effective.sorted, programme: ok ? programme : nil, output: ok ? output : nil)
    }
}
