import Foundation
import XCTest

/// Headless Chromium, the real browser the layout tests measure with: a page is loaded (usually a harness with an
/// iframe of the width to test, since headless windows are at least 500 px wide) and its DOM, with what the page's
/// script wrote into it, is read back. Skips with a clear message when Chromium is missing (CI installs it:
/// `make quality-deps`).
struct Chromium {
    let path: String

    static func find() throws -> Chromium {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium not found (Debian: apt-get install chromium, or set CHROMIUM): the layout checks did not run")
        }
        return Chromium(path: path)
    }

    /// The DOM of `page` after its scripts ran, from a throwaway profile; Chromium gets 90 seconds, never more.
    func dumpDOM(_ page: URL, windowSize: (Int, Int) = (800, 1000), arguments: [String] = []) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile.path,
                "--window-size=\(windowSize.0),\(windowSize.1)",
            ] + arguments + ["--dump-dom", page.absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: The site's layout probe

    /// Measures a built page after the fonts are in: overflow, wrapped figures, quote marks, the menu, the font.
    static let script = """
        <script>
        window.addEventListener("load", () => document.fonts.ready.then(() => {
          const result = { overflow: Math.max(0, document.documentElement.scrollWidth - window.innerWidth), wrapped: [], wide: [], quotes: [] };
          for (const e of document.querySelectorAll(".rating dd, .stat dd")) {
            const range = document.createRange(); range.selectNodeContents(e);
            const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
            if (lines.size > 1) result.wrapped.push(e.textContent);
          }
          if (result.overflow > 0) for (const e of document.querySelectorAll("body *")) {
            if (e.getBoundingClientRect().right > window.innerWidth + 1) result.wide.push(e.tagName + "." + e.className);
          }
          for (const q of document.querySelectorAll(".quote blockquote")) {
            result.quotes.push([getComputedStyle(q.firstElementChild, "::before").content, getComputedStyle(q.lastElementChild, "::after").content]);
          }
          const nav = document.querySelector(".site-nav");
          result.menuOpen = !!nav && nav.checkVisibility();
          result.quoteMarks = getComputedStyle(document.body).quotes.replace(/"/g, "");
          result.font = document.fonts.check("16px Inter");
          parent.postMessage(JSON.stringify(result), "*");
        }));
        </script>
        """

    /// What the probe found on `page` at `width` px.
    func probe(_ page: String, width: Int) throws -> [String: Any] {
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let url = URL(fileURLWithPath: page)
        let copy = url.deletingLastPathComponent().appendingPathComponent("probe-\(width)-" + url.lastPathComponent)
        try html.replacingOccurrences(of: "</body>", with: Self.script + "</body>").write(to: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: copy) }
        let harness = url.deletingLastPathComponent().appendingPathComponent("probe-\(width)-harness.html")
        try """
        <!DOCTYPE html><html><body style="margin:0"><iframe src="\(copy.lastPathComponent)" style="width:\(width)px;height:1600px;border:0"></iframe>
        <script>addEventListener("message", e => { const p = document.createElement("pre"); p.id = "probe-result"; p.textContent = e.data; document.body.appendChild(p); });</script>
        </body></html>
        """.write(to: harness, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: harness) }
        let dom = try dumpDOM(
            harness, windowSize: (max(width, 500) + 40, 1700), arguments: ["--hide-scrollbars", "--virtual-time-budget=5000"])
        guard let start = dom.range(of: "<pre id=\"probe-result\">"),
            let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else {
            XCTFail("\(page): Chromium gave no probe result")
            return [:]
        }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(
                of: "&amp;", with: "&")
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
    }
}
