import Foundation
import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// The outcome of a cluster run.
public struct ClusterSummary: Sendable {
    public var rule: Rule
    public var testAccuracy: Double
    public var bestTestAccuracy: Double
    public var samplesPerSecond: Double
    public var wallSeconds: Double
    /// Sync rounds (async: reporting windows of one push per worker).
    public var rounds: Int
    /// Updates applied.
    public var version: Int
    public var staleRejected: Int
    public var lateDropped: Int
    public var bytesIn: Int
    public var bytesOut: Int
    /// Mean round time and the time spent encoding/decoding messages, in the ZeroMQ calls and
    /// aggregating, per round (for `plexus cluster-bench`).
    public var meanRoundMilliseconds: Double
    public var codecMillisecondsPerRound: Double
    public var socketMillisecondsPerRound: Double
    public var aggregationMillisecondsPerRound: Double
    /// GB/s of delta tensors added and applied.
    public var aggregationGBPerSecond: Double
    /// Mean compute time per push reported by the workers.
    public var workerComputeMilliseconds: Double
}

/// The parameter server (DESIGN.md §2): owns the weights and the optimizer, binds a ROUTER, admits
/// workers (Join → Welcome with their data shard), hands out work (`Weights`: these weights, these
/// samples), aggregates their pushes — in bulk-synchronous rounds with a quorum and a deadline, or
/// on arrival with a staleness bound — evaluates after every epoch and writes one JSON-lines log.
///
/// One thread owns the ROUTER: the one that calls `bind()` and then `run()`. Nothing a peer sends
/// can crash it: every message is decoded with bounds, validated against the run, and answered
/// with an `Error` where that helps the peer.
public final class Coordinator {
    public let config: CoordinatorConfig
    public let log: MetricsLog
    public let progress: ProgressLine
    public let stop: StopSignal
    /// Parameters to start from instead of a fresh initialisation (`--init`), in Float64.
    public var initial: Parameters<Double>?
    /// A checkpoint to resume from (`--resume`) and its path: its weights are `initial`, its
    /// optimizer state, counters and worker slots are put back by `run()`.
    public var resume: (checkpoint: Checkpoint, path: String)?
    /// Called on every pass of the loop (at least every 100 ms); an error it throws ends the run.
    public var onTick: (() throws -> Void)?
    /// Called with the final checkpoint (to save it).
    public var onFinish: ((Checkpoint) throws -> Void)?
    /// Print the permanent lines (start, epochs, done) on standard output.
    public var printLines = true
    /// The endpoint bound (port resolved) and the one workers should connect to.
    public private(set) var boundEndpoint: String?
    public private(set) var connectEndpoint: String?

    let data: (train: Dataset, test: Dataset)
    let shards: [[Int]]
    let table: WorkerTable
    let context: ZMQContext
    var router: ZMQSocket?
    var zap: ZAPHandler?
    /// With CURVE: handshake failures on the ROUTER (a plaintext peer, a wrong server key), logged
    /// as `refused` records; refusals by the allow-list come from the ZAP handler.
    var monitor: ZMQMonitor?
    var store: ParameterStore?
    var shardCache: [Int: (images: Tensor, labels: Tensor)] = [:]
    /// When each connection last sent a Join (bounded: cleared when it grows past 4096 entries).
    var lastJoin: [[UInt8]: Double] = [:]

    // Progress of the run.
    enum Phase { case waiting, training, finished }
    var phase = Phase.waiting
    var waitingSince = 0.0
    var trainStart = 0.0
    var wallStart = Date()
    var trainSeconds = 0.0
    var trainClock: Double?
    var consumed = 0
    var epochsDone = 0
    var lastEvalVersion = -1
    var lastTest = Double.nan
    var bestTest = 0.0
    var epochStats = EpochStats()
    var completedRounds = 0
    var lastCheckpointRound = 0
    var asyncJobs = 0
    var asyncHandled = 0

    // Sync round in progress, and the totals since the last `round` record.
    var round: RoundState?
    var window = RoundWindow()
    var totals = Totals()
    /// An error raised where it could not be thrown (a round closed by a leave), rethrown next pass.
    var pendingError: Error?

    /// The sync round in flight.
    struct RoundState {
        var number: Int
        var started: Double
        var expected: Set<Int>
        var received: Set<Int> = []
    }

