import PlexusData
import PlexusLearning

/// Everything a training run needs: the network and rule, the optimizer, the data and the schedule.
/// The CLI's `train`, `launch`, `coordinator` and `compare` all fill one of these from their flags.
public struct TrainConfig: Sendable {
    public enum Precision: String, Sendable { case f32, f64 }

    public var model = ModelSpec()
    public var optimizer = OptimizerSpec()
    public var data: DataSource = .default
    public var dataSpec = "fashion-mnist"
    public var epochs = 5
    public var batch = 128
    public var seed: UInt64 = 0
    public var trainLimit: Int?
    public var testLimit: Int?
    public var shuffle = true
    /// Compute threads: the batch is split into this many slices, each with single-threaded BLAS.
    public var threads = 2
    public var metricsPath: String?
    public var savePath: String?
    public var initPath: String?
    public var precision: Precision = .f32
    /// Measure alignment with BP (and the energy trajectory) on a held-out batch every N epochs (0: never).
    public var alignEvery = 1
    /// Print a live progress line (when stdout is a terminal).
    public var progress = true
    /// Extra fields added to the log's start record (e.g. the command line).
    public var label: String?

    public init() {}

    public func validate() throws(LearningError) {
        try model.validate()
        try optimizer.validate()
        guard epochs >= 0 else { throw .invalidArgument("--epochs must be ≥ 0, got \(epochs)") }
        guard batch > 0 else { throw .invalidArgument("--batch must be positive, got \(batch)") }
        guard threads > 0 else { throw .invalidArgument("--threads must be positive, got \(threads)") }
        if let n = trainLimit, n <= 0 { throw .invalidArgument("--train-limit must be positive, got \(n)") }
        if let n = testLimit, n <= 0 { throw .invalidArgument("--test-limit must be positive, got \(n)") }
    }

    /// Loads the train and test splits with the limits applied, checking they fit the network.
    public func loadData() throws -> (train: Dataset, test: Dataset) {
        var (train, test) = try data.load(seed: seed)
        if let n = trainLimit { train = train.prefix(Swift.min(n, train.count)) }
        if let n = testLimit { test = test.prefix(Swift.min(n, test.count)) }
        guard train.features == model.widths[0] else {
            throw LearningError.shapeMismatch("the data has \(train.features) features per sample but --layers starts with \(model.widths[0])")
        }
        guard train.classes == model.widths[model.depth] else {
            throw LearningError.shapeMismatch("the data has \(train.classes) classes but --layers ends with \(model.widths[model.depth])")
        }
        guard train.count > 0 else { throw LearningError.invalidArgument("the training set is empty") }
        return (train, test)
    }
}
