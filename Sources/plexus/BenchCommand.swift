import Foundation
import PlexusCluster
import PlexusLearning
import PlexusNumerics

/// `plexus bench`: throughput of each rule next to a plain sgemm measured in the same run.
enum BenchCommand {
    static let options = [
        OptionSpec("rules", "R,R,…", "rules to measure [bp,il,zil,fa,pcfa,pckp,dfa]"),
        OptionSpec("layers", "N,N,…", "layer widths [784,256,256,10]"),
        OptionSpec("batch", "N", "batch size [128]"),
        OptionSpec("steps", "T", "inference steps of PC rules [20]"),
        OptionSpec("threads", "N", "compute threads (batch slices, one BLAS thread each) [cores]"),
        OptionSpec("blas-threads", "N", "OpenBLAS threads inside each product [1]"),
        OptionSpec("activation", "NAME", "activation [tanh]"),
        OptionSpec("seconds", "X", "time per rule [2]"),
    ]
    static let help = helpText(
        usage: "plexus bench [options]",
        about: """
        Measures training throughput (samples/s, including the optimizer step) and achieved GFLOP/s of
        each rule on random data, next to the GFLOP/s of a plain OpenBLAS sgemm of the network's sizes
        measured in the same run.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "bench", arguments, options: options)
        var spec = ModelSpec()
        if let w = try a.intList("layers") { spec.widths = w }
        if let s = a.string("activation") { spec.activation = try Activation.parse(s) }
        if let t = try a.int("steps") { spec.steps = t }
        let batch = try a.int("batch") ?? 128
        let threads = try a.int("threads") ?? TrainOptions.defaultThreads
        let blas = try a.int("blas-threads") ?? 1
        let seconds = try a.double("seconds") ?? 2
        let rules = try (a.string("rules")?.split(separator: ",").map { try Rule.parse(String($0)) }) ?? Rule.allCases
        try spec.validate()
        guard batch > 0, threads > 0, blas > 0, seconds > 0 else { throw UsageError("--batch, --threads, --blas-threads and --seconds must be positive") }
        BLASThreads.set(blas)
        let w = spec.widths
        print("plexus bench: layers \(w.map(String.init).joined(separator: ",")), batch \(batch), T = \(spec.steps), "
              + "\(threads) compute thread(s) × \(blas) BLAS thread(s), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        BLASThreads.set(blas * threads)
        let hidden = w.count > 2 ? w[1] : w.last!
        let g1 = Benchmark.sgemmGFLOPS(m: batch, n: hidden, k: hidden)
        let g2 = Benchmark.sgemmGFLOPS(m: batch, n: w[1], k: w[0])
        BLASThreads.set(blas)
        print(String(format: "sgemm %d×%d×%d: %.1f GFLOP/s   sgemm %d×%d×%d: %.1f GFLOP/s   (OpenBLAS, %d thread(s))",
                     batch, hidden, hidden, g1, batch, w[1], w[0], g2, blas * threads))
        print("")
        print("rule    samples/s    GFLOP/s   ms/batch   MFLOP/sample")
        for rule in rules {
            var s = spec
            s.rule = rule
            if rule == .zil { s.steps = s.depth }
            let r = Benchmark.measure(s, batch: batch, threads: threads, minSeconds: seconds)
            let name = rule.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            let sps = Format.grouped(r.samplesPerSecond)
            print(name + String(repeating: " ", count: max(1, 12 - sps.count)) + sps
                  + String(format: " %10.1f %10.3f %14.2f", r.gflops, 1000 * r.secondsPerBatch, s.flopsPerSample / 1e6))
        }
        return 0
    }
}
