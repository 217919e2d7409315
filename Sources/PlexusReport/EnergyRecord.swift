/// The `energy` event: the network energy at each inference step for one batch.
public struct EnergyRecord: Sendable, Equatable {
    public var rule: String?
    public var epoch: Double?
    public var batch: Int?
    /// Energy before step 0 and after each of the T steps: `e_0 … e_T`.
    public var trajectory: [Double]

    /// `nil` when there is no trajectory.
    init?(json: JSONValue) {
        let values = json["trajectory"]?.array?.map { $0.double ?? .nan } ?? []
        guard values.contains(where: \.isFinite) else { return nil }
        trajectory = values
        rule = json["rule"]?.string
        epoch = json["epoch"]?.double
        batch = json["batch"]?.int
    }
}
