import CPlexusProto
import CProtobufC

/// What a worker measured while computing one push (the proto's `WorkerMetrics`).
public struct WorkerMetrics: Equatable, Sendable {
    /// Milliseconds spent computing the deltas.
    public var computeMilliseconds: Double
    /// Batch-mean loss.
    public var loss: Double
    /// Energy F before inference (PC rules).
    public var energyBefore: Double
    /// Energy F after inference (PC rules).
    public var energyAfter: Double
    /// Correctly classified samples in the batch.
    public var correct: Int
    /// Bytes the worker received since its last push.
    public var bytesIn: Int
    /// Bytes the worker sent since its last push.
    public var bytesOut: Int

    /// Metrics; everything defaults to zero.
    public init(computeMilliseconds: Double = 0, loss: Double = 0, energyBefore: Double = 0, energyAfter: Double = 0,
                correct: Int = 0, bytesIn: Int = 0, bytesOut: Int = 0) {
        self.computeMilliseconds = computeMilliseconds
        self.loss = loss
        self.energyBefore = energyBefore
        self.energyAfter = energyAfter
        self.correct = correct
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
    }
}

extension WorkerMetrics {
    /// Copies decoded C metrics into Swift.
    init(proto: UnsafePointer<Plexus__WorkerMetrics>) throws(WireError) {
        let message = proto.pointee
        self.init(computeMilliseconds: message.compute_ms, loss: message.loss, energyBefore: message.energy_before,
                  energyAfter: message.energy_after,
                  correct: try ProtoCodec.int(message.correct, field: "metrics correct"),
                  bytesIn: try ProtoCodec.int(message.bytes_in, field: "metrics bytes_in"),
                  bytesOut: try ProtoCodec.int(message.bytes_out, field: "metrics bytes_out"))
    }

    /// Builds the C metrics in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__WorkerMetrics> {
        let message: UnsafeMutablePointer<Plexus__WorkerMetrics> = arena.message { plexus__worker_metrics__init($0) }
        message.pointee.compute_ms = computeMilliseconds
        message.pointee.loss = loss
        message.pointee.energy_before = energyBefore
        message.pointee.energy_after = energyAfter
        message.pointee.correct = ProtoCodec.u64(correct)
        message.pointee.bytes_in = ProtoCodec.u64(bytesIn)
        message.pointee.bytes_out = ProtoCodec.u64(bytesOut)
        return message
    }
}
