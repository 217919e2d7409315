import PlexusNumerics

extension Dataset {
    /// Stream labels for the synthetic training and test images.
    static let syntheticTrainStream: UInt64 = 0x5452_4149_4E00_0000 // "TRAIN"
    static let syntheticTestStream: UInt64 = 0x5445_5354_0000_0000  // "TEST"

    /// A synthetic labelled set: blob images (see `BlobImageSampler`) labelled by the random
    /// `SyntheticTeacher` of `seed`. Deterministic for a seed; the training and test images come from
    /// independent streams, and a smaller `train` or `test` gives a prefix of a larger one.
    public static func synthetic(train: Int, test: Int, seed: UInt64, side: Int = 28,
                                 classes: Int = 10) -> (train: Dataset, test: Dataset) {
        precondition(train >= 0 && test >= 0, "sample counts must not be negative")
        let teacher = SyntheticTeacher(seed: seed, side: side, classes: classes)
        return (syntheticSplit(teacher: teacher, count: train, seed: seed, stream: syntheticTrainStream,
                               name: "synthetic/train"),
                syntheticSplit(teacher: teacher, count: test, seed: seed, stream: syntheticTestStream,
                               name: "synthetic/test"))
    }

    /// `count` images from one stream, labelled by `teacher`.
    static func syntheticSplit(teacher: SyntheticTeacher, count: Int, seed: UInt64, stream: UInt64,
                               name: String) -> Dataset {
        let features = teacher.features
        var rng = SeededRandom(seed: seed, stream: stream)
        var sampler = BlobImageSampler(side: teacher.side)
        var image = [UInt8](repeating: 0, count: features)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * features)
        var labels: [UInt8] = []
        labels.reserveCapacity(count)
        for _ in 0..<count {
            image.withUnsafeMutableBufferPointer { sampler.draw(into: $0, using: &rng) }
            pixels.append(contentsOf: image)
            labels.append(teacher.label(of: image))
        }
        return Dataset(unchecked: name, pixels: pixels, labels: labels, features: features,
                       classes: teacher.classes, imageShape: [teacher.side, teacher.side], origin: nil)
    }
}
