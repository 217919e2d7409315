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
    public var batch: Int?
    public var epochs: Int?
    public var workers: Int?
    public var data: String?
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
        batch = json["batch"]?.int
        epochs = json["epochs"]?.int
        workers = json["workers"]?.int
        data = json["data"]?.string
        time = json["time"]?.string
    }
}
