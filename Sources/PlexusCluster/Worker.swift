import Foundation
import PlexusData
import PlexusWire

/// What a worker did, for its last line.
public struct WorkerSummary: Sendable {
    public var name: String
    public var workerID: Int
    public var pushes: Int
    public var samples: Int
    public var reason: String
}

/// A worker process (DESIGN.md §2): connects a DEALER to the coordinator, joins, receives its data
/// shard and the weights, and then answers every `Weights` job with a `Push` of the rule's update
/// on the samples it names. The calling thread owns the DEALER and keeps sending heartbeats while a
/// background `ComputeThread` computes; newer jobs replace queued ones.
///
/// A worker started before its coordinator keeps trying until `connectTimeout`; one that cannot
/// reach or join it in that time, or hears nothing from it for `coordinatorTimeout`, exits with an
/// error that says which.
public final class Worker {
    public let config: WorkerConfig
    public let stop: StopSignal
    /// Receives the worker's progress lines (stdout by default; silent unless `config.verbose`).
    public var say: (String) -> Void = { print($0) }

    private let context: ZMQContext
    private var dealer: ZMQSocket?
    private var monitor: ZMQMonitor?
    private var notify: ZMQSocket?
    private var compute: ComputeThread?

    // Connection and membership.
    private var started = 0.0
    private var everConnected = false
    private var connected = false
    private var handshakeFailure: String?
    private var joined: Welcome?
    private var lastJoinSent = -Double.infinity
    private var lastSent = 0.0
    private var lastHeard = 0.0
    private var generation = 0
    private var engine: WorkerCompute?

    // Work.
    private var busy = false
    private var pending: Weights?
    private var bytesIn = 0
    private var bytesOut = 0
    private var pushes = 0
    private var samples = 0

    public init(config: WorkerConfig, stop: StopSignal = StopSignal()) throws {
        try config.validate()
        self.config = config
        self.stop = stop
        context = try ZMQContext()
    }

    deinit {
        compute?.stop()
        monitor?.stop()
    }

    /// Runs until the coordinator says `Shutdown`; throws `RunError` on failures and `Interrupted`
    /// when stopped.
    public func run() throws -> WorkerSummary {
        let endpoint = try ClusterEndpoint.normalize(config.endpoint)
        let socket = try ZMQSocket(context: context, kind: .dealer, lingerMilliseconds: ClusterProtocol.workerLingerMilliseconds)
        dealer = socket
        let suffix = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        try socket.set(.routingID, Array("\(config.name.prefix(180))#\(getpid())#\(suffix)".utf8))
        try socket.set(.sendHighWaterMark, ClusterProtocol.workerHighWaterMark)
        try socket.set(.receiveHighWaterMark, ClusterProtocol.workerHighWaterMark)
        try socket.set(.maxMessageSize, ClusterProtocol.workerMaxMessageBytes)
        // Not ZMQ_IMMEDIATE: with it, libzmq drops unread inbound messages when a connection ends,
        // and the coordinator's last message (Shutdown) is followed at once by its disconnection.
        try socket.set(.immediate, false)
        try socket.set(.reconnectInterval, 100)
        try socket.set(.reconnectIntervalMax, 2000)
        try socket.set(.tcpKeepAlive, 1)
        if let secret = config.curveSecretPath, let serverKey = config.coordinatorKeyPath {
            let pair = try CurveCertificate.loadKeyPair(from: secret)
            let server = try CurveCertificate.load(from: serverKey)
            try socket.makeCurveClient(keyPair: pair, serverPublicKey: server.publicKey)
        }
        monitor = try ZMQMonitor(watching: socket, events: [.connected, .disconnected, .handshakeSucceeded, .handshakeFailures])
        let notifyEndpoint = ComputeThread.newEndpoint()
        let pair = try ZMQSocket(context: context, kind: .pair)
        try pair.bind(notifyEndpoint)
        notify = pair
        compute = ComputeThread(context: context, endpoint: notifyEndpoint)
        do {
            try socket.connect(endpoint)
        } catch {
            throw RunError("cannot connect to \(endpoint): \(error.message)")
        }
        started = Seconds.now
        defer {
            compute?.stop()
            monitor?.stop()
        }
        return try loop(endpoint)
    }

    // MARK: the loop

