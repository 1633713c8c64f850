import Foundation

@testable import TandemKit

/// libFuzzer's entry for programs with their own `main` (compiler-rt's FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The fuzz targets: one function per reader or writer of hostile input. Each reads one input as the program would
/// and checks properties of what comes out; a broken property stops the run through `fail`, so libFuzzer keeps the
/// input (`crash-…`) and prints the message.
public enum FuzzTargets {
    /// Runs libFuzzer's driver (command line options, corpus, mutations) with `check` as the function called for
    /// each input, and exits with its status. SwiftPM links an executable's top-level code as `main` (over the one
    /// `-sanitize=fuzzer` brings), so each target's main.swift starts the driver through this.
    public static func runDriver(_ check: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, check))
    }

    /// A broken property: the message and the input's start on standard error, then abort (libFuzzer saves the input).
    static func fail(_ target: String, _ message: String, _ text: String = "") -> Never {
        var line = "\n==FUZZ== \(target): \(message)\n"
        if !text.isEmpty { line += "==FUZZ== input: \(String(reflecting: String(text.prefix(300))))\n" }
        FileHandle.standardError.write(Data(line.utf8))
        abort()
    }

    /// The input as the loaders read files (UTF-8, UTF-16 with or without byte-order mark, else Windows-1252).
    static func decoded(_ data: UnsafeBufferPointer<UInt8>) -> String {
        TextDecoding.decode(Array(data)).text
    }

    // MARK: Locations

    /// Lines of `text` as the readers count them (LF, CR and CRLF end a line).
    static func lineCount(_ text: String) -> Int { text.lineBreakCount + 1 }

    /// Every diagnostic names `path` and, when it has a line, one of the text's lines (1 ... lines); a column is ≥ 1.
    static func checkLocations(_ target: String, _ diagnostics: Diagnostics, path: String, lines: Int, _ text: String) {
        for diagnostic in diagnostics.all {
            if diagnostic.path != path { fail(target, "diagnostic for another path: \(diagnostic)", text) }
            if let line = diagnostic.line, line < 1 || line > lines {
                fail(target, "diagnostic outside the text's \(lines) lines: \(diagnostic)", text)
            }
            if let column = diagnostic.column, column < 1 { fail(target, "column < 1: \(diagnostic)", text) }
            if diagnostic.message.isEmpty { fail(target, "empty message: \(diagnostic)", text) }
        }
    }
}

// MARK: - CSV

extension FuzzTargets {
    static let csvColumns = ["id", "name", "role", "email", "organisation", "topics", "languages", "photo"]

    /// `CSVTable.parse` as the loader calls it for participants.csv. Checks: every row's line is one of the file's
    /// lines and rows come in file order; no cell the table keeps is longer than the cell limit (long cells are cut
    /// after their error); a cell with a control character has an error; the delimiter is `,` or `;`; an unreadable
    /// row has an error on its line; every message is at a line of the file.
    public static func csv(_ data: UnsafeBufferPointer<UInt8>) {
        let (text, _) = TextDecoding.decode(Array(data))
        let path = "Content/participants.csv"
        var diagnostics = Diagnostics()
        let table = CSVTable.parse(
            bytes: Array(data), path: path, required: ["id", "name", "role", "email"], known: csvColumns,
            diagnostics: &diagnostics)
        let lines = lineCount(text)
        checkLocations("csv", diagnostics, path: path, lines: lines, text)
        guard let table else {
            if !diagnostics.hasErrors { fail("csv", "no table and no error", text) }
            return
        }
        if table.delimiter != "," && table.delimiter != ";" { fail("csv", "delimiter \(table.delimiter)", text) }
        var previous = 0
        for row in table.rows {
            if row.line <= previous || row.line > lines { fail("csv", "row line \(row.line) after \(previous) of \(lines)", text) }
            previous = row.line
            for (column, cell) in row.values {
                if cell.count > CSVTable.maxCellCharacters { fail("csv", "kept a cell of \(cell.count) characters", text) }
                if TextChecks.firstControlCharacter(cell) != nil,
                    !diagnostics.all.contains(where: { $0.severity == .error && $0.line == row.line && $0.message.contains("'\(column)'") })
                {
                    fail("csv", "control character in column \(column) at line \(row.line) without an error", text)
                }
            }
        }
        for line in table.unreadableLines where !diagnostics.all.contains(where: { $0.severity == .error }) {
            fail("csv", "unreadable line \(line) without an error", text)
        }
        for row in table.rows where table.unreadableLines.contains(row.line) {
            if row.values.values.contains(where: { !$0.trimmingWhitespace.isEmpty }) {
                fail("csv", "row at line \(row.line) was declared unreadable but has cells", text)
            }
        }
    }
}

