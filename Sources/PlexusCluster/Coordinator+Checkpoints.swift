import Foundation
import PlexusLearning
import PlexusWire

/// Periodic checkpoints (`--checkpoint-every`) and resuming from one (`--resume`): the weights, the
/// optimizer's moments and step, the round, version, epoch and samples consumed (the schedule's
/// clock), and each worker slot's name and sample-stream position (the data order).
extension Coordinator {
    /// The file in `--checkpoint-dir` that always holds the last good checkpoint (written atomically).
    public static let checkpointFileName = "checkpoint.ckpt"

    /// The checkpoint of the run as it stands (between rounds: nothing is pending).
    func makeCheckpoint(logBytes: Int = 0) throws -> Checkpoint {
        guard let store else { throw RunError("the coordinator has no parameters") }
        let (tensors, state) = store.checkpoint(dtype: config.train.precision == .f64 ? .f64 : .f32)
        var checkpoint = Checkpoint(model: config.train.model, tensors: tensors, optimizer: config.train.optimizer,
                                    optimizerState: state, optimizerStep: store.optimizerStep, version: store.version,
                                    round: completedRounds, epoch: epochsDone, samplesSeen: consumed, run: config.runConfig,
                                    createdBy: "plexus coordinator")
        let slots = table.snapshot
        checkpoint.workerNames = slots.names
        checkpoint.workerCursors = slots.cursors
        checkpoint.logBytes = logBytes
        return checkpoint
    }

    /// Writes the checkpoint when `--checkpoint-every` rounds have passed since the last one, then
    /// logs a `checkpoint` record. The checkpoint remembers the log's length including that record,
    /// so a resume cuts off exactly what came after it. A failed write is logged and training goes on
    /// (the previous checkpoint is intact).
    func checkpointIfDue() {
        guard let every = config.checkpointEvery, let directory = config.checkpointDirectory,
              completedRounds > lastCheckpointRound, completedRounds % every == 0, round == nil || config.mode == .async else { return }
        guard store?.pendingPushes == 0 else { return }
        lastCheckpointRound = completedRounds
        let path = (directory as NSString).appendingPathComponent(Self.checkpointFileName)
        var record = JSONLine(event: "checkpoint")
        record.set("round", completedRounds)
        record.set("version", store?.version ?? 0)
        record.set("samples", consumed)
        record.set("path", path)
        record.set("time", (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        do {
            let checkpoint = try makeCheckpoint(logBytes: log.byteCount + record.text.utf8.count + 1)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try CheckpointFile.write(checkpoint, to: path)
            // The record's time is set, so the log writes exactly the text measured above.
            log.write(record)
        } catch {
            var failed = JSONLine(event: "checkpoint_failed")
            failed.set("round", completedRounds)
            failed.set("path", path)
            failed.set("reason", "\(error)")
            log.write(failed)
            progress.print("coordinator: cannot write checkpoint \(path): \(error); training goes on")
        }
    }

    /// Puts the state of `checkpoint` back (after the parameter store was built from its weights)
    /// and logs `resume`; the log is first cut back to where it stood when the checkpoint was taken,
    /// so no round is counted twice.
    func restore(_ checkpoint: Checkpoint, from path: String) throws {
        guard let store else { return }
        guard checkpoint.model == config.train.model else {
            throw RunError("checkpoint \(path) was saved for another model (layers \(checkpoint.model.widths.map(String.init).joined(separator: ",")), "
                + "rule \(checkpoint.model.rule)); resume with the run's own flags")
        }
        guard checkpoint.optimizer.kind == config.train.optimizer.kind else {
            throw RunError("checkpoint \(path) holds \(checkpoint.optimizer.kind) state but the run uses --optimizer \(config.train.optimizer.kind)")
        }
        guard checkpoint.workerNames.count == config.workers else {
            throw RunError("checkpoint \(path) was taken with --workers \(checkpoint.workerNames.count), not \(config.workers)")
        }
        try store.restore(optimizerState: checkpoint.optimizerState, step: checkpoint.optimizerStep, version: checkpoint.version)
        completedRounds = checkpoint.round
        lastCheckpointRound = checkpoint.round
        consumed = checkpoint.samplesSeen
        epochsDone = checkpoint.epoch
        table.restore(names: checkpoint.workerNames, cursors: checkpoint.workerCursors)
        let cut = checkpoint.logBytes > 0 ? try log.truncate(to: checkpoint.logBytes) : []
        let lostRounds = cut.filter { $0.contains("\"event\":\"round\"") }.count
        var rec = JSONLine(event: "resume")
        rec.set("path", path)
        rec.set("round", completedRounds)
        rec.set("version", checkpoint.version)
        rec.set("samples", consumed)
        rec.set("epoch", Double(consumed) / Double(data.train.count))
        rec.set("optimizer_step", checkpoint.optimizerStep)
        rec.set("lost_rounds", lostRounds)
        rec.set("lost_records", cut.count)
        rec.set("bind", boundEndpoint ?? config.bind)
        log.write(rec)
        line("resuming from \(path): round \(completedRounds), version \(checkpoint.version), "
            + String(format: "epoch %.2f", Double(consumed) / Double(data.train.count))
            + (lostRounds > 0 ? " (\(lostRounds) rounds after the checkpoint are redone)" : ""))
    }
}
