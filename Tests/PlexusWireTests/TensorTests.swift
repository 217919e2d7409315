import PlexusNumerics
import Testing
@testable import PlexusWire

/// Tensor construction, validation, decoding and finiteness checks.
struct TensorTests {
    @Test func float32RoundTripIsExactAndLittleEndian() throws {
        let values: [Float] = [1, -2.5, 0x1p-149, .greatestFiniteMagnitude, 3.14159]
        let tensor = try Tensor(name: "w", shape: [5], floats: values)
        #expect(tensor.dtype == .f32)
        #expect(tensor.bytes.count == 20)
        #expect(Array(tensor.bytes[0..<4]) == [0x00, 0x00, 0x80, 0x3F])  // 1.0 = 0x3F800000, little-endian
        #expect(tensor.floats() == values)
        #expect(tensor.doubles() == values.map(Double.init))
    }

    @Test func float64KeepsDoublesExactly() throws {
        var random = SeededRandom(seed: 3)
        let values = (0..<100).map { _ in random.normal() }
        let tensor = try Tensor(name: "d", shape: [10, 10], doubles: values)
        #expect(tensor.dtype == .f64)
        #expect(tensor.doubles() == values)
        #expect(tensor.floats() == values.map(Float.init))
        let narrowed = try Tensor(name: "d", shape: [10, 10], doubles: values, as: .f32)
        #expect(narrowed.floats() == values.map(Float.init))
    }

    @Test(arguments: Tensor.DType.allCases.filter(\.isFloatingPoint))
    func floatsFromEveryDtypeRoundTrip(dtype: Tensor.DType) throws {
        // Values exactly representable in every float dtype survive unchanged.
        let values: [Float] = [0, 1, -2.5, 0.5, 256, -0.125, 3]
        let tensor = try Tensor(name: "t", shape: [7], floats: values, as: dtype)
        #expect(tensor.bytes.count == 7 * dtype.elementSize)
        #expect(tensor.floats() == values)
        let viaDoubles = try Tensor(name: "t", shape: [7], doubles: values.map(Double.init), as: dtype)
        #expect(viaDoubles == tensor)
    }

    @Test func unsafeBufferConstructorAndDecodeIntoBuffer() throws {
        let values: [Float] = (0..<12).map { Float($0) * 0.5 }
        let tensor = try values.withUnsafeBufferPointer { try Tensor(name: "b", shape: [3, 4], floats: $0, as: .bf16) }
        var out = [Float](repeating: -1, count: 12)
        try out.withUnsafeMutableBufferPointer { try tensor.decode(into: $0) }
        #expect(out == values)
        var short = [Float](repeating: 0, count: 11)
        #expect(throws: WireError.self) { try short.withUnsafeMutableBufferPointer { try tensor.decode(into: $0) } }
        var doubles = [Double](repeating: 0, count: 12)
        try doubles.withUnsafeMutableBufferPointer { try tensor.decode(into: $0) }
        #expect(doubles == values.map(Double.init))
    }

    @Test func u8Tensors() throws {
        let tensor = try Tensor(name: "labels", shape: [4], u8: [0, 9, 255, 7])
        #expect(tensor.floats() == [0, 9, 255, 7])
        #expect(tensor.firstNonFiniteIndex() == nil)
        #expect(throws: WireError.self) { try Tensor(name: "x", shape: [1], floats: [1], as: .u8) }
    }

    @Test func sizeMismatchIsReported() {
        #expect(throws: WireError.tensorSizeMismatch(tensor: "layer1.weight",
                                                     detail: "shape 128×784 of f32 needs 401408 bytes, got 1000")) {
            try Tensor(name: "layer1.weight", shape: [128, 784], dtype: .f32, bytes: [UInt8](repeating: 0, count: 1000))
        }
        #expect(throws: WireError.tensorSizeMismatch(tensor: "w", detail: "shape 2×3 needs 6 elements, got 5")) {
            try Tensor(name: "w", shape: [2, 3], floats: [1, 2, 3, 4, 5])
        }
        let error = WireError.tensorSizeMismatch(tensor: "w", detail: "shape 2×3 needs 6 elements, got 5")
        #expect(error.description == "tensor size mismatch in w: shape 2×3 needs 6 elements, got 5")
    }

    @Test func invalidShapesAreRejected() {
        #expect(throws: WireError.invalidShape(tensor: "n", shape: [3, -1])) {
            try Tensor(name: "n", shape: [3, -1], dtype: .f32, bytes: [])
        }
        #expect(throws: WireError.invalidShape(tensor: "o", shape: [Int.max, 2])) {
            try Tensor(name: "o", shape: [Int.max, 2], dtype: .u8, bytes: [])
        }
        // The element count fits but the byte count does not.
        #expect(throws: WireError.invalidShape(tensor: "p", shape: [1 << 62])) {
            try Tensor(name: "p", shape: [1 << 62], dtype: .f32, bytes: [])
        }
        #expect(Tensor.elementCount(of: [1 << 32, 1 << 32]) == nil)
        #expect(Tensor.elementCount(of: []) == 1)
        #expect(Tensor.elementCount(of: [0, 1 << 62]) == 0)
    }

    @Test func emptyAndScalarTensors() throws {
        let empty = try Tensor(name: "e", shape: [0, 5], floats: [])
        #expect(empty.elementCount == 0 && empty.bytes.isEmpty && empty.floats().isEmpty)
        let scalar = try Tensor(name: "s", shape: [], doubles: [2.5])
        #expect(scalar.elementCount == 1 && scalar.doubles() == [2.5])
        #expect(Tensor.format([]) == "scalar")
    }

    @Test(arguments: Tensor.DType.allCases.filter(\.isFloatingPoint))
    func finitenessCheckFindsTheFirstBadElement(dtype: Tensor.DType) throws {
        var values = [Float](repeating: 1.5, count: 20)
        let clean = try Tensor(name: "g", shape: [4, 5], floats: values, as: dtype)
        #expect(clean.firstNonFiniteIndex() == nil)
        try clean.checkFinite()

        values[13] = .infinity
        values[17] = .nan
        let dirty = try Tensor(name: "g", shape: [4, 5], floats: values, as: dtype)
        #expect(dirty.firstNonFiniteIndex() == 13)
        #expect(throws: WireError.nonFinite(tensor: "g", index: 13)) { try dirty.checkFinite() }

        values[13] = 0
        let nan = try Tensor(name: "g", shape: [4, 5], floats: values, as: dtype)
        #expect(nan.firstNonFiniteIndex() == 17)
        #expect(WireError.nonFinite(tensor: "g", index: 17).description == "non-finite value in tensor g at index 17")
    }

    @Test func overflowOnNarrowingIsCaughtByTheFinitenessCheck() throws {
        let tensor = try Tensor(name: "big", shape: [3], floats: [1, 70000, 2], as: .f16)
        #expect(tensor.floats()[1] == .infinity)
        #expect(tensor.firstNonFiniteIndex() == 1)
    }
}
