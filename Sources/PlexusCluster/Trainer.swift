import Foundation
import PlexusData
import PlexusLearning
import PlexusNumerics

/// The outcome of a training run.
public struct TrainSummary: Sendable {
    public var rule: Rule
    public var testAccuracy: Double
    public var bestTestAccuracy: Double
    public var samplesPerSecond: Double
    public var wallSeconds: Double
    public var epochs: Int
}

/// Single-process training (`plexus train`): batches in epoch order, the rule's update, the optimizer,
/// a test evaluation and BP-alignment probe after every epoch, one JSON-lines log.
public final class Trainer {
    public let config: TrainConfig
    public let log: MetricsLog
    public let progress: ProgressLine
    /// Parameters to start from instead of a fresh initialisation (`--init`), in Float64.
    public var initial: Parameters<Double>?
    /// Called with the final parameters (in Float64) to save a checkpoint.
    public var onFinish: ((Parameters<Double>, Int) throws -> Void)?

    public init(config: TrainConfig, log: MetricsLog, progress: ProgressLine = ProgressLine()) {
        self.config = config
        self.log = log
        self.progress = progress
    }

    public func run() throws -> TrainSummary {
        try config.validate()
        let data = try config.loadData()
        switch config.precision {
        case .f32: return try train(Float.self, data)
        case .f64: return try train(Double.self, data)
        }
    }

    private func train<S: BLASScalar>(_: S.Type, _ data: (train: Dataset, test: Dataset)) throws -> TrainSummary {
        let spec = config.model, batch = config.batch
        let params: Parameters<S> = initial.map { $0.converted(to: S.self) } ?? Parameters<S>.initialized(spec: spec, seed: config.seed)
        let learner = Learner<S>(spec: spec, maxBatch: batch, threads: config.threads)
        let update = Parameters<S>(zerosFor: spec, includeFeedback: false)
        let optimizer = Optimizer<S>(config.optimizer, model: spec)
        optimizer.threads = config.threads
        let input = Matrix<S>(rows: batch, cols: spec.widths[0])
        let target = Matrix<S>(rows: batch, cols: spec.widths[spec.depth])
        let evaluator = Evaluator<S>(spec: spec, threads: config.threads)
        let probe = AlignmentProbe<S>(spec: spec, test: data.test, batch: Swift.min(batch, data.test.count), threads: config.threads)

        log.write(startRecord(data))
        progress.print("plexus train: rule \(spec.rule), layers \(spec.widths.map(String.init).joined(separator: ",")), "
            + "\(spec.activation), \(spec.energy), \(config.optimizer.kind) lr \(config.optimizer.lr), batch \(batch), "
            + "\(data.train.count) train / \(data.test.count) test samples, \(config.precision)")
        if config.alignEvery > 0 { probe.record(params, epoch: 0, log: log) }

        var best = 0.0, last = Double.nan, trainSeconds = 0.0, samples = 0
        let wallStart = Date()
        let batchesPerEpoch = (data.train.count + batch - 1) / batch
        for epoch in 1...Swift.max(config.epochs, 1) where config.epochs > 0 {
            let order = data.train.epochOrder(epoch: epoch - 1, seed: config.seed, shuffle: config.shuffle)
            var stats = BatchStats()
            let epochStart = Date()
            for k in 0..<batchesPerEpoch {
                let indices = order[(k * batch)..<Swift.min((k + 1) * batch, order.count)]
                let rows = indices.count
                data.train.fillBatch(indices, inputs: input.data, targets: target.data)
                let s = learner.computeUpdate(params, input: input.rows(0, rows), target: target.rows(0, rows), into: update)
                guard s.lossSum.isFinite, update.firstNonFinite() == nil else {
                    progress.clear()
                    throw RunError("training diverged: NaN or infinity at epoch \(epoch), batch \(k + 1)"
                        + (update.firstNonFinite().map { " (in the update of \($0))" } ?? " (in the loss)")
                        + "; try a smaller --lr or a different --activation")
                }
                let done = Double((epoch - 1) * data.train.count + k * batch) / Double(config.epochs * data.train.count)
                optimizer.lrScale = config.optimizer.schedule.scale(progress: done)
                optimizer.apply(update, to: params)
                stats.merge(s)
                let elapsed = Date().timeIntervalSince(epochStart)
                progress.update("  epoch \(epoch)/\(config.epochs)  \(Int(100 * Double(k + 1) / Double(batchesPerEpoch)))%  "
                    + "loss \(Format.number(stats.meanLoss))  \(Format.grouped(Double(stats.samples) / Swift.max(elapsed, 1e-9))) samples/s")
            }
            let epochSeconds = Date().timeIntervalSince(epochStart)
            trainSeconds += epochSeconds
            samples += stats.samples
            if let bad = params.firstNonFinite() {
                throw RunError("training diverged: \(bad) is not finite after epoch \(epoch); try a smaller --lr")
            }
            let test = evaluator.evaluate(params, on: data.test)
            last = test.accuracy
            best = Swift.max(best, last)
            var r = JSONLine(event: "eval")
            r.set("rule", spec.rule.rawValue)
            r.set("epoch", epoch)
            r.set("test_accuracy", test.accuracy)
            r.set("test_loss", test.meanLoss)
            r.set("train_loss", stats.meanLoss)
            r.set("train_accuracy", stats.accuracy)
            r.set("energy_before", stats.meanEnergyBefore)
            r.set("energy_after", stats.meanEnergyAfter)
            r.set("samples_per_second", Double(stats.samples) / epochSeconds)
            r.set("wall_s", Date().timeIntervalSince(wallStart))
            log.write(r)
            progress.print(String(format: "epoch %d/%d  loss %.4f  train %@  test %@  energy %@→%@  %@ samples/s  %@",
                                  epoch, config.epochs, stats.meanLoss, Format.percent(stats.accuracy), Format.percent(test.accuracy),
                                  Format.number(stats.meanEnergyBefore, digits: 3), Format.number(stats.meanEnergyAfter, digits: 3),
                                  Format.grouped(Double(stats.samples) / epochSeconds), Format.seconds(Date().timeIntervalSince(wallStart))))
            if config.alignEvery > 0 && epoch % config.alignEvery == 0 { probe.record(params, epoch: epoch, log: log) }
        }
        if config.epochs == 0 {
            last = evaluator.evaluate(params, on: data.test).accuracy
            best = last
        }
        let wall = Date().timeIntervalSince(wallStart)
        let sps = trainSeconds > 0 ? Double(samples) / trainSeconds : 0
        log.write(doneRecord(spec, test: last, best: best, sps: sps, wall: wall))
        progress.print("done: rule \(spec.rule)  test accuracy \(Format.percent(last))  (best \(Format.percent(best)))  "
            + "\(Format.grouped(sps)) samples/s  \(Format.seconds(wall))")
        try onFinish?(params.converted(to: Double.self), config.epochs)
        return TrainSummary(rule: spec.rule, testAccuracy: last, bestTestAccuracy: best, samplesPerSecond: sps,
                            wallSeconds: wall, epochs: config.epochs)
    }

