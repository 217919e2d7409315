import Foundation
import PlexusCluster
import PlexusLearning
import PlexusNumerics

/// `plexus verify`: the theory checks, as a table; non-zero exit on any failure.
enum VerifyCommand {
    static let options = [
        OptionSpec("metrics", "FILE", "also write the checks and the IL sweep as JSON lines"),
    ]
    static let help = helpText(
        usage: "plexus verify [--metrics FILE]",
        about: """
        Checks the theory on random networks of several depths, widths and activations:
          Z-IL equals BP (Float64 ≤ 1e-12 relative, Float32 ≤ 1e-5; Song et al. 2020);
          BP equals central finite differences of the loss (Float64);
          IL's alignment with BP rises towards 1 as the output precision shrinks (Whittington & Bogacz 2017);
          pckp's feedback B aligns with W over training while pcfa's stays random.
        Prints a table and exits 1 if any check fails.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let parsed = try ParsedArguments(command: "verify", arguments, options: options)
        BLASThreads.set(1)
        let log = try MetricsLog(path: parsed.string("metrics"), keepRecords: false)
        let checks = Verification.zilEqualsBP() + Verification.bpMatchesFiniteDifferences()
            + Verification.ilApproachesBP() + Verification.feedbackAlignment()
        let nameWidth = checks.map(\.name.count).max()! + 2
        let netWidth = checks.map(\.network.count).max()! + 2
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(1, w - s.count)) }
        print(pad("check", nameWidth) + pad("network", netWidth) + pad("measured", 14) + pad("bound", 16) + "result")
        for c in checks {
            print(pad(c.name, nameWidth) + pad(c.network, netWidth) + pad(String(format: "%.3e", c.measured), 14)
                  + pad(c.bound, 16) + (c.passed ? "pass" : "FAIL"))
            var r = JSONLine(event: c.name.hasPrefix("Z-IL") ? "zil_check" : "verify")
            r.set("check", c.name)
            r.set("network", c.network)
            r.set("measured", c.measured)
            r.set("bound", c.bound)
            r.set("passed", c.passed)
            if c.name.hasPrefix("Z-IL") {
                r.set("precision", c.name.contains("f64") ? "f64" : "f32")
                r.set("max_rel_diff", c.measured)
            }
            log.write(r)
        }
        print("\nIL alignment with BP (mean per-layer cosine), network \(Verification.networks[1].widths.map(String.init).joined(separator: "-")), γ = 0.1:")
        let sweep = Verification.ilSweep()
        let steps = Array(Set(sweep.map(\.steps))).sorted()
        print(pad("π_L \\ T", 10) + steps.map { pad(String($0), 10) }.joined())
        for p in Array(Set(sweep.map(\.precision))).sorted(by: >) {
            let row = steps.map { t in sweep.first { $0.precision == p && $0.steps == t }!.cosine }
            print(pad(String(p), 10) + row.map { pad(String(format: "%.5f", $0), 10) }.joined())
            for (t, c) in zip(steps, row) {
                var r = JSONLine(event: "il_sweep")
                r.set("steps", t)
                r.set("output_precision", p)
                r.set("cosine", c)
                log.write(r)
            }
        }
        let failed = checks.filter { !$0.passed }
        print("\n\(checks.count - failed.count) passed, \(failed.count) failed")
        return failed.isEmpty ? 0 : 1
    }
}
