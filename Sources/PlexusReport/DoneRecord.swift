/// The `done` event: the end-of-run totals.
public struct DoneRecord: Sendable, Equatable {
    public var rule: String?
    public var testAccuracy: Double?
    public var bestTestAccuracy: Double?
    public var samplesPerSecond: Double?
    public var wallSeconds: Double?
    public var workers: Int?
    public var rounds: Int?
    public var flopsPerSample: Double?
    public var locality: LocalityProfile?
    public var bytesPerRound: Double?

    init(json: JSONValue) {
        rule = json["rule"]?.string
        testAccuracy = json["test_accuracy"]?.double
        bestTestAccuracy = json["best_test_accuracy"]?.double
        samplesPerSecond = json["samples_per_second"]?.double
        wallSeconds = json["wall_s"]?.double
        workers = json["workers"]?.int
        rounds = json["rounds"]?.int
        flopsPerSample = json["flops_per_sample"]?.double
        locality = LocalityProfile(json: json["locality"])
        bytesPerRound = json["bytes_per_round"]?.double
    }
}
