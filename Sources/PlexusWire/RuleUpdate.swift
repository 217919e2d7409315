import CPlexusProto
import CProtobufC
import PlexusLearning

/// One learning rule's update on a probe batch (the proto's `RuleUpdate`): the update tensors
/// (descent directions of the batch-mean loss), their alignment with BP, and the energy.
public struct RuleUpdate: Equatable, Sendable {
    /// The rule that produced the update.
    public var rule: Rule
    /// The update, named like the parameters.
    public var tensors: [Tensor]
    /// Per-layer agreement with the BP gradient.
    public var alignment: [LayerAlignment]
    /// Energy F before inference.
    public var energyBefore: Double
    /// Energy F after inference.
    public var energyAfter: Double
    /// Energy after each inference step.
    public var energyTrajectory: [Double]

    /// A rule update.
    public init(rule: Rule, tensors: [Tensor], alignment: [LayerAlignment] = [], energyBefore: Double = 0,
                energyAfter: Double = 0, energyTrajectory: [Double] = []) {
        self.rule = rule
        self.tensors = tensors
        self.alignment = alignment
        self.energyBefore = energyBefore
        self.energyAfter = energyAfter
        self.energyTrajectory = energyTrajectory
    }
}

extension RuleUpdate {
    /// Copies a decoded C rule update into Swift, parsing the rule name.
    init(proto: UnsafePointer<Plexus__RuleUpdate>) throws(WireError) {
        let message = proto.pointee
        let rule: Rule
        do {
            rule = try Rule.parse(ProtoCodec.string(message.rule))
        } catch {
            throw .invalidValue("rule update: \(error)")
        }
        self.init(rule: rule,
                  tensors: try Tensor.list(message.tensors, count: message.n_tensors, field: "rule update tensors"),
                  alignment: try ProtoCodec.list(message.alignment, count: message.n_alignment, field: "rule update alignment") {
                      LayerAlignment(proto: $0)
                  },
                  energyBefore: message.energy_before, energyAfter: message.energy_after,
                  energyTrajectory: ProtoCodec.values(message.energy_trajectory, count: message.n_energy_trajectory))
    }

    /// Builds the C rule update in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__RuleUpdate> {
        let message: UnsafeMutablePointer<Plexus__RuleUpdate> = arena.message { plexus__rule_update__init($0) }
        message.pointee.rule = arena.string(rule.rawValue)
        message.pointee.n_tensors = tensors.count
        message.pointee.tensors = Tensor.proto(tensors, in: arena)
        message.pointee.n_alignment = alignment.count
        message.pointee.alignment = arena.pointers(alignment.map { $0.proto(in: arena) })
        message.pointee.energy_before = energyBefore
        message.pointee.energy_after = energyAfter
        message.pointee.n_energy_trajectory = energyTrajectory.count
        message.pointee.energy_trajectory = arena.array(energyTrajectory)
        return message
    }
}
