/// The `start` event: the configuration a run was launched with.
public struct StartRecord: Sendable, Equatable {
    public var rule: String?
    /// Layer widths, input first.
    public var widths: [Int]
    public var activation: String?
    public var energy: String?
    /// Inference steps T.
    public var steps: Int?
    /// Inference rate gamma.
    public var gamma: Double?
    /// Precision π_L of the output error (PC rules).
    public var outputPrecision: Double?
    public var batch: Int?
    public var epochs: Int?
    public var workers: Int?
    public var data: String?
    /// Training and test samples actually used.
    public var trainSamples: Int?
    public var testSamples: Int?
    /// Optimizer name and learning rate.
    public var optimizer: String?
    public var learningRate: Double?
    public var seed: Int?
    /// Start time as written (ISO 8601).
    public var time: String?

    init(json: JSONValue) {
        rule = json["rule"]?.string
        let model = json["model"]
        widths = model?["widths"]?.array?.compactMap(\.int) ?? []
        activation = model?["activation"]?.string
        energy = model?["energy"]?.string
        steps = model?["steps"]?.int
        gamma = model?["gamma"]?.double
        outputPrecision = model?["output_precision"]?.double
        batch = json["batch"]?.int
        epochs = json["epochs"]?.int
        workers = json["workers"]?.int
        data = json["data"]?.string
        trainSamples = json["train_samples"]?.int
        testSamples = json["test_samples"]?.int
        optimizer = json["optimizer"]?["kind"]?.string
        learningRate = json["optimizer"]?["lr"]?.double
        seed = json["seed"]?.int
        time = json["time"]?.string
    }
}
