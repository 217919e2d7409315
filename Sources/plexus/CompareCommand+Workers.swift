import Foundation
import PlexusCluster
import PlexusLearning
import PlexusWire

/// `plexus compare --workers N`: each rule trains on a local cluster started by `plexus launch`
/// (the coordinator in a child process, N worker processes), with the same flags a single-process
/// run gets. Its log is merged into the comparison's log and its checkpoint gives the trained
/// weights for the IL sweep.
extension CompareCommand {
    /// An external run for ``Comparison`` that starts `plexus launch --workers N` per rule; fails
    /// up front, with a one-line error, when this build has no `launch` command.
    static func launchRun(workers: Int, directory: URL) throws -> Comparison.ExternalRun {
        let executable = currentExecutable
        guard launchAvailable(executable) else {
            throw UsageError("--workers needs 'plexus launch' (the parameter server), which is not available in this build yet; "
                + "run compare without --workers to train in one process")
        }
        let runs = directory.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        return { config, log in
            let rule = config.model.rule
            let metrics = runs.appendingPathComponent("\(rule).jsonl"), checkpoint = runs.appendingPathComponent("\(rule).ckpt")
            let arguments = ["launch", "--workers", String(workers)] + trainArguments(config)
                + ["--metrics", metrics.path, "--save", checkpoint.path]
            let status = try runChild(executable, arguments)
            guard status == 0 else {
                throw RunError("plexus \(arguments.joined(separator: " ")) exited with status \(status)")
            }
            let text: String
            do { text = try String(contentsOf: metrics, encoding: .utf8) } catch {
                throw RunError("cannot read the cluster run's log \(metrics.path): \(error.localizedDescription)")
            }
            log.write(rawLines: text)
            guard rule == .il, FileManager.default.fileExists(atPath: checkpoint.path) else { return nil }
            return try Parameters<Double>.fromCheckpoint(CheckpointFile.read(from: checkpoint.path), spec: config.model,
                                                         seed: config.seed, path: checkpoint.path)
        }
    }

    /// The `plexus train`-style flags that reproduce `config` (model, optimizer, data, schedule).
    static func trainArguments(_ c: TrainConfig) -> [String] {
        let m = c.model, o = c.optimizer
        func number(_ x: Double) -> String { "\(x)" }
        var args = [
            "--data", c.dataSpec, "--layers", m.widths.map(String.init).joined(separator: ","),
            "--activation", m.activation.rawValue, "--rule", m.rule.rawValue, "--energy", m.energy.rawValue,
            "--epochs", String(c.epochs), "--batch", String(c.batch),
            "--optimizer", o.kind.rawValue, "--lr", number(o.lr), "--lr-schedule", o.schedule.rawValue,
            "--momentum", number(o.momentum), "--beta1", number(o.beta1), "--beta2", number(o.beta2),
            "--weight-decay", number(o.weightDecay),
            "--steps", String(m.steps), "--gamma", number(m.gamma), "--output-precision", number(m.outputPrecision),
            "--kp-decay", number(m.kpDecay), "--feedback-scale", number(m.feedbackScale),
            "--seed", String(c.seed), "--precision", c.precision.rawValue, "--align-every", String(c.alignEvery),
        ]
        if let n = c.trainLimit { args += ["--train-limit", String(n)] }
        if let n = c.testLimit { args += ["--test-limit", String(n)] }
        if !c.shuffle { args.append("--no-shuffle") }
        if !c.progress { args.append("--quiet") }
        return args
    }

    /// Whether `executable` has a `launch` command.
    static func launchAvailable(_ executable: String) -> Bool {
        (try? runChild(executable, ["launch", "--help"], quiet: true)) == 0
    }

    /// Runs a child process with this process's terminal (or silenced) and returns its exit status.
    static func runChild(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if quiet {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw RunError("cannot start \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The absolute path of the running executable.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
