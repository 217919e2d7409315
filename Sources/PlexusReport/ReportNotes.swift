/// The prose around the table: where the data came from, what stands out, and what to beware of.
struct ReportNotes {
    let sources: [String]
    let runs: [RunLog]
    let statistics: ParseStatistics
    let summary: [RuleSummary]
    let zilChecks: [ZILCheckRecord]

    /// e.g. "From run.jsonl: 7 runs, 210 records."
    var sourceLine: String {
        let names = sources.count <= 4 ? sources.joined(separator: ", ") : "\(sources.count) logs"
        return "From \(names): \(runs.count) run\(runs.count == 1 ? "" : "s"), \(statistics.records) records."
    }

    /// The shared setup of the runs, when their `start` records agree on it (as in `plexus compare`),
    /// e.g. "Setup: fashion-mnist (60,000 train / 10,000 test samples), 784-256-256-10 tanh, ce
    /// loss, 5 epochs of batch 128, adam lr 0.001, seed 0; PC rules T = 20, γ = 0.1, π_L = 0.1."
    var setupLine: String? {
        let starts = runs.compactMap(\.start)
        guard let first = starts.first, !first.widths.isEmpty else { return nil }
        func shared<T: Equatable>(_ value: (StartRecord) -> T?) -> T? {
            let values = starts.map(value)
            guard let v = values.first ?? nil, values.allSatisfy({ $0 == v }) else { return nil }
            return v
        }
        guard starts.allSatisfy({ $0.widths == first.widths }) else { return nil }
        var parts: [String] = []
        if let data = shared(\.data) {
            var text = data
            if let train = shared(\.trainSamples), let test = shared(\.testSamples) {
                text += " (\(NumberFormat.grouped(Double(train))) train / \(NumberFormat.grouped(Double(test))) test samples)"
            }
            parts.append(text)
        }
        parts.append(first.widths.map(String.init).joined(separator: "-") + (shared(\.activation).map { " " + $0 } ?? ""))
        if let energy = shared(\.energy) { parts.append("\(energy) loss") }
        if let epochs = shared(\.epochs) {
            parts.append("\(epochs) epoch\(epochs == 1 ? "" : "s")" + (shared(\.batch).map { " of batch \($0)" } ?? ""))
        }
        if let optimizer = shared(\.optimizer) {
            parts.append(optimizer + (shared(\.learningRate).map { " lr \(NumberFormat.compact($0))" } ?? ""))
        }
        if let seed = shared(\.seed) { parts.append("seed \(seed)") }
        var line = "Setup: " + parts.joined(separator: ", ")
        let pc = starts.filter { ["il", "pcfa", "pckp"].contains($0.rule ?? "") }
        if let steps = pc.first?.steps, pc.allSatisfy({ $0.steps == steps }) {
            line += "; PC rules T = \(steps)"
            if let gamma = pc.first?.gamma, pc.allSatisfy({ $0.gamma == gamma }) { line += ", γ = \(NumberFormat.compact(gamma))" }
            if let precision = pc.first?.outputPrecision, pc.allSatisfy({ $0.outputPrecision == precision }) {
                line += ", π_L = \(NumberFormat.compact(precision))"
            }
            if let zil = starts.first(where: { $0.rule == "zil" }) {
                var schedule = ["T = " + (zil.steps.map(String.init) ?? "L"), "γ = " + (zil.gamma.map(NumberFormat.compact) ?? "1")]
                if let precision = zil.outputPrecision { schedule.append("π_L = \(NumberFormat.compact(precision))") }
                line += " (zil: " + schedule.joined(separator: ", ") + ")"
            }
        }
        return line + "."
    }

    /// Short sentences answering the report's questions, where the logs allow.
    var findings: [String] {
        var out: [String] = []
        let bp = summary.first { $0.rule == "bp" }
        let local = summary.filter { $0.locality?.weightTransport == false && $0.finalAccuracy != nil }
        if let best = local.max(by: { $0.finalAccuracy! < $1.finalAccuracy! }) {
            var sentence = "Best rule without weight transport: \(best.rule) at \(NumberFormat.fixed(best.finalAccuracy, 2)) % test accuracy"
            if let bpAccuracy = bp?.finalAccuracy, let gap = best.gapToBP {
                sentence += ", \(NumberFormat.signed(gap, 2)) points from bp (\(NumberFormat.fixed(bpAccuracy, 2)) %)"
            }
            out.append(sentence + ".")
        }
        let aligned = summary.filter { $0.meanCosine != nil }
        if !aligned.isEmpty {
            out.append("Mean cosine with the BP gradient (last alignment record): "
                       + aligned.map { "\($0.rule) \(NumberFormat.fixed($0.meanCosine, 3))" }.joined(separator: ", ") + ".")
        }
        for check in zilChecks.sorted(by: { $0.precision < $1.precision }).prefix(4) {
            let difference = NumberFormat.significant(check.maxRelativeDifference)
            let depth = check.depth.map { ", depth \($0)" } ?? ""
            switch check.passes {
            case true?:
                out.append("Z-IL equals BP to rounding in \(check.precision)\(depth): largest relative difference \(difference) (tolerance \(NumberFormat.exponent(check.tolerance!))).")
            case false?:
                out.append("Z-IL differs from BP in \(check.precision)\(depth): largest relative difference \(difference) exceeds the tolerance \(NumberFormat.exponent(check.tolerance!)).")
            case nil:
                out.append("Z-IL check in \(check.precision)\(depth): largest relative difference \(difference).")
            }
        }
        let clusterRuns = runs.filter(\.isCluster)
        for rule in RuleCatalog.sorted(clusterRuns.map(\.rule)) {
            let measured = clusterRuns.filter { $0.rule == rule }.compactMap { run -> (Int, Double)? in
                guard let workers = run.workers, let rate = run.samplesPerSecond else { return nil }
                return (workers, rate)
            }.sorted { $0.0 < $1.0 }
            guard let first = measured.first, let last = measured.last, last.0 > first.0, first.1 > 0 else { continue }
            out.append("Cluster, \(rule): \(NumberFormat.grouped(first.1)) samples/s with \(first.0) worker\(first.0 == 1 ? "" : "s"), "
                       + "\(NumberFormat.grouped(last.1)) with \(last.0) (\(NumberFormat.fixed(last.1 / first.1, 2))×).")
        }
        return out
    }

    /// Things that limit how far the numbers can be trusted.
    var caveats: [String] {
        var out: [String] = []
        if statistics.malformed > 0 {
            out.append("\(statistics.malformed) malformed line\(statistics.malformed == 1 ? "" : "s") skipped.")
        }
        if statistics.ignored > 0 {
            out.append("\(statistics.ignored) line\(statistics.ignored == 1 ? "" : "s") of unknown events ignored.")
        }
        let repeated = summary.filter { $0.runs > 1 }
        if !repeated.isEmpty {
            out.append("Rules with several runs (" + repeated.map { "\($0.rule): \($0.runs)" }.joined(separator: ", ")
                       + "): accuracy and cost come from the last finished run, the cosine from the last alignment record, "
                       + "traffic and workers from the last cluster run; the CSVs list every run.")
        }
        if !summary.isEmpty && !summary.contains(where: { $0.rule == "bp" }) {
            out.append("No bp run in these logs, so there is no gap to backprop.")
        }
        return out
    }
}
