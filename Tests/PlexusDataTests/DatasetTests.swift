import PlexusData
import PlexusNumerics
import Testing

@Suite("Data sets")
struct DatasetTests {
    @Test("an image file and a label file load as a data set")
    func loadsPair() throws {
        try withScratchDirectory { dir in
            let (images, labels) = randomIDX(count: 30, seed: 21)
            try images.write(to: "\(dir)/i.gz", compressed: true)
            try labels.write(to: "\(dir)/l", compressed: false)
            let set = try Dataset(imagesFile: "\(dir)/i.gz", labelsFile: "\(dir)/l", name: "pair")
            #expect(set.name == "pair")
            #expect(set.count == 30)
            #expect(set.features == 784)
            #expect(set.classes == 10)
            #expect(set.imageShape == [28, 28])
            #expect(set.pixels == images.bytes)
            #expect(set.labels == labels.bytes)
            #expect(Array(set.image(3)) == Array(images.bytes[3 * 784 ..< 4 * 784]))
            #expect(set.classCounts.reduce(0, +) == 30)
            #expect(set.description == "pair: 30 samples of 28×28 = 784 features, 10 classes")
        }
    }

    @Test("different image and label counts are countMismatch")
    func countMismatch() throws {
        try withScratchDirectory { dir in
            let images = randomIDX(count: 5, seed: 22).images
            let labels = randomIDX(count: 6, seed: 22).labels
            try images.write(to: "\(dir)/i", compressed: true)
            try labels.write(to: "\(dir)/l", compressed: true)
            let error = dataError { try _ = Dataset(imagesFile: "\(dir)/i", labelsFile: "\(dir)/l") }
            #expect(error == .countMismatch(images: "\(dir)/i", imageCount: 5, labels: "\(dir)/l", labelCount: 6))
            #expect(error?.description == "\(dir)/i holds 5 images but \(dir)/l holds 6 labels")
        }
    }

    @Test("a label not below the class count is labelOutOfRange")
    func labelOutOfRange() throws {
        try withScratchDirectory { dir in
            let (images, good) = randomIDX(count: 12, seed: 23)
            var bytes = good.bytes
            bytes[7] = 10
            try images.write(to: "\(dir)/i", compressed: true)
            try IDXArray(dimensions: [12], bytes: bytes).write(to: "\(dir)/l", compressed: true)
            #expect(dataError { try _ = Dataset(imagesFile: "\(dir)/i", labelsFile: "\(dir)/l") }
                    == .labelOutOfRange(source: "\(dir)/l", index: 7, label: 10, classes: 10))
            // Fine with more classes.
            #expect(try Dataset(imagesFile: "\(dir)/i", labelsFile: "\(dir)/l", classes: 11).labels == bytes)
            // The in-memory initialiser checks too.
            #expect(dataError {
                try _ = Dataset(name: "mem", pixels: [0, 0, 0], labels: [0, 3, 1], features: 1, classes: 3)
            } == .labelOutOfRange(source: "mem", index: 1, label: 3, classes: 3))
        }
    }

    @Test("an image file given as labels, or labels as images, is a header error")
    func wrongRoles() throws {
        try withScratchDirectory { dir in
            let (images, labels) = randomIDX(count: 4, seed: 24)
            try images.write(to: "\(dir)/i", compressed: true)
            try labels.write(to: "\(dir)/l", compressed: true)
            guard case .malformedHeader("\(dir)/l", _)? =
                    dataError({ try _ = Dataset(imagesFile: "\(dir)/l", labelsFile: "\(dir)/l") }) else {
                Issue.record("labels as images not reported"); return
            }
            guard case .malformedHeader("\(dir)/i", _)? =
                    dataError({ try _ = Dataset(imagesFile: "\(dir)/i", labelsFile: "\(dir)/i") }) else {
                Issue.record("images as labels not reported"); return
            }
        }
    }

    @Test("subset and prefix keep pixels, labels and origin indices together")
    func subsetAndPrefix() throws {
        let (images, labels) = randomIDX(count: 20, side: 3, seed: 25)
        let set = try Dataset(name: "s", pixels: images.bytes, labels: labels.bytes, features: 9, classes: 10)
        let picked = set.subset([5, 0, 19, 5])
        #expect(picked.count == 4)
        #expect(picked.labels == [labels.bytes[5], labels.bytes[0], labels.bytes[19], labels.bytes[5]])
        #expect(Array(picked.image(2)) == Array(set.image(19)))
        #expect(picked.originIndices == [5, 0, 19, 5])
        let nested = picked.subset([2, 1])
        #expect(nested.originIndices == [19, 0])
        #expect(nested.originIndex(of: 0) == 19)

        let first = set.prefix(7)
        #expect(first.count == 7)
        #expect(first.pixels == Array(set.pixels.prefix(63)))
        #expect(first.labels == Array(set.labels.prefix(7)))
        #expect(first.originIndices == Array(0..<7))
        #expect(set.prefix(100) == set)
        #expect(set.prefix(0).count == 0)
        #expect(picked.prefix(2).originIndices == [5, 0])
    }
}
