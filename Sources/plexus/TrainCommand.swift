import Foundation
import PlexusCluster
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// `plexus train`: single-process training.
enum TrainCommand {
    static let help = helpText(
        usage: "plexus train [options]",
        about: """
        Trains an MLP in one process with the chosen learning rule, printing one line per epoch and the
        final test accuracy. Defaults: Fashion-MNIST, 784-256-256-10 tanh, cross-entropy, Adam 1e-3,
        batch 128, 5 epochs, rule il with T = 20 steps at γ = 0.1.
        """,
        options: TrainOptions.all)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let parsed = try ParsedArguments(command: "train", arguments, options: TrainOptions.all)
        if let extra = parsed.positionals.first { throw UsageError("unexpected argument '\(extra)' for 'plexus train'") }
        let config = try TrainOptions.config(from: parsed)
        BLASThreads.set(1)
        let log = try MetricsLog(path: config.metricsPath, keepRecords: false)
        let trainer = Trainer(config: config, log: log, progress: ProgressLine(enabled: config.progress))
        if let path = config.initPath {
            let checkpoint = try CheckpointFile.read(from: path)
            trainer.initial = try Parameters<Double>.fromCheckpoint(checkpoint, spec: config.model, seed: config.seed, path: path)
        }
        if let path = config.savePath {
            trainer.onFinish = { params, epochs in
                let checkpoint = Checkpoint(model: config.model, tensors: params.tensors(), optimizer: config.optimizer, epoch: epochs)
                try CheckpointFile.write(checkpoint, to: path)
                print("saved checkpoint \(path)")
            }
        }
        _ = try trainer.run()
        return 0
    }
}
