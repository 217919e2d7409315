import Foundation
import PlexusCluster
import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// `plexus cluster-bench`: what the parameter server costs — aggregation throughput, the protobuf
/// and ZeroMQ share of a round on loopback for 1–8 workers, and training throughput with 1 and 2
/// worker processes (one BLAS thread each).
enum ClusterBenchCommand {
    static let options = [
        OptionSpec("layers", "N,N,…", "layer widths [784,256,256,10]"),
        OptionSpec("rule", "NAME", "learning rule of the training runs [il]"),
        OptionSpec("steps", "T", "inference steps of PC rules [20]"),
        OptionSpec("batch", "N", "global batch of one round [128]"),
        OptionSpec("workers", "N,N,…", "worker counts for the aggregation and round-latency tables [1,2,4,8]"),
        OptionSpec("rounds", "R", "rounds per loopback run [60]"),
        OptionSpec("train-rounds", "R", "rounds per training run (1 and 2 workers) [80]"),
        OptionSpec("data", "SPEC", "data of the training runs [synthetic:20000:200]"),
        OptionSpec("skip-training", nil, "leave out the 1-vs-2-worker training runs"),
        OptionSpec("curve", nil, "also measure CURVE's cost: loopback rounds and training with and without encryption"),
        OptionSpec("curve-workers", "N", "worker processes of the CURVE comparison [2]"),
    ]
    static let help = helpText(
        usage: "plexus cluster-bench [options]",
        about: """
        Measures the parameter server on this machine: (1) the coordinator's aggregation of N pushes
        (sample-weighted sum, mean, Adam step) in GB/s of deltas applied; (2) protobuf encode/decode of
        one Weights and one Push message; (3) rounds on loopback with N real worker processes that push
        without computing, split into protobuf, ZeroMQ and aggregation time; (4) training throughput of
        one and two worker processes (one BLAS thread each) and the wire's share of their rounds;
        (5) with --curve, what CURVE (encryption and authentication) costs: the same loopback rounds
        and training runs with and without it, side by side.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "cluster-bench", arguments, options: options)
        var spec = ModelSpec()
        if let w = try a.intList("layers") { spec.widths = w }
        if let r = a.string("rule") { spec.rule = try Rule.parse(r) }
        if let t = try a.int("steps") { spec.steps = t } else if spec.rule == .zil { spec.steps = spec.depth }
        try spec.validate()
        let batch = try a.int("batch") ?? 128
        let counts = try a.intList("workers") ?? [1, 2, 4, 8]
        let rounds = try a.int("rounds") ?? 60
        let trainRounds = try a.int("train-rounds") ?? 80
        guard batch >= (counts.max() ?? 1), counts.allSatisfy({ $0 >= 1 && $0 <= 64 }), rounds > 0, trainRounds > 0 else {
            throw UsageError("--workers must be in 1…64 and at most --batch; --rounds and --train-rounds must be positive")
        }
        BLASThreads.set(1)
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop)
        defer { withExtendedLifetime(trap) {} }
        let exe = Launcher.currentExecutable
        let mb = Double(spec.updateCount * 4) / 1e6
        print("plexus cluster-bench: layers \(spec.widths.map(String.init).joined(separator: ",")) "
            + "(\(Format.grouped(Double(spec.updateCount))) weights and biases, \(String(format: "%.2f", mb)) MB per f32 push), "
            + "batch \(batch), \(ProcessInfo.processInfo.activeProcessorCount) cores, ZeroMQ \(ZMQContext.version.major).\(ZMQContext.version.minor)")

        print("\naggregation on the coordinator (weighted sum of N pushes, mean, Adam step)")
        print("workers   ms/round   GB/s of deltas (whole round)   GB/s (weighted sum alone)   mean+Adam ms")
        for n in counts {
            let r = try ClusterBenchmark.aggregation(spec: spec, workers: n)
            print(pad(String(n), 7) + pad(String(format: "%.3f", r.millisecondsPerRound), 11)
                + pad(String(format: "%.2f", r.gigabytesPerSecond), 31) + pad(String(format: "%.2f", r.sumGigabytesPerSecond), 28)
                + pad(String(format: "%.3f", r.applyMilliseconds), 15))
        }

        let c = try ClusterBenchmark.codec(spec: spec)
        print("\nprotobuf (protobuf-c) per message: Weights \(String(format: "%.2f", Double(c.weightsBytes) / 1e6)) MB "
            + String(format: "encode %.3f ms, decode %.3f ms;  Push %.2f MB encode %.3f ms, decode %.3f ms",
                     c.encodeWeightsMilliseconds, c.decodeWeightsMilliseconds, Double(c.pushBytes) / 1e6,
                     c.encodePushMilliseconds, c.decodePushMilliseconds))

        var base = CoordinatorConfig()
        base.train.model = spec
        base.train.batch = batch
        base.train.data = try DataSource(parsing: a.string("data") ?? "synthetic:20000:200")
        base.train.dataSpec = a.string("data") ?? "synthetic:20000:200"
        base.train.epochs = 1000
        base.train.alignEvery = 0
        base.train.threads = 1
        base.train.testLimit = 200
        base.heartbeatTimeout = 30

        print("\nrounds on loopback, workers push without computing (coordinator: ROUTER, one thread)")
        print("workers   round ms   protobuf ms   zmq ms   aggregate ms   MB/round")
        for n in counts {
            var config = base
            config.maxRounds = rounds
            let s = try ClusterBenchmark.cluster(config, workers: n, executable: exe, workerArguments: ["--skip-compute"], stop: stop)
            print(pad(String(n), 7) + pad(String(format: "%.2f", s.meanRoundMilliseconds), 11)
                + pad(String(format: "%.2f", s.codecMillisecondsPerRound), 14) + pad(String(format: "%.2f", s.socketMillisecondsPerRound), 9)
                + pad(String(format: "%.2f", s.aggregationMillisecondsPerRound), 15)
                + pad(String(format: "%.2f", Double(s.bytesIn + s.bytesOut) / Double(max(1, s.rounds)) / 1e6), 11))
        }

        if !a.has("skip-training") {
            print("\ntraining, rule \(spec.rule), \(trainRounds) rounds of \(batch) samples, each worker one process with one BLAS thread")
            print("workers   samples/s   round ms   worker compute ms   wire+aggregation share")
            var rates: [Double] = []
            for (n, steps) in [(1, 1), (2, 1), (1, 4), (2, 4)] {
                var config = base
                config.maxRounds = steps == 1 ? trainRounds : Swift.max(1, trainRounds / steps)
                config.localSteps = steps
                let s = try ClusterBenchmark.cluster(config, workers: n, executable: exe, workerArguments: ["--threads", "1"], stop: stop)
                rates.append(s.samplesPerSecond)
                let share = s.meanRoundMilliseconds > 0 ? Swift.max(0, 1 - s.workerComputeMilliseconds / s.meanRoundMilliseconds) : .nan
                print(pad(steps == 1 ? String(n) : "\(n), \(steps) local steps", 7) + pad(Format.grouped(s.samplesPerSecond), 12) + pad(String(format: "%.2f", s.meanRoundMilliseconds), 11)
                    + pad(String(format: "%.2f", s.workerComputeMilliseconds), 20) + pad(Format.percent(share, digits: 1), 25))
            }
            let single = Benchmark.measure(spec, batch: batch, threads: 1, minSeconds: 2)
            print("single process, 1 thread (plexus train's loop): \(Format.grouped(single.samplesPerSecond)) samples/s")
            print(String(format: "speed-up of 2 workers over 1: %.2f× (with 4 local steps per push: %.2f×)", rates[1] / rates[0], rates[3] / rates[2]))
        }
        if a.has("curve") {
            let n = try a.int("curve-workers") ?? 2
            guard n >= 1 && n <= 64 && n <= batch else { throw UsageError("--curve-workers must be in 1…64 and at most --batch") }
            try curveCost(base, workers: n, rounds: rounds, trainRounds: trainRounds, executable: exe, stop: stop)
        }
        return 0
    }

    /// Prints round latency and training throughput with and without CURVE, each measured twice
    /// in alternation (plain, CURVE, plain, CURVE) and the better run kept, so that drift on a busy
    /// machine does not favour either side.
    private static func curveCost(_ base: CoordinatorConfig, workers n: Int, rounds: Int, trainRounds: Int, executable: String,
                                  stop: StopSignal) throws {
        let keys = try CurveBenchKeys()
        defer { keys.remove() }
        print("\nCURVE (CurveZMQ encryption + ZAP authentication) cost, \(n) worker processes on loopback")
        print("                                      plain      CURVE     change")
        func measure(_ config: CoordinatorConfig, _ workerArguments: [String]) throws -> (plain: ClusterSummary, curve: ClusterSummary) {
            var plain: ClusterSummary?, curve: ClusterSummary?
            for _ in 0..<2 {
                let p = try ClusterBenchmark.cluster(config, workers: n, executable: executable, workerArguments: workerArguments, stop: stop)
                let c = try ClusterBenchmark.cluster(keys.securing(config), workers: n, executable: executable,
                                                     workerArguments: workerArguments + keys.workerArguments, stop: stop)
                if plain.map({ p.meanRoundMilliseconds < $0.meanRoundMilliseconds }) ?? true { plain = p }
                if curve.map({ c.meanRoundMilliseconds < $0.meanRoundMilliseconds }) ?? true { curve = c }
            }
            return (plain!, curve!)
        }
        func row(_ label: String, _ x: Double, _ y: Double, _ format: String) {
            let change = x > 0 ? String(format: "%+.1f%%", 100 * (y / x - 1)) : "-"
            print(label.padding(toLength: 34, withPad: " ", startingAt: 0) + pad(String(format: format, x), 10)
                + pad(String(format: format, y), 11) + pad(change, 11))
        }
        var wire = base
        wire.maxRounds = rounds
        let w = try measure(wire, ["--skip-compute"])
        row("round ms, no compute", w.plain.meanRoundMilliseconds, w.curve.meanRoundMilliseconds, "%.2f")
        row("  of which ZeroMQ ms (coordinator)", w.plain.socketMillisecondsPerRound, w.curve.socketMillisecondsPerRound, "%.2f")
        row("MB/s through the coordinator",
            Double(w.plain.bytesIn + w.plain.bytesOut) / 1e6 / (w.plain.meanRoundMilliseconds * Double(max(1, w.plain.rounds)) / 1000),
            Double(w.curve.bytesIn + w.curve.bytesOut) / 1e6 / (w.curve.meanRoundMilliseconds * Double(max(1, w.curve.rounds)) / 1000), "%.0f")
        var training = base
        training.maxRounds = trainRounds
        let t = try measure(training, ["--threads", "1"])
        row("training round ms", t.plain.meanRoundMilliseconds, t.curve.meanRoundMilliseconds, "%.2f")
        row("training samples/s", t.plain.samplesPerSecond, t.curve.samplesPerSecond, "%.0f")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(1, width - s.count)) + s
    }
}
