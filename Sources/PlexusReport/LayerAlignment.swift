/// How one layer's weight update lines up with the backprop gradient on the same batch.
public struct LayerAlignment: Sendable, Equatable {
    /// The weight layer, counted from 1 (the layer fed by the input).
    public var layer: Int
    /// Cosine similarity between the rule's update and the BP gradient.
    public var cosine: Double?
    /// Norm of the rule's update divided by the norm of the BP gradient.
    public var normRatio: Double?

    public init(layer: Int, cosine: Double?, normRatio: Double? = nil) {
        self.layer = layer
        self.cosine = cosine
        self.normRatio = normRatio
    }

    /// Reads a `layers` array. Elements may be objects (`{"layer":1,"cosine":…}`) or bare cosines,
    /// in which case the position gives the layer number.
    static func list(from value: JSONValue?) -> [LayerAlignment] {
        guard let elements = value?.array else { return [] }
        return elements.enumerated().compactMap { index, element in
            if let cosine = element.double {
                return LayerAlignment(layer: index + 1, cosine: cosine)
            }
            guard element.object != nil else { return nil }
            let layer = element["layer"]?.int ?? index + 1
            let cosine = element["cosine"]?.double
            let ratio = element["norm_ratio"]?.double
            if cosine == nil && ratio == nil { return nil }
            return LayerAlignment(layer: layer, cosine: cosine, normRatio: ratio)
        }
    }
}
