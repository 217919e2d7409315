import Foundation
import PlexusLearning
import PlexusWire

/// The aggregated metrics log, the live progress line, evaluation and the end of the run.
extension Coordinator {
    /// Writes the `round` record for the window since the last one (and `worker` records every
    /// `workerLogEvery` rounds), then starts a new window.
    func logRound() {
        let now = Seconds.now
        let ms = 1000 * (now - window.started)
        var rec = JSONLine(event: "round")
        rec.set("round", completedRounds)
        rec.set("version", store?.version ?? 0)
        rec.set("workers", window.pushes)
        rec.set("live_workers", table.activeCount)
        rec.set("samples", window.samples)
        rec.set("round_ms", ms)
        rec.set("bytes_in", window.bytesIn)
        rec.set("bytes_out", window.bytesOut)
        rec.set("stale_rejected", window.staleRejected)
        rec.set("late_dropped", window.lateDropped)
        if config.mode == .async { rec.set("max_staleness", window.maxStaleness) }
        if window.invalid > 0 { rec.set("invalid", window.invalid) }
        if window.deadline { rec.set("deadline", true) }
        let volume = config.train.model.locality.transportVolume * window.updates
        rec.set("transport_volume", volume)
        rec.set("epoch", Double(consumed) / Double(data.train.count))
        log.write(rec)
        totals.transportVolume += volume
        totals.roundSeconds += now - window.started
        window = RoundWindow(started: now)
        if completedRounds % config.workerLogEvery == 0 { logWorkers() }
    }

    /// One `worker` record per worker with pushes since its last record: its own compute time,
    /// loss, energy, accuracy and traffic.
    func logWorkers() {
        for r in table.slots.compactMap({ $0 }) where r.window.pushes > 0 || r.window.rejected > 0 || r.window.late > 0 {
            let w = r.window
            let n = Double(Swift.max(w.samples, 1))
            var rec = JSONLine(event: "worker")
            rec.set("worker", r.id)
            rec.set("name", r.name)
            rec.set("host", r.host)
            rec.set("round", completedRounds)
            rec.set("pushes", w.pushes)
            rec.set("samples", w.samples)
            rec.set("compute_ms", w.computeMilliseconds)
            rec.set("compute_ms_per_push", w.pushes > 0 ? w.computeMilliseconds / Double(w.pushes) : .nan)
            rec.set("loss", w.samples > 0 ? w.lossSum / n : .nan)
            rec.set("train_accuracy", w.samples > 0 ? Double(w.correct) / n : .nan)
            rec.set("energy_before", w.samples > 0 ? w.energyBeforeSum / n : .nan)
            rec.set("energy_after", w.samples > 0 ? w.energyAfterSum / n : .nan)
            rec.set("bytes_in", w.bytesIn)
            rec.set("bytes_out", w.bytesOut)
            rec.set("stale_rejected", w.rejected)
            rec.set("late_dropped", w.late)
            log.write(rec)
            r.window = WorkerRecord.Window()
        }
    }

    /// The live line: round, epoch, accuracy, throughput, live workers.
    func updateProgress() {
        let epoch = Double(consumed) / Double(data.train.count)
        let elapsed = trainSeconds + (trainClock.map { Seconds.now - $0 } ?? 0)
        let rate = elapsed > 0 ? Double(consumed) / elapsed : 0
        progress.update(String(format: "round %d  epoch %.2f/%d  test %@  %@ samples/s  %d/%d workers live",
                               completedRounds, epoch, config.train.epochs, Format.percent(lastTest),
                               Format.grouped(rate), table.activeCount, config.workers))
    }

    /// Evaluates on the test set and logs `eval` (and alignment, every `alignEvery` epochs).
    func evaluate(epoch: Double) throws {
        guard let store else { return }
        if let t = trainClock { trainSeconds += Seconds.now - t; epochStats.seconds += Seconds.now - t }
        trainClock = nil
        let test = store.evaluate(data.test)
        lastEvalVersion = store.version
        lastTest = test.accuracy
        bestTest = Swift.max(bestTest, test.accuracy)
        let e = epochStats
        let n = Double(Swift.max(e.samples, 1))
        let sps = e.seconds > 0 ? Double(e.samples) / e.seconds : 0
        var rec = JSONLine(event: "eval")
        rec.set("rule", config.train.model.rule.rawValue)
        rec.set("epoch", epoch)
        rec.set("round", completedRounds)
        rec.set("version", store.version)
        rec.set("test_accuracy", test.accuracy)
        rec.set("test_loss", test.meanLoss)
        rec.set("train_loss", e.samples > 0 ? e.lossSum / n : .nan)
        rec.set("train_accuracy", e.samples > 0 ? Double(e.correct) / n : .nan)
        rec.set("energy_before", e.samples > 0 ? e.energyBeforeSum / n : .nan)
        rec.set("energy_after", e.samples > 0 ? e.energyAfterSum / n : .nan)
        rec.set("samples_per_second", sps)
        rec.set("wall_s", Date().timeIntervalSince(wallStart))
        rec.set("workers", table.activeCount)
        log.write(rec)
        let whole = epoch == epoch.rounded()
        line((whole ? String(format: "epoch %d/%d", Int(epoch), config.train.epochs) : String(format: "epoch %.2f/%d", epoch, config.train.epochs))
            + String(format: "  round %d  loss %.4f  train %@  test %@  %@ samples/s  %d workers  %@",
                     completedRounds, e.samples > 0 ? e.lossSum / n : .nan, Format.percent(e.samples > 0 ? Double(e.correct) / n : .nan),
                     Format.percent(test.accuracy), Format.grouped(sps), table.activeCount,
                     Format.seconds(Date().timeIntervalSince(wallStart))))
        if config.train.alignEvery > 0 && whole && Int(epoch) % config.train.alignEvery == 0 {
            store.recordAlignment(epoch: Int(epoch), round: completedRounds, log: log)
        }
        epochStats = EpochStats()
        trainClock = Seconds.now
    }