    private func loop(_ endpoint: String) throws -> WorkerSummary {
        guard let dealer, let monitor, let notify else { throw RunError("the worker is not set up") }
        var poller = ZMQPoller()
        let dealerIndex = poller.add(dealer)
        let notifyIndex = poller.add(notify)
        let monitorIndex = poller.add(monitor.socket)
        while true {
            if let reason = stop.reason {
                if joined != nil { send(.shutdown(Shutdown(reason: "worker \(config.name) stopped: \(reason)"))) }
                throw Interrupted(reason)
            }
            if let parent = config.parentPID, getppid() != parent {
                throw RunError("the launching process (pid \(parent)) is gone")
            }
            let ready = try poller.poll(timeoutMilliseconds: 100)
            let now = Seconds.now
            if ready[monitorIndex].contains(.readable) {
                for event in try monitor.drain() { observe(event) }
            }
            if ready[dealerIndex].contains(.readable) {
                var budget = 100
                while budget > 0, let frames = try dealer.receive(timeoutMilliseconds: 0) {
                    budget -= 1
                    if let summary = try handle(frames, now: Seconds.now) { return summary }
                }
            }
            if ready[notifyIndex].contains(.readable) {
                while try notify.receive(timeoutMilliseconds: 0) != nil {}
                try collect()
            }
            try periodic(now, endpoint: endpoint)
        }
    }

    private func observe(_ event: ZMQMonitorEvent) {
        if event.kind.contains(.connected) || event.kind.contains(.handshakeSucceeded) {
            everConnected = true
            if !connected { lastJoinSent = -Double.infinity }
            connected = true
        }
        if event.kind.contains(.disconnected) { connected = false }
        if event.kind.contains(.handshakeFailedAuth) {
            handshakeFailure = "the coordinator refused this worker's CURVE key (is its .pub in the coordinator's --authorized-keys?)"
        } else if event.kind.contains(.handshakeFailedProtocol) || event.kind.contains(.handshakeFailedNoDetail) {
            handshakeFailure = "the security handshake failed (check --coordinator-key, and that both sides use CURVE or neither does)"
        }
    }

    /// Joins, heartbeats and the timeouts.
    private func periodic(_ now: Double, endpoint: String) throws {
        if joined == nil {
            // Join once connected (messages sent before would wait in the queue and pile up), and
            // again every few seconds while no Welcome comes (the coordinator answers repeats alike).
            if connected && now - lastJoinSent > 5 {
                let join = Join(protocolVersion: config.protocolVersion, workerName: config.name, host: ClusterEndpoint.hostName(),
                                pid: Int(getpid()), minProtocolVersion: config.minProtocolVersion)
                if send(.join(join)) > 0 { lastJoinSent = now }
            }
            if now - started > config.connectTimeout {
                let limit = Format.seconds(config.connectTimeout)
                if let failure = handshakeFailure {
                    throw RunError("cannot join the coordinator at \(endpoint) within \(limit) (--connect-timeout): \(failure)")
                }
                if !everConnected {
                    throw RunError("cannot reach the coordinator at \(endpoint) within \(limit) (--connect-timeout): no connection. "
                        + "Is the coordinator running and listening there? Check the address and port, firewalls, "
                        + "and on multi-NIC hosts the address the coordinator advertises (--advertise)")
                }
                throw RunError("connected to \(endpoint) but the coordinator did not answer the join within \(limit) (--connect-timeout)")
            }
            return
        }
        if now - lastSent >= config.heartbeatInterval, let welcome = joined {
            send(.heartbeat(Heartbeat(workerID: welcome.workerID, version: 0)))
            lastSent = now
        }
        if now - lastHeard > config.coordinatorTimeout {
            throw RunError("lost the coordinator at \(endpoint): nothing heard for \(Format.seconds(now - lastHeard)) (--coordinator-timeout)")
        }
    }

    /// Sends a message to the coordinator; returns its size, or 0 when it could not be queued.
    @discardableResult
    private func send(_ message: Message) -> Int {
        guard let dealer else { return 0 }
        let bytes = message.encoded()
        do {
            try dealer.send(bytes, dontWait: true)
        } catch {
            return 0
        }
        bytesOut += bytes.count
        lastSent = Seconds.now
        return bytes.count
    }

    // MARK: messages

