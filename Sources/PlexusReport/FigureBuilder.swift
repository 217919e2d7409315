/// Builds the report's figures (a)–(g) and their CSVs from assembled runs.
///
/// Curves over training use one run per rule: its representative (see ``RuleSummary``) among the
/// runs that carry the figure's data, so the figures agree with the summary table; the CSVs hold
/// every run.
struct FigureBuilder {
    let runs: [RunLog]
    let sweeps: [ILSweepRecord]
    let zilChecks: [ZILCheckRecord]
    let summary: [RuleSummary]
    /// Rules in display order.
    let rules: [String]
    private let byRule: [String: [RunLog]]

    init(runs: [RunLog], sweeps: [ILSweepRecord], zilChecks: [ZILCheckRecord], summary: [RuleSummary]) {
        self.runs = runs
        self.sweeps = sweeps
        self.zilChecks = zilChecks
        self.summary = summary
        let grouped = Dictionary(grouping: runs, by: \.rule)
        byRule = grouped
        rules = RuleCatalog.sorted(grouped.keys)
    }

    /// For each rule in display order, its representative among the runs that have the data a
    /// figure needs (so a later scaling run without diagnostics does not hide them).
    func representatives(having condition: (RunLog) -> Bool) -> [RunLog] {
        rules.compactMap { byRule[$0].flatMap { RuleSummary.representative(of: $0, where: condition) } }
    }

    /// All figures in report order.
    var figures: [ReportFigure] {
        [accuracy(), alignment(), ilSweep(), energy(), feedbackAngle(), transport(), cluster()]
    }

    func colour(_ rule: String) -> String {
        RuleCatalog.colour(for: rule, among: rules)
    }

    // MARK: (a) accuracy

    func accuracy() -> ReportFigure {
        let series = representatives(having: { !$0.accuracyCurve.isEmpty }).compactMap { run -> ChartSeries? in
            let curve = run.accuracyCurve
            guard !curve.isEmpty else { return nil }
            return ChartSeries(name: run.rule, colour: colour(run.rule),
                               xy: curve.map { ($0.epoch, ($0.testAccuracy ?? 0) * 100) },
                               style: curve.count > 40 ? .line : .lineWithMarkers,
                               dash: run.rule == "zil" ? "6 3" : nil)
        }
        let chart = SVGChart(title: "Test accuracy per epoch", x: ChartAxis("epoch", integerTicks: true),
                             y: ChartAxis("test accuracy (%)"), series: series)
        let table = CSVTable(
            name: "accuracy.csv",
            columns: ["rule", "run", "epoch", "round", "test_accuracy", "train_accuracy", "train_loss",
                      "samples_per_second", "wall_s"],
            rows: runs.flatMap { run in
                run.evals.map { eval in
                    [run.rule, run.id, NumberFormat.csv(eval.epoch), eval.round.map(String.init) ?? "",
                     NumberFormat.csv(eval.testAccuracy), NumberFormat.csv(eval.trainAccuracy),
                     NumberFormat.csv(eval.trainLoss), NumberFormat.csv(eval.samplesPerSecond),
                     NumberFormat.csv(eval.wallSeconds)]
                }
            })
        return figure(id: "fig-accuracy", heading: "(a) Test accuracy over training",
                      caption: "Test accuracy after each epoch, one line per rule: the distance between a local rule and bp is what giving up weight transport costs.",
                      charts: series.isEmpty ? [] : [chart], needs: "\"eval\" records with test_accuracy",
                      tables: [table])
    }

    // MARK: (b) alignment