    /// The `start` record: the trainer's fields plus the cluster's shape.
    func startRecord() -> JSONLine {
        let c = config.train
        var r = c.startRecord(trainSamples: data.train.count, testSamples: data.test.count, workers: config.workers)
        r.set("mode", config.mode.rawValue)
        if config.mode == .sync { r.set("quorum", config.quorum ?? config.workers) } else { r.set("staleness", config.stalenessBound) }
        r.set("local_steps", config.localSteps)
        r.set("compress", config.compress == .none ? "none" : config.compress.rawValue)
        r.set("round_timeout_s", config.roundTimeout)
        r.set("heartbeat_timeout_s", config.heartbeatTimeout)
        r.set("bind", boundEndpoint ?? config.bind)
        r.set("protocol_version", ClusterProtocol.version)
        if let label = c.label { r.set("label", label) }
        return r
    }

    /// The end: a final evaluation if the weights changed since the last, `done`, the checkpoint,
    /// and `Shutdown` to every worker.
    func finish() throws -> ClusterSummary {
        guard let store else { throw RunError("the coordinator has no parameters") }
        if let t = trainClock { trainSeconds += Seconds.now - t; epochStats.seconds += Seconds.now - t; trainClock = nil }
        if window.pushes > 0 || window.staleRejected > 0 { completedRounds += config.mode == .async ? 1 : 0; logRound() }
        if lastEvalVersion != store.version || lastTest.isNaN {
            try evaluate(epoch: Double(consumed) / Double(data.train.count))
            trainClock = nil
        }
        logWorkers()
        shutdownWorkers(reason: "training finished")
        let wall = Date().timeIntervalSince(wallStart)
        let sps = trainSeconds > 0 ? Double(consumed) / trainSeconds : 0
        let rounds = Swift.max(completedRounds, 1)
        var done = doneRecord(config.train.model, test: lastTest, best: bestTest, sps: sps, wall: wall)
        done.set("workers", config.workers)
        done.set("mode", config.mode.rawValue)
        done.set("rounds", completedRounds)
        done.set("version", store.version)
        done.set("samples", consumed)
        done.set("epochs", Double(consumed) / Double(data.train.count))
        done.set("train_s", trainSeconds)
        done.set("bytes_in", totals.bytesIn)
        done.set("bytes_out", totals.bytesOut)
        done.set("welcome_bytes", totals.welcomeBytes)
        done.set("bytes_per_round", Double(totals.bytesIn + totals.bytesOut) / Double(rounds))
        done.set("round_ms", 1000 * totals.roundSeconds / Double(rounds))
        done.set("stale_rejected", totals.staleRejected)
        done.set("late_dropped", totals.lateDropped)
        done.set("invalid", totals.invalid)
        var rejected = JSONLine()
        for (kind, n) in totals.rejected.sorted(by: { $0.key < $1.key }) { rejected.set(kind, n) }
        done.set("rejected", rejected)
        done.set("transport_volume_total", totals.transportVolume)
        done.set("aggregation_ms_per_round", 1000 * store.aggregationSeconds / Double(rounds))
        done.set("codec_ms_per_round", 1000 * totals.codecSeconds / Double(rounds))
        done.set("zmq_ms_per_round", 1000 * totals.socketSeconds / Double(rounds))
        log.write(done)
        progress.clear()
        line("done: rule \(config.train.model.rule)  test accuracy \(Format.percent(lastTest))  (best \(Format.percent(bestTest)))  "
            + "\(Format.grouped(sps)) samples/s  \(completedRounds) rounds  \(config.workers) workers  \(Format.seconds(wall))")
        if let onFinish { try onFinish(try makeCheckpoint()) }
        let aggSeconds = store.aggregationSeconds
        return ClusterSummary(
            rule: config.train.model.rule, testAccuracy: lastTest, bestTestAccuracy: bestTest, samplesPerSecond: sps,
            wallSeconds: wall, rounds: completedRounds, version: store.version, staleRejected: totals.staleRejected,
            lateDropped: totals.lateDropped, bytesIn: totals.bytesIn, bytesOut: totals.bytesOut,
            meanRoundMilliseconds: 1000 * totals.roundSeconds / Double(rounds),
            codecMillisecondsPerRound: 1000 * totals.codecSeconds / Double(rounds),
            socketMillisecondsPerRound: 1000 * totals.socketSeconds / Double(rounds),
            aggregationMillisecondsPerRound: 1000 * aggSeconds / Double(rounds),
            aggregationGBPerSecond: aggSeconds > 0 ? Double(store.aggregatedBytes) / aggSeconds / 1e9 : 0,
            workerComputeMilliseconds: totals.pushes > 0 ? totals.computeMilliseconds / Double(totals.pushes) : 0)
    }
}
