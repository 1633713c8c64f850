import Foundation
import TandemKit

/// What `tandem serve` adds to the HTML it serves (never to the files written to the output folder): the live-reload
/// script and, while the latest rebuild has errors, an overlay listing them. Every text from a diagnostic is escaped.
enum PreviewPages {
    /// The event stream the reload script listens to.
    static let eventsPath = "/__tandem/events"
    static let statusPath = "/__tandem/status"

    /// `& < > " '` as entities, for HTML text and attribute values.
    static func escape(_ text: String) -> String { Escape.html(text) }

    /// A JSON string literal that is also safe inside a `<script>` element (`<`, `>`, `&` and line separators escaped).
    static func jsString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// The reload script for a page: it reloads when a rebuild changed `page` (an output path; "" for any change),
    /// when the overlay has to appear or go, and after `tandem serve` was restarted.
    static func reloadScript(instance: String, generation: Int, page: String) -> String {
        """
        <script data-tandem-serve>
        (function () {
          var me = { instance: \(jsString(instance)), generation: \(generation), page: \(jsString(page)) };
          if (!window.EventSource) return;
          var source = new EventSource(\(jsString(eventsPath)));
          source.addEventListener("hello", function (event) {
            var state = JSON.parse(event.data);
            if (state.instance !== me.instance || state.generation !== me.generation) location.reload();
          });
          source.addEventListener("reload", function (event) {
            var change = JSON.parse(event.data);
            if (change.paths === null || me.page === "" || change.paths.indexOf(me.page) >= 0) { location.reload(); return; }
            me.generation = change.generation;
          });
        })();
        </script>

        """
    }

    /// The error list shown over every page while the latest rebuild failed. Without `details` (a preview other
    /// machines can see) only the count: a message may quote a cell of the roster, such as an e-mail address.
    static func overlay(_ snapshot: LiveSnapshot, details: Bool = true) -> String {
        let errors = snapshot.errors
        guard !errors.isEmpty else { return "" }
        let shown = errors.prefix(details ? 50 : 0)
        var items = ""
        for diagnostic in shown { items += "<li>\(escape(diagnostic.description))</li>\n" }
        if errors.count > shown.count {
            items += "<li>\(shown.isEmpty ? "" : "… and ")\(errors.count - shown.count) more: see the terminal</li>\n"
        }
        let count = "\(errors.count) error\(errors.count == 1 ? "" : "s")"
        let note =
            snapshot.hasOutput
            ? "The page below is the last successful build. Fix the file and save: the page reloads by itself."
            : "Nothing was built yet. Fix the file and save: the page reloads by itself."
        return """
            <div id="tandem-serve-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.72);font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;text-align:left">
            <div style="max-width:62rem;margin:2.5rem auto;padding:1.25rem 1.5rem;background:#fff;border-top:6px solid #c62828;border-radius:6px;box-shadow:0 8px 32px rgba(0,0,0,.35)">
            <button type="button" onclick="this.parentNode.parentNode.remove()" aria-label="Close" style="float:right;font-size:1.4rem;line-height:1;border:0;background:none;cursor:pointer">×</button>
            <p style="margin:0 0 .5rem;font-size:1.15rem;font-weight:700;color:#c62828">Build failed: \(count)</p>
            <p style="margin:0 0 1rem;color:#555">\(escape(note))</p>
            <ol style="margin:0;padding-left:1.5rem;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word">
            \(items)</ol>
            </div>
            </div>

            """
    }

    /// A whole page: shown while the first build runs, or when it failed.
    static func statusPage(title: String, message: String, snapshot: LiveSnapshot?, instance: String, details: Bool = true) -> [UInt8] {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(title))</title></head>
            <body style="font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem">
            <h1 style="font-size:1.4rem">\(escape(title))</h1>
            <p>\(escape(message))</p>

            """
        if let snapshot { html += overlay(snapshot, details: details) }
        html += reloadScript(instance: instance, generation: snapshot?.generation ?? 0, page: "")
        html += "</body>\n</html>\n"
        return Array(html.utf8)
    }

    /// A plain list of the files in a served folder without index.html (print/, internal/, mail/).
    static func listing(folder: String, urlPrefix: String, paths: [String]) -> [UInt8] {
        var items = ""
        for path in paths {
            let relative = String(path.dropFirst(folder.count))
            let href = relative.split(separator: "/").map { segment in
                String(segment).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
                    ?? ""
            }.joined(separator: "/")
            items += "<li><a href=\"\(escape(urlPrefix + href))\">\(escape(relative))</a></li>\n"
        }
        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(folder))</title></head>
            <body style="font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:50rem;padding:0 1rem">
            <h1 style="font-size:1.3rem">\(escape(folder))</h1>
            <ul>
            \(items)</ul>
            </body>
            </html>

            """
        return Array(html.utf8)
    }

    /// `snippet` before the last `</body>` (or at the end), and `head` right after the first `<head>`.
    static func inject(_ html: [UInt8], snippet: String, head: String = "") -> [UInt8] {
        var result = html
        if let close = lastIndex(of: Array("</body".utf8), in: result) {
            result.insert(contentsOf: Array(snippet.utf8), at: close)
        } else {
            result.append(contentsOf: Array(snippet.utf8))
        }
        if !head.isEmpty, let open = firstIndex(of: Array("<head".utf8), in: result),
            let end = result[open...].firstIndex(of: UInt8(ascii: ">"))
        {
            result.insert(contentsOf: Array(head.utf8), at: end + 1)
        }
        return result
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    private static func matches(_ needle: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + needle.count <= bytes.count else { return false }
        for (offset, byte) in needle.enumerated() where lower(bytes[index + offset]) != byte { return false }
        return true
    }

    static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = bytes.count - needle.count
        while index >= 0 {
            if matches(needle, in: bytes, at: index) { return index }
            index -= 1
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for index in 0...(bytes.count - needle.count) where matches(needle, in: bytes, at: index) { return index }
        return nil
    }
}

/// Content types by file extension (lowercase); text types carry `charset=utf-8`, which is what Tandem writes.
enum ContentTypes {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8", "ics": "text/calendar; charset=utf-8",
        // mail/: shown as text so the raw message can be read in the browser.
        "eml": "text/plain; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
        "pdf": "application/pdf", "zip": "application/zip",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "wav": "audio/wav",
        "mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime",
        "vtt": "text/vtt; charset=utf-8", "webmanifest": "application/manifest+json",
    ]

    static func of(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }

    static func isHTML(_ path: String) -> Bool { of(path).hasPrefix("text/html") }
}
