/// What a learning rule needs beyond purely local information (DESIGN.md §1, "locality profile").
public struct LocalityProfile: Sendable, Equatable {
    /// The feedback path reuses the forward weights (the weight-transport problem).
    public var weightTransport: Bool?
    /// Plasticity is pre-synaptic activity times post-synaptic error at the synapse only.
    public var localPlasticity: Bool?
    /// The feedback path multiplies by the derivative of the activation.
    public var fPrimeOnFeedback: Bool?
    /// The rule needs distinct forward and backward (or inference and learning) phases.
    public var separatePhases: Bool?
    /// Weight values per update a separate feedback pathway would have to receive to track Wᵀ.
    public var transportVolume: Double?

    public init(weightTransport: Bool? = nil, localPlasticity: Bool? = nil, fPrimeOnFeedback: Bool? = nil,
                separatePhases: Bool? = nil, transportVolume: Double? = nil) {
        self.weightTransport = weightTransport
        self.localPlasticity = localPlasticity
        self.fPrimeOnFeedback = fPrimeOnFeedback
        self.separatePhases = separatePhases
        self.transportVolume = transportVolume
    }

    /// Reads a `locality` object; `nil` when the value is not an object.
    init?(json: JSONValue?) {
        guard let json, json.object != nil else { return nil }
        weightTransport = json["weight_transport"]?.bool
        localPlasticity = json["local_plasticity"]?.bool
        fPrimeOnFeedback = json["fprime_on_feedback"]?.bool
        separatePhases = json["separate_phases"]?.bool
        transportVolume = json["transport_volume"]?.double
    }
}