    /// What a `round` record reports.
    struct RoundWindow {
        var started = Seconds.now
        var bytesIn = 0
        var bytesOut = 0
        var staleRejected = 0
        var lateDropped = 0
        var invalid = 0
        var pushes = 0
        var samples = 0
        var updates = 0
        var deadline = false
        /// Async: the largest staleness among the pushes applied.
        var maxStaleness = 0
    }

    /// Run totals.
    struct Totals {
        var bytesIn = 0
        var bytesOut = 0
        var staleRejected = 0
        var lateDropped = 0
        var invalid = 0
        var transportVolume = 0
        var welcomeBytes = 0
        var roundSeconds = 0.0
        var codecSeconds = 0.0
        var socketSeconds = 0.0
        var computeMilliseconds = 0.0
        var pushes = 0
        /// Messages rejected, by kind (see `reject`); their sum is `invalid`.
        var rejected: [String: Int] = [:]
    }

    /// Worker-reported training statistics of the current epoch.
    struct EpochStats {
        var samples = 0
        var lossSum = 0.0
        var correct = 0
        var energyBeforeSum = 0.0
        var energyAfterSum = 0.0
        var seconds = 0.0
    }

    /// Loads the data and splits it into one shard per worker slot; nothing is bound yet.
    public init(config: CoordinatorConfig, log: MetricsLog, progress: ProgressLine = ProgressLine(), stop: StopSignal = StopSignal()) throws {
        try config.validate()
        self.config = config
        self.log = log
        self.progress = progress
        self.stop = stop
        data = try config.train.loadData()
        guard data.train.count >= config.workers else {
            throw RunError("the training set has \(data.train.count) samples, fewer than --workers \(config.workers)")
        }
        shards = ClusterSchedule.shardIndices(trainCount: data.train.count, workers: config.workers, seed: config.train.seed)
        table = WorkerTable(capacity: config.workers)
        context = try ZMQContext()
    }

    deinit {
        monitor?.stop()
        zap?.stop()
        router?.close()
    }

    /// Workers currently live.
    public var liveWorkerCount: Int { table.activeCount }

    /// The dtype weights and deltas travel in.
    var wireDType: Tensor.DType {
        if config.compress != .none { return config.compress.dtype }
        return config.train.precision == .f64 ? .f64 : .f32
    }

    /// Binds the ROUTER (with CURVE when configured) and returns the address workers connect to.
    @discardableResult
    public func bind() throws -> String {
        let endpoint = try ClusterEndpoint.normalize(config.bind)
        let socket = try ZMQSocket(context: context, kind: .router, lingerMilliseconds: ClusterProtocol.coordinatorLingerMilliseconds)
        let parameterCount = config.train.model.parameterCount
        try socket.set(.sendHighWaterMark, ClusterProtocol.coordinatorHighWaterMark)
        try socket.set(.receiveHighWaterMark, ClusterProtocol.coordinatorHighWaterMark)
        try socket.set(.maxMessageSize, ClusterProtocol.coordinatorMaxMessageBytes(parameterCount: parameterCount))
        try socket.set(.routerMandatory, true)
        try socket.set(.routerHandover, true)
        try socket.set(.tcpKeepAlive, 1)
        if let secret = config.curveSecretPath, let keys = config.authorizedKeysDirectory {
            let pair = try CurveCertificate.loadKeyPair(from: secret)
            let allowed = try CurveCertificate.loadPublicKeys(inDirectory: keys)
            guard !allowed.isEmpty else { throw RunError("--authorized-keys \(keys) holds no *.pub worker certificates") }
            let progress = self.progress, log = self.log
            zap = try ZAPHandler(context: context, allowedKeys: allowed) { refusal in
                progress.print("coordinator: refused a connection: \(refusal)")
                var rec = JSONLine(event: "refused")
                rec.set("mechanism", refusal.mechanism)
                if let key = refusal.publicKey { rec.set("key", key) }
                rec.set("address", refusal.address)
                rec.set("reason", "\(refusal.statusCode) \(refusal.reason)")
                log.write(rec)
            }
            try socket.makeCurveServer(keyPair: pair)
            monitor = try ZMQMonitor(watching: socket, events: [.handshakeFailedProtocol, .handshakeFailedNoDetail])
        }
        do {
            try socket.bind(endpoint)
        } catch {
            throw RunError("cannot bind \(endpoint): \(error.message)"
                + (error.code == EADDRINUSE ? " (another coordinator running? pick another --port or --bind)" : ""))
        }
        router = socket
        let bound = try socket.lastEndpoint()
        boundEndpoint = bound
        let connect = ClusterEndpoint.connectAddress(bound: bound, advertise: config.advertise)
        connectEndpoint = connect
        if let file = config.endpointFile {
            do { try (connect + "\n").write(toFile: file, atomically: true, encoding: .utf8) } catch {
                throw RunError("cannot write --endpoint-file \(file): \(error.localizedDescription)")
            }
        }
        return connect
    }

