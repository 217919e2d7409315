/// Building tensors from Swift numbers and reading the numbers back, with conversion between the
/// floating-point dtypes (see `HalfPrecision` for the rounding rules).
extension Tensor {
    // MARK: building

    /// A tensor of `values` stored as `dtype` (`f32`, `f16`, `bf16` or `f64`; narrowing rounds to
    /// nearest-even). Throws if `values.count` is not the shape's element count, or for `u8`.
    public init(name: String, shape: [Int], floats values: UnsafeBufferPointer<Float>, as dtype: DType = .f32)
        throws(WireError)
    {
        let count = try Tensor.checkedElementCount(name: name, shape: shape)
        try Tensor.checkCount(name: name, shape: shape, expected: count, actual: values.count)
        try Tensor.checkFloatingPoint(name: name, dtype)
        let bytes = [UInt8](unsafeUninitializedCapacity: count * dtype.elementSize) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            switch dtype {
            case .f32:
                #if _endian(little)
                if count > 0 { out.copyMemory(from: UnsafeRawBufferPointer(values)) }
                #else
                for i in 0..<count { out.storeBytes(of: values[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
                #endif
            case .f64:
                for i in 0..<count {
                    out.storeBytes(of: Double(values[i]).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
                }
            case .f16:
                for i in 0..<count {
                    out.storeBytes(of: HalfPrecision.halfBits(values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .bf16:
                for i in 0..<count {
                    out.storeBytes(of: HalfPrecision.bfloat16Bits(values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .u8:
                break  // rejected above
            }
            initialized = count * dtype.elementSize
        }
        self.init(unchecked: name, shape: shape, dtype: dtype, bytes: bytes)
    }

    /// A tensor of `values` stored as `dtype` (see `init(name:shape:floats:as:)` for an unsafe buffer).
    public init(name: String, shape: [Int], floats values: [Float], as dtype: DType = .f32) throws(WireError) {
        let result = values.withUnsafeBufferPointer { buffer in
            Result { () throws(WireError) in try Tensor(name: name, shape: shape, floats: buffer, as: dtype) }
        }
        self = try result.get()
    }

    /// A tensor of `values` stored as `dtype` (`f64` keeps them exactly; `f32`, `f16` and `bf16` round
    /// each value once to nearest-even). Throws on a count mismatch or for `u8`.
    public init(name: String, shape: [Int], doubles values: UnsafeBufferPointer<Double>, as dtype: DType = .f64)
        throws(WireError)
    {
        let count = try Tensor.checkedElementCount(name: name, shape: shape)
        try Tensor.checkCount(name: name, shape: shape, expected: count, actual: values.count)
        try Tensor.checkFloatingPoint(name: name, dtype)
        let bytes = [UInt8](unsafeUninitializedCapacity: count * dtype.elementSize) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            switch dtype {
            case .f64:
                #if _endian(little)
                if count > 0 { out.copyMemory(from: UnsafeRawBufferPointer(values)) }
                #else
                for i in 0..<count { out.storeBytes(of: values[i].bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
                #endif
            case .f32:
                for i in 0..<count {
                    out.storeBytes(of: Float(values[i]).bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            case .f16:
                for i in 0..<count {
                    out.storeBytes(of: HalfPrecision.halfBits(values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .bf16:
                for i in 0..<count {
                    out.storeBytes(of: HalfPrecision.bfloat16Bits(values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .u8:
                break  // rejected above
            }
            initialized = count * dtype.elementSize
        }
        self.init(unchecked: name, shape: shape, dtype: dtype, bytes: bytes)
    }

    /// A tensor of `values` stored as `dtype` (see `init(name:shape:doubles:as:)` for an unsafe buffer).
    public init(name: String, shape: [Int], doubles values: [Double], as dtype: DType = .f64) throws(WireError) {
        let result = values.withUnsafeBufferPointer { buffer in
            Result { () throws(WireError) in try Tensor(name: name, shape: shape, doubles: buffer, as: dtype) }
        }
        self = try result.get()
    }

    /// A `u8` tensor (images, labels). Throws if `values.count` is not the shape's element count.
    public init(name: String, shape: [Int], u8 values: [UInt8]) throws(WireError) {
        try self.init(name: name, shape: shape, dtype: .u8, bytes: values)
    }

    // MARK: reading

    /// The elements as `Float`: exact for `f32`, `f16`, `bf16` and `u8` (0…255); `f64` rounds to nearest.
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            fill(buffer)
            initialized = elementCount
        }
    }

    /// Writes the elements as `Float` into `buffer` without allocating; throws if `buffer.count` is not
    /// `elementCount`.
    public func decode(into buffer: UnsafeMutableBufferPointer<Float>) throws(WireError) {
        guard buffer.count == elementCount else {
            throw .tensorSizeMismatch(
                tensor: name,
                detail: "shape \(Tensor.format(shape)) has \(elementCount) elements but the destination holds \(buffer.count)")
        }
        fill(buffer)
    }

    /// The elements as `Double` (exact for every dtype).
    public func doubles() -> [Double] {
        [Double](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            fill(buffer)
            initialized = elementCount
        }
    }

    /// Writes the elements as `Double` into `buffer` without allocating; throws if `buffer.count` is
    /// not `elementCount`.
    public func decode(into buffer: UnsafeMutableBufferPointer<Double>) throws(WireError) {
        guard buffer.count == elementCount else {
            throw .tensorSizeMismatch(
                tensor: name,
                detail: "shape \(Tensor.format(shape)) has \(elementCount) elements but the destination holds \(buffer.count)")
        }
        fill(buffer)
    }

    /// Index of the first NaN or infinite element, or nil if all are finite (always nil for `u8`).
    public func firstNonFiniteIndex() -> Int? {
        let count = elementCount
        return bytes.withUnsafeBytes { raw -> Int? in
            switch dtype {
            case .u8:
                return nil
            case .f32:
                for i in 0..<count where UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) & 0x7F80_0000 == 0x7F80_0000 {
                    return i
                }
            case .f64:
                for i in 0..<count where UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 {
                    return i
                }
            case .f16:
                for i in 0..<count where UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) & 0x7C00 == 0x7C00 {
                    return i
                }
            case .bf16:
                for i in 0..<count where UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) & 0x7F80 == 0x7F80 {
                    return i
                }
            }
            return nil
        }
    }

    /// Throws `nonFinite` naming the tensor and the first NaN or infinite element's index.
    public func checkFinite() throws(WireError) {
        if let index = firstNonFiniteIndex() { throw .nonFinite(tensor: name, index: index) }
    }

    // MARK: helpers

    private func fill(_ out: UnsafeMutableBufferPointer<Float>) {
        let count = elementCount
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .f32:
                #if _endian(little)
                if count > 0 { UnsafeMutableRawBufferPointer(out).copyMemory(from: raw) }
                #else
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                #endif
            case .f64:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case .f16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(halfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bf16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(bfloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .u8:
                for i in 0..<count { out[i] = Float(raw[i]) }
            }
        }
    }

    private func fill(_ out: UnsafeMutableBufferPointer<Double>) {
        let count = elementCount
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .f64:
                #if _endian(little)
                if count > 0 { UnsafeMutableRawBufferPointer(out).copyMemory(from: raw) }
                #else
                for i in 0..<count { out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
                #endif
            case .f32:
                for i in 0..<count {
                    out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                }
            case .f16:
                for i in 0..<count {
                    out[i] = Double(HalfPrecision.float(halfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                }
            case .bf16:
                for i in 0..<count {
                    out[i] = Double(HalfPrecision.float(bfloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                }
            case .u8:
                for i in 0..<count { out[i] = Double(raw[i]) }
            }
        }
    }

    private static func checkCount(name: String, shape: [Int], expected: Int, actual: Int) throws(WireError) {
        guard expected == actual else {
            throw .tensorSizeMismatch(
                tensor: name, detail: "shape \(format(shape)) needs \(expected) elements, got \(actual)")
        }
    }

    private static func checkFloatingPoint(name: String, _ dtype: DType) throws(WireError) {
        guard dtype.isFloatingPoint else {
            throw .invalidValue("tensor \(name): floating-point values cannot be stored as u8; use init(name:shape:u8:)")
        }
    }
}
