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
    /// How many files the build wrote (`build`) or rendered (`render`). A build writes its files as it renders them,
    /// so `output` stays nil for it: only the paths and the links checked are kept, not the bytes.
    public var files = 0
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
        let (programme, theme) = prepare(options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        guard let programme, let theme, !diagnostics.hasErrors else {
            var result = finish(diagnostics, options: options, programme: programme, output: nil)
            result.timings = timings
            return result
        }
        let output = renderAndCheck(
            programme, theme: theme, options: options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        var result = finish(diagnostics, options: options, programme: programme, output: output)
        result.files = result.output?.count ?? 0
        result.timings = timings
        return result
    }

    /// The model and the theme (with its checks), or what stopped them.
    private static func prepare(
        _ options: BuildOptions, diagnostics: inout Diagnostics, timings: inout BuildTimings, progress: ProgressReporter
    ) -> (Programme?, Theme?) {
        let programme = loadModel(options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        let theme = timings.measure("render") {
            let theme = Theme.load(path: options.templatesPath, diagnostics: &diagnostics)
            theme?.checkContexts(TemplateContexts.schemas, descriptions: TemplateContexts.descriptions, diagnostics: &diagnostics)
            return theme
        }
        return (programme, theme)
    }

    /// Renders every output into memory and checks its links.
    private static func renderAndCheck(
        _ programme: Programme, theme: Theme, options: BuildOptions, diagnostics: inout Diagnostics, timings: inout BuildTimings,
        progress: ProgressReporter
    ) -> OutputTree {
        let output = timings.measure("render") {
            renderOutput(
                programme, theme: theme, diagnostics: &diagnostics, workers: options.workerCount, progress: progress,
                previousOutput: options.outputPath, outputs: options.renderedParts)
        }
        timings.measure("check") {
            checkLinks(LinkChecker.Index(output, workers: options.workerCount), options: options, diagnostics: &diagnostics)
        }
        return output
    }

    /// Every internal link and #anchor of site/, print/ and internal/ must resolve (issue 6); with --only, links into the
    /// kept outputs are resolved against the output folder as it is.
    private static func checkLinks(_ index: LinkChecker.Index, options: BuildOptions, diagnostics: inout Diagnostics) {
        let kept = options.only.isEmpty ? nil : LinkChecker.KeptOutput(folder: options.outputPath, folders: options.keptFolders)
        for finding in LinkChecker.check(index, outputPath: options.outputPath, workers: options.workerCount, kept: kept).diagnostics {
            diagnostics.append(finding)
        }
    }

    /// The whole build: on any error (or warning with `strict`) the output folder stays as it was.
    ///
    /// The files are written as they are rendered, into a staging folder beside the output folder (with its lock held),
    /// so a large programme's pages are never all in memory; the link check reads what was kept of each page (its
    /// links and ids), and only when it and everything else succeeded is the staging folder swapped in.
    public static func build(_ options: BuildOptions) -> BuildResult {
        // The output folder must be one Tandem may replace (OutputLocation); reported with everything else.
        let refusals = OutputLocation.check(
            options.outputPath, protecting: [options.contentPath, options.templatesPath].compactMap { $0 })
        // --only without an earlier full build: reported before rendering (mail/ is checked when writing, since it is
        // only needed when the programme has tandems).
        let missing = OutputWriter.missingKeptFolders(
            options.keptFolders.subtracting([OutputPart.mail.rawValue]), in: options.outputPath)
        // --pdf without WeasyPrint: fail before anything is written (issue 3).
        let noPDF = options.pdf ? PDF.missingDiagnostic() : nil
        guard refusals.isEmpty, missing.isEmpty, noPDF == nil else {
            // Nothing can be written: rendered in memory only, to report everything at once.
            var result = render(options)
            if !refusals.isEmpty || !missing.isEmpty {
                result.diagnostics = (result.diagnostics + refusals + missing).sorted { $0.path < $1.path }
            }
            if let noPDF { result.diagnostics.append(noPDF) }
            result.output = nil
            return result
        }
        var diagnostics = Diagnostics()
        var timings = BuildTimings()
        let progress = ProgressReporter(options.progress)
        let (programme, theme) = prepare(options, diagnostics: &diagnostics, timings: &timings, progress: progress)
        guard let programme, let theme, !diagnostics.hasErrors else {
            var result = finish(diagnostics, options: options, programme: programme, output: nil)
            result.timings = timings
            return result
        }
        // A partial build needs the kept outputs a full build would have written (mail/ only with tandems).
        var required = options.keptFolders
        if programme.tandems.isEmpty { required.remove(OutputPart.mail.rawValue) }
        let protecting = [options.contentPath, options.templatesPath].compactMap { $0 }
        let staging: OutputWriter.Staging
        do {
            staging = try OutputWriter.Staging(options.outputPath, protecting: protecting, workers: options.workerCount, required: required)
        } catch {
            // The output folder cannot be written (another build holds it …): rendered in memory to report the rest too.
            let failure = OutputWriter.WriteError(error, outputPath: options.outputPath)
            _ = renderAndCheck(programme, theme: theme, options: options, diagnostics: &diagnostics, timings: &timings, progress: progress)
            var result = finish(diagnostics, options: options, programme: programme, output: nil)
            result.timings = timings
            result.diagnostics.append(Diagnostic(path: failure.path, severity: .error, message: failure.message))
            return result
        }
        let written = timings.measure("render") {
            renderOutput(
                programme, theme: theme, into: staging, diagnostics: &diagnostics, workers: options.workerCount, progress: progress,
                previousOutput: options.outputPath, outputs: options.renderedParts)
        }
        timings.measure("check") { checkLinks(written.index, options: options, diagnostics: &diagnostics) }
        var result = finish(diagnostics, options: options, programme: programme, output: nil)
        result.timings = timings
        result.files = written.index.paths.count
        guard result.succeeded, written.failure == nil else {
            staging.discard()
            if let failure = written.failure {
                result.diagnostics.append(Diagnostic(path: failure.path, severity: .error, message: failure.message))
            }
            return result
        }
        let writeStart = BuildTimings.now()
        do {
            let epoch = programme.start.ordinal * 86_400
            let title = programme.title.text(in: programme.language)
            let pdfFolders = ["print", "internal"].filter { options.renderedParts.contains(OutputPart(rawValue: $0)!) }
            result.diagnostics += try staging.finish(
                keeping: options.keptFolders,
                finishing: options.pdf && !pdfFolders.isEmpty
                    ? { staging in try PDF.convert(staging: staging, folders: pdfFolders, epoch: epoch, title: title) } : nil)
        } catch {
            staging.discard()
            let failure = OutputWriter.WriteError(error, outputPath: options.outputPath)
            result.diagnostics.append(Diagnostic(path: failure.path, severity: .error, message: failure.message))
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

    /// The rendering work of a build: jobs (the site's overview pages, chunks of profile and tandem pages, print/,
    /// chunks of mail/, internal/, the cards) that run on any thread, and what exists once in site/ (404, robots.txt,
    /// sitemap, assets), which needs the other pages' paths. `previousOutput`: the output folder the last build wrote,
    /// whose social cards are reused when unchanged.
    private static func plan(
        _ programme: Programme, theme: Theme, diagnostics: inout Diagnostics, workers: Int, previousOutput: String?,
        outputs: Set<OutputPart>
    ) -> RenderPlan? {
        let language = programme.language
        guard let stringsByLanguage = theme.strings(for: programme, diagnostics: &diagnostics), let strings = stringsByLanguage[language]
        else { return nil }
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
        // The handout once per site language; announcements in the main language.
        // The handout holds every public tandem; the announcements come in chunks.
        for code in programme.languages where outputs.contains(.print) {
            let handoutOnly = code != language
            let printer = PrintRenderer(
                programme: programme, theme: theme, language: code, strings: stringsByLanguage[code]!, handoutOnly: handoutOnly,
                pageQRCodes: PrintRenderer.pageQRCodes(programme: programme, language: code, workers: workers))
            jobs.append(
                RenderJob(weight: 50 + printer.publicTandems.count / 4) {
                    var handout = printer
                    handout.renderHandoutPart()
                    return RenderPart(output: handout.output)
                })
            guard !handoutOnly else { continue }
            for range in chunks(printer.publicTandems.count) {
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
        // internal/: the report.
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

        var shared: (([String]) -> OutputTree)?
        if outputs.contains(.site) {
            shared = { pagePaths in
                var shared = SiteRenderer(programme: programme, theme: theme, language: language, strings: strings, languageNames: names)
                shared.renderShared(pagePaths: pagePaths)
                return shared.output
            }
        }
        // A job may write into several folders (the cards: site/ and print/): only the named ones are kept.
        let folders = outputs.count < OutputPart.allCases.count ? Set(outputs.map { $0.rawValue + "/" }) : nil
        return RenderPlan(jobs: jobs, shared: shared, folders: folders)
    }

    /// What `plan` makes.
    struct RenderPlan {
        var jobs: [RenderJob]
        /// Renders what exists once in site/ from the main language's page paths; nil when site/ is not rendered.
        var shared: (([String]) -> OutputTree)?
        /// The top-level folders to keep (with `--only`), nil for all.
        var folders: Set<String>?

        /// Where `shared` goes among the jobs' files: after the language sites, before the first job of print/,
        /// internal/ or the cards (a later file replaces an earlier one of the same path).
        var sharedPosition: Int { jobs.firstIndex { $0.kind == .other } ?? jobs.count }

        /// The largest jobs first, so no core is left with a big one at the end.
        var schedule: [Int] { jobs.indices.sorted { (jobs[$1].weight, $0) < (jobs[$0].weight, $1) } }

        var totalWeight: Int { jobs.reduce(0) { $0 + $1.weight } }
    }

    /// Renders every output folder into memory. The jobs of `plan` run on `workers` threads; their files are merged in
    /// a fixed order, so the result is the same for any number of workers.
    /// `previousOutput`: the output folder the last build wrote, whose social cards are reused when unchanged.
    static func renderOutput(
        _ programme: Programme, theme: Theme, diagnostics: inout Diagnostics, workers: Int = Parallel.defaultWorkers,
        progress: ProgressReporter? = nil, previousOutput: String? = nil, outputs: Set<OutputPart> = Set(OutputPart.allCases)
    ) -> OutputTree {
        var output = OutputTree()
        guard
            let plan = plan(
                programme, theme: theme, diagnostics: &diagnostics, workers: workers, previousOutput: previousOutput, outputs: outputs)
        else { return output }
        let jobs = plan.jobs
        let schedule = plan.schedule
        progress?.begin("render", total: plan.totalWeight)
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
        for (job, part) in zip(jobs, parts) where job.sitemap { pagePaths += part?.pagePaths ?? [] }
        for (position, part) in parts.enumerated() {
            if position == plan.sharedPosition, let shared = plan.shared { output.merge(shared(pagePaths)) }
            guard let part else { continue }
            output.merge(part.output)
            for failure in part.failures { diagnostics.append(failure) }
        }
        if plan.sharedPosition == parts.count, let shared = plan.shared { output.merge(shared(pagePaths)) }
        if let folders = plan.folders { output.keep(folders: folders) }
        return output
    }

    /// What a build that writes as it renders keeps: the link check's index of every part, and the first file that
    /// could not be written.
    struct WrittenOutput {
        var index = LinkChecker.Index()
        var failure: OutputWriter.WriteError?
    }

    /// Renders every output folder as `renderOutput` does, but writes each job's files into `staging` as soon as the
    /// job is done and keeps only their paths and the links and ids of their pages: at 10,000 participants the pages
    /// alone are some 240 MB. A file two jobs write is the later job's, as in `renderOutput`.
    static func renderOutput(
        _ programme: Programme, theme: Theme, into staging: OutputWriter.Staging, diagnostics: inout Diagnostics,
        workers: Int = Parallel.defaultWorkers, progress: ProgressReporter? = nil, previousOutput: String? = nil,
        outputs: Set<OutputPart> = Set(OutputPart.allCases)
    ) -> WrittenOutput {
        var written = WrittenOutput()
        guard
            let plan = plan(
                programme, theme: theme, diagnostics: &diagnostics, workers: workers, previousOutput: previousOutput, outputs: outputs)
        else { return written }
        let jobs = plan.jobs
        let schedule = plan.schedule
        /// Parts go in at odd places, what exists once at an even one between them (`sharedPosition`).
        func store(_ part: inout OutputTree, order: Int) -> (LinkChecker.Index, OutputWriter.WriteError?) {
            if let folders = plan.folders { part.keep(folders: folders) }
            var index = LinkChecker.Index()
            index.add(part)
            do {
                try staging.write(part: part, order: order)
                return (index, nil)
            } catch {
                return (index, OutputWriter.WriteError(error, outputPath: staging.outputPath))
            }
        }
        struct Done {
            var pagePaths: [String]
            var failures: [Diagnostic]
            var index: LinkChecker.Index
            var failure: OutputWriter.WriteError?
        }
        progress?.begin("render", total: plan.totalWeight)
        let finished = Parallel.run(
            schedule.map { i in
                { () -> Done in
                    var part = jobs[i].render()
                    let (index, failure) = store(&part.output, order: 2 * i + 1)
                    progress?.advance(jobs[i].weight)
                    return Done(pagePaths: part.pagePaths, failures: part.failures, index: index, failure: failure)
                }
            }, workers: workers)
        var parts = [Done?](repeating: nil, count: jobs.count)
        for (position, i) in schedule.enumerated() { parts[i] = finished[position] }

        var pagePaths: [String] = []
        for (job, part) in zip(jobs, parts) {
            guard let part else { continue }
            for failure in part.failures { diagnostics.append(failure) }
            if job.sitemap { pagePaths += part.pagePaths }
        }
        var sharedIndex: LinkChecker.Index?
        if let shared = plan.shared {
            var output = shared(pagePaths)
            let (index, failure) = store(&output, order: 2 * plan.sharedPosition)
            sharedIndex = index
            written.failure = failure
        }
        // The indexes in the files' order: a later part's page replaces an earlier one's.
        for (position, part) in parts.enumerated() {
            if position == plan.sharedPosition, let sharedIndex { written.index.merge(sharedIndex) }
            guard let part else { continue }
            written.index.merge(part.index)
            written.failure = written.failure ?? part.failure
        }
        if plan.sharedPosition == parts.count, let sharedIndex { written.index.merge(sharedIndex) }
        let root = staging.root
        written.index.bytes = { FileIO.read(root + "/" + $0) }
        return written
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
