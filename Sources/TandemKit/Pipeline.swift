import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var contentPath: String
    public var templatesPath: String
    public var outputPath: String
    /// Warnings count as errors.
    public var strict: Bool
    /// Also turn the print HTML (and the internal report) into PDF.
    public var pdf: Bool

    public init(
        contentPath: String = "Content", templatesPath: String = "Templates", outputPath: String = "Output", strict: Bool = false,
        pdf: Bool = false
    ) {
        self.contentPath = contentPath
        self.templatesPath = templatesPath
        self.outputPath = outputPath
        self.strict = strict
        self.pdf = pdf
    }
}

/// What a run produced: its diagnostics and, when it got that far, the model and the output.
public struct BuildResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var programme: Programme?
    public var output: OutputTree?
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// The build in named stages: load (files → records), model (validated programme), render (pages), write (swap in).
public enum Pipeline {
    /// Load and validate only; nothing is written.
    public static func check(_ options: BuildOptions) -> BuildResult {
        var diagnostics = Diagnostics()
        let programme = loadModel(options, diagnostics: &diagnostics)
        return finish(diagnostics, options: options, programme: programme, output: nil)
    }

    /// Load, validate and render into memory; nothing is written.
    public static func render(_ options: BuildOptions) -> BuildResult {
        var diagnostics = Diagnostics()
        let programme = loadModel(options, diagnostics: &diagnostics)
        let theme = Theme.load(path: options.templatesPath, diagnostics: &diagnostics)
        guard let programme, let theme, !diagnostics.hasErrors else {
            return finish(diagnostics, options: options, programme: programme, output: nil)
        }
        let output = renderOutput(programme, theme: theme, diagnostics: &diagnostics)
        return finish(diagnostics, options: options, programme: programme, output: output)
    }

    /// The whole build: on any error (or warning with `strict`) the output folder stays as it was.
    public static func build(_ options: BuildOptions) -> BuildResult {
        var result = render(options)
        // --pdf without WeasyPrint: fail before anything is written (issue 3).
        if options.pdf, let missing = PDF.missingDiagnostic() { result.diagnostics.append(missing) }
        guard result.succeeded, let output = result.output else {
            result.output = nil
            return result
        }
        do {
            let epoch = (result.programme?.start.ordinal ?? 0) * 86_400
            try OutputWriter.write(
                output, to: options.outputPath,
                finishing: options.pdf ? { staging in try PDF.convert(staging: staging, folders: ["print", "internal"], epoch: epoch) } : nil)
        } catch let error as OutputWriter.WriteError {
            result.diagnostics.append(Diagnostic(path: error.path, severity: .error, message: error.message))
        } catch {
            result.diagnostics.append(Diagnostic(path: options.outputPath, severity: .error, message: "\(error)"))
        }
        return result
    }

    static func loadModel(_ options: BuildOptions, diagnostics: inout Diagnostics) -> Programme? {
        let sources = ProgrammeFolder.load(contentPath: options.contentPath, diagnostics: &diagnostics)
        return ModelBuilder.build(sources, diagnostics: &diagnostics)
    }

    static func renderOutput(_ programme: Programme, theme: Theme, diagnostics: inout Diagnostics) -> OutputTree {
        var output = OutputTree()
        let language = programme.language
        var stringsByLanguage: [String: UIStrings] = [:]
        for code in programme.languages {
            if let strings = theme.strings[code] {
                stringsByLanguage[code] = strings
            } else if let english = theme.strings["en"] {
                diagnostics.warning(theme.root.lastPathComponent + "/strings/\(code).yml", "UI strings for '\(code)' are missing; using English")
                stringsByLanguage[code] = english
            } else {
                diagnostics.error(theme.root.lastPathComponent + "/strings/\(code).yml", "UI strings for '\(code)' are missing")
            }
        }
        guard let strings = stringsByLanguage[language], stringsByLanguage.count == programme.languages.count else { return output }
        // The site: one folder per language when there are several, plus what exists once (404, sitemap, assets).
        // Each language's name in itself, capitalised for the switcher (français → Français).
        let names = Dictionary(uniqueKeysWithValues: stringsByLanguage.map { code, strings in
            let name = strings.label("language_names", code)
            return (code, name.prefix(1).uppercased() + name.dropFirst())
        })
        var pagePaths: [String] = []
        for code in programme.languages {
            var site = SiteRenderer(programme: programme, theme: theme, language: code, strings: stringsByLanguage[code]!, languageNames: names)
            site.render()
            diagnostics.append(contentsOf: site.diagnostics)
            output.merge(site.output)
            if code == language { pagePaths = site.pagePaths }
        }
        var shared = SiteRenderer(programme: programme, theme: theme, language: language, strings: strings, languageNames: names)
        shared.renderShared(pagePaths: pagePaths)
        diagnostics.append(contentsOf: shared.diagnostics)
        output.merge(shared.output)
        // print/ and mail/ (issue 3) are rendered here.
        // The handout once per site language; announcements in the main language.
        for code in programme.languages {
            var printRenderer = PrintRenderer(
                programme: programme, theme: theme, language: code, strings: stringsByLanguage[code]!, handoutOnly: code != language)
            printRenderer.render()
            diagnostics.append(contentsOf: printRenderer.diagnostics)
            output.merge(printRenderer.output)
        }
        // Each tandem's e-mail in its first shared language (see MailRenderer.language(for:)).
        let mailLanguages = Set(theme.strings.keys)
        let byLanguage = Dictionary(grouping: programme.tandems) { MailRenderer.language(for: $0, in: programme, available: mailLanguages) }
        for code in byLanguage.keys.sorted() {
            guard let mailStrings = theme.strings[code] ?? stringsByLanguage[language] else { continue }
            var mailRenderer = MailRenderer(programme: programme, theme: theme, language: code, strings: mailStrings, tandems: byLanguage[code])
            mailRenderer.render()
            diagnostics.append(contentsOf: mailRenderer.diagnostics)
            output.merge(mailRenderer.output)
        }
        // internal/ (issue 4) is rendered here.
        var report = ReportRenderer(programme: programme, theme: theme, language: language, strings: strings)
        report.render()
        diagnostics.append(contentsOf: report.diagnostics)
        output.merge(report.output)
        return output
    }

    private static func finish(_ diagnostics: Diagnostics, options: BuildOptions, programme: Programme?, output: OutputTree?) -> BuildResult {
        let effective = options.strict ? diagnostics.promotingWarnings() : diagnostics
        let ok = !effective.hasErrors
        return BuildResult(diagnostics: effective.sorted, programme: ok ? programme : nil, output: ok ? output : nil)
    }
}