    /// Trains until the epochs (or `maxRounds`) are done, then shuts the workers down. Throws
    /// `Interrupted` when stopped, `RunError` on failures.
    @discardableResult
    public func run() throws -> ClusterSummary {
        if router == nil { try bind() }
        let spec = config.train.model
        let initialParams = initial ?? Parameters<Double>.initialized(spec: spec, seed: config.train.seed)
        let probeBatch = Swift.min(config.train.batch, data.test.count)
        switch config.train.precision {
        case .f32:
            store = ParameterServer<Float>(spec: spec, optimizer: config.train.optimizer, initial: initialParams, test: data.test,
                                           probeBatch: probeBatch, threads: config.train.threads)
        case .f64:
            store = ParameterServer<Double>(spec: spec, optimizer: config.train.optimizer, initial: initialParams, test: data.test,
                                            probeBatch: probeBatch, threads: config.train.threads)
        }
        wallStart = Date()
        waitingSince = Seconds.now
        if let resume {
            try restore(resume.checkpoint, from: resume.path)
            // A checkpoint taken at the very end: nothing is left to train, no worker is needed.
            let roundsDone = config.maxRounds.map { (config.mode == .sync ? completedRounds : (store?.version ?? 0)) >= $0 } ?? false
            if config.train.epochs > 0 && (epochsDone >= config.train.epochs || roundsDone) { phase = .finished }
        } else {
            log.write(startRecord())
        }
        line("plexus coordinator: rule \(spec.rule), layers \(spec.widths.map(String.init).joined(separator: ",")), "
            + "\(config.train.optimizer.kind) lr \(config.train.optimizer.lr), batch \(config.train.batch), \(config.mode) "
            + (config.mode == .sync ? "quorum \(config.quorum ?? config.workers)/\(config.workers)" : "staleness ≤ \(config.stalenessBound)")
            + ", \(data.train.count) train / \(data.test.count) test samples")
        line("listening on \(boundEndpoint ?? "?"); workers connect with: plexus worker --connect \(connectEndpoint ?? "?")")
        do {
            try loop()
        } catch let interrupted as Interrupted {
            shutdownWorkers(reason: "the coordinator was interrupted (\(interrupted.reason))")
            logStop(reason: "interrupted (\(interrupted.reason))")
            progress.clear()
            throw interrupted
        } catch {
            shutdownWorkers(reason: "the coordinator failed: \(error)")
            logStop(reason: "failed: \(error)")
            progress.clear()
            throw error
        }
        return try finish()
    }

    // MARK: the loop

    private func loop() throws {
        guard let router else { return }
        while phase != .finished {
            if let reason = stop.reason { throw Interrupted(reason) }
            try onTick?()
            // Wait for the first message, then drain what is queued before the periodic checks.
            var budget = 2000
            var frames = try receive(router, timeoutMilliseconds: 100)
            while let f = frames, budget > 0 {
                try handle(frames: f)
                if phase == .finished { return }
                budget -= 1
                frames = try receive(router, timeoutMilliseconds: 0)
            }
            if let error = pendingError { pendingError = nil; throw error }
            logHandshakeFailures()
            let now = Seconds.now
            checkLiveness(now)
            try advance(now)
        }
    }

    /// The next message, waiting up to `timeoutMilliseconds`; only the receive itself (not the
    /// wait) counts as ZeroMQ time.
    private func receive(_ socket: ZMQSocket, timeoutMilliseconds: Int32) throws -> [[UInt8]]? {
        if timeoutMilliseconds > 0 {
            var poller = ZMQPoller()
            poller.add(socket)
            guard try poller.poll(timeoutMilliseconds: timeoutMilliseconds)[0].contains(.readable) else { return nil }
        }
        let start = Seconds.now
        let frames = try socket.receive(timeoutMilliseconds: 0)
        if frames != nil { totals.socketSeconds += Seconds.now - start }
        return frames
    }