    private func startRecord(_ data: (train: Dataset, test: Dataset)) -> JSONLine {
        var r = config.startRecord(trainSamples: data.train.count, testSamples: data.test.count, workers: 1)
        if let label = config.label { r.set("label", label) }
        return r
    }
}

extension TrainConfig {
    /// The fields of a run's `start` record that the trainer and the coordinator share; callers add
    /// their own (the cluster's shape, a label) after these.
    public func startRecord(trainSamples: Int, testSamples: Int, workers: Int) -> JSONLine {
        var r = JSONLine(event: "start")
        r.set("rule", model.rule.rawValue)
        r.set("model", model.json)
        r.set("optimizer", optimizer.json)
        r.set("batch", batch)
        r.set("epochs", epochs)
        r.set("workers", workers)
        r.set("threads", threads)
        r.set("data", dataSpec)
        r.set("train_samples", trainSamples)
        r.set("test_samples", testSamples)
        r.set("seed", Int(truncatingIfNeeded: seed))
        r.set("precision", precision.rawValue)
        return r
    }
}

/// The final record of a run, shared by the trainer and the coordinator.
public func doneRecord(_ spec: ModelSpec, test: Double, best: Double, sps: Double, wall: Double) -> JSONLine {
    var r = JSONLine(event: "done")
    r.set("rule", spec.rule.rawValue)
    r.set("test_accuracy", test)
    r.set("best_test_accuracy", best)
    r.set("samples_per_second", sps)
    r.set("wall_s", wall)
    r.set("flops_per_sample", spec.flopsPerSample)
    r.set("locality", spec.locality.json)
    return r
}

extension ModelSpec {
    public var json: JSONLine {
        var m = JSONLine()
        m["widths"] = .array(widths.map { .integer($0) })
        m.set("activation", activation.rawValue)
        m.set("energy", energy.rawValue)
        m.set("rule", rule.rawValue)
        m.set("steps", steps)
        m.set("gamma", gamma)
        m.set("output_precision", outputPrecision)
        m.set("kp_decay", kpDecay)
        m.set("feedback_scale", feedbackScale)
        return m
    }
}

extension OptimizerSpec {
    public var json: JSONLine {
        var m = JSONLine()
        m.set("kind", kind.rawValue)
        m.set("lr", lr)
        m.set("schedule", schedule.rawValue)
        m.set("momentum", momentum)
        m.set("beta1", beta1)
        m.set("beta2", beta2)
        m.set("weight_decay", weightDecay)
        return m
    }
}

extension LocalityProfile {
    public var json: JSONLine {
        var m = JSONLine()
        m.set("weight_transport", weightTransport)
        m.set("local_plasticity", localPlasticity)
        m.set("fprime_on_feedback", fPrimeOnFeedback)
        m.set("separate_phases", separatePhases)
        m.set("transport_volume", transportVolume)
        return m
    }
}
