import Foundation

/// Figures about inference: (c) IL's alignment as a function of T, with the Z-IL check, and
/// (d) energy trajectories.
extension FigureBuilder {
    // MARK: (c) IL sweep and Z-IL

    func ilSweep() -> ReportFigure {
        // Largest precision first: the legend reads in the direction in which IL approaches BP.
        let precisions = Array(Set(sweeps.map { $0.outputPrecision ?? .nan }.map { $0.isNaN ? -1 : $0 })).sorted(by: >)
        let series = precisions.enumerated().map { index, precision -> ChartSeries in
            let matching = sweeps.filter { ($0.outputPrecision ?? -1) == precision }
            let bySteps = Dictionary(grouping: matching, by: \.steps)
            let points = bySteps.keys.sorted().map { steps in
                let values = bySteps[steps]!.map(\.cosine)
                return (steps, values.reduce(0, +) / Double(values.count))
            }
            let name = precision < 0 ? "output precision not given" : "output precision \(NumberFormat.compact(precision))"
            return ChartSeries(name: name, colour: RuleCatalog.palette[index % RuleCatalog.palette.count], xy: points)
        }
        let steps = sweeps.map(\.steps)
        let useLog = (steps.min() ?? 0) > 0 && (steps.max() ?? 0) / (steps.min() ?? 1) >= 8
        let stepsAxis = ChartAxis("inference steps T" + (useLog ? " (log scale)" : ""), scale: useLog ? .log : .linear,
                                  domain: useLog ? (steps.min() ?? 1)...(steps.max() ?? 10) : nil, integerTicks: !useLog)
        var chart = SVGChart(title: "IL alignment with BP vs inference steps", x: stepsAxis,
                             y: ChartAxis("mean cosine with BP gradient"), series: series,
                             width: 560, height: 360, legend: .below)
        chart.referenceLines = [(1, "BP (cosine 1)")]
        // The same data as a distance from BP on a log scale, which separates the curves near 1.
        let distance = series.map { s in
            ChartSeries(name: s.name, colour: s.colour, points: s.points.map { .init(x: $0.x, y: 1 - $0.y) },
                        style: s.style, dash: s.dash, opacity: s.opacity)
        }
        let distanceChart = SVGChart(title: "IL distance from BP vs inference steps", x: stepsAxis,
                                     y: ChartAxis("1 − mean cosine with BP gradient (log scale)", scale: .log),
                                     series: distance, width: 560, height: 360, legend: .below)
        let bars = zilBars()
        let sweepTable = CSVTable(
            name: "il_sweep.csv", columns: ["steps", "output_precision", "cosine", "layer_cosines"],
            rows: sweeps.map { sweep in
                [NumberFormat.csv(sweep.steps), NumberFormat.csv(sweep.outputPrecision), NumberFormat.csv(sweep.cosine),
                 sweep.layers.map { NumberFormat.csv($0.cosine) }.joined(separator: ";")]
            })
        let zilTable = CSVTable(
            name: "zil_check.csv", columns: ["precision", "depth", "max_rel_diff", "tolerance", "pass"],
            rows: zilChecks.map { check in
                [check.precision, check.depth.map(String.init) ?? "", NumberFormat.csv(check.maxRelativeDifference),
                 NumberFormat.csv(check.tolerance), check.passes.map { $0 ? "true" : "false" } ?? ""]
            })
        var extra = bars
        if sweeps.isEmpty && !zilChecks.isEmpty {
            extra = "<p class=\"nodata\">No \"il_sweep\" records in these logs; only the Z-IL check is shown.</p>\n" + bars
        } else if !sweeps.isEmpty && zilChecks.isEmpty {
            extra = "<p class=\"note\">No \"zil_check\" records in these logs.</p>"
        }
        return figure(id: "fig-il-sweep", heading: "(c) How inference learning approaches backprop",
                      caption: "IL's mean per-layer cosine with the BP gradient on one held-out batch as the number of inference steps T grows, one line per output-layer precision π_L (left), and the same as a distance 1 − cosine on a log scale (right): the smaller π_L, the closer IL comes to BP. The bars give Z-IL's largest relative difference from BP's gradients against the rounding tolerance (1e-12 in f64, 1e-5 in f32).",
                      charts: sweeps.isEmpty ? [] : [chart, distanceChart],
                      needs: "\"il_sweep\" or \"zil_check\" records", tables: [sweepTable, zilTable],
                      extra: extra, extraPoints: zilChecks.count)
    }

