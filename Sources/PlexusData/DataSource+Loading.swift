#if canImport(Glibc)
import Glibc
#endif

extension DataSource {
    /// Loads the training and test sets. `seed` picks the synthetic teacher and images; the file
    /// sources ignore it. Every problem is a `DataError` naming the file.
    public func load(seed: UInt64) throws(DataError) -> (train: Dataset, test: Dataset) {
        switch self {
        case .fashionMNIST:
            let override = getenv(DataSource.fashionMNISTEnvironment).map { String(cString: $0) } ?? ""
            let directory = override.isEmpty ? DataSource.fashionMNISTDirectory : override
            let hint = override.isEmpty
                ? "install it with `apt-get install \(DataSource.fashionMNISTPackage)`"
                : "\(DataSource.fashionMNISTEnvironment)=\(override) has no Fashion-MNIST; unset it to use the "
                    + "packaged copy (`apt-get install \(DataSource.fashionMNISTPackage)`)"
            return try DataSource.loadIDXDirectory(directory, name: "fashion-mnist", hint: hint)
        case .idx(let directory):
            return try DataSource.loadIDXDirectory(
                directory, name: "idx:\(directory)",
                hint: "--data idx:DIR needs \(DataSource.trainImagesFile), \(DataSource.trainLabelsFile), "
                    + "\(DataSource.testImagesFile) and \(DataSource.testLabelsFile) in DIR, each with or without .gz")
        case .synthetic(let train, let test):
            return Dataset.synthetic(train: train, test: test, seed: seed)
        }
    }

    /// Loads the four MNIST-style files of `directory`.
    static func loadIDXDirectory(_ directory: String, name: String, hint: String) throws(DataError)
        -> (train: Dataset, test: Dataset) {
        let trainImages = try locate(trainImagesFile, in: directory, hint: hint)
        let trainLabels = try locate(trainLabelsFile, in: directory, hint: hint)
        let testImages = try locate(testImagesFile, in: directory, hint: hint)
        let testLabels = try locate(testLabelsFile, in: directory, hint: hint)
        let train = try Dataset(imagesFile: trainImages, labelsFile: trainLabels, classes: idxClasses,
                                name: "\(name)/train", missingHint: hint)
        let test = try Dataset(imagesFile: testImages, labelsFile: testLabels, classes: idxClasses,
                               name: "\(name)/test", missingHint: hint)
        return (train, test)
    }

    /// The path of `base` in `directory`: `base.gz` if present, else `base` (also accepting the
    /// `train-images.idx3-ubyte` spelling some copies use); a missing file is `.fileMissing`.
    static func locate(_ base: String, in directory: String, hint: String) throws(DataError) -> String {
        let folder = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var names = [base]
        if let dash = base.firstIndex(of: "-").flatMap({ base[base.index(after: $0)...].firstIndex(of: "-") }) {
            var dotted = base
            dotted.replaceSubrange(dash...dash, with: ".")
            names.append(dotted)
        }
        for name in names {
            for candidate in ["\(folder)/\(name).gz", "\(folder)/\(name)"] where access(candidate, F_OK) == 0 {
                return candidate
            }
        }
        throw DataError.fileMissing(path: "\(folder)/\(base).gz", hint: hint)
    }
}