    /// Starts training once the workers are there; drives the sync round deadline.
    private func advance(_ now: Double) throws {
        switch phase {
        case .waiting:
            let live = table.activeCount
            if live == config.workers || (live > 0 && now - waitingSince > config.joinTimeout) {
                if live < config.workers {
                    line("starting with \(live) of \(config.workers) workers after waiting \(Format.seconds(now - waitingSince))")
                }
                try startTraining()
            } else if now - waitingSince > config.joinTimeout {
                throw RunError("no worker joined within \(Format.seconds(config.joinTimeout)) (--join-timeout); "
                    + "start workers with: plexus worker --connect \(connectEndpoint ?? "?")")
            } else {
                progress.update("waiting for workers: \(live)/\(config.workers) joined")
            }
        case .training:
            if table.activeCount == 0 {
                if now - waitingSince > config.joinTimeout {
                    throw RunError("every worker has left and none came back within \(Format.seconds(config.joinTimeout)) (--join-timeout)")
                }
                return
            }
            waitingSince = now
            switch config.mode {
            case .sync:
                if let r = round {
                    if now - r.started > config.roundTimeout { try roundDeadline() }
                } else {
                    try startRound()
                }
            case .async:
                for r in table.active where r.job == nil { sendAsyncJob(r) }
            }
        case .finished:
            break
        }
    }

    private func startTraining() throws {
        phase = .training
        trainStart = Seconds.now
        trainClock = trainStart
        window = RoundWindow()
        if config.train.alignEvery > 0 { store?.recordAlignment(epoch: 0, round: 0, log: log) }
        if config.train.epochs == 0 && config.maxRounds == nil {
            phase = .finished
            return
        }
        switch config.mode {
        case .sync: try startRound()
        case .async: for r in table.active { sendAsyncJob(r) }
        }
    }

    // MARK: messages

    /// One message from the ROUTER: `[routing id, envelope]`.
    private func handle(frames: [[UInt8]]) throws {
        guard frames.count == 2, !frames[0].isEmpty else { count("bad_frames"); return }
        let identity = frames[0], bytes = frames[1]
        window.bytesIn += bytes.count
        totals.bytesIn += bytes.count
        let start = Seconds.now
        let message: Message
        do {
            message = try Message.decode(bytes)
        } catch {
            totals.codecSeconds += Seconds.now - start
            reject(identity, .invalidMessage, "cannot decode the message: \(error)", kind: "undecodable")
            return
        }
        totals.codecSeconds += Seconds.now - start
        let now = Seconds.now
        switch message {
        case .join(let join):
            try handleJoin(join, identity: identity, now: now)
        case .push(let push):
            guard let r = known(identity, now: now) else { return }
            guard push.workerID == r.id else {
                reject(identity, .invalidMessage, "push names worker \(push.workerID) but this connection is worker \(r.id)", kind: "wrong_worker_id")
                return
            }
            switch config.mode {
            case .sync: try handleSyncPush(push, from: r)
            case .async: try handleAsyncPush(push, from: r)
            }
        case .heartbeat:
            guard let r = known(identity, now: now) else { return }
            send(.heartbeat(Heartbeat(workerID: r.id, version: store?.version ?? 0)), to: r.identity)
        case .error(let e):
            let r = table.record(identity: identity)
            var rec = JSONLine(event: "worker_error")
            if let r { rec.set("worker", r.id); rec.set("name", r.name) }
            rec.set("code", e.code)
            rec.set("text", e.text)
            log.write(rec)
            progress.print("coordinator: worker \(r?.name ?? "?") reports: \(e.text)")
            if let r, e.code == ClusterProtocol.ErrorCode.workerFailed.rawValue {
                leave(r, reason: "failed: \(e.text)")
            } else if let r {
                // The worker could not do its job: it gets full weights and fresh work next time.
                r.heldVersion = -1
                r.job = nil
                dropFromRound(r.id)
            }
        case .shutdown(let s):
            if let r = table.record(identity: identity) { leave(r, reason: "shut down: \(s.reason)") }
        case .welcome, .weights:
            reject(identity, .unexpectedMessage, "a worker must not send \(message.kind) messages", kind: "unexpected_message")
        }
    }

    /// The live worker behind `identity` (its silence timer reset), or nil after telling the peer
    /// to join first.
    private func known(_ identity: [UInt8], now: Double) -> WorkerRecord? {
        guard let r = table.record(identity: identity) else {
            reject(identity, .notJoined, "this worker is not part of the run (it was dropped after falling silent, "
                + "or the coordinator restarted); join again", kind: "not_joined")
            return nil
        }
        r.lastHeard = now
        return r
    }