// MARK: - Front matter and YAML

extension FuzzTargets {
    /// The input as a Markdown file (`MarkdownSource.parse`: limits, front matter split, YAML) and as a YAML text.
    /// Checks: messages at lines of the file; when `SimpleYAML` (the fast path) reads a text, Yams reads it without
    /// error to the same nodes, texts, styles, lines and columns (the fast path's contract: values and messages never
    /// depend on which reader ran); a front matter that is read is a mapping.
    public static func yaml(_ data: UnsafeBufferPointer<UInt8>) {
        let text = decoded(data)
        let path = "Content/profiles/x.md"
        var diagnostics = Diagnostics()
        let source = MarkdownSource.parse(text, path: path, diagnostics: &diagnostics)
        checkLocations("yaml", diagnostics, path: path, lines: lineCount(text), text)
        if let frontMatter = source.frontMatter, !frontMatter.isMapping, !frontMatter.isNull {
            fail("yaml", "front matter that is not a mapping was accepted", text)
        }
        // The fast path against Yams: on the whole input and on the front matter between the fences.
        checkFastPath(text)
        if text.utf8.starts(with: "---\n".utf8),
            let end = text.range(of: "\n---\n", range: text.utf8.index(text.startIndex, offsetBy: 3)..<text.endIndex)
        {
            let start = text.utf8.index(text.startIndex, offsetBy: 4)
            checkFastPath(end.lowerBound > start ? String(text[start..<end.lowerBound]) + "\n" : "")
        }
    }

    static func checkFastPath(_ text: String) {
        guard let fast = SimpleYAML.parse(text) else { return }
        var diagnostics = Diagnostics()
        guard let full = YAMLDocument.parseWithYams(text, path: "x.yml", diagnostics: &diagnostics) else {
            fail("yaml", "SimpleYAML read a text that Yams refuses: \(diagnostics.all.map(\.description))", text)
        }
        if !diagnostics.all.isEmpty { fail("yaml", "Yams reported \(diagnostics.all.map(\.description))", text) }
        if full.root != fast {
            fail("yaml", "SimpleYAML and Yams disagree:\n  simple: \(fast)\n  yams:   \(full.root)", text)
        }
    }
}

// MARK: - Markdown and the e-mail scrubber

extension FuzzTargets {
    /// A Markdown file through the loader's checks and cmark (`MarkdownSource.parse`, `Markdown.render` in the
    /// languages' typography) and a text through `PublicText.scrub`. Checks: no e-mail address (see
    /// `leakedAddresses`) in the scrubbed text, the HTML, the summary or the plain text; cmark's safe mode leaves no
    /// raw `<script`, `<iframe` or `javascript:` link in the HTML; heading ids are unique.
    public static func markdown(_ data: UnsafeBufferPointer<UInt8>) {
        let text = decoded(data)
        let scrubbed = PublicText.scrub(text)
        if let leak = leakedAddresses(scrubbed).first { fail("markdown", "PublicText.scrub left the address '\(leak)'", text) }

        var diagnostics = Diagnostics()
        let source = MarkdownSource.parse(text, path: "Content/pages/x.md", diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { return }
        let languages = [nil, "de", "fr", "it", "en"]
        let language = languages[(data.first.map(Int.init) ?? 0) % languages.count]
        let rendered = Markdown.render(source.body, language: language)
        for (part, value) in [("html", rendered.html), ("summary", rendered.summary), ("plain text", rendered.plainText)] {
            if let leak = leakedAddresses(value).first { fail("markdown", "the rendered \(part) has the address '\(leak)'", text) }
        }
        let html = rendered.html.lowercased()
        for forbidden in ["<script", "<iframe", "href=\"javascript:", "src=\"javascript:"] where html.contains(forbidden) {
            fail("markdown", "the HTML contains \(forbidden)", text)
        }
        if Set(rendered.headingIDs).count != rendered.headingIDs.count {
            fail("markdown", "heading ids repeat: \(rendered.headingIDs)", text)
        }
    }

    /// E-mail addresses in `text`, as a reader would see them: a word (between white space, quotation marks,
    /// brackets and the characters `EmailAddress.isValid` refuses, read without invisible format characters) with an `@` that
    /// `EmailAddress.isValid` accepts, once sentence punctuation around it is left out, whose domain is a host name
    /// (labels of letters, digits and `-`) ending in a top-level domain of two or more letters (or `xn--…`). `@media`,
    /// `5@3` or `a@b.c` are not addresses; `laura@zürich-medien.ch` is.
    static func leakedAddresses(_ text: String) -> [String] {
        guard text.contains("@") else { return [] }
        let visible = String(String.UnicodeScalarView(text.unicodeScalars.filter { !Markdown.isInvisible($0) }))
        let separators = Set("\"<>()[],;:\\".unicodeScalars)
        var found: [String] = []
        var word = String.UnicodeScalarView()
        func finish() {
            defer { word = String.UnicodeScalarView() }
            guard word.contains("@") else { return }
            let punctuation = Set(".!?'`*_~-".unicodeScalars)
            var scalars = Array(word)
            while let first = scalars.first, punctuation.contains(first) { scalars.removeFirst() }
            while let last = scalars.last, punctuation.contains(last) { scalars.removeLast() }
            let candidate = String(String.UnicodeScalarView(scalars))
            guard EmailAddress.isValid(candidate), let at = candidate.lastIndex(of: "@") else { return }
            let labels = candidate[candidate.index(after: at)...].split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 2,
                labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }),
                let tld = labels.last, (tld.count >= 2 && tld.allSatisfy(\.isLetter)) || tld.lowercased().hasPrefix("xn--")
            else { return }
            found.append(candidate)
        }
        for scalar in visible.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation: finish()
            default:
                if scalar.properties.isWhitespace || separators.contains(scalar) { finish() } else { word.append(scalar) }
            }
        }
        finish()
        return found
    }
}

