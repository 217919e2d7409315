/// Figures about what locality buys: (f) accuracy against weight-transport volume and (g) cluster
/// scaling.
extension FigureBuilder {
    // MARK: (f) transport

    func transport() -> ReportFigure {
        let rows = summary.filter { $0.finalAccuracy != nil && $0.transportVolume != nil }
        let series = rows.map { row in
            ChartSeries(name: row.rule, colour: colour(row.rule),
                        points: [.init(x: row.transportVolume!, y: row.finalAccuracy!, label: row.rule)], style: .scatter)
        }
        let chart = SVGChart(title: "Accuracy against weight transport",
                             x: ChartAxis("weight-transport volume (weight values per update)", includeZero: true),
                             y: ChartAxis("final test accuracy (%)"), series: series, legend: .none)
        let table = CSVTable(
            name: "transport.csv",
            columns: ["rule", "transport_volume", "final_test_accuracy_pct", "weight_transport"],
            rows: summary.map { row in
                [row.rule, NumberFormat.csv(row.transportVolume), NumberFormat.csv(row.finalAccuracy),
                 row.locality?.weightTransport.map { $0 ? "true" : "false" } ?? ""]
            })
        return figure(id: "fig-transport", heading: "(f) Accuracy against weight-transport volume",
                      caption: "Final test accuracy of each rule against how many weight values per update a separate feedback pathway would have to receive to mirror the forward weights; rules at zero need no weight transport at all.",
                      charts: series.isEmpty ? [] : [chart],
                      needs: "\"done\" records with test_accuracy and locality.transport_volume", tables: [table])
    }

    // MARK: (g) cluster

    func cluster() -> ReportFigure {
        let clusterRuns = runs.filter(\.isCluster)
        let clusterRules = RuleCatalog.sorted(clusterRuns.map(\.rule))
        func series(_ value: (RunLog) -> Double?) -> [ChartSeries] {
            clusterRules.compactMap { rule in
                var byWorkers: [Int: [Double]] = [:]
                for run in clusterRuns where run.rule == rule {
                    guard let workers = run.workers, let measured = value(run), measured.isFinite else { continue }
                    byWorkers[workers, default: []].append(measured)
                }
                guard !byWorkers.isEmpty else { return nil }
                let points = byWorkers.keys.sorted().map { workers in
                    (Double(workers), byWorkers[workers]!.reduce(0, +) / Double(byWorkers[workers]!.count))
                }
                return ChartSeries(name: rule, colour: colour(rule), xy: points)
            }
        }
        let workersAxis = ChartAxis("workers", integerTicks: true)
        let charts = [
            SVGChart(title: "Throughput", x: workersAxis, y: ChartAxis("throughput (samples/s)", includeZero: true),
                     series: series(\.samplesPerSecond), width: 390, height: 290, legend: .below),
            SVGChart(title: "Round time", x: workersAxis, y: ChartAxis("mean round time (ms)", includeZero: true),
                     series: series(\.meanRoundMilliseconds), width: 390, height: 290, legend: .below),
            SVGChart(title: "Traffic per round", x: workersAxis, y: ChartAxis("bytes in + out per round", includeZero: true),
                     series: series(\.trafficPerRound), width: 390, height: 290, legend: .below),
        ]
        let table = CSVTable(
            name: "cluster.csv",
            columns: ["rule", "run", "workers", "samples_per_second", "mean_round_ms", "bytes_per_round", "rounds",
                      "stale_rejected"],
            rows: clusterRuns.map { run in
                [run.rule, run.id, run.workers.map(String.init) ?? "", NumberFormat.csv(run.samplesPerSecond),
                 NumberFormat.csv(run.meanRoundMilliseconds), NumberFormat.csv(run.trafficPerRound),
                 String(run.done?.rounds ?? run.rounds.count),
                 String(run.rounds.compactMap(\.staleRejected).reduce(0, +))]
            })
        return figure(id: "fig-cluster", heading: "(g) Cluster scaling",
                      caption: "Training throughput, mean coordinator round time and network traffic per round against the number of workers, one line per rule, averaged over runs with the same worker count.",
                      charts: charts, needs: "cluster runs (\"round\" records, or \"done\" records with workers and rounds)",
                      tables: [table])
    }
}