    private func handleJoin(_ join: Join, identity: [UInt8], now: Double) throws {
        // Every attempt restarts the interval, so a flood stays refused however long it lasts.
        let last = lastJoin[identity]
        if lastJoin.count >= 4096 { lastJoin.removeAll(keepingCapacity: true) }
        lastJoin[identity] = now
        if let last, now - last < ClusterProtocol.minimumJoinInterval {
            reject(identity, .joinRefused, String(format: "joins from one connection must be %g s apart", ClusterProtocol.minimumJoinInterval),
                   kind: "join_rate")
            return
        }
        if let holder = table.record(identity: identity), holder.name != join.workerName {
            reject(identity, .joinRefused, "this connection has already joined as \(holder.name)", kind: "join_second_name")
            return
        }
        let theirLow = join.minProtocolVersion == 0 ? join.protocolVersion : join.minProtocolVersion
        let theirHigh = join.protocolVersion
        let ours = (ClusterProtocol.minimumVersion, ClusterProtocol.version)
        guard theirLow <= ours.1 && ours.0 <= theirHigh && theirLow <= theirHigh else {
            let text = "protocol version mismatch: this coordinator speaks protocol \(ClusterProtocol.describe(ours.0, ours.1)), "
                + "worker \(join.workerName) speaks \(ClusterProtocol.describe(theirLow, theirHigh)); run the same plexus release on every host"
            reject(identity, .protocolMismatch, text, kind: "join_protocol")
            var rec = JSONLine(event: "refused")
            rec.set("name", join.workerName)
            rec.set("host", join.host)
            rec.set("reason", text)
            log.write(rec)
            progress.print("coordinator: refused \(join.workerName)@\(join.host): \(text)")
            return
        }
        guard !join.workerName.isEmpty, join.workerName.utf8.count <= 200 else {
            reject(identity, .invalidMessage, "a worker name must have 1 to 200 bytes", kind: "join_bad_name")
            return
        }
        let agreed = Swift.min(theirHigh, ours.1)
        let record: WorkerRecord
        switch table.admit(name: join.workerName, identity: identity, host: join.host, pid: join.pid, now: now) {
        case .full:
            reject(identity, .runFull, "the run already has \(config.workers) live workers (--workers \(config.workers)); "
                + "worker \(join.workerName) is not needed", kind: "join_full")
            if totals.rejected["join_full", default: 0] <= 10 {
                var rec = JSONLine(event: "refused")
                rec.set("name", String(join.workerName.prefix(200)))
                rec.set("host", String(join.host.prefix(200)))
                rec.set("reason", "run full")
                log.write(rec)
            }
            return
        case .duplicate(let r):
            record = r
        case .new(let r), .readmitted(let r):
            record = r
            logMembership("join", r, reason: nil)
        case .replaced(let r):
            logMembership("leave", r, reason: "replaced by a new connection of the same name")
            record = r
            dropFromRound(r.id)
            logMembership("join", r, reason: nil)
        }
        sendWelcome(record, protocolVersion: agreed)
        if phase == .training {
            switch config.mode {
            case .sync: if round == nil { try startRound() }
            case .async: sendAsyncJob(record)
            }
        }
    }

    private func sendWelcome(_ r: WorkerRecord, protocolVersion: Int) {
        guard let store else { return }
        let shard = shardTensors(r.id)
        let welcome = Welcome(workerID: r.id, config: config.runConfig, shardImages: shard.images, shardLabels: shard.labels,
                              version: store.version, weights: store.weightTensors(dtype: wireDType, includeFeedback: true),
                              protocolVersion: protocolVersion, numClasses: data.train.classes, shardCursor: r.cursor)
        let bytes = send(.welcome(welcome), to: r.identity)
        if bytes > 0 {
            r.heldVersion = store.version
            // The shard is a one-off cost of joining, not traffic of a round.
            window.bytesOut -= bytes
            totals.bytesOut -= bytes
            totals.welcomeBytes += bytes
        }
    }

