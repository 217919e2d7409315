import Glibc
import PlexusData
import Testing

/// Reads the real Fashion-MNIST from Debian's `dataset-fashion-mnist` package. Serialized because
/// one test sets `PLEXUS_FASHION_MNIST_DIR`, which the other reads.
@Suite("Fashion-MNIST", .serialized)
struct FashionMNISTTests {
    @Test("the packaged Fashion-MNIST loads: 60,000 + 10,000 images of 784 pixels, 6,000 per class")
    func loadsPackagedDataset() throws {
        unsetenv(DataSource.fashionMNISTEnvironment)
        let (train, test) = try DataSource(parsing: "fashion-mnist").load(seed: 0)
        #expect(train.count == 60_000)
        #expect(test.count == 10_000)
        #expect(train.features == 784 && test.features == 784)
        #expect(train.imageShape == [28, 28])
        #expect(train.classes == 10)
        #expect(train.classCounts == [Int](repeating: 6_000, count: 10))
        #expect(test.classCounts == [Int](repeating: 1_000, count: 10))
        #expect(train.name == "fashion-mnist/train")
        // Known facts about the published files: the first training label is 9 (ankle boot) and
        // the first test label is 9 too; pixels use the full byte range (checked on the first 100
        // images: a full scan is slow in debug builds).
        #expect(train.labels[0] == 9)
        #expect(test.labels[0] == 9)
        let some = train.pixels[0 ..< 100 * 784]
        #expect(some.max() == 255 && some.min() == 0)
    }

    @Test("PLEXUS_FASHION_MNIST_DIR overrides the directory; a missing file says how to install it")
    func environmentOverride() throws {
        try withScratchDirectory { dir in
            defer { unsetenv(DataSource.fashionMNISTEnvironment) }
            try writeIDXDirectory(dir, train: 12, test: 4, seed: 61, compressed: [false, false, true, true])
            setenv(DataSource.fashionMNISTEnvironment, dir, 1)
            let (train, test) = try DataSource.fashionMNIST.load(seed: 0)
            #expect(train.count == 12 && test.count == 4)

            setenv(DataSource.fashionMNISTEnvironment, "\(dir)/absent", 1)
            let error = dataError { try _ = DataSource.fashionMNIST.load(seed: 0) }
            guard case .fileMissing(let path, _)? = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(path == "\(dir)/absent/\(DataSource.trainImagesFile).gz")
            #expect(error!.description.contains("apt-get install dataset-fashion-mnist"))
            #expect(error!.description.contains(DataSource.fashionMNISTEnvironment))
        }
    }
}
