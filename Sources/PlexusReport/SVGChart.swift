import Foundation

/// A small, dependency-free line/scatter chart rendered as inline SVG.
///
/// It draws a title, a framed plot area with light grid lines at "nice" tick values, labelled
/// axes (linear or log), the series, and a legend (to the right, or below for small multiples). The markup is well-formed XML, so
/// it can sit inside XHTML-compatible HTML.
public struct SVGChart: Sendable {
    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [ChartSeries]
    public var width: Double
    public var height: Double
    /// Where the legend goes.
    public var legend: LegendPlacement
    /// Horizontal reference lines drawn dashed across the plot, with a short label each.
    public var referenceLines: [(y: Double, label: String)] = []

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [ChartSeries],
                width: Double = 720, height: Double = 380, legend: LegendPlacement = .right) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.width = width
        self.height = height
        self.legend = legend
    }

    /// Points that can be drawn (finite, and positive on log axes).
    public var pointCount: Int {
        series.reduce(0) { $0 + drawable($1).count }
    }

    private func drawable(_ series: ChartSeries) -> [ChartSeries.Point] {
        series.points.filter { x.accepts($0.x) && y.accepts($0.y) }
    }

    /// Legend positions: to the right of the plot, below it, or none.
    public enum LegendPlacement: Sendable { case right, below, none }

    private var legendWidth: Double {
        guard legend == .right, !series.isEmpty else { return 0 }
        let longest = series.map(\.name.count).max() ?? 0
        return min(210, max(90, Double(longest) * 6.6 + 40))
    }

    /// Offsets of each legend entry in a legend that flows left to right and wraps at `available`.
    private func flowLegend(available: Double) -> [(x: Double, row: Int)] {
        var x = 0.0
        var row = 0
        return series.map { entry in
            let entryWidth = Double(entry.name.count) * 6.6 + 42
            if x > 0 && x + entryWidth > available {
                row += 1
                x = 0
            }
            defer { x += entryWidth }
            return (x, row)
        }
    }

    /// Finds a spot for a point label that does not overlap labels already placed: above right of
    /// the point first, then the other corners, then further down. Returns the text position.
    private func placeLabel(_ label: String, at point: (x: Double, y: Double),
                            avoiding placed: inout [(x0: Double, y0: Double, x1: Double, y1: Double)],
                            plot: (top: Double, right: Double, bottom: Double)) -> (x: Double, y: Double, anchor: String) {
        let textWidth = Double(label.count) * 7.5 + 2
        let textHeight = 13.0
        var candidates: [(dx: Double, dy: Double, end: Bool)] = [(8, -7, false), (8, 15, false), (-8, -7, true), (-8, 15, true)]
        for step in 1...8 {
            candidates.append((8, -7 - Double(step) * 14, false))
            candidates.append((8, 15 + Double(step) * 14, false))
        }
        let preferEnd = point.x + 8 + textWidth > plot.right + 10
        var fallback: (x: Double, y: Double, anchor: String)?
        for candidate in candidates {
            let end = preferEnd ? !candidate.end : candidate.end
            let x = point.x + (end ? -abs(candidate.dx) : abs(candidate.dx))
            let y = point.y + candidate.dy
            let box = (x0: end ? x - textWidth : x, y0: y - textHeight + 2, x1: end ? x : x + textWidth, y1: y + 3)
            let place = (x: x, y: y, anchor: end ? "end" : "start")
            if fallback == nil { fallback = place }
            let overlaps = placed.contains { other in
                box.x0 < other.x1 && other.x0 < box.x1 && box.y0 < other.y1 && other.y0 < box.y1
            }
            if !overlaps && box.y0 >= plot.top - 14 && box.y1 <= plot.bottom + 4 {
                placed.append(box)
                return place
            }
        }
        return fallback!
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let visible = series.map { (series: $0, points: drawable($0)) }
        // Whole-number labels (epochs, workers) are short, so they can sit closer together.
        let xAxis = x.resolve(visible.flatMap { $0.points.map(\.x) }, count: max(3, Int(width / (x.integerTicks ? 60 : 110))))
        let yAxis = y.resolve(visible.flatMap { $0.points.map(\.y) } + referenceLines.map(\.y), count: 5)
        let left = 66.0, top = 34.0, bottom = 50.0, right = 16 + legendWidth
        let plotWidth = width - left - right
        let flow = legend == .below ? flowLegend(available: width - left - 16) : []
        let belowHeight = flow.isEmpty ? 0 : Double((flow.map(\.row).max() ?? 0) + 1) * 17 + 4
        let rightRows = legend == .right ? series.count : 0
        let chartHeight = max(height, 56 + Double(rightRows) * 17) + belowHeight
        let plotHeight = chartHeight - top - bottom - belowHeight
        func px(_ value: Double) -> Double { left + xAxis.fraction(value) * plotWidth }
        func py(_ value: Double) -> Double { top + (1 - yAxis.fraction(value)) * plotHeight }
        let c = Markup.coordinate

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(c(width)) \(c(chartHeight))" \
        width="\(c(width))" height="\(c(chartHeight))" role="img" font-family="Helvetica, Arial, sans-serif" \
        font-size="12"><title>\(Markup.escape(title))</title>
        <rect x="0" y="0" width="\(c(width))" height="\(c(chartHeight))" fill="#ffffff"/>
        <text x="\(c(left))" y="20" font-size="14" font-weight="bold" fill="#222222">\(Markup.escape(title))</text>

        """
        // Grid and ticks.
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            let yy = c(py(tick))
            svg += "<line x1=\"\(c(left))\" y1=\"\(yy)\" x2=\"\(c(left + plotWidth))\" y2=\"\(yy)\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(c(left - 6))\" y=\"\(yy)\" dy=\"4\" text-anchor=\"end\" fill=\"#444444\">\(Markup.escape(label))</text>\n"
        }
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
            let xx = c(px(tick))
            svg += "<line x1=\"\(xx)\" y1=\"\(c(top))\" x2=\"\(xx)\" y2=\"\(c(top + plotHeight))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(xx)\" y=\"\(c(top + plotHeight + 17))\" text-anchor=\"middle\" fill=\"#444444\">\(Markup.escape(label))</text>\n"
        }
        svg += "<rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" fill=\"none\" stroke=\"#888888\"/>\n"
        // Axis labels.
        svg += "<text x=\"\(c(left + plotWidth / 2))\" y=\"\(c(top + plotHeight + 40))\" text-anchor=\"middle\" fill=\"#222222\">\(Markup.escape(x.label))</text>\n"
        svg += "<text transform=\"translate(16 \(c(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#222222\">\(Markup.escape(y.label))</text>\n"
        // Reference lines.
        for line in referenceLines where y.accepts(line.y) {
            let yy = c(py(line.y))
            svg += "<line x1=\"\(c(left))\" y1=\"\(yy)\" x2=\"\(c(left + plotWidth))\" y2=\"\(yy)\" stroke=\"#999999\" stroke-dasharray=\"3 3\"/>"
            svg += "<text x=\"\(c(left + plotWidth - 4))\" y=\"\(yy)\" dy=\"-4\" text-anchor=\"end\" font-size=\"11\" fill=\"#666666\">\(Markup.escape(line.label))</text>\n"
        }
        // Series.
        var placedLabels: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        for (series, points) in visible where !points.isEmpty {
            let stroke = "stroke=\"\(series.colour)\"" + (series.opacity < 1 ? " stroke-opacity=\"\(series.opacity)\"" : "")
            if series.style != .scatter {
                let ordered = points.sorted { $0.x < $1.x }
                let path = ordered.enumerated().map { index, point in
                    (index == 0 ? "M" : "L") + "\(c(px(point.x))) \(c(py(point.y)))"
                }.joined(separator: " ")
                let dash = series.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                svg += "<path d=\"\(path)\" fill=\"none\" \(stroke) stroke-width=\"2\" stroke-linejoin=\"round\"\(dash)/>\n"
            }
            if series.style != .line || points.count == 1 {
                let radius = series.style == .scatter ? 5.0 : 2.8
                for point in points {
                    svg += "<circle cx=\"\(c(px(point.x)))\" cy=\"\(c(py(point.y)))\" r=\"\(c(radius))\" fill=\"\(series.colour)\" fill-opacity=\"\(series.opacity)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
                }
                svg += "\n"
            }
            for point in points {
                guard let label = point.label else { continue }
                let place = placeLabel(label, at: (px(point.x), py(point.y)), avoiding: &placedLabels,
                                       plot: (top, left + plotWidth, top + plotHeight))
                svg += "<text x=\"\(c(place.x))\" y=\"\(c(place.y))\" text-anchor=\"\(place.anchor)\" fill=\"\(series.colour)\" font-weight=\"bold\">\(Markup.escape(label))</text>\n"
            }
        }
        // Legend.
        for (row, entry) in series.enumerated() where legend != .none {
            let (legendX, yy): (Double, Double)
            if legend == .right {
                (legendX, yy) = (left + plotWidth + 14, top + 8 + Double(row) * 17)
            } else {
                (legendX, yy) = (left + flow[row].x, top + plotHeight + 60 + Double(flow[row].row) * 17)
            }
            if entry.style == .scatter {
                svg += "<circle cx=\"\(c(legendX + 10))\" cy=\"\(c(yy))\" r=\"5\" fill=\"\(entry.colour)\"/>"
            } else {
                let dash = entry.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                svg += "<line x1=\"\(c(legendX))\" y1=\"\(c(yy))\" x2=\"\(c(legendX + 22))\" y2=\"\(c(yy))\" stroke=\"\(entry.colour)\" stroke-opacity=\"\(entry.opacity)\" stroke-width=\"2.5\"\(dash)/>"
            }
            svg += "<text x=\"\(c(legendX + 28))\" y=\"\(c(yy))\" dy=\"4\" fill=\"#222222\">\(Markup.escape(entry.name))</text>\n"
        }
        svg += "</svg>"
        return svg
    }
}
