/// Where the training and test sets come from: the CLI's `--data` value.
///
/// - `fashion-mnist` (the default): Fashion-MNIST from Debian's `dataset-fashion-mnist` package in
///   `/usr/share/datasets/fashion-mnist`, or the directory in `PLEXUS_FASHION_MNIST_DIR`.
/// - `idx:DIR`: any directory holding the four MNIST-format files, gzip-compressed or not.
/// - `synthetic` or `synthetic:TRAIN:TEST`: blob images labelled by a seeded random teacher network
///   (784 features, 10 classes), for fast tests.
public enum DataSource: Equatable, Sendable, CustomStringConvertible {
    case fashionMNIST
    case idx(directory: String)
    case synthetic(train: Int, test: Int)

    /// The default `--data`.
    public static let `default` = DataSource.fashionMNIST
    /// Sample counts of plain `synthetic`.
    public static let defaultSyntheticTrain = 4000
    public static let defaultSyntheticTest = 1000
    /// Where Debian's `dataset-fashion-mnist` installs the data.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"
    /// The environment variable that overrides `fashionMNISTDirectory`.
    public static let fashionMNISTEnvironment = "PLEXUS_FASHION_MNIST_DIR"
    /// The Debian package that installs Fashion-MNIST.
    public static let fashionMNISTPackage = "dataset-fashion-mnist"
    /// Number of classes of the IDX data sets (MNIST and Fashion-MNIST).
    public static let idxClasses = 10

    /// The four IDX file names (without `.gz`) of an MNIST-style directory.
    public static let trainImagesFile = "train-images-idx3-ubyte"
    public static let trainLabelsFile = "train-labels-idx1-ubyte"
    public static let testImagesFile = "t10k-images-idx3-ubyte"
    public static let testLabelsFile = "t10k-labels-idx1-ubyte"

    /// Parses a `--data` value; an unknown or malformed one is `DataError.invalidDataSpec`, whose
    /// message lists the valid forms.
    public init(parsing spec: String) throws(DataError) {
        let text = spec.trimmingSpaces
        let lower = text.lowercased()
        if lower == "fashion-mnist" || lower == "fashion_mnist" || lower == "fashionmnist" {
            self = .fashionMNIST
        } else if lower.hasPrefix("idx:") {
            let directory = String(text.dropFirst(4))
            guard !directory.isEmpty else {
                throw DataError.invalidDataSpec(spec: spec, reason: "idx: needs a directory")
            }
            self = .idx(directory: directory)
        } else if lower == "synthetic" {
            self = .synthetic(train: DataSource.defaultSyntheticTrain, test: DataSource.defaultSyntheticTest)
        } else if lower.hasPrefix("synthetic:") {
            let parts = lower.dropFirst("synthetic:".count).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let train = Int(parts[0]), let test = Int(parts[1]), train > 0, test > 0 else {
                throw DataError.invalidDataSpec(
                    spec: spec, reason: "synthetic:TRAIN:TEST needs two positive sample counts")
            }
            self = .synthetic(train: train, test: test)
        } else {
            throw DataError.invalidDataSpec(spec: spec, reason: "unknown data source")
        }
    }

    /// The `--data` value that parses back to this source.
    public var description: String {
        switch self {
        case .fashionMNIST: return "fashion-mnist"
        case .idx(let directory): return "idx:\(directory)"
        case .synthetic(let train, let test): return "synthetic:\(train):\(test)"
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
