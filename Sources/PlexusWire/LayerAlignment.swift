import CPlexusProto
import CProtobufC

/// How well one layer's update agrees with the BP gradient on the same batch and weights
/// (the proto's `LayerAlignment`).
public struct LayerAlignment: Equatable, Sendable {
    /// Layer index l (1…L).
    public var layer: Int
    /// Cosine similarity of the update with the BP gradient.
    public var cosine: Double
    /// ‖update‖ / ‖BP gradient‖.
    public var normRatio: Double
    /// Angle between B_l and W_l in degrees for rules with feedback; NaN otherwise.
    public var feedbackAngleDegrees: Double

    /// An alignment record; `feedbackAngleDegrees` is NaN for rules without feedback.
    public init(layer: Int, cosine: Double, normRatio: Double, feedbackAngleDegrees: Double = .nan) {
        self.layer = layer
        self.cosine = cosine
        self.normRatio = normRatio
        self.feedbackAngleDegrees = feedbackAngleDegrees
    }
}

extension LayerAlignment {
    /// Copies a decoded C alignment record into Swift.
    init(proto: UnsafePointer<Plexus__LayerAlignment>) {
        let message = proto.pointee
        self.init(layer: Int(message.layer), cosine: message.cosine, normRatio: message.norm_ratio,
                  feedbackAngleDegrees: message.feedback_angle_degrees)
    }

    /// Builds the C alignment record in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__LayerAlignment> {
        let message: UnsafeMutablePointer<Plexus__LayerAlignment> = arena.message { plexus__layer_alignment__init($0) }
        message.pointee.layer = ProtoCodec.u32(layer)
        message.pointee.cosine = cosine
        message.pointee.norm_ratio = normRatio
        message.pointee.feedback_angle_degrees = feedbackAngleDegrees
        return message
    }
}
