import Foundation
import PlexusLearning
import PlexusWire

/// Aggregation: bulk-synchronous rounds (quorum, deadline, late pushes dropped) and asynchronous
/// updates (apply on arrival, reject pushes staler than the bound).
extension Coordinator {
    /// Whether each `Weights` carries the feedback matrices (only pckp moves them).
    var sendsFeedback: Bool { config.train.model.rule == .pckp }

    /// Sends `r` its job: the current weights (unless it holds them) and the samples to use.
    private func sendJob(_ r: WorkerRecord, _ job: WorkerRecord.Job, tensors: [Tensor]) {
        r.job = job
        let weights = Weights(version: job.version, tensors: r.heldVersion == job.version ? [] : tensors,
                              round: job.round, shardCursor: job.cursor, batch: job.batch)
        if send(.weights(weights), to: r.identity) > 0 { r.heldVersion = job.version }
    }

    /// The current weights as wire tensors (converted once per version; the time counts as codec).
    private func currentWeights(_ store: ParameterStore) -> [Tensor] {
        let start = Seconds.now
        defer { totals.codecSeconds += Seconds.now - start }
        return store.weightTensors(dtype: wireDType, includeFeedback: sendsFeedback)
    }

    // MARK: sync

    /// Opens the next round: the batch is split over the live workers that are free. A worker still
    /// computing a round that closed without it (a backup worker, or one the deadline left behind)
    /// sits this round out, so no work queues up behind it. A worker that keeps sending heartbeats
    /// for twice the round deadline after its job was sent, without pushing, has lost the job (a
    /// reconnection) and is given a new one; one that is silent is waited for by its heartbeat timeout.
    func startRound() throws {
        guard let store else { return }
        let now = Seconds.now
        let free = table.active.filter { r in r.job.map { r.lastHeard - $0.sentAt > 2 * config.roundTimeout } ?? true }
        guard !free.isEmpty else { round = nil; return }
        let number = completedRounds + 1
        let shares = ClusterSchedule.shares(total: config.train.batch, parts: free.count)
        let tensors = currentWeights(store)
        var expected = Set<Int>()
        for (r, share) in zip(free, shares) where share > 0 {
            sendJob(r, WorkerRecord.Job(round: number, version: store.version, batch: share, cursor: r.cursor, sentAt: now), tensors: tensors)
            expected.insert(r.id)
        }
        round = RoundState(number: number, started: now, expected: expected)
    }

    /// The number of pushes that closes the round.
    private func target(_ r: RoundState) -> Int { config.quorum(live: r.expected.count) }

    func handleSyncPush(_ push: Push, from r: WorkerRecord) throws {
        guard let store else { return }
        guard var current = round, push.round == current.number,
              current.expected.contains(r.id), !current.received.contains(r.id), let job = r.job, job.round == push.round else {
            if push.round <= completedRounds || (round.map { $0.received.contains(r.id) } ?? false) {
                // A push for a closed round (the quorum was reached without it), or a repeat: dropped.
                window.lateDropped += 1
                totals.lateDropped += 1
                r.window.late += 1
                // The worker has answered its outstanding job: it is free for the next round.
                if r.job?.round == push.round { r.job = nil }
            } else {
                reject(r.identity, .invalidMessage, "push for round \(push.round), which was never assigned to this worker", kind: "unassigned_round")
            }
            return
        }
        guard push.baseVersion == job.version, push.sampleCount == job.batch * config.localSteps else {
            invalidPush(r, "push for round \(push.round) has base version \(push.baseVersion) and \(push.sampleCount) samples; "
                + "the round was sent version \(job.version) and \(job.batch * config.localSteps) samples", kind: "wrong_version_or_count")
            return
        }
        do {
            try store.accumulate(push.deltas, sampleCount: push.sampleCount)
        } catch {
            invalidPush(r, "push rejected: \(error.description)")
            return
        }
        accepted(push, from: r, job: job)
        current.received.insert(r.id)
        round = current
        if current.received.count >= target(current) { try finishRound(deadline: false) }
    }

    /// Answers an unusable push and takes the worker out of the round (it is sent fresh work next round).
    private func invalidPush(_ r: WorkerRecord, _ text: String, kind: String = "invalid_push") {
        r.heldVersion = -1
        reject(r.identity, .invalidMessage, text, kind: kind)
        if config.mode == .sync {
            // The worker has answered its job: it is free for the next round.
            r.job = nil
            dropFromRound(r.id)
        } else {
            r.job = nil
        }
    }

    /// Book-keeping for a push whose deltas were added.
    private func accepted(_ push: Push, from r: WorkerRecord, job: WorkerRecord.Job) {
        r.cursor = job.cursor + push.sampleCount
        r.job = nil
        var push = push
        push.metrics = WorkerRecord.sanitized(push.metrics, samples: push.sampleCount)
        r.window.add(push.metrics, samples: push.sampleCount)
        window.pushes += 1
        window.samples += push.sampleCount
        totals.pushes += 1
        if push.metrics.computeMilliseconds.isFinite { totals.computeMilliseconds += push.metrics.computeMilliseconds }
        let n = Double(push.sampleCount)
        epochStats.samples += push.sampleCount
        epochStats.lossSum += push.metrics.loss * n
        epochStats.correct += push.metrics.correct
        epochStats.energyBeforeSum += push.metrics.energyBefore * n
        epochStats.energyAfterSum += push.metrics.energyAfter * n
    }

