import Glibc
import PlexusData
import PlexusNumerics
import Testing

@Suite("--data sources")
struct DataSourceTests {
    @Test("the valid forms parse and print back")
    func parsing() throws {
        #expect(try DataSource(parsing: "fashion-mnist") == .fashionMNIST)
        #expect(DataSource.default == .fashionMNIST)
        #expect(try DataSource(parsing: "idx:/some/dir") == .idx(directory: "/some/dir"))
        #expect(try DataSource(parsing: "synthetic")
                == .synthetic(train: DataSource.defaultSyntheticTrain, test: DataSource.defaultSyntheticTest))
        #expect(try DataSource(parsing: "synthetic:600:200") == .synthetic(train: 600, test: 200))
        for source: DataSource in [.fashionMNIST, .idx(directory: "/x/y"), .synthetic(train: 5, test: 6)] {
            #expect(try DataSource(parsing: source.description) == source)
        }
    }

    @Test("unknown or malformed specs are invalidDataSpec listing the valid forms",
          arguments: ["mnist-fashion", "", "idx:", "synthetic:10", "synthetic:0:5", "synthetic:a:b", "synthetic:1:2:3"])
    func badSpecs(spec: String) {
        let error = dataError { try _ = DataSource(parsing: spec) }
        guard case .invalidDataSpec(spec, _)? = error else {
            Issue.record("'\(spec)' gave \(String(describing: error))"); return
        }
        let text = error!.description
        #expect(text.contains("'\(spec)'"))
        for form in ["fashion-mnist", "idx:DIR", "synthetic", "synthetic:TRAIN:TEST"] { #expect(text.contains(form)) }
    }

    @Test("idx:DIR loads gzip and plain files alike")
    func idxDirectory() throws {
        try withScratchDirectory { dir in
            try writeIDXDirectory(dir, train: 25, test: 9, seed: 51, compressed: [true, false, false, true])
            let (train, test) = try DataSource.idx(directory: dir).load(seed: 0)
            let expectedTrain = randomIDX(count: 25, seed: 51)
            #expect(train.count == 25)
            #expect(test.count == 9)
            #expect(train.pixels == expectedTrain.images.bytes)
            #expect(train.labels == expectedTrain.labels.bytes)
            #expect(test.labels == randomIDX(count: 9, seed: 52).labels.bytes)
            #expect(train.name == "idx:\(dir)/train")
        }
    }

    @Test("a missing file in idx:DIR is fileMissing naming the file and the expected names")
    func idxMissing() throws {
        try withScratchDirectory { dir in
            try writeIDXDirectory(dir, train: 3, test: 3, seed: 53)
            try #require(unlinkFile("\(dir)/\(DataSource.testLabelsFile).gz"))
            let error = dataError { try _ = DataSource.idx(directory: dir).load(seed: 0) }
            guard case .fileMissing(let path, let hint?)? = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(path == "\(dir)/\(DataSource.testLabelsFile).gz")
            #expect(hint.contains(DataSource.trainImagesFile))
        }
    }

    /// One synthetic set shared by the tests below (made once: debug builds are slow at this).
    static let seed1 = Dataset.synthetic(train: 600, test: 150, seed: 1)

    @Test("synthetic data is deterministic per seed, differs across seeds, and has every class")
    func synthetic() throws {
        let (train, test) = DataSourceTests.seed1
        #expect(train.count == 600 && test.count == 150)
        #expect(train.features == 784 && train.classes == 10 && train.imageShape == [28, 28])
        #expect(train.name == "synthetic/train" && test.name == "synthetic/test")
        // The same seed through --data gives the same samples (a smaller set is a prefix of a larger).
        let again = try DataSource(parsing: "synthetic:100:10").load(seed: 1)
        #expect(again.train.pixels == Array(train.pixels.prefix(100 * 784)))
        #expect(again.train.labels == Array(train.labels.prefix(100)))
        #expect(again.test.pixels == Array(test.pixels.prefix(10 * 784)))
        #expect(again.test.labels == Array(test.labels.prefix(10)))
        // Another seed gives other images and another teacher.
        let other = Dataset.synthetic(train: 600, test: 150, seed: 2)
        #expect(other.train.pixels != train.pixels)
        #expect(other.train.labels != train.labels)
        // Training and test images come from different streams.
        #expect(test.pixels != Array(train.pixels.prefix(test.pixels.count)))
        // Balanced: every class present, none with more than three times its share.
        for set in [train, other.train] {
            let counts = set.classCounts
            #expect(counts.allSatisfy { $0 > 0 && $0 < 3 * set.count / set.classes }, "\(counts)")
        }
        #expect(test.classCounts.allSatisfy { $0 > 0 }, "\(test.classCounts)")
        // Structured, sparse images: plenty of black pixels and some bright ones.
        let dark = train.pixels.filter { $0 == 0 }.count
        #expect(dark > train.pixels.count / 2)
        #expect(train.pixels.contains { $0 > 100 })
    }

    @Test("synthetic classes are learnable: nearest class mean beats chance by far")
    func syntheticLearnable() {
        let (train, test) = DataSourceTests.seed1
        let f = train.features, c = train.classes
        var means = [Double](repeating: 0, count: c * f)
        let counts = train.classCounts
        for i in 0..<train.count {
            let label = Int(train.labels[i])
            for j in 0..<f { means[label * f + j] += Double(train.pixels[i * f + j]) / Double(counts[label]) }
        }
        var correct = 0
        for i in 0..<test.count {
            var best = 0, bestDistance = Double.infinity
            for k in 0..<c {
                var d = 0.0
                for j in 0..<f {
                    let diff = Double(test.pixels[i * f + j]) - means[k * f + j]
                    d += diff * diff
                }
                if d < bestDistance { bestDistance = d; best = k }
            }
            if best == Int(test.labels[i]) { correct += 1 }
        }
        let accuracy = Double(correct) / Double(test.count)
        #expect(accuracy > 0.3, "nearest-mean accuracy \(accuracy), chance 0.1")
    }

    @Test("the teacher labels an image the same way the data set does")
    func teacherAgrees() {
        let train = DataSourceTests.seed1.train
        let teacher = SyntheticTeacher(seed: 1)
        #expect(teacher.features == 784 && teacher.classes == 10)
        for i in 0..<50 {
            #expect(teacher.label(of: Array(train.image(i))) == train.labels[i])
        }
    }
}

/// Removes a file; true on success.
func unlinkFile(_ path: String) -> Bool {
    unlink(path) == 0
}
