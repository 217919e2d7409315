/// A labelled set of unsigned-byte images: `count` samples of `features` pixels each, with labels in
/// `0..<classes`. Pixels are stored row-major (`pixels[i * features + j]` is pixel `j` of sample `i`).
///
/// A data set made from another (`subset`, `prefix`, `shards`) remembers where each of its samples
/// came from: `originIndex(of:)` gives the sample's index in the data set that was originally loaded.
public struct Dataset: Sendable, Equatable {
    /// A short name for messages and reports, e.g. `fashion-mnist/train`.
    public var name: String
    /// The number of samples.
    public let count: Int
    /// Pixels per sample (784 for 28 × 28 images).
    public let features: Int
    /// The number of classes; every label is below it.
    public let classes: Int
    /// The image shape (rows, columns) when known, else `[features]`.
    public let imageShape: [Int]
    /// `count × features` pixels, row-major.
    public let pixels: [UInt8]
    /// `count` labels, each in `0..<classes`.
    public let labels: [UInt8]
    /// Index of each sample in the originally loaded data set; `nil` means the identity.
    let origin: [Int]?

    /// A validated data set: `pixels.count` must be `labels.count × features` and every label below
    /// `classes` (else `DataError.labelOutOfRange`, naming `name` as the source).
    public init(name: String, pixels: [UInt8], labels: [UInt8], features: Int, classes: Int,
                imageShape: [Int]? = nil) throws(DataError) {
        guard features > 0, classes > 0, classes <= 256 else {
            throw DataError.invalidArgument(
                "\(name): features (\(features)) and classes (\(classes)) must be positive, classes at most 256")
        }
        guard pixels.count == labels.count * features else {
            throw DataError.invalidArgument(
                "\(name): \(pixels.count) pixels is not \(labels.count) samples × \(features) features")
        }
        if let shape = imageShape, shape.reduce(1, *) != features {
            throw DataError.invalidArgument("\(name): image shape \(shape) does not hold \(features) features")
        }
        if let bad = Dataset.firstLabel(in: labels, notBelow: classes) {
            throw DataError.labelOutOfRange(source: name, index: bad, label: Int(labels[bad]), classes: classes)
        }
        self.init(unchecked: name, pixels: pixels, labels: labels, features: features, classes: classes,
                  imageShape: imageShape ?? [features], origin: nil)
    }

    /// A data set whose invariants the caller has already established.
    init(unchecked name: String, pixels: [UInt8], labels: [UInt8], features: Int, classes: Int,
         imageShape: [Int], origin: [Int]?) {
        self.name = name
        self.count = labels.count
        self.features = features
        self.classes = classes
        self.imageShape = imageShape
        self.pixels = pixels
        self.labels = labels
        self.origin = origin
    }

    /// The index of the first label that is `>= classes`, if any.
    static func firstLabel(in labels: [UInt8], notBelow classes: Int) -> Int? {
        guard classes < 256 else { return nil }
        let limit = UInt8(classes)
        return labels.withUnsafeBufferPointer { buffer in
            // One pass computing the maximum (vectorizes) and a second only when a label is bad.
            var largest: UInt8 = 0
            for label in buffer { largest = max(largest, label) }
            guard largest >= limit else { return nil }
            return buffer.firstIndex { $0 >= limit }
        }
    }

    /// The index of sample `i` in the originally loaded data set.
    public func originIndex(of i: Int) -> Int {
        origin?[i] ?? i
    }

    /// The index in the originally loaded data set of every sample, in order.
    public var originIndices: [Int] {
        origin ?? Array(0..<count)
    }

    /// How many samples each class has.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// The pixels of sample `i`.
    public func image(_ i: Int) -> ArraySlice<UInt8> {
        pixels[i * features ..< (i + 1) * features]
    }
}