    /// Removes worker `id` from the round in flight; closes the round if the rest are in.
    func dropFromRound(_ id: Int) {
        guard config.mode == .sync, var current = round, current.expected.contains(id), !current.received.contains(id) else { return }
        current.expected.remove(id)
        round = current
        if current.expected.isEmpty {
            round = nil
        } else if current.received.count >= target(current), current.received.count > 0 {
            // A leave can complete a round; errors (divergence) surface at the next round instead.
            do { try finishRound(deadline: false) } catch { pendingError = error }
        }
    }

    /// The round deadline passed: close with the pushes that came, or send the round again.
    func roundDeadline() throws {
        guard let store, var current = round else { return }
        if store.pendingPushes > 0 {
            try finishRound(deadline: true)
            return
        }
        var rec = JSONLine(event: "round_timeout")
        rec.set("round", current.number)
        rec.set("waited_s", Seconds.now - current.started)
        rec.set("workers", current.expected.count)
        log.write(rec)
        current.started = Seconds.now
        round = current
        let tensors = currentWeights(store)
        // No push at all: the jobs may have been lost (a reconnection); send them again.
        for r in table.active where current.expected.contains(r.id) {
            if var job = r.job {
                job.sentAt = current.started
                sendJob(r, job, tensors: tensors)
            }
        }
    }

    /// Applies the round's aggregate, logs it, evaluates at epoch ends, and opens the next round.
    func finishRound(deadline: Bool) throws {
        guard let store, let current = round else { return }
        let started = current.started
        try store.applyPending(progress: scheduleProgress)
        round = nil
        completedRounds += 1
        window.updates += 1
        window.deadline = deadline
        window.started = started
        consumed += window.samples
        logRound()
        try afterUpdate()
        checkpointIfDue()
        if phase == .training { try startRound() }
    }

    // MARK: async

    /// Sends `r` the current weights and its next samples.
    func sendAsyncJob(_ r: WorkerRecord) {
        guard let store, phase == .training else { return }
        asyncJobs += 1
        let tensors = currentWeights(store)
        sendJob(r, WorkerRecord.Job(round: asyncJobs, version: store.version, batch: config.train.batch, cursor: r.cursor,
                                    sentAt: Seconds.now), tensors: tensors)
    }

    func handleAsyncPush(_ push: Push, from r: WorkerRecord) throws {
        guard let store else { return }
        guard let job = r.job, job.round == push.round else {
            window.lateDropped += 1
            totals.lateDropped += 1
            r.window.late += 1
            return
        }
        guard push.baseVersion == job.version, push.sampleCount == job.batch * config.localSteps else {
            invalidPush(r, "push for job \(push.round) has base version \(push.baseVersion) and \(push.sampleCount) samples; "
                + "the job was sent version \(job.version) and \(job.batch * config.localSteps) samples", kind: "wrong_version_or_count")
            sendAsyncJob(r)
            return
        }
        asyncHandled += 1
        let lag = store.version - push.baseVersion
        if lag > config.stalenessBound {
            window.staleRejected += 1
            totals.staleRejected += 1
            r.window.rejected += 1
            var rec = JSONLine(event: "stale")
            rec.set("worker", r.id)
            rec.set("name", r.name)
            rec.set("base_version", push.baseVersion)
            rec.set("version", store.version)
            rec.set("staleness", lag)
            rec.set("bound", config.stalenessBound)
            log.write(rec)
            r.job = nil
        } else {
            do {
                try store.accumulate(push.deltas, sampleCount: push.sampleCount)
            } catch {
                invalidPush(r, "push rejected: \(error.description)")
                sendAsyncJob(r)
                return
            }
            accepted(push, from: r, job: job)
            try store.applyPending(progress: scheduleProgress)
            window.updates += 1
            window.maxStaleness = Swift.max(window.maxStaleness, lag)
            consumed += push.sampleCount
        }
        if asyncHandled % Swift.max(1, table.activeCount) == 0 {
            completedRounds += 1
            logRound()
        }
        if lag <= config.stalenessBound { try afterUpdate() }
        checkpointIfDue()
        if phase == .training { sendAsyncJob(r) }
    }

    // MARK: epochs and the end

    /// Fraction of the run's training samples consumed before the update being applied (the
    /// learning-rate schedule's clock, as in the single-process trainer).
    var scheduleProgress: Double {
        let total = Double(config.train.epochs * data.train.count)
        return total > 0 ? Double(consumed) / total : 0
    }

    /// Evaluates at every epoch boundary the consumed samples crossed; marks the run finished.
    func afterUpdate() throws {
        let trainCount = data.train.count
        while epochsDone < config.train.epochs && consumed >= (epochsDone + 1) * trainCount {
            epochsDone += 1
            try evaluate(epoch: Double(epochsDone))
        }
        if let error = pendingError { pendingError = nil; throw error }
        let limit = config.maxRounds.map { (config.mode == .sync ? completedRounds : (store?.version ?? 0)) >= $0 } ?? false
        if epochsDone >= config.train.epochs || limit { phase = .finished }
        updateProgress()
    }
}
