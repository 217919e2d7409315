import CPlexusProto
import CProtobufC
import PlexusLearning
import PlexusNumerics

/// Conversion between PlexusLearning's `ModelSpec` and protobuf-c's `Plexus__ModelSpec`.
///
/// The proto's string fields are parsed with `Activation.parse`, `Energy.parse` and `Rule.parse`, and
/// the decoded spec must pass `ModelSpec.validate()`: a spec from the wire or a file that this build
/// cannot train is refused with a `WireError.invalidValue` naming the problem. `leaky_slope` is
/// written as `Activation.leakySlope`; a reader accepts it unset (0) or equal to that constant.
extension ModelSpec {
    /// Copies a decoded C model spec into Swift, parsing and validating its fields.
    init(proto: UnsafePointer<Plexus__ModelSpec>) throws(WireError) {
        let message = proto.pointee
        let widths = ProtoCodec.values(message.widths, count: message.n_widths).map { Int($0) }
        let activation: Activation
        do {
            activation = try Activation.parse(ProtoCodec.string(message.activation))
        } catch {
            throw .invalidValue("model spec: \(error)")
        }
        let energy: Energy
        let rule: Rule
        do {
            energy = try Energy.parse(ProtoCodec.string(message.energy))
            rule = try Rule.parse(ProtoCodec.string(message.rule))
        } catch {
            throw .invalidValue("model spec: \(error)")
        }
        if message.leaky_slope != 0 && message.leaky_slope != Activation.leakySlope {
            throw .invalidValue(
                "model spec: leaky-relu slope \(message.leaky_slope) differs from this build's \(Activation.leakySlope)")
        }
        self.init(widths: widths, activation: activation, energy: energy, rule: rule, steps: Int(message.steps),
                  gamma: message.gamma, outputPrecision: message.output_precision, kpDecay: message.kp_decay,
                  feedbackScale: message.feedback_scale)
        do {
            try validate()
        } catch {
            throw .invalidValue("model spec: \(error)")
        }
    }

    /// Builds the C model spec in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__ModelSpec> {
        let message: UnsafeMutablePointer<Plexus__ModelSpec> = arena.message { plexus__model_spec__init($0) }
        message.pointee.n_widths = widths.count
        message.pointee.widths = arena.array(widths.map { ProtoCodec.u32($0) })
        message.pointee.activation = arena.string(activation.rawValue)
        message.pointee.energy = arena.string(energy.rawValue)
        message.pointee.rule = arena.string(rule.rawValue)
        message.pointee.steps = ProtoCodec.u32(steps)
        message.pointee.gamma = gamma
        message.pointee.output_precision = outputPrecision
        message.pointee.kp_decay = kpDecay
        message.pointee.feedback_scale = feedbackScale
        message.pointee.leaky_slope = Activation.leakySlope
        return message
    }
}