    /// The u8 images and labels of slot `id`'s shard.
    private func shardTensors(_ id: Int) -> (images: Tensor, labels: Tensor) {
        if let cached = shardCache[id] { return cached }
        let shard = data.train.subset(shards[id], name: "\(data.train.name)[shard \(id + 1)/\(config.workers)]")
        // Shapes come from the data set itself.
        let images = try! Tensor(name: "shard.images", shape: [shard.count, shard.features], u8: shard.pixels)
        let labels = try! Tensor(name: "shard.labels", shape: [shard.count], u8: shard.labels)
        shardCache[id] = (images, labels)
        return (images, labels)
    }

    /// Sends one message; returns its size, or 0 when it could not be queued (the peer is gone or
    /// not reading — its silence will tell).
    @discardableResult
    func send(_ message: Message, to identity: [UInt8]) -> Int {
        guard let router else { return 0 }
        let start = Seconds.now
        let bytes = message.encoded()
        let encoded = Seconds.now
        totals.codecSeconds += encoded - start
        do {
            try router.send([identity, bytes], dontWait: true)
        } catch {
            totals.socketSeconds += Seconds.now - encoded
            return 0
        }
        totals.socketSeconds += Seconds.now - encoded
        window.bytesOut += bytes.count
        totals.bytesOut += bytes.count
        return bytes.count
    }

    func reply(_ identity: [UInt8], _ code: ClusterProtocol.ErrorCode, _ text: String) {
        send(.error(ErrorMessage(code: code.rawValue, text: text)), to: identity)
    }

    /// Answers a message that was not used with an `Error` and counts it under `kind` (the `round`
    /// records' `invalid`, the `done` record's `invalid` and `rejected`).
    func reject(_ identity: [UInt8], _ code: ClusterProtocol.ErrorCode, _ text: String, kind: String) {
        count(kind)
        reply(identity, code, text)
    }

    /// Counts one rejected message of `kind`.
    func count(_ kind: String) {
        window.invalid += 1
        totals.invalid += 1
        totals.rejected[kind, default: 0] += 1
    }

    /// Logs the CURVE handshakes that failed since the last pass (a peer without CURVE, or one
    /// holding another server key): such a peer gets no session and no data.
    private func logHandshakeFailures() {
        guard let monitor, let events = try? monitor.drain() else { return }
        for event in events {
            count("handshake_failed")
            if totals.rejected["handshake_failed", default: 0] > 100 { continue }
            var rec = JSONLine(event: "refused")
            rec.set("mechanism", "CURVE")
            rec.set("endpoint", event.endpoint)
            rec.set("reason", "handshake failed (\(event.kind), code \(event.value)): the peer does not speak CURVE with this coordinator's key")
            log.write(rec)
            progress.print("coordinator: refused a connection on \(event.endpoint): CURVE handshake failed (\(event.kind))")
        }
    }

    // MARK: membership

    private func checkLiveness(_ now: Double) {
        for r in table.active where now - r.lastHeard > config.heartbeatTimeout {
            leave(r, reason: String(format: "silent for %.1f s (--heartbeat-timeout %g)", now - r.lastHeard, config.heartbeatTimeout))
        }
    }

    /// Marks a worker as gone (its slot stays reserved for its name) and takes it out of the round.
    func leave(_ r: WorkerRecord, reason: String) {
        guard r.active else { return }
        r.active = false
        r.job = nil
        logMembership("leave", r, reason: reason)
        if phase != .finished { progress.print("coordinator: worker \(r.name) left: \(reason)") }
        dropFromRound(r.id)
    }

    private func logMembership(_ event: String, _ r: WorkerRecord, reason: String?) {
        var rec = JSONLine(event: event)
        rec.set("worker", r.id)
        rec.set("name", r.name)
        rec.set("host", r.host)
        rec.set("pid", r.pid)
        rec.set("workers", table.activeCount)
        rec.set("round", completedRounds)
        if let reason { rec.set("reason", reason) }
        log.write(rec)
    }

    /// Tells every live worker to exit.
    func shutdownWorkers(reason: String) {
        for r in table.active {
            send(.shutdown(Shutdown(reason: reason)), to: r.identity)
        }
    }

    /// The last record of a run that did not finish: why, and how far it got.
    private func logStop(reason: String) {
        var rec = JSONLine(event: "stopped")
        rec.set("reason", reason)
        rec.set("round", completedRounds)
        rec.set("version", store?.version ?? 0)
        rec.set("samples", consumed)
        rec.set("wall_s", Date().timeIntervalSince(wallStart))
        log.write(rec)
    }

    func line(_ text: String) {
        if printLines { progress.print(text) }
    }
}
