import PlexusWire

/// The coordinator's record of one worker slot: who holds it, what it was last sent, where its
/// sample stream stands, and what it has reported since its last `worker` log record.
final class WorkerRecord {
    /// The slot (also the worker id on the wire, and the index of its data shard).
    let id: Int
    /// The name of the worker holding the slot; a worker of the same name gets the slot back.
    var name: String
    /// ZeroMQ routing id of the worker's DEALER.
    var identity: [UInt8]
    var host: String
    var pid: Int
    var active: Bool
    /// Monotonic time the worker was last heard from.
    var lastHeard: Double
    /// Weight version the worker holds (so unchanged weights need not be sent again); -1 unknown.
    var heldVersion = -1
    /// The worker's next position in its sample stream (advanced when a push is applied).
    var cursor = 0
    /// The job in flight: the round (or async job number), the version and batch it was sent.
    var job: Job?
    /// Totals for the next `worker` log record.
    var window = Window()

    struct Job: Equatable {
        var round: Int
        var version: Int
        var batch: Int
        var cursor: Int
        /// Monotonic time the job was (last) sent.
        var sentAt: Double
    }

    /// Worker-reported metrics accumulated between two `worker` records.
    struct Window {
        var pushes = 0
        var samples = 0
        var computeMilliseconds = 0.0
        var lossSum = 0.0
        var energyBeforeSum = 0.0
        var energyAfterSum = 0.0
        var correct = 0
        var bytesIn = 0
        var bytesOut = 0
        var rejected = 0
        var late = 0

        mutating func add(_ m: WorkerMetrics, samples n: Int) {
            pushes += 1
            samples += n
            computeMilliseconds += m.computeMilliseconds
            lossSum += m.loss * Double(n)
            energyBeforeSum += m.energyBefore * Double(n)
            energyAfterSum += m.energyAfter * Double(n)
            correct += m.correct
            bytesIn += m.bytesIn
            bytesOut += m.bytesOut
        }
    }

    /// A worker's metrics made safe to add up: counts clamped to what the push can have, times and
    /// byte counts to sane ranges, non-finite values kept as NaN (logged as null).
    static func sanitized(_ m: WorkerMetrics, samples: Int) -> WorkerMetrics {
        var out = m
        out.correct = Swift.min(Swift.max(m.correct, 0), samples)
        out.bytesIn = Swift.min(Swift.max(m.bytesIn, 0), 1 << 40)
        out.bytesOut = Swift.min(Swift.max(m.bytesOut, 0), 1 << 40)
        out.computeMilliseconds = m.computeMilliseconds.isFinite ? Swift.min(Swift.max(m.computeMilliseconds, 0), 1e9) : .nan
        for keyPath in [\WorkerMetrics.loss, \WorkerMetrics.energyBefore, \WorkerMetrics.energyAfter] where !out[keyPath: keyPath].isFinite {
            out[keyPath: keyPath] = .nan
        }
        return out
    }

    init(id: Int, name: String, identity: [UInt8], host: String, pid: Int, now: Double) {
        self.id = id
        self.name = name
        self.identity = identity
        self.host = host
        self.pid = pid
        self.active = true
        self.lastHeard = now
    }
}
