import Foundation
import PlexusCluster
import PlexusLearning
import PlexusNumerics
import PlexusReport

/// `plexus compare`: the experiment — every rule on the same data, seed, network and schedule, the
/// IL sweep and the Z-IL check, one merged log, and the report rendered from it.
enum CompareCommand {
    /// The rules compared when `--rules` is not given.
    static let defaultRules: [Rule] = [.bp, .il, .zil, .fa, .pcfa, .pckp]
    /// `--quick`: a subset and a short schedule, for a first look in about a minute.
    static let quick = (trainLimit: 6000, testLimit: 2000, epochs: 3)

    static let options: [OptionSpec] = [
        OptionSpec("rules", "R,R,…", "rules to compare, in this order [bp,il,zil,fa,pcfa,pckp]"),
        OptionSpec("out", "DIR", "output directory: metrics.jsonl, summary.md, CSVs, report.html [runs/compare]"),
        OptionSpec("quick", nil, "a first look in about a minute: --train-limit \(quick.trainLimit) --test-limit \(quick.testLimit) "
                   + "--epochs \(quick.epochs) unless given"),
        OptionSpec("workers", "N", "train each rule on a local cluster of N worker processes (plexus launch)"),
    ] + TrainOptions.all.filter { !["rule", "metrics", "save", "init"].contains($0.name) }

    static let help = helpText(
        usage: "plexus compare [--rules R,R,…] [--quick] [--workers N] [train options] [--out DIR]",
        about: """
        Trains every rule on the same data, seed, network and schedule, one after the other (zil with
        its own schedule: T = L steps at γ = 1), probing each rule's alignment with the BP gradient on
        held-out batches after every epoch. Then, on the trained IL network and a held-out batch, it
        measures IL's cosine with BP for T ∈ {1,…,200} and output precision π_L ∈ {1,…,0.001}, and
        Z-IL's difference from BP in f64 and f32. Writes DIR/metrics.jsonl (all records), summary.md,
        one CSV per figure and report.html, and prints the summary table.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "compare", arguments, options: options)
        if let extra = a.positionals.first { throw UsageError("unexpected argument '\(extra)' for 'plexus compare'") }
        var config = try TrainOptions.config(from: a)
        if a.has("quick") {
            if !a.has("train-limit") { config.trainLimit = quick.trainLimit }
            if !a.has("test-limit") { config.testLimit = quick.testLimit }
            if !a.has("epochs") { config.epochs = quick.epochs }
        }
        let rules = try parseRules(a.string("rules"))
        let workers = try a.int("workers")
        if let workers, workers < 1 { throw UsageError("--workers must be at least 1, got \(workers)") }
        let out = URL(fileURLWithPath: a.string("out") ?? "runs/compare")
        do { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) } catch {
            throw UsageError("cannot create the output directory \(out.path): \(error.localizedDescription)")
        }
        let metrics = out.appendingPathComponent("metrics.jsonl")
        config.metricsPath = metrics.path

        BLASThreads.set(1)
        let log = try MetricsLog(path: metrics.path, keepRecords: false)
        let comparison = Comparison(base: config, rules: rules, log: log, progress: ProgressLine(enabled: config.progress))
        if let workers { comparison.externalRun = try launchRun(workers: workers, directory: out) }
        let failures = try comparison.run()

        let report = try Report(logs: [metrics])
        let files = try report.write(to: out)
        print("")
        print(report.summaryMarkdown())
        print("wrote \(metrics.path) and \(files.count) report files to \(out.path)/ (open \(out.appendingPathComponent("report.html").path))")
        if !failures.isEmpty {
            throw RunError("\(failures.count) of \(rules.count) rules failed: "
                + failures.map { "\($0.rule): \($0.message)" }.joined(separator: "; "))
        }
        return 0
    }

    /// Parses `--rules` (comma-separated rule names, no repeats).
    static func parseRules(_ text: String?) throws -> [Rule] {
        guard let text else { return defaultRules }
        let rules = try text.split(separator: ",", omittingEmptySubsequences: false).map { name -> Rule in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw UsageError("--rules has an empty name in '\(text)'") }
            return try Rule.parse(trimmed)
        }
        for (i, r) in rules.enumerated() where rules[..<i].contains(r) {
            throw UsageError("--rules lists '\(r)' twice")
        }
        return rules
    }
}
