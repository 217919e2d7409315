import PlexusCluster
import PlexusData
import PlexusLearning
import PlexusNumerics

/// The flags every training command shares (`train`, `launch`, `coordinator`, `compare`).
enum TrainOptions {
    static let all: [OptionSpec] = [
        OptionSpec("data", "SPEC", "fashion-mnist (default), idx:DIR (MNIST-format IDX files), synthetic[:TRAIN:TEST]"),
        OptionSpec("layers", "N,N,…", "layer widths n_0…n_L [784,256,256,10]"),
        OptionSpec("activation", "NAME", "tanh, relu, leaky-relu, gelu, sigmoid, linear [tanh]"),
        OptionSpec("rule", "NAME", "bp, il, zil, fa, pcfa, pckp, dfa [il]"),
        OptionSpec("energy", "NAME", "output energy: ce (cross-entropy) or se (squared error) [ce]"),
        OptionSpec("epochs", "N", "passes over the training set [5]"),
        OptionSpec("batch", "N", "samples per update [128]"),
        OptionSpec("optimizer", "NAME", "sgd, adam, adamw [adam]"),
        OptionSpec("lr", "X", "learning rate [1e-3]"),
        OptionSpec("lr-schedule", "NAME", "constant, or cosine decay to 0 over the run [cosine]"),
        OptionSpec("momentum", "X", "SGD momentum [0.9]"),
        OptionSpec("beta1", "X", "Adam β1 [0.9]"),
        OptionSpec("beta2", "X", "Adam β2 [0.999]"),
        OptionSpec("weight-decay", "X", "weight decay (decoupled for adamw) [0]"),
        OptionSpec("steps", "T", "inference steps of PC rules [20]"),
        OptionSpec("gamma", "X", "inference rate of PC rules (zil uses 1) [0.1]"),
        OptionSpec("output-precision", "X", "precision π_L of the output error; small → IL nears BP [0.1]"),
        OptionSpec("kp-decay", "X", "pckp: decay of W and B per update [1e-3]"),
        OptionSpec("feedback-scale", "X", "fa/pcfa/pckp/dfa: scale of random feedback vs Glorot [1]"),
        OptionSpec("seed", "N", "seed of initialisation, shuffling and synthetic data [0]"),
        OptionSpec("train-limit", "N", "use the first N training samples"),
        OptionSpec("test-limit", "N", "use the first N test samples"),
        OptionSpec("no-shuffle", nil, "take batches in file order"),
        OptionSpec("threads", "N", "compute threads (batch slices, one BLAS thread each) [cores]"),
        OptionSpec("metrics", "FILE", "write JSON-lines metrics here"),
        OptionSpec("save", "FILE", "write the final checkpoint here (protobuf)"),
        OptionSpec("init", "FILE", "start from this checkpoint"),
        OptionSpec("precision", "f32|f64", "arithmetic precision [f32]"),
        OptionSpec("align-every", "N", "log BP alignment on a held-out batch every N epochs; 0 = never [1]"),
        OptionSpec("quiet", nil, "no live progress line"),
    ]

    static var defaultThreads: Int { max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Builds a validated configuration from parsed flags.
    static func config(from a: ParsedArguments) throws -> TrainConfig {
        var c = TrainConfig()
        c.threads = defaultThreads
        if let d = a.string("data") {
            c.data = try DataSource(parsing: d)
            c.dataSpec = d
        }
        if let w = try a.intList("layers") { c.model.widths = w }
        if let s = a.string("activation") { c.model.activation = try Activation.parse(s) }
        if let s = a.string("rule") { c.model.rule = try Rule.parse(s) }
        if let s = a.string("energy") { c.model.energy = try Energy.parse(s) }
        if let n = try a.int("epochs") { c.epochs = n }
        if let n = try a.int("batch") { c.batch = n }
        if let s = a.string("optimizer") { c.optimizer.kind = try OptimizerSpec.parseKind(s) }
        if let x = try a.double("lr") { c.optimizer.lr = x }
        if let s = a.string("lr-schedule") {
            guard let v = OptimizerSpec.Schedule(rawValue: s) else { throw UsageError("--lr-schedule must be constant or cosine, got '\(s)'") }
            c.optimizer.schedule = v
        }
        if let x = try a.double("momentum") { c.optimizer.momentum = x }
        if let x = try a.double("beta1") { c.optimizer.beta1 = x }
        if let x = try a.double("beta2") { c.optimizer.beta2 = x }
        if let x = try a.double("weight-decay") { c.optimizer.weightDecay = x }
        if let n = try a.int("steps") { c.model.steps = n }
        if let x = try a.double("gamma") { c.model.gamma = x }
        if let x = try a.double("output-precision") { c.model.outputPrecision = x }
        if let x = try a.double("kp-decay") { c.model.kpDecay = x }
        if let x = try a.double("feedback-scale") { c.model.feedbackScale = x }
        if let n = try a.int("seed") {
            guard n >= 0 else { throw UsageError("--seed must be ≥ 0, got \(n)") }
            c.seed = UInt64(n)
        }
        c.trainLimit = try a.int("train-limit")
        c.testLimit = try a.int("test-limit")
        if a.has("no-shuffle") { c.shuffle = false }
        if let n = try a.int("threads") { c.threads = n }
        c.metricsPath = a.string("metrics")
        c.savePath = a.string("save")
        c.initPath = a.string("init")
        if let p = a.string("precision") {
            guard let v = TrainConfig.Precision(rawValue: p) else { throw UsageError("--precision must be f32 or f64, got '\(p)'") }
            c.precision = v
        }
        if let n = try a.int("align-every") { c.alignEvery = n }
        if a.has("quiet") { c.progress = false }
        if c.model.rule == .zil && a.string("steps") == nil { c.model.steps = c.model.depth }
        try c.validate()
        return c
    }
}

import Foundation
