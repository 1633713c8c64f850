/// What `tandem --version` prints: the release version, and the git commit the binary was built from.
///
/// `version` is kept here by hand (one place). `commit` stays nil in the repository, so a plain `swift build` from a
/// clone needs no git and no generated file and prints "(unknown commit)"; `make dist` builds from an export of the
/// commit (`git archive`) in which scripts/dist/build.sh writes the commit into this line before compiling.
public enum BuildInfo {
    public static let version = "0.9.0"
    public static let commit: String? = nil

    /// `tandem 0.9.0 (commit 1a2b3c4d5e6f)` or `tandem 0.9.0 (unknown commit)`.
    public static var versionLine: String {
        "tandem \(version) (\(commit.map { "commit " + $0 } ?? "unknown commit"))"
    }
}
