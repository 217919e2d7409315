/// The `eval` event: one evaluation, normally at the end of each epoch.
public struct EvalRecord: Sendable, Equatable {
    public var rule: String?
    /// Epoch number (kept as a number so fractional epochs also plot).
    public var epoch: Double
    /// Coordinator round, present for cluster runs.
    public var round: Int?
    /// Test accuracy as a fraction in [0, 1].
    public var testAccuracy: Double?
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var energyBefore: Double?
    public var energyAfter: Double?
    public var samplesPerSecond: Double?
    public var wallSeconds: Double?

    /// `nil` when neither an epoch nor a round says where in training this evaluation sits.
    init?(json: JSONValue) {
        round = json["round"]?.int
        guard let epoch = json["epoch"]?.double ?? round.map(Double.init) else { return nil }
        self.epoch = epoch
        rule = json["rule"]?.string
        testAccuracy = json["test_accuracy"]?.double
        trainLoss = json["train_loss"]?.double
        trainAccuracy = json["train_accuracy"]?.double
        energyBefore = json["energy_before"]?.double
        energyAfter = json["energy_after"]?.double
        samplesPerSecond = json["samples_per_second"]?.double
        wallSeconds = json["wall_s"]?.double
    }
}
