import CRsvg
import Foundation

/// Turns a card's SVG (rendered from the theme's Mustache template) into PNG bytes with librsvg and cairo.
///
/// - The SVG is read from memory with no base URL: librsvg then loads nothing but `data:` URLs, so a card can never
///   read a file of the build machine (photos are handed to the template as `data:` URLs by `ShareRenderer`).
/// - The theme's fonts (`assets/fonts/*.otf|ttf`) are made known to fontconfig once per process, so text is set in
///   the theme's type on any machine; what they lack (e.g. CJK) comes from the system's fonts.
/// - The PNG is written here from cairo's pixels, not by cairo's PNG writer: three quarters of a card's time went
///   into libpng's adaptive row filters and zlib at level 6. Rows unfiltered and zlib at level 1 make the file
///   smaller for these flat-coloured cards (about 88 KB instead of 105 KB) in a fraction of the time (docs/sharing.md).
/// - The PNG carries a `tEXt` chunk `tandem-svg` with a hash of the SVG: the next build into the same output folder
///   reuses a card whose SVG did not change instead of rasterising it again (`CardCache`).
/// - Deterministic: the same SVG gives the same bytes (no time, no path; zlib at a fixed level and settings).
/// - Threads: every card gets its own `RsvgHandle` and cairo surface, used on one thread only. librsvg sets text
///   with Pango's default font map, which Pango keeps per thread, and fontconfig locks its own state, so workers
///   draw cards side by side without a lock (checked by `ShareTests` against one worker's bytes).
enum CardRasterizer {
    /// The PNG `tEXt` keyword that holds the SVG's hash.
    static let hashKeyword = "tandem-svg"
    /// Goes into every card's hash: a new way of drawing or encoding draws every card again.
    static let version = "tandem-card-2"
    /// zlib's level for the cards (1: fastest; 6, cairo's choice, costs twice the time for 10 % fewer bytes).
    static let deflateLevel: Int32 = 1

    /// PNG bytes of `svg` at `width`×`height` pixels, with `hash` stored in the file; nil when librsvg cannot read it.
    static func png(svg: [UInt8], width: Int, height: Int, hash: String) -> [UInt8]? {
        guard width > 0, height > 0, width <= 10_000, height <= 10_000 else { return nil }
        var error: UnsafeMutablePointer<GError>?
        let handle = svg.withUnsafeBufferPointer { buffer in
            rsvg_handle_new_from_data(buffer.baseAddress, gsize(buffer.count), &error)
        }
        if let error { g_error_free(error) }
        guard let handle else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
            cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { return nil }
        // A white page under the card: a card without a background still has no transparent pixels.
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        var viewport = RsvgRectangle(x: 0, y: 0, width: Double(width), height: Double(height))
        var renderError: UnsafeMutablePointer<GError>?
        let drawn = rsvg_handle_render_document(handle, cr, &viewport, &renderError)
        if let renderError { g_error_free(renderError) }
        cairo_destroy(cr)
        guard drawn != 0 else { return nil }
        cairo_surface_flush(surface)
        guard let pixels = cairo_image_surface_get_data(surface) else { return nil }
        return encode(pixels: pixels, stride: Int(cairo_image_surface_get_stride(surface)), width: width, height: height, hash: hash)
    }

