/// Advance widths read from an OpenType/TrueType font (cmap, hmtx), enough to know whether a line fits on a card
/// before librsvg sets it. Every read is bounds-checked: a damaged font gives nil, and widths are then estimated.
struct FontMetrics: Sendable {
    private let bytes: [UInt8]
    private let unitsPerEm: Double
    private let advances: [UInt16]
    /// The cmap subtable (format 4 or 12) and its offset.
    private let cmapFormat: Int
    private let cmapOffset: Int
    /// The advance (font units) of the first `lowScalars` characters, `missing` where the font has no glyph: card
    /// texts are nearly all Latin, and looking each up in the cmap took more time than the rest of a card's layout.
    private var lowAdvances: [UInt16] = []
    private static let lowScalars = 0x800
    private static let missing = UInt16.max

    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(at), let low = u16(at + 2) else { return nil }
            return high << 16 | low
        }
        guard let tables = u16(4), tables < 200 else { return nil }
        var offsets: [String: Int] = [:]
        for i in 0..<tables {
            let record = 12 + 16 * i
            guard record + 16 <= bytes.count, let offset = u32(record + 8) else { return nil }
            offsets[String(decoding: bytes[record..<(record + 4)], as: UTF8.self)] = offset
        }
        guard let head = offsets["head"], let hhea = offsets["hhea"], let hmtx = offsets["hmtx"], let cmap = offsets["cmap"],
            let units = u16(head + 18), units > 0, let metricsCount = u16(hhea + 34), metricsCount > 0,
            hmtx + 4 * metricsCount <= bytes.count, let subtables = u16(cmap + 2)
        else { return nil }
        unitsPerEm = Double(units)
        advances = (0..<metricsCount).map { UInt16(u16(hmtx + 4 * $0) ?? 0) }
        // Prefer the full Unicode map (3,10: format 12), else the BMP map (3,1: format 4).
        var best: (rank: Int, format: Int, offset: Int)?
        for i in 0..<min(subtables, 100) {
            guard let platform = u16(cmap + 4 + 8 * i), let encoding = u16(cmap + 6 + 8 * i), let offset = u32(cmap + 8 + 8 * i),
                let format = u16(cmap + offset)
            else { continue }
            let rank = platform == 3 && encoding == 10 && format == 12 ? 2 : (platform == 3 && encoding == 1 && format == 4 ? 1 : 0)
            if rank > 0, rank > (best?.rank ?? 0) { best = (rank, format, cmap + offset) }
        }
        guard let best else { return nil }
        cmapFormat = best.format
        cmapOffset = best.offset
        lowAdvances = (0..<UInt32(Self.lowScalars)).map { scalar in
            guard let id = glyph(scalar), id > 0 else { return Self.missing }
            return min(advances[min(id, advances.count - 1)], Self.missing - 1)
        }
    }

    private func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
    private func u32(_ at: Int) -> Int? {
        guard let high = u16(at), let low = u16(at + 2) else { return nil }
        return high << 16 | low
    }

    /// The glyph for `scalar`, nil when the font has none.
    private func glyph(_ scalar: UInt32) -> Int? {
        let c = Int(scalar)
        if cmapFormat == 12 {
            guard let groups = u32(cmapOffset + 12) else { return nil }
            var (low, high) = (0, min(groups, 1_000_000) - 1)
            while low <= high {
                let mid = (low + high) / 2
                let at = cmapOffset + 16 + 12 * mid
                guard let start = u32(at), let end = u32(at + 4), let first = u32(at + 8) else { return nil }
                if c < start { high = mid - 1 } else if c > end { low = mid + 1 } else { return first + (c - start) }
            }
            return nil
        }
        guard c <= 0xFFFF, let segX2 = u16(cmapOffset + 6) else { return nil }
        let segments = segX2 / 2
        let ends = cmapOffset + 14
        let starts = ends + segX2 + 2
        let deltas = starts + segX2
        let rangeOffsets = deltas + segX2
        for i in 0..<segments {
            guard let end = u16(ends + 2 * i) else { return nil }
            guard c <= end else { continue }
            guard let start = u16(starts + 2 * i), c >= start, let delta = u16(deltas + 2 * i), let rangeOffset = u16(rangeOffsets + 2 * i)
            else { return nil }
            if rangeOffset == 0 { return (c + delta) & 0xFFFF }
            guard let id = u16(rangeOffsets + 2 * i + rangeOffset + 2 * (c - start)), id != 0 else { return nil }
            return (id + delta) & 0xFFFF
        }
        return nil
    }

    /// The width of `text` at `size` pixels. Characters the font lacks (set from a fallback font) count as one em
    /// when East Asian wide, else 0.6 em.
    func width(_ text: String, size: Double) -> Double {
        var units = 0.0
        for scalar in text.unicodeScalars {
            if scalar.value < Self.lowScalars {
                let advance = lowAdvances[Int(scalar.value)]
                units += advance == Self.missing ? FontMetrics.estimate(scalar) : Double(advance) / unitsPerEm
            } else if let id = glyph(scalar.value), id > 0 {
                units += Double(advances[min(id, advances.count - 1)]) / unitsPerEm
            } else {
                units += FontMetrics.estimate(scalar)
            }
        }
        return units * size
    }

    /// An estimate in em for a character without metrics.
    static func estimate(_ scalar: Unicode.Scalar) -> Double {
        let v = scalar.value
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        let wide =
            (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0x20000...0x3FFFD).contains(v)
        return wide ? 1.0 : 0.6
    }
}

