import Foundation
import TandemKit
import XCTest

@testable import TandemServe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tandem serve` over HTTP on a free loopback port: pages, types, refusals, live reload, the error overlay.
final class ServeTests: XCTestCase {
    var fixture: ServeFixture!
    var server: PreviewServer?

    override func setUpWithError() throws {
        fixture = try ServeFixture()
    }

    override func tearDown() {
        if let server {
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                await server.stop(grace: 0)
                done.signal()
            }
            done.wait()
            server.finishWriting(timeout: 5)
            server.stopWriting()
        }
        server = nil
        fixture?.cleanUp()
        fixture = nil
    }

    /// Starts a server on a free port and waits for the first build.
    @discardableResult
    func start(write: Bool = true) throws -> PreviewServer {
        let server = PreviewServer(options: ServeOptions(build: fixture.options(), port: 0, writeOutput: write), log: { _ in })
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<Error?>(nil)
        Task.detached {
            do { try await server.start() } catch { failure.write { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = failure.read({ $0 }) { throw error }
        self.server = server
        XCTAssertTrue(eventually(timeout: 15) { server.snapshot != nil }, "first build")
        return server
    }

    func get(_ path: String, method: String = "GET") throws -> RawHTTP.Response {
        try RawHTTP.request(path, method: method, port: server!.port)
    }

    func testServesTheSiteWithTypesAndInjectsOnlyIntoServedPages() throws {
        let server = try start()
        XCTAssertGreaterThan(server.port, 0)
        let home = try get("/")
        XCTAssertEqual(home.status, 200)
        XCTAssertEqual(home.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(home.header("Cache-Control"), "no-store")
        XCTAssertTrue(home.text.contains("/__tandem/events"), "reload script in the served page")
        XCTAssertTrue(home.text.contains("Live Test"))

        let cases: [(String, String)] = [
            ("/participants/index.html", "text/html; charset=utf-8"), ("/theme/style.css", "text/css; charset=utf-8"),
            ("/theme/favicon.svg", "image/svg+xml"), ("/programme.ics", "text/calendar; charset=utf-8"),
            ("/sitemap.xml", "application/xml; charset=utf-8"), ("/robots.txt", "text/plain; charset=utf-8"),
            ("/print/handout.html", "text/html; charset=utf-8"), ("/internal/report.html", "text/html; charset=utf-8"),
        ]
        for (path, type) in cases {
            let response = try get(path)
            XCTAssertEqual(response.status, 200, path)
            XCTAssertEqual(response.header("Content-Type"), type, path)
        }
        let css = try get("/theme/style.css")
        XCTAssertEqual(css.body, Array(try Data(contentsOf: fixture.url("Templates/assets/style.css"))), "copied files as they are")
        XCTAssertFalse(css.text.contains("__tandem"))
        let head = try get("/", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(Int(head.header("Content-Length") ?? ""), home.body.count)

        // Folders answer with their index.html; without the slash they redirect (relative links need it).
        XCTAssertEqual(try get("/participants/").text, try get("/participants/index.html").text)
        let redirect = try get("/participants")
        XCTAssertEqual(redirect.status, 301)
        XCTAssertEqual(redirect.header("Location"), "/participants/")
        XCTAssertEqual(try get("/print").header("Location"), "/print/")
        XCTAssertTrue(try get("/print/").text.contains("handout.html"), "a list of print/")

        // The output folder gets the build, without the script.
        XCTAssertTrue(server.finishWriting(timeout: 10))
        let written = try String(contentsOfFile: fixture.outputPath + "/site/index.html", encoding: .utf8)
        XCTAssertFalse(written.contains("__tandem"))
        XCTAssertTrue(written.contains("Live Test"))
    }

    func testNotFoundNoWayOutAndATakenPort() throws {
        let first = try start(write: false)
        let missing = try get("/gibt-es-nicht.html")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertTrue(missing.text.contains("<base href=\"/\">"), "404.html answers at any depth")
        XCTAssertTrue(missing.text.contains("/__tandem/events"))

        let attempts = [
            "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
            "/theme/..%2f..%2f..%2fetc/passwd",
            "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/participants/%00.html", "/internal/../../etc/passwd", "//etc/passwd",
        ]
        for path in attempts {
            let response = try get(path)
            XCTAssertTrue([400, 404].contains(response.status), "\(path): \(response.status)")
            XCTAssertFalse(response.text.contains("root:"), path)
        }
        XCTAssertEqual(try get("/__tandem/status").header("Content-Type"), "application/json")
        XCTAssertEqual(try get("/", method: "POST").status, 405)

        // A second server on the same port: a clear error.
        let second = PreviewServer(options: ServeOptions(build: fixture.options(), port: first.port, writeOutput: false), log: { _ in })
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<Error?>(nil)
        Task.detached {
            do { try await second.start() } catch { failure.write { $0 = error } }
            done.signal()
        }
        done.wait()
        let error = failure.read { $0 } as? ServeError
        XCTAssertEqual(error, .portInUse(first.port))
        XCTAssertEqual(error?.description, "port \(first.port) is already in use (try --port \(first.port + 1))")
    }

    func testProfileEditReloadsThePageAndABrokenFeedbackFileShowsUntilFixed() throws {
        let server = try start()
        let events = try RawHTTP.EventStream(port: server.port)
        XCTAssertTrue(events.wait(for: "event: hello"), events.received)

        // A profile edit: the page changes, the open page is told to reload, the output folder follows.
        fixture.append("Content/profiles/anna-muster.md", "\nFrisch bearbeitet: LIVEPROBE.\n")
        XCTAssertTrue(try eventually { try get("/participants/anna-muster.html").text.contains("LIVEPROBE") })
        XCTAssertTrue(events.wait(for: "site/participants/anna-muster.html"), events.received)
        XCTAssertTrue(
            eventually {
                (try? String(contentsOfFile: fixture.outputPath + "/site/participants/anna-muster.html", encoding: .utf8))?.contains(
                    "LIVEPROBE") ?? false
            })

        // A broken feedback file: every page shows the error, naming the file, over the last good page.
        let name = "Content/feedback/eva-fritz-mentor.md"
        let original = fixture.read(name)
        fixture.replace(name, "nutzen: 4", with: "nutzen: 9")
        XCTAssertTrue(try eventually { try get("/").text.contains("tandem-serve-overlay") })
        let page = try get("/participants/anna-muster.html").text
        XCTAssertTrue(
            page.contains("/Content/feedback/eva-fritz-mentor.md:7:11: error: &#39;ratings.nutzen&#39; must be between 1 and 5, found 9"),
            page)
        XCTAssertTrue(page.contains("LIVEPROBE"), "the last good page stays underneath")
        XCTAssertTrue(events.wait(for: "\"paths\":null"), "every page reloads to show the overlay")
        XCTAssertEqual(try get("/__tandem/status").text.contains("\"succeeded\":false"), true)
        XCTAssertTrue(server.finishWriting(timeout: 5))
        XCTAssertFalse(try String(contentsOfFile: fixture.outputPath + "/site/index.html", encoding: .utf8).contains("overlay"))

        // Fixed: the overlay goes.
        fixture.write(name, original)
        XCTAssertTrue(try eventually { !(try get("/").text.contains("tandem-serve-overlay")) })
        XCTAssertEqual(server.snapshot?.succeeded, true)
    }

    func testWatchersReportChangedPaths() {
        for mode in ["inotify", "poll"] {
            if mode == "poll" { setenv("TANDEM_WATCH", "poll", 1) }
            defer { unsetenv("TANDEM_WATCH") }
            let seen = Locked(SourceChanges())
            let watcher = FileWatcher(content: fixture.contentPath, templates: fixture.templatesPath, pollInterval: 0.05) { changes in
                seen.write { $0.formUnion(changes) }
            }
            watcher.start()
            defer { watcher.stop() }
            Thread.sleep(forTimeInterval: 0.2)
            fixture.append("Content/profiles/anna-muster.md", "\n\(mode)\n")
            fixture.write("Content/profiles/neu/unbekannt.md", "x")
            fixture.append("Templates/assets/style.css", "\n")
            fixture.write("Templates/site/.hidden.mustache.swp", "x")
            XCTAssertTrue(
                eventually(timeout: 3) {
                    seen.read { $0.content.isSuperset(of: ["profiles/anna-muster.md", "profiles/neu/unbekannt.md"]) && $0.templates.contains("assets/style.css") }
                }, "\(mode): \(seen.read { $0 })")
            XCTAssertFalse(seen.read { $0.templates.contains { $0.contains(".swp") } }, "editor files are not reported")
            fixture.remove("Content/profiles/neu")
        }
    }

    func testRoutes() {
        let files: Set<String> = [
            "site/index.html", "site/a b.html", "site/participants/index.html", "print/handout.html", "internal/report.html",
        ]
        func route(_ path: String, mounts: [String] = Route.mounts) -> Route { Route.resolve(path, mounts: mounts, exists: files.contains) }
        XCTAssertEqual(route("/"), .file("site/index.html"))
        XCTAssertEqual(route("/a%20b.html"), .file("site/a b.html"))
        XCTAssertEqual(route("/participants"), .redirect("/participants/"))
        XCTAssertEqual(route("/participants/"), .file("site/participants/index.html"))
        XCTAssertEqual(route("/print/"), .listing(folder: "print/"))
        XCTAssertEqual(route("/internal/report.html"), .file("internal/report.html"))
        XCTAssertEqual(route("/internal/report.html", mounts: ["print"]), .notFound, "internal/ is not served beyond loopback")
        XCTAssertEqual(route("/nope.html"), .notFound)
        XCTAssertEqual(route("/../etc/passwd"), .badRequest)
        XCTAssertEqual(route("/%2e%2e/etc/passwd"), .badRequest)
        XCTAssertEqual(route("/a%2Fb"), .badRequest)
        XCTAssertEqual(route("relative"), .badRequest)
    }

    func testOverlayAndInjectionEscape() {
        let html = Array("<html><HEAD><title>t</title></head><body><p>x</p></BODY></html>".utf8)
        let injected = String(decoding: PreviewPages.inject(html, snippet: "<i>S</i>", head: "<base href=\"/\">"), as: UTF8.self)
        XCTAssertEqual(injected, "<html><HEAD><base href=\"/\"><title>t</title></head><body><p>x</p><i>S</i></BODY></html>")
        XCTAssertEqual(PreviewPages.escape("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;")
        XCTAssertEqual(PreviewPages.jsString("</script>\u{2028}"), "\"\\u003c/script\\u003e\\u2028\"")

        // A file name is content too: the overlay escapes it. Beyond loopback it shows only the count.
        fixture.write("Content/profiles/<img src=x onerror=alert(1)>.md", "Wer?\n")
        let snapshot = LiveBuild(options: fixture.options()).build()
        let overlay = PreviewPages.overlay(snapshot)
        XCTAssertTrue(overlay.contains("profiles/&lt;img src=x onerror=alert(1)&gt;.md:1: error: profile for unknown participant"), overlay)
        XCTAssertFalse(overlay.contains("<img"))
        XCTAssertFalse(PreviewPages.overlay(snapshot, details: false).contains("onerror"))
    }

    /// The command itself: answers, stops cleanly on Ctrl-C (exit 0), refuses a taken port (exit 1).
    func testCommandLineServeStopsOnInterrupt() throws {
        guard let tandem = Self.executable() else { throw XCTSkip("tandem executable not built") }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = tandem
        process.arguments = [
            "serve", "--content", fixture.contentPath, "--templates", fixture.templatesPath, "--output", fixture.outputPath, "--port",
            String(port),
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        XCTAssertTrue(
            eventually(timeout: 15) { ((try? RawHTTP.request("/", port: port))?.status ?? 0) == 200 }, "answers on 127.0.0.1:\(port)")

        let taken = Process()
        taken.executableURL = tandem
        taken.arguments = [
            "serve", "--content", fixture.contentPath, "--templates", fixture.templatesPath, "--port", String(port), "--no-write",
        ]
        let takenErr = Pipe()
        taken.standardError = takenErr
        taken.standardOutput = Pipe()
        try taken.run()
        taken.waitUntilExit()
        XCTAssertEqual(taken.terminationStatus, 1)
        XCTAssertEqual(
            String(decoding: takenErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            "error: port \(port) is already in use (try --port \(port + 1))\n")

        kill(process.processIdentifier, SIGINT)
        XCTAssertTrue(eventually(timeout: 10) { !process.isRunning }, "stops on SIGINT")
        XCTAssertEqual(process.terminationStatus, 0)
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("Serving \(fixture.contentPath)/ at http://127.0.0.1:\(port)/"), log)
        XCTAssertTrue(log.contains("Stopping"), log)
    }

    static func executable() -> URL? {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("tandem")]
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                candidates.insert(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("tandem"), at: 0)
            }
        #endif
        candidates.append(ServeFixture.packageRoot.appendingPathComponent(".build/debug/tandem"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A port nobody listens on right now (bound to 0 and released).
    static func freePort() throws -> UInt16 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RawHTTP.Failure(description: "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
