import Foundation

/// Geometry for the report's inline SVG charts. Tandem computes positions here; the markup lives in the theme
/// (Templates/internal/chart-*.mustache), so every label still goes through Mustache's escaping.
/// Coordinates are written with fixed decimals (no floating-point formatting of the machine), so builds are byte-identical.
enum Charts {
    /// One bar: a label, its value and how the value reads (`value_text`), plus a tooltip/alternative text.
    struct Bar {
        var label: String
        var sublabel: String = ""
        var value: Int
        var valueText: String
        var tip: String
    }

    /// Vertical columns (meetings per month). `id` must be unique in the page.
    static func columns(id: String, title: String, description: String, bars: [Bar]) -> ColumnChart {
        let height = 210.0, top = 22.0, bottom = 40.0, gap = 8.0
        let slot = max(30.0, min(96.0, 760.0 / Double(max(1, bars.count))))
        let width = slot * Double(bars.count) + 12
        let plot = height - top - bottom
        let maximum = Double(max(1, bars.map(\.value).max() ?? 1))
        let items = bars.enumerated().map { index, bar in
            let h = bar.value == 0 ? 0 : max(1.5, plot * Double(bar.value) / maximum)
            let x = 6 + slot * Double(index) + gap / 2
            let w = slot - gap
            let y = top + plot - h
            return ColumnBar(
                x: fixed(x), y: fixed(y), w: fixed(w), h: fixed(h), cx: fixed(x + w / 2), value_y: fixed(y - 5),
                label_y: fixed(top + plot + 15), sublabel_y: fixed(top + plot + 30), label: bar.label,
                sublabel: bar.sublabel.isEmpty ? nil : bar.sublabel, value_text: bar.valueText, tip: bar.tip, zero: bar.value == 0)
        }
        return ColumnChart(
            id: id, title: title, description: description, bars: items, width: fixed(width), height: fixed(height),
            baseline_y: fixed(top + plot), baseline_x2: fixed(width - 6))
    }

    /// Horizontal bars with their labels on the left (formats, topics). Labels longer than fits are shortened with "…";
    /// the full label stays in the bar's `<title>` and in the table beside the chart.
    static func bars(id: String, title: String, description: String, bars: [Bar]) -> BarChart {
        let row = 24.0, labelWidth = 190.0, barArea = 330.0, valueWidth = 60.0
        let width = labelWidth + barArea + valueWidth
        let maximum = Double(max(1, bars.map(\.value).max() ?? 1))
        let items = bars.enumerated().map { index, bar in
            let y = 4 + row * Double(index)
            let w = bar.value == 0 ? 0 : max(1.5, barArea * Double(bar.value) / maximum)
            return BarItem(
                y: fixed(y), h: fixed(row - 8), w: fixed(w), x: fixed(labelWidth), text_y: fixed(y + row / 2 + 0.5),
                label_x: fixed(labelWidth - 8), value_x: fixed(labelWidth + w + 6), label: shortened(bar.label, to: 28),
                value_text: bar.valueText, tip: bar.tip)
        }
        return BarChart(
            id: id, title: title, description: description, bars: items, width: fixed(width),
            height: fixed(8 + row * Double(bars.count)), axis_x: fixed(labelWidth))
    }

    /// A small histogram of a rating distribution (counts per value 1...scale), for a feedback cell.
    static func histogram(id: String, title: String, description: String, counts: [Int], valueLabels: [String]) -> HistogramChart {
        let slot = counts.count <= 7 ? 26.0 : max(8.0, 182.0 / Double(counts.count))
        let height = 74.0, top = 14.0, bottom = 16.0
        let plot = height - top - bottom
        let maximum = Double(max(1, counts.max() ?? 1))
        let showLabels = counts.count <= 10
        let items = counts.enumerated().map { index, count in
            let h = count == 0 ? 0 : max(1.5, plot * Double(count) / maximum)
            let x = 2 + slot * Double(index) + 2
            let w = slot - 4
            return HistogramBar(
                x: fixed(x), y: fixed(top + plot - h), w: fixed(w), h: fixed(h), cx: fixed(x + w / 2),
                value_y: fixed(top + plot - h - 3), label_y: fixed(height - 3), count: String(count),
                label: index < valueLabels.count ? valueLabels[index] : String(index + 1), show_text: showLabels, zero: count == 0)
        }
        let width = 4 + slot * Double(counts.count)
        return HistogramChart(
            id: id, title: title, description: description, bars: items, width: fixed(width), height: fixed(height),
            baseline_y: fixed(top + plot), baseline_x2: fixed(width - 2))
    }

    /// `value` with one decimal, rounded half away from zero, always with a point (SVG syntax).
    static func fixed(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded(.toNearestOrAwayFromZero))
        let sign = tenths < 0 ? "-" : ""
        return sign + String(abs(tenths) / 10) + "." + String(abs(tenths) % 10)
    }

    static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
