#if canImport(Glibc)
    import Glibc
#endif

/// How the process's allocator is set up for a build.
public enum Memory {
    /// Large blocks (a page's bytes while it grows, the handout, the report) are mapped on their own and go back to
    /// the system when freed. glibc's default raises this threshold to the largest block freed so far (up to 32 MB),
    /// so after the first large page every later one was carved from the heap, which then kept its size: at 10,000
    /// participants the build's peak was 10 to 20 MB higher. Call once, before the first build.
    public static func mapLargeBlocks() {
        #if os(Linux)
            // M_MMAP_THRESHOLD (malloc.h, which the Glibc module does not export); a fixed value also ends the raising.
            _ = mallopt?(-3, 256 * 1024)
        #endif
    }

    #if os(Linux)
        private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        private static let mallopt: Mallopt? = dlsym(nil, "mallopt").map { unsafeBitCast($0, to: Mallopt.self) }
    #endif
}
