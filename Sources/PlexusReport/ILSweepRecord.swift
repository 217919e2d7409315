/// The `il_sweep` event: inference learning's alignment with BP for one choice of inference steps
/// T and output-layer precision.
public struct ILSweepRecord: Sendable, Equatable {
    public var steps: Double
    public var outputPrecision: Double?
    /// Mean cosine with the BP gradient over layers.
    public var cosine: Double
    public var layers: [LayerAlignment]

    /// `nil` without a step count or any cosine.
    init?(json: JSONValue) {
        guard let steps = json["steps"]?.double else { return nil }
        self.steps = steps
        outputPrecision = json["output_precision"]?.double
        layers = LayerAlignment.list(from: json["layers"])
        let layerCosines = layers.compactMap(\.cosine)
        guard let cosine = json["cosine"]?.double
                ?? (layerCosines.isEmpty ? nil : layerCosines.reduce(0, +) / Double(layerCosines.count))
        else { return nil }
        self.cosine = cosine
    }
}
