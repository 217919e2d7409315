import PlexusData
import PlexusNumerics
import Testing

@Suite("Batches")
struct BatchingTests {
    static let set: Dataset = {
        let (images, labels) = randomIDX(count: 40, side: 5, classes: 7, seed: 31)
        return try! Dataset(name: "b", pixels: images.bytes, labels: labels.bytes, features: 25, classes: 7)
    }()

    /// Fills a batch for `indices` and checks every value against `pixel / 255` and one-hot labels,
    /// with a guard element after each buffer that must stay untouched.
    func check<Scalar: BinaryFloatingPoint>(_ type: Scalar.Type, indices: [Int], asRange: Range<Int>? = nil) {
        let set = BatchingTests.set
        let rows = indices.count
        var inputs = [Scalar](repeating: -7, count: rows * set.features + 1)
        var targets = [Scalar](repeating: -7, count: rows * set.classes + 1)
        inputs.withUnsafeMutableBufferPointer { x in
            targets.withUnsafeMutableBufferPointer { y in
                if let range = asRange {
                    set.fillBatch(range, inputs: x.baseAddress!, targets: y.baseAddress!)
                } else {
                    set.fillBatch(indices, inputs: x.baseAddress!, targets: y.baseAddress!)
                }
            }
        }
        for (r, i) in indices.enumerated() {
            for j in 0..<set.features {
                #expect(inputs[r * set.features + j] == Scalar(set.pixels[i * set.features + j]) / 255)
            }
            for c in 0..<set.classes {
                #expect(targets[r * set.classes + c] == (c == Int(set.labels[i]) ? 1 : 0))
            }
        }
        #expect(inputs.last == -7)
        #expect(targets.last == -7)
    }

    @Test("Float and Double batches hold pixel/255 and one-hot targets")
    func values() {
        check(Float.self, indices: [3, 39, 0, 3, 17])
        check(Double.self, indices: [3, 39, 0, 3, 17])
        check(Float.self, indices: Array(10..<26), asRange: 10..<26)
        check(Double.self, indices: [])
    }

    @Test("inputs span [0, 1], with 0 and 255 mapping to the ends")
    func range() throws {
        let set = try Dataset(name: "ends", pixels: [0, 255, 128, 1], labels: [1, 0], features: 2, classes: 2)
        var x = [Float](repeating: 0, count: 4)
        x.withUnsafeMutableBufferPointer { set.fillInputs(0..<2, into: $0.baseAddress!) }
        #expect(x == [0, 1, 128 / 255, 1 / 255])
        var y = [Double](repeating: 5, count: 4)
        y.withUnsafeMutableBufferPointer { set.fillTargets([1, 0], into: $0.baseAddress!) }
        #expect(y == [1, 0, 0, 1])
    }
}
