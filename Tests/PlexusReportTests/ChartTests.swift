import Testing
@testable import PlexusReport

@Suite("SVG chart helper")
struct ChartTests {
    @Test("nice steps are 1, 2, 2.5 or 5 times a power of ten")
    func niceSteps() {
        #expect(ChartAxis.niceStep(range: 10, count: 5) == 2)
        #expect(ChartAxis.niceStep(range: 0.08, count: 5) == 0.02)
        #expect(ChartAxis.niceStep(range: 1200, count: 5) == 250)
        #expect(ChartAxis.niceStep(range: 3, count: 5, integer: true) == 1)
        #expect(ChartAxis.niceStep(range: 12, count: 5, integer: true) == 2)
    }

    @Test("a linear axis widens to nice bounds and labels every tick")
    func linearAxis() {
        let axis = ChartAxis("accuracy (%)").resolve([83.2, 88.7])
        #expect(axis.lower == 82)
        #expect(axis.upper == 90)
        #expect(axis.ticks == [82, 84, 86, 88, 90])
        #expect(axis.labels == ["82", "84", "86", "88", "90"])
        #expect(axis.fraction(86) == 0.5)
        let fine = ChartAxis("cosine").resolve([0.91, 0.99])
        #expect(fine.labels == ["0.90", "0.92", "0.94", "0.96", "0.98", "1.00"])
        let large = ChartAxis("bytes", includeZero: true).resolve([2_150_400, 17_203_200])
        #expect(large.lower == 0)
        #expect(large.labels.first == "0")
        #expect(large.labels.last?.hasSuffix("M") == true)
        let flat = ChartAxis("x").resolve([5, 5])
        #expect(flat.lower < 5 && flat.upper > 5)
    }

    @Test("a log axis spans whole decades and drops values it cannot show")
    func logAxis() {
        let axis = ChartAxis("T", scale: .log).resolve([1, 100, 0, -3])
        #expect(axis.lower == 1)
        #expect(axis.upper == 100)
        #expect(axis.ticks == [1, 2, 5, 10, 20, 50, 100])
        #expect(abs(axis.fraction(10) - 0.5) < 1e-12)
        let tiny = ChartAxis("diff", scale: .log).resolve([1e-16, 1e-5])
        #expect(tiny.labels.first == "1e-16")
        let chart = SVGChart(title: "t", x: ChartAxis("x", scale: .log), y: ChartAxis("y"),
                             series: [ChartSeries(name: "s", colour: "#000", xy: [(0, 1), (1, 2), (10, 3)])])
        #expect(chart.pointCount == 2)
    }

    @Test("the chart has a title, axis labels, ticks, a legend and escaped text")
    func rendering() {
        let chart = SVGChart(title: "A & B", x: ChartAxis("epoch"), y: ChartAxis("accuracy (%)"),
                             series: [ChartSeries(name: "il <PC>", colour: "#0072b2", xy: [(1, 80), (2, 85)]),
                                      ChartSeries(name: "bp", colour: "#000000", xy: [(1, 82), (2, 88)], style: .scatter)])
        let svg = chart.render()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("<title>A &amp; B</title>"))
        #expect(svg.contains(">epoch</text>"))
        #expect(svg.contains(">accuracy (%)</text>"))
        #expect(svg.contains(">il &lt;PC&gt;</text>"))
        #expect(svg.components(separatedBy: "<path").count - 1 == 1)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 + 2 + 1)   // markers + scatter + legend dot
        #expect(chart.pointCount == 4)
    }
}