// MARK: - Templates

extension FuzzTargets {
    /// A context with every kind of value, texts with markup characters among them.
    static let context = TemplateValue.map([
        "title": .text("Tom & Jerry <b>\"quoted\"</b>"), "count": .number(3), "yes": .flag(true), "no": .flag(false),
        "empty": .list([]), "none": .null,
        "items": .list([.map(["name": .text("a<"), "n": .number(1)]), .map(["name": .text("b>"), "n": .number(2)])]),
        "names": .list([.text("x"), .text("y")]), "nested": .map(["deep": .map(["value": .text("&amp;")])]),
        "partialName": .text("item"),
    ])

    /// `Template(text)` as the theme loader calls it, then the template rendered with partials (itself among them).
    /// Checks: a syntax error is at a line and column of the text and has a message; a template that parses renders
    /// (no crash, no endless recursion: a template that includes itself is reported, not entered) into valid UTF-8.
    public static func template(_ data: UnsafeBufferPointer<UInt8>) {
        let text = decoded(data)
        let template: Template
        do {
            template = try Template(text)
        } catch {
            let lines = text.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
            if error.line < 1 || error.line > lines || error.column < 1 {
                fail("template", "syntax error at \(error.line):\(error.column) of \(lines) lines: \(error.message)", text)
            }
            if error.message.isEmpty { fail("template", "syntax error without a message", text) }
            return
        }
        // The input is also the partial `self` and the parent `page`, so `{{>self}}` and `{{<page}}` recurse.
        let item = try! Template("<li>{{name}}</li>")
        let templates = ["self": template, "page": template, "item": item]
        var renderer = TemplateRenderer(templates: templates)
        let bytes = renderer.render(template, context, name: "self")
        guard String(validating: bytes, as: UTF8.self) != nil else { fail("template", "output is not valid UTF-8", text) }
    }
}

// MARK: - MIME

extension FuzzTargets {
    /// The header encoders with the input as a subject, a display name and a Message-ID, and quoted-printable of the
    /// input's bytes. Checks: every header line is printable ASCII, ends with CRLF, continues with a space, is at most
    /// 78 octets when it holds encoded words and 998 at most in any case; the encoded words and quoted strings decode
    /// to the input's text on one line; quoted-printable lines are at most 76 characters and decode to the input.
    public static func mime(_ data: UnsafeBufferPointer<UInt8>) {
        let text = decoded(data)
        let line = MIME.singleLine(text)
        checkHeader(MIME.header("Subject", MIME.unstructured(text)), name: "Subject", expected: line, text)
        checkHeader(
            MIME.header("To", MIME.mailbox(name: text, address: "laura@example.ch")), name: "To", expected: line,
            address: "<laura@example.ch>", text)
        let halves = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
        let id = MIME.messageID(local: String(halves[0]), host: halves.count > 1 ? String(halves[1]) : "example.ch")
        checkHeaderLines(id, name: "Message-ID", text)
        for header in id.split(separator: "\r\n") where header.utf8.count > 78 {
            fail("mime", "Message-ID line of \(header.utf8.count) octets", text)
        }
        checkQuotedPrintable(Array(data))
    }

