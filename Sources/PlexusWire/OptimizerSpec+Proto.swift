import CPlexusProto
import CProtobufC
import PlexusLearning

/// Conversion between PlexusLearning's `OptimizerSpec` and protobuf-c's `Plexus__OptimizerSpec`.
/// The kind and schedule are parsed with `OptimizerSpec.parseKind` and the decoded spec must pass `validate()`.
extension OptimizerSpec {
    /// Copies a decoded C optimizer spec into Swift, parsing and validating its fields.
    init(proto: UnsafePointer<Plexus__OptimizerSpec>) throws(WireError) {
        let message = proto.pointee
        let kind: Kind
        do {
            kind = try OptimizerSpec.parseKind(ProtoCodec.string(message.kind))
        } catch {
            throw .invalidValue("optimizer spec: \(error)")
        }
        let scheduleName = ProtoCodec.string(message.schedule)
        guard let schedule = scheduleName.isEmpty ? .cosine : Schedule(rawValue: scheduleName) else {
            throw .invalidValue("optimizer spec: unknown schedule '\(scheduleName.prefix(40))' (expected constant or cosine)")
        }
        self.init(kind: kind, lr: message.lr, momentum: message.momentum, beta1: message.beta1,
                  beta2: message.beta2, eps: message.eps, weightDecay: message.weight_decay, schedule: schedule)
        do {
            try validate()
        } catch {
            throw .invalidValue("optimizer spec: \(error)")
        }
    }

    /// Builds the C optimizer spec in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__OptimizerSpec> {
        let message: UnsafeMutablePointer<Plexus__OptimizerSpec> = arena.message { plexus__optimizer_spec__init($0) }
        message.pointee.kind = arena.string(kind.rawValue)
        message.pointee.lr = lr
        message.pointee.momentum = momentum
        message.pointee.beta1 = beta1
        message.pointee.beta2 = beta2
        message.pointee.eps = eps
        message.pointee.weight_decay = weightDecay
        message.pointee.schedule = arena.string(schedule.rawValue)
        return message
    }
}