    func alignment() -> ReportFigure {
        let withCosines = representatives(having: { run in run.alignments.contains { !$0.layers.isEmpty } })
        let layers = Set(withCosines.flatMap { $0.alignments.flatMap { $0.layers.map(\.layer) } }).sorted()
        let cosines = withCosines.flatMap { $0.alignments.flatMap { $0.layers.compactMap(\.cosine) } }.filter(\.isFinite)
        let lowest = max(-1, ((cosines.min() ?? 0) * 10).rounded(.down) / 10)
        let top = max(1, cosines.max() ?? 1)
        let domain = lowest < top ? lowest...top : (top - 0.1)...top
        let charts = layers.map { layer in
            let series = withCosines.compactMap { run -> ChartSeries? in
                let points = run.alignments.compactMap { record -> (Double, Double)? in
                    guard let cosine = record.layers.first(where: { $0.layer == layer })?.cosine else { return nil }
                    return (record.epoch, cosine)
                }
                guard !points.isEmpty else { return nil }
                return ChartSeries(name: run.rule, colour: colour(run.rule), xy: points,
                                   dash: run.rule == "zil" ? "6 3" : nil)
            }
            let position = layer == layers.last && layers.count > 1 ? " (output)" : layer == 1 ? " (input side)" : ""
            return SVGChart(title: "Layer \(layer)\(position): cosine with BP gradient", x: ChartAxis("epoch", integerTicks: true),
                            y: ChartAxis("cosine similarity", domain: domain), series: series,
                            width: 390, height: 290, legend: .below)
        }
        let table = CSVTable(
            name: "alignment.csv", columns: ["rule", "run", "epoch", "layer", "cosine", "norm_ratio"],
            rows: runs.flatMap { run in
                run.alignments.flatMap { record in
                    record.layers.map { layer in
                        [run.rule, run.id, NumberFormat.csv(record.epoch), String(layer.layer),
                         NumberFormat.csv(layer.cosine), NumberFormat.csv(layer.normRatio)]
                    }
                }
            })
        return figure(id: "fig-alignment", heading: "(b) Alignment with backprop, per layer",
                      caption: "Cosine similarity between each rule's weight update and the BP gradient on held-out batches, one panel per weight layer (1 = next to the input); 1 means the rule moves exactly along BP's direction.",
                      charts: charts, needs: "\"alignment\" records with per-layer cosines", tables: [table])
    }

    // MARK: (e) feedback angle

    func feedbackAngle() -> ReportFigure {
        var series: [ChartSeries] = []
        let withAngles = representatives(having: { run in
            run.alignments.contains { $0.feedbackAngleDegrees.contains { $0 != nil } }
        })
        for run in withAngles {
            let depth = run.alignments.map(\.feedbackAngleDegrees.count).max() ?? 0
            for index in 0..<depth {
                let points = run.alignments.compactMap { record -> (Double, Double)? in
                    guard index < record.feedbackAngleDegrees.count,
                          let angle = record.feedbackAngleDegrees[index], angle.isFinite else { return nil }
                    return (record.epoch, angle)
                }
                guard !points.isEmpty else { continue }
                series.append(ChartSeries(name: "\(run.rule), layer \(index + 1)", colour: colour(run.rule), xy: points,
                                          dash: RuleCatalog.dashes[index % RuleCatalog.dashes.count]))
            }
        }
        let largest = series.flatMap { $0.points.map(\.y) }.max() ?? 90
        // Zoom to the data (angles usually stay within a few tens of degrees of 90°), from a round 10°.
        let smallest = series.flatMap { $0.points.map(\.y) }.min() ?? 0
        let floor = Swift.max(0, (smallest / 10).rounded(.down) * 10 - 10)
        var chart = SVGChart(title: "Angle between feedback B and forward W",
                             x: ChartAxis("epoch", integerTicks: true),
                             y: ChartAxis("angle between B and W (degrees)", domain: floor...max(90, (largest / 10).rounded(.up) * 10)),
                             series: series)
        chart.referenceLines = [(90, "90° = unrelated")]
        let table = CSVTable(
            name: "feedback_angle.csv", columns: ["rule", "run", "epoch", "layer", "angle_degrees"],
            rows: runs.flatMap { run in
                run.alignments.flatMap { record in
                    record.feedbackAngleDegrees.enumerated().compactMap { index, angle in
                        angle.map { [run.rule, run.id, NumberFormat.csv(record.epoch), String(index + 1), NumberFormat.csv($0)] }
                    }
                }
            })
        return figure(id: "fig-feedback-angle", heading: "(e) Feedback weights versus forward weights",
                      caption: "Angle between each layer's feedback matrix B and its forward weights W for the rules with separate feedback (fa, pcfa, pckp); a falling angle means feedback and forward weights are coming into line, so the updates approach BP's.",
                      charts: series.isEmpty ? [] : [chart],
                      needs: "\"alignment\" records with feedback_angle_degrees (rules fa, pcfa, pckp)",
                      tables: [table])
    }

    // MARK: helpers

    /// Assembles a figure; with no drawable points it shows the "no data" note instead.
    func figure(id: String, heading: String, caption: String, charts: [SVGChart], needs: String,
                tables: [CSVTable], extra: String = "", extraPoints: Int = 0) -> ReportFigure {
        let points = charts.reduce(0) { $0 + $1.pointCount } + extraPoints
        let drawn = charts.filter { $0.pointCount > 0 }
        var body = drawn.isEmpty ? "" : ReportFigure.panels(drawn.map { $0.render() })
        if !extra.isEmpty { body += (body.isEmpty ? "" : "\n") + extra }
        if points == 0 { body = ReportFigure.noData(needs) }
        return ReportFigure(id: id, heading: heading, caption: caption, dataPoints: points, body: body, tables: tables)
    }
}