    /// A PNG (8-bit RGB, no interlace) of cairo's RGB24 pixels (native-endian 32-bit words `xRGB`): signature, IHDR,
    /// the hash as `tEXt`, one IDAT of the unfiltered rows deflated at `deflateLevel`, IEND.
    static func encode(pixels: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int, hash: String) -> [UInt8]? {
        var stream = z_stream()
        let windowBits: Int32 = 15
        guard
            deflateInit2_(
                &stream, deflateLevel, Z_DEFLATED, windowBits, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        let rowLength = 1 + 3 * width
        let bound = Int(deflateBound(&stream, uLong(rowLength * height)))
        // The IDAT chunk is built in place: 4 bytes length and "IDAT", the deflated rows, then its CRC.
        var idat = [UInt8](repeating: 0, count: 8 + bound + 4)
        var row = [UInt8](repeating: 0, count: rowLength)
        var written = 0
        let ok = idat.withUnsafeMutableBufferPointer { out -> Bool in
            row.withUnsafeMutableBufferPointer { line -> Bool in
                guard let outBase = out.baseAddress, let lineBase = line.baseAddress else { return false }
                stream.next_out = outBase + 8
                stream.avail_out = uInt(bound)
                for y in 0..<height {
                    // Filter type 0 (None), then R, G, B of each pixel.
                    let source = UnsafeRawPointer(pixels + y * stride).assumingMemoryBound(to: UInt32.self)
                    var at = 1
                    for x in 0..<width {
                        let pixel = source[x]
                        lineBase[at] = UInt8(truncatingIfNeeded: pixel >> 16)
                        lineBase[at + 1] = UInt8(truncatingIfNeeded: pixel >> 8)
                        lineBase[at + 2] = UInt8(truncatingIfNeeded: pixel)
                        at += 3
                    }
                    stream.next_in = lineBase
                    stream.avail_in = uInt(rowLength)
                    let flush = y == height - 1 ? Z_FINISH : Z_NO_FLUSH
                    let status = deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END, stream.avail_in == 0 else { return false }
                    if flush == Z_FINISH, status != Z_STREAM_END { return false }
                }
                written = Int(stream.total_out)
                return true
            }
        }
        guard ok else { return nil }
        idat.removeSubrange((8 + written + 4)...)
        idat.replaceSubrange(0..<8, with: bigEndian(UInt32(written)) + Array("IDAT".utf8))
        let crc = idat.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { crc32(0, $0 + 4, uInt(4 + written)) } ?? 0 }
        idat.replaceSubrange((8 + written)..<(8 + written + 4), with: bigEndian(UInt32(truncatingIfNeeded: crc)))

        var png = signature
        png.reserveCapacity(idat.count + 120)
        png += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
        png += chunk("tEXt", Array(hashKeyword.utf8) + [0] + Array(hash.utf8))
        png += idat
        png += chunk("IEND", [])
        return png
    }

    /// A PNG chunk: length, type, data, CRC of type and data.
    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(CRC32.checksum(body))
    }

    // MARK: The hash inside the PNG

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Signature (8) and the IHDR chunk (4 length, 4 type, 13 data, 4 CRC): where the hash chunk goes.
    private static let headerLength = 33

    /// The hash a PNG written by `png(svg:…)` carries, read from the first bytes of the file; nil for any other file.
    static func storedHash(_ prefix: [UInt8]) -> String? {
        let start = headerLength
        guard prefix.count > start + 8, Array(prefix[0..<8]) == signature else { return nil }
        let length = Int(prefix[start]) << 24 | Int(prefix[start + 1]) << 16 | Int(prefix[start + 2]) << 8 | Int(prefix[start + 3])
        guard Array(prefix[(start + 4)..<(start + 8)]) == Array("tEXt".utf8), length < 200, prefix.count >= start + 8 + length
        else { return nil }
        let data = prefix[(start + 8)..<(start + 8 + length)]
        let keyword = Array(hashKeyword.utf8) + [0]
        guard data.count > keyword.count, Array(data.prefix(keyword.count)) == keyword else { return nil }
        return String(decoding: data.dropFirst(keyword.count), as: UTF8.self)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    // MARK: Fonts

    private static let fontLock = NSLock()
    nonisolated(unsafe) private static var registered: Set<String> = []
    nonisolated(unsafe) private static var fontFolder: String?

    /// Makes the theme's fonts (`assets/fonts/*.otf|ttf`) known to fontconfig, once per distinct font file per process.
    /// fontconfig needs files: they are written to a private folder (mkdtemp, mode 0700) removed when the process ends.
    static func registerFonts(_ fonts: [(name: String, bytes: [UInt8])]) {
        fontLock.lock()
        defer { fontLock.unlock() }
        for font in fonts {
            let key = font.name + ":" + String(CardHash.of(font.bytes))
            guard !registered.contains(key) else { continue }
            registered.insert(key)
            guard let folder = privateFontFolder() else { return }
            let path = folder + "/" + String(registered.count) + "-" + (font.name.split(separator: "/").last.map(String.init) ?? "font")
            guard FileIO.write(path, font.bytes) == nil else { continue }
            _ = path.withCString { FcConfigAppFontAddFile(nil, $0) }
        }
    }

    private static func privateFontFolder() -> String? {
        if let fontFolder { return fontFolder }
        var template = Array((NSTemporaryDirectory() + "/tandem-fonts-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return nil }
        let folder = String(cString: made)
        fontFolder = folder
        atexit {
            guard let folder = CardRasterizer.fontFolder else { return }
            if let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
                for name in names { unlink(folder + "/" + name) }
            }
            rmdir(folder)
        }
        return folder
    }
}

/// A 128-bit content hash (two FNV-1a lanes) in hex: the key that says whether a card must be rasterised again.
enum CardHash {
    static func of(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte ^ 0x5A)) &* 0x100_0000_01b3
            b = b ^ (b >> 29)
        }
        a ^= UInt64(bytes.count)
        return hex(a) + hex(b)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// CRC-32 (ISO-HDLC, as PNG uses it).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