    /// Syntax of a folded header: `Name:` first, CRLF at the end of every line, a space at the start of every
    /// continuation, printable ASCII only, 998 octets at most, 78 at most with an encoded word.
    static func checkHeaderLines(_ header: String, name: String, _ text: String) {
        guard header.hasPrefix(name + ":"), header.hasSuffix("\r\n") else { fail("mime", "malformed \(name) header", text) }
        let lines = unterminated(header).components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            if !line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { fail("mime", "\(name): not printable ASCII: \(line)", text) }
            if index > 0, !line.hasPrefix(" ") { fail("mime", "\(name): continuation without a space", text) }
            let octets = line.utf8.count
            if octets > 998 || (octets > 78 && line.contains("=?")) { fail("mime", "\(name): line of \(octets) octets", text) }
        }
    }

    /// The header without its final CRLF (one Character in Swift, so not `dropLast(2)`).
    static func unterminated(_ header: String) -> String { String(decoding: header.utf8.dropLast(2), as: UTF8.self) }

    /// `checkHeaderLines`, then the value unfolded and decoded: the text it was made of.
    static func checkHeader(_ header: String, name: String, expected: String, address: String? = nil, _ text: String) {
        checkHeaderLines(header, name: name, text)
        var value = String(unterminated(header).replacingOccurrences(of: "\r\n", with: "").dropFirst(name.count + 1))
        if value.hasPrefix(" ") { value.removeFirst() }
        if let address {
            guard value.hasSuffix(address) else { fail("mime", "\(name): address lost", text) }
            value = String(value.dropLast(address.count))
            if value.hasSuffix(" ") { value.removeLast() }
        }
        let decoded: String
        if value.hasPrefix("=?UTF-8?B?") {
            var bytes: [UInt8] = []
            for word in value.split(separator: " ") {
                guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="), word.utf8.count <= 75,
                    let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
                else { fail("mime", "\(name): malformed encoded word \(word)", text) }
                bytes += data
            }
            guard let string = String(validating: bytes, as: UTF8.self) else { fail("mime", "\(name): words split a character", text) }
            decoded = string
        } else if address != nil, value.hasPrefix("\"") {
            var out = ""
            var escaped = false
            for character in value.dropFirst().dropLast() {
                if !escaped, character == "\\" {
                    escaped = true
                    continue
                }
                escaped = false
                out.append(character)
            }
            decoded = out
        } else {
            decoded = value
        }
        if decoded != expected {
            fail("mime", "\(name) decodes to \(String(reflecting: decoded)), not \(String(reflecting: expected))", text)
        }
    }

    /// Quoted-printable: lines of at most 76 printable ASCII characters (or tab), decoding to the input with its line
    /// breaks (CR, LF, CRLF) as CRLF.
    static func checkQuotedPrintable(_ input: [UInt8]) {
        let encoded = Array(MIME.quotedPrintable(bytes: input).utf8)
        var expected: [UInt8] = []
        var i = 0
        while i < input.count {
            if input[i] == 13 || input[i] == 10 {
                if input[i] == 13, i + 1 < input.count, input[i + 1] == 10 { i += 1 }
                expected += [13, 10]
            } else {
                expected.append(input[i])
            }
            i += 1
        }
        let text = String(decoding: input, as: UTF8.self)
        var decoded: [UInt8] = []
        var lineLength = 0
        i = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            default: return nil
            }
        }
        while i < encoded.count {
            let byte = encoded[i]
            if byte == 13 {
                guard i + 1 < encoded.count, encoded[i + 1] == 10 else { fail("mime", "QP: CR without LF", text) }
                decoded += [13, 10]
                lineLength = 0
                i += 2
                continue
            }
            lineLength += 1
            if lineLength > 76 { fail("mime", "QP: line longer than 76", text) }
            if byte == 61 {
                if i + 2 < encoded.count, encoded[i + 1] == 13, encoded[i + 2] == 10 {
                    lineLength = 0
                    i += 3
                    continue
                }
                guard i + 2 < encoded.count, let high = hex(encoded[i + 1]), let low = hex(encoded[i + 2]) else {
                    fail("mime", "QP: malformed escape", text)
                }
                decoded.append(high << 4 | low)
                lineLength += 2
                if lineLength > 76 { fail("mime", "QP: line longer than 76", text) }
                i += 3
                continue
            }
            if !(byte == 9 || (byte >= 0x20 && byte < 0x7F)) { fail("mime", "QP: byte \(byte) not encoded", text) }
            if (byte == 32 || byte == 9), i + 1 == encoded.count || encoded[i + 1] == 13 {
                fail("mime", "QP: white space at the end of a line", text)
            }
            decoded.append(byte)
            i += 1
        }
        if decoded != expected { fail("mime", "QP does not decode to the input", text) }
    }
}
