/// The `alignment` event: per-layer agreement with BP and, for rules with separate feedback
/// weights, the angle between feedback B and forward W.
public struct AlignmentRecord: Sendable, Equatable {
    public var rule: String?
    public var epoch: Double
    public var layers: [LayerAlignment]
    /// Angle between B and W in degrees; element `i` is weight layer `i + 1`, `nil` where that
    /// layer has no feedback matrix.
    public var feedbackAngleDegrees: [Double?]

    /// `nil` when the record has no epoch or carries neither layer cosines nor angles.
    init?(json: JSONValue) {
        guard let epoch = json["epoch"]?.double else { return nil }
        self.epoch = epoch
        rule = json["rule"]?.string
        layers = LayerAlignment.list(from: json["layers"])
        feedbackAngleDegrees = json["feedback_angle_degrees"]?.array?.map(\.double) ?? []
        if layers.isEmpty && feedbackAngleDegrees.allSatisfy({ $0 == nil }) { return nil }
    }

    /// Mean cosine over the layers that report one; `nil` when none does.
    public var meanCosine: Double? {
        let values = layers.compactMap(\.cosine).filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