    /// Horizontal bars on a log axis, one per Z-IL check, with the tolerance marked on each row.
    func zilBars() -> String {
        guard !zilChecks.isEmpty else { return "" }
        let floor = 1e-17
        let values = zilChecks.map { max($0.maxRelativeDifference, floor) }
        let axis = ChartAxis("largest relative difference from BP (log scale)", scale: .log)
            .resolve(values + zilChecks.compactMap(\.tolerance) + [1e-16])
        let c = Markup.coordinate
        let width = 640.0, left = 130.0, right = 150.0, rowHeight = 28.0, top = 34.0
        let plotWidth = width - left - right
        let height = top + rowHeight * Double(zilChecks.count) + 46
        func px(_ value: Double) -> Double { left + axis.fraction(value) * plotWidth }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(c(width)) \(c(height))" width="\(c(width))" \
        height="\(c(height))" role="img" font-family="Helvetica, Arial, sans-serif" font-size="12">\
        <title>Z-IL versus BP</title>
        <rect x="0" y="0" width="\(c(width))" height="\(c(height))" fill="#ffffff"/>
        <text x="\(c(left))" y="20" font-size="14" font-weight="bold" fill="#222222">Z-IL versus BP: largest relative difference</text>

        """
        let bottom = top + rowHeight * Double(zilChecks.count)
        for (tick, label) in zip(axis.ticks, axis.labels) {
            let xx = c(px(tick))
            svg += "<line x1=\"\(xx)\" y1=\"\(c(top))\" x2=\"\(xx)\" y2=\"\(c(bottom))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(xx)\" y=\"\(c(bottom + 16))\" text-anchor=\"middle\" fill=\"#444444\">\(Markup.escape(label))</text>\n"
        }
        for (row, check) in zilChecks.enumerated() {
            let y = top + Double(row) * rowHeight
            let value = max(check.maxRelativeDifference, floor)
            let end = px(value)
            let colour = check.passes == false ? "#d55e00" : "#009e73"
            let name = check.precision + (check.depth.map { ", depth \($0)" } ?? "")
            svg += "<text x=\"\(c(left - 8))\" y=\"\(c(y + rowHeight / 2))\" dy=\"4\" text-anchor=\"end\" fill=\"#222222\">\(Markup.escape(name))</text>"
            svg += "<path d=\"M\(c(left)) \(c(y + 5)) H\(c(max(end, left + 2))) V\(c(y + rowHeight - 5)) H\(c(left)) Z\" fill=\"\(colour)\"/>"
            if let tolerance = check.tolerance {
                let xx = c(px(tolerance))
                svg += "<line x1=\"\(xx)\" y1=\"\(c(y + 2))\" x2=\"\(xx)\" y2=\"\(c(y + rowHeight - 2))\" stroke=\"#222222\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
            }
            var verdict = NumberFormat.significant(check.maxRelativeDifference)
            if let tolerance = check.tolerance {
                verdict += check.passes == true ? " ≤ " : " > "
                verdict += NumberFormat.exponent(tolerance) + (check.passes == true ? " ✓" : " ✗")
            }
            svg += "<text x=\"\(c(left + plotWidth + 8))\" y=\"\(c(y + rowHeight / 2))\" dy=\"4\" fill=\"\(colour)\" font-weight=\"bold\">\(Markup.escape(verdict))</text>\n"
        }
        svg += "<rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(bottom - top))\" fill=\"none\" stroke=\"#888888\"/>\n"
        svg += "<text x=\"\(c(left + plotWidth / 2))\" y=\"\(c(height - 8))\" text-anchor=\"middle\" fill=\"#222222\">\(Markup.escape(axis.labels.isEmpty ? "" : "largest relative difference from BP (log scale; dashed mark = tolerance)"))</text>\n"
        svg += "</svg>"
        return svg
    }

    // MARK: (d) energy

    /// Up to `count` trajectories spread evenly over training.
    static func sample(_ records: [EnergyRecord], count: Int) -> [EnergyRecord] {
        let ordered = records.enumerated().sorted { lhs, rhs in
            (lhs.element.epoch ?? -1, lhs.element.batch ?? -1, lhs.offset) < (rhs.element.epoch ?? -1, rhs.element.batch ?? -1, rhs.offset)
        }.map(\.element)
        guard ordered.count > count else { return ordered }
        let picks = (0..<count).map { Int((Double($0) * Double(ordered.count - 1) / Double(count - 1)).rounded()) }
        return Array(Set(picks)).sorted().map { ordered[$0] }
    }

    /// The trajectories an energy panel shows: with epochs, up to `batches` batches at the first and
    /// at the last epoch logged (before and after training, for the trainer's probe); without, up
    /// to four records spread over the log.
    static func pick(_ records: [EnergyRecord], batches: Int = 3) -> [EnergyRecord] {
        let epochs = Set(records.compactMap(\.epoch)).sorted()
        guard let first = epochs.first, let last = epochs.last else { return sample(records, count: 4) }
        return (first == last ? [first] : [first, last]).flatMap { epoch in
            let atEpoch = records.filter { $0.epoch == epoch }
            var seen = Set<Int>()
            // One trajectory per batch (the last logged at that epoch, e.g. the last round), by batch.
            let perBatch = atEpoch.reversed().filter { seen.insert($0.batch ?? -1).inserted }
            return Array(perBatch.sorted { ($0.batch ?? -1) < ($1.batch ?? -1) }.prefix(batches))
        }
    }

    func energy() -> ReportFigure {
        let charts = representatives(having: { !$0.energies.isEmpty }).compactMap { run -> SVGChart? in
            let picked = Self.pick(run.energies)
            guard !picked.isEmpty else { return nil }
            // Each trajectory relative to its own start, F_t / F_0, so that the change during inference
            // shows even when F itself falls tenfold over training; the legend gives F_0.
            let relative = picked.allSatisfy { ($0.trajectory.first ?? .nan).isFinite && ($0.trajectory.first ?? 0) > 0 }
            let epochs = Set(picked.compactMap(\.epoch)).sorted()
            let batches = Set(picked.compactMap(\.batch)).sorted()
            let series = picked.enumerated().map { index, record -> ChartSeries in
                var name = record.epoch.map { "epoch \(NumberFormat.csv($0))" } ?? "record \(index + 1)"
                if let batch = record.batch { name += ", batch \(batch)" }
                let start = record.trajectory.first ?? .nan
                if relative { name += " (F₀ \(NumberFormat.significant(start)))" }
                // Earlier epochs lighter; batches told apart by dashes.
                let opacity: Double
                if let epoch = record.epoch, epochs.count > 1, let position = epochs.firstIndex(of: epoch) {
                    opacity = 0.4 + 0.6 * Double(position) / Double(epochs.count - 1)
                } else {
                    opacity = picked.count == 1 || record.epoch != nil ? 1 : 0.35 + 0.65 * Double(index) / Double(picked.count - 1)
                }
                let dashIndex = record.batch.flatMap { batches.firstIndex(of: $0) } ?? index
                return ChartSeries(name: name, colour: colour(run.rule),
                                   xy: record.trajectory.enumerated().map { (Double($0.offset), relative ? $0.element / start : $0.element) },
                                   style: record.trajectory.count > 12 ? .line : .lineWithMarkers,
                                   dash: RuleCatalog.dashes[dashIndex % RuleCatalog.dashes.count],
                                   opacity: opacity)
            }
            return SVGChart(title: "\(run.rule): energy during inference",
                            x: ChartAxis("inference step t", integerTicks: true),
                            y: ChartAxis(relative ? "energy F_t / F_0 (relative to t = 0)" : "energy F"),
                            series: series, width: 390, height: 290, legend: .below)
        }
        let table = CSVTable(
            name: "energy.csv", columns: ["rule", "run", "epoch", "batch", "step", "energy"],
            rows: runs.flatMap { run in
                run.energies.flatMap { record in
                    record.trajectory.enumerated().map { step, value in
                        [run.rule, run.id, NumberFormat.csv(record.epoch), record.batch.map(String.init) ?? "",
                         String(step), NumberFormat.csv(value)]
                    }
                }
            })
        return figure(id: "fig-energy", heading: "(d) Energy during inference",
                      caption: "The energy F at each inference step t = 0…T relative to its value before inference (F₀, given in the legend; energy.csv has the raw values), on a few held-out batches at the first and the last evaluation (lighter = earlier; dashes tell batches apart), one panel per PC rule. Inference through Wᵀ (il) descends F and settles before the weights change; through a feedback matrix B ≠ Wᵀ (pcfa, pckp) it is not descent on F, so F can rise; zil takes only L steps at γ = 1, one layer per step, and F need not fall.",
                      charts: charts, needs: "\"energy\" records with a trajectory", tables: [table])
    }
}
