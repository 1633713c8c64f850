import CQrencode
import Foundation

/// A QR code (libqrencode, error correction M) drawn as inline SVG for print: one `<path>` of dark modules with a
/// quiet zone of four modules, sized in millimetres so it stays sharp at any resolution and scans from arm's length.
struct QRCode: TemplateContext {
    /// The `<svg>` element; used with `{{{qr.svg}}}` (the URL is the only text in it, and it is escaped).
    let svg: String
    /// The URL it encodes, the same as the one printed beside it.
    let url: String
    /// The side in millimetres, quiet zone included.
    let size_mm: Int

    /// Quiet zone in modules (ISO/IEC 18004 asks for four).
    static let quietZone = 4
    /// At least 20 mm of code (quiet zone excluded) on paper; the whole symbol is printed at `size` mm.
    static let defaultSize = 28

    /// The code for `url`, nil when libqrencode cannot encode it (too long or empty).
    init?(url: String, sizeMM: Int = QRCode.defaultSize) {
        guard !url.isEmpty, url.utf8.count < 2000, !url.utf8.contains(0) else { return nil }
        guard let code = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        let side = width + 2 * Self.quietZone
        // One rectangle run per row of adjacent dark modules keeps the path short. Written as bytes: formatting
        // each number through string interpolation took longer than libqrencode's encoding.
        var path: [UInt8] = []
        path.reserveCapacity(width * width)
        func number(_ value: Int) {
            if value >= 10 { number(value / 10) }
            path.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        for y in 0..<width {
            var x = 0
            while x < width {
                guard data[y * width + x] & 1 == 1 else {
                    x += 1
                    continue
                }
                var run = 1
                while x + run < width, data[y * width + x + run] & 1 == 1 { run += 1 }
                path.append(UInt8(ascii: "M"))
                number(x + Self.quietZone)
                path.append(UInt8(ascii: " "))
                number(y + Self.quietZone)
                path.append(UInt8(ascii: "h"))
                number(run)
                path.append(contentsOf: "v1h-".utf8)
                number(run)
                path.append(UInt8(ascii: "z"))
                x += run
            }
        }
        svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"\(sizeMM)mm\" height=\"\(sizeMM)mm\" "
            + "viewBox=\"0 0 \(side) \(side)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(Escape.html(url))\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(String(decoding: path, as: UTF8.self))\"/></svg>"
        self.url = url
        size_mm = sizeMM
    }
}