/// A line set on a card: its text (shortened with an ellipsis when needed) and its font size in pixels.
struct FittedText: TemplateContext {
    let text: String
    let size: Int
}

/// Fits one line of text into a box: the largest size from `sizes` at which it fits, else the smallest size with the
/// text shortened and an ellipsis added: after a whole word when that keeps half of the line, else at a
/// character boundary. Widths get 4 % of slack for kerning.
struct TextFitter: Sendable {
    let regular: FontMetrics?
    let bold: FontMetrics?

    func fit(_ text: String, width: Double, sizes: [Int], bold isBold: Bool = false) -> FittedText {
        let clean = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let sizes = sizes.isEmpty ? [32] : sizes
        for size in sizes where measure(clean, Double(size), isBold) <= width {
            return FittedText(text: clean, size: size)
        }
        let size = sizes.last ?? 32
        // Whole words first ("… Region …", the space marking words left out), when that keeps most of the line;
        // else as many letters as fit.
        var words = clean.split(separator: " ")
        while words.count > 1 {
            words.removeLast()
            // Not "… und …": a short lowercase word goes with what follows it.
            if let last = words.last, words.count > 1, last.count <= 4, last.allSatisfy(\.isLowercase) { continue }
            var kept = words.joined(separator: " ")
            while let last = kept.last, last.isPunctuation { kept.removeLast() }
            let candidate = kept + " …"
            if measure(candidate, Double(size), isBold) <= width {
                if measure(kept, Double(size), isBold) >= 0.5 * width { return FittedText(text: candidate, size: size) }
                break
            }
        }
        var characters = Array(clean)
        while !characters.isEmpty {
            characters.removeLast()
            while let last = characters.last, last.isWhitespace || last.isPunctuation { characters.removeLast() }
            let candidate = String(characters) + "…"
            if measure(candidate, Double(size), isBold) <= width { return FittedText(text: candidate, size: size) }
        }
        return FittedText(text: "…", size: size)
    }

    func measure(_ text: String, _ size: Double, _ isBold: Bool) -> Double {
        let metrics = isBold ? (bold ?? regular) : regular
        let raw =
            metrics?.width(text, size: size) ?? text.unicodeScalars.reduce(0) { $0 + FontMetrics.estimate($1) * size * (isBold ? 1.05 : 1) }
        return raw * 1.04
    }
}

/// Text set on up to two lines at one size (a name or an organisation on a card): the lines as they are drawn and
/// the size in pixels.
struct WrappedText: Equatable {
    let lines: [String]
    let size: Int
}