    /// Handles one message; returns a summary when the run is over.
    private func handle(_ frames: [[UInt8]], now: Double) throws -> WorkerSummary? {
        guard frames.count == 1 else { return nil }
        bytesIn += frames[0].count
        let message: Message
        do {
            message = try Message.decode(frames[0])
        } catch {
            send(.error(ErrorMessage(code: ClusterProtocol.ErrorCode.invalidMessage.rawValue, text: "cannot decode the message: \(error)")))
            return nil
        }
        lastHeard = now
        switch message {
        case .welcome(let welcome):
            try admit(welcome)
        case .weights(let weights):
            guard joined != nil else { return nil }
            pending = weights
            dispatch()
        case .heartbeat:
            break
        case .shutdown(let s):
            compute?.stop()
            if config.verbose { say("worker \(config.name): \(pushes) pushes, \(samples) samples; the coordinator says: \(s.reason)") }
            return WorkerSummary(name: config.name, workerID: joined?.workerID ?? -1, pushes: pushes, samples: samples, reason: s.reason)
        case .error(let e):
            switch ClusterProtocol.ErrorCode(rawValue: e.code) {
            case .protocolMismatch, .runFull, .workerFailed:
                throw RunError("the coordinator refused this worker: \(e.text)")
            case .notJoined:
                // Dropped after falling silent, or the coordinator restarted: join again (the
                // heartbeats queued meanwhile bring several of these; say it once).
                if joined != nil && config.verbose { say("worker \(config.name): \(e.text)") }
                joined = nil
                engine = nil
                pending = nil
                generation += 1
                started = now
                lastJoinSent = -Double.infinity
            default:
                if config.verbose { say("worker \(config.name): the coordinator reports: \(e.text)") }
            }
        case .join, .push:
            send(.error(ErrorMessage(code: ClusterProtocol.ErrorCode.unexpectedMessage.rawValue,
                                     text: "a coordinator must not send \(message.kind) messages")))
        }
        return nil
    }

    /// Builds the compute engine for a Welcome: the shard, the weights, the precision.
    private func admit(_ welcome: Welcome) throws {
        let images = welcome.shardImages, labels = welcome.shardLabels
        guard images.dtype == .u8, labels.dtype == .u8, images.shape.count == 2, labels.shape.count == 1,
              images.shape[0] == labels.shape[0], images.shape[0] > 0,
              images.shape[1] == welcome.config.model.widths.first, welcome.numClasses == welcome.config.model.widths.last else {
            throw RunError("the coordinator sent an unusable shard (images \(images), labels \(labels), \(welcome.numClasses) classes)")
        }
        let shard: Dataset
        do {
            shard = try Dataset(name: "shard \(welcome.workerID)", pixels: images.bytes, labels: labels.bytes,
                                features: images.shape[1], classes: welcome.numClasses)
        } catch {
            throw RunError("the coordinator sent an unusable shard: \(error)")
        }
        do {
            try welcome.config.model.validate()
        } catch {
            throw RunError("the coordinator sent an unusable model: \(error)")
        }
        guard welcome.config.model.widths.allSatisfy({ $0 <= 1 << 20 }), welcome.config.model.parameterCount <= 1 << 28,
              welcome.config.localSteps <= 10_000 else {
            throw RunError("the coordinator announced a model of \(welcome.config.model.parameterCount) parameters "
                + "and \(welcome.config.localSteps) local steps; this worker accepts at most \(1 << 28) and 10000")
        }
        guard welcome.config.batch >= 1 && welcome.config.batch <= 1 << 20 else {
            throw RunError("the coordinator announced a batch of \(welcome.config.batch)")
        }
        let double = welcome.weights.first?.dtype == .f64
        generation += 1
        engine = double
            ? try WorkerEngine<Double>(welcome: welcome, shard: shard, threads: config.threads, errorFeedback: config.errorFeedback,
                                       skipCompute: config.skipCompute)
            : try WorkerEngine<Float>(welcome: welcome, shard: shard, threads: config.threads, errorFeedback: config.errorFeedback,
                                      skipCompute: config.skipCompute)
        let first = joined == nil
        joined = welcome
        pending = nil
        if config.verbose && first {
            let m = welcome.config.model
            say("worker \(config.name): joined as worker \(welcome.workerID) (protocol \(welcome.protocolVersion)): "
                + "shard of \(shard.count) samples, rule \(m.rule), layers \(m.widths.map(String.init).joined(separator: ",")), "
                + "\(welcome.config.mode), \(double ? "f64" : "f32")"
                + (welcome.config.compress == .none ? "" : ", \(welcome.config.compress.rawValue) on the wire"))
        }
    }

    /// Starts the pending job if the compute thread is idle.
    private func dispatch() {
        guard !busy, let job = pending, let engine, let welcome = joined, let compute else { return }
        pending = nil
        busy = true
        compute.submit(ComputeThread.Job(engine: engine, weights: job, workerID: welcome.workerID, generation: generation))
    }

    /// Sends a finished push (or reports a failure) and starts the next job.
    private func collect() throws {
        guard let outcome = compute?.takeOutcome() else { return }
        busy = false
        if outcome.generation == generation {
            switch outcome.result {
            case .success(var push):
                push.metrics.bytesIn = bytesIn
                push.metrics.bytesOut = bytesOut
                bytesIn = 0
                bytesOut = 0
                if send(.push(push)) > 0 {
                    pushes += 1
                    samples += push.sampleCount
                }
            case .failure(let error):
                if outcome.generation == -1 { throw error }
                send(.error(ErrorMessage(code: ClusterProtocol.ErrorCode.invalidMessage.rawValue, text: error.description)))
            }
        }
        dispatch()
    }
}
