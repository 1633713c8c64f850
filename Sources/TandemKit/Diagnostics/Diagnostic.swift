/// How serious a diagnostic is: errors stop the build, warnings do not (unless `--strict`).
public enum Severity: String, Sendable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}

/// One finding about the input, positioned in a file like a compiler message.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Path as the user should see it (relative to the working directory when possible).
    public var path: String
    /// 1-based line, or nil when the finding concerns the whole file.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    public var severity: Severity
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, severity: Severity = .error, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `path:line:column: error: message`, the format editors and CI logs understand.
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(message)"
    }
}

/// Collects diagnostics while a stage runs; stages keep going after an error so a run reports everything at once.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func error(_ path: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        all.append(Diagnostic(path: path, line: line, column: column, severity: .error, message: message))
    }

    public mutating func warning(_ path: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        all.append(Diagnostic(path: path, line: line, column: column, severity: .warning, message: message))
    }

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }

    public mutating func append(contentsOf other: Diagnostics) { all.append(contentsOf: other.all) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Sorted by file, then position, so the same input always prints the same report; exact repeats appear once.
    public var sorted: [Diagnostic] {
        var seen = Set<String>()
        let unique = all.filter { seen.insert($0.description).inserted }
        return unique.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.path != y.path { return x.path < y.path }
            if (x.line ?? 0) != (y.line ?? 0) { return (x.line ?? 0) < (y.line ?? 0) }
            if (x.column ?? 0) != (y.column ?? 0) { return (x.column ?? 0) < (y.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// With `--strict`, every warning counts as an error.
    public func promotingWarnings() -> Diagnostics {
        var copy = self
        copy.all = all.map { var d = $0; d.severity = .error; return d }
        return copy
    }
}

/// Thrown by the pipeline when the input has errors; carries every diagnostic of the run.
public struct BuildFailed: Error, Sendable {
    public let diagnostics: [Diagnostic]
}