extension TextFitter {
    /// Sets `text` in a box `width` wide on one or two lines (DESIGN.md: names never cut, an ellipsis only as a last
    /// resort):
    /// 1. on one line at the largest of `sizes` at which it fits;
    /// 2. else on two lines at the largest of `wrapSizes` at which both fit, broken after a space (a line does not
    ///    end on a short lowercase word such as "von", "de", "und" when another break fits), else after a hyphen
    ///    of a double name or between two East Asian characters; of the breaks that fit, the most even one;
    /// 3. else at the smallest size with as much as fits on the first line and the rest shortened with "…" on the
    ///    second; a text without any break is shortened on one line.
    func wrap(_ text: String, width: Double, sizes: [Int], wrapSizes: [Int], bold isBold: Bool = false) -> WrappedText {
        let clean = Self.singleSpaced(text)
        // Widths are linear in the size: measured once at 1 px, compared at every size.
        let whole = measure(clean, 1, isBold)
        for size in sizes where whole * Double(size) <= width { return WrappedText(lines: [clean], size: size) }
        let smallest = wrapSizes.last ?? sizes.last ?? 32
        let breaks = Self.breaks(clean).map { candidate in
            (candidate, measure(candidate.first, 1, isBold), measure(candidate.second, 1, isBold))
        }
        for size in wrapSizes {
            let limit = width / Double(size)
            for rank in 0..<3 {
                let fitting = breaks.filter { $0.0.rank == rank && $0.1 <= limit && $0.2 <= limit }
                if let best = fitting.min(by: { (max($0.1, $0.2), $0.0.first.count) < (max($1.1, $1.2), $1.0.first.count) }) {
                    return WrappedText(lines: [best.0.first, best.0.second], size: size)
                }
            }
        }
        // The last resort: the longest first line that fits, the rest shortened.
        let limit = width / Double(smallest)
        if let longest = breaks.filter({ $0.1 <= limit }).max(by: { $0.0.first.count < $1.0.first.count }) {
            let rest = fit(longest.0.second, width: width, sizes: [smallest], bold: isBold)
            return WrappedText(lines: [longest.0.first, rest.text], size: smallest)
        }
        let line = fit(clean, width: width, sizes: [smallest], bold: isBold)
        return WrappedText(lines: [line.text], size: smallest)
    }

    /// `text` with runs of spaces, tabs and line breaks as one space and none at either end; a no-break space stays
    /// (it is where a name must not break). Most texts need nothing: they are returned without being split.
    static func singleSpaced(_ text: String) -> String {
        var clean = true
        var afterSpace = true
        for byte in text.utf8 {
            if byte == 0x20 {
                if afterSpace {
                    clean = false
                    break
                }
                afterSpace = true
            } else if byte < 0x20 {
                clean = false
                break
            } else {
                afterSpace = false
            }
        }
        if clean, !(afterSpace && !text.isEmpty) { return text }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).joined(separator: " ")
    }

    /// A place where a text may go onto a second line, and how good a place it is (0 best).
    struct LineBreak: Equatable {
        let first: String
        let second: String
        let rank: Int
    }

    /// Every place `text` may break: after a space (rank 0; rank 2 when the word before it is a short lowercase
    /// word, a name particle or a conjunction), after a hyphen between letters (rank 1) and between two East Asian
    /// wide characters (rank 1).
    static func breaks(_ text: String) -> [LineBreak] {
        let characters = Array(text)
        var result: [LineBreak] = []
        func wide(_ c: Character) -> Bool { c.unicodeScalars.first.map { FontMetrics.estimate($0) == 1.0 } ?? false }
        for i in characters.indices where i > 0 && i < characters.count - 1 {
            let c = characters[i]
            if c == " " {
                let first = String(characters[..<i])
                let lastWord = first.split(separator: " ").last ?? ""
                let particle = lastWord.count <= 4 && lastWord.allSatisfy(\.isLowercase)
                result.append(LineBreak(first: first, second: String(characters[(i + 1)...]), rank: particle ? 2 : 0))
            } else if c == "-" || c == "\u{2010}", characters[i - 1].isLetter, characters[i + 1].isLetter {
                result.append(LineBreak(first: String(characters[...i]), second: String(characters[(i + 1)...]), rank: 1))
            } else if wide(characters[i - 1]), wide(c) {
                result.append(LineBreak(first: String(characters[..<i]), second: String(characters[i...]), rank: 1))
            }
        }
        return result
    }
}
