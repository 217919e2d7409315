import PlexusLearning
import PlexusNumerics
import PlexusWire

/// Conversion between `Parameters` of either precision and the named wire tensors
/// (`layer{l}.weight` n_l × n_{l−1}, `layer{l}.bias` n_l, `layer{l}.feedback`), with validation of
/// everything that arrives from a peer before it touches any state.
public enum ParameterTensors {
    /// The shape a tensor called `name` must have on the wire (biases are one-dimensional).
    static func wireShape(_ name: String, _ m: MatrixShape) -> [Int] {
        name.hasSuffix(".bias") ? [m.cols] : [m.rows, m.cols]
    }

    /// A matrix's dimensions.
    struct MatrixShape { var rows: Int; var cols: Int }

    /// `p`'s tensors as `dtype` (`f32`, `f64`, `f16` or `bf16`): weights and biases, and the
    /// feedback matrices when `includeFeedback`.
    public static func tensors<S: BLASScalar>(_ p: Parameters<S>, dtype: Tensor.DType, includeFeedback: Bool) -> [Tensor] {
        p.namedTensors.compactMap { name, m in
            if !includeFeedback && name.hasSuffix(".feedback") { return nil }
            return tensor(name: name, m, dtype: dtype)
        }
    }

    /// One matrix as a tensor of `dtype`.
    public static func tensor<S: BLASScalar>(name: String, _ m: Matrix<S>, dtype: Tensor.DType) -> Tensor {
        let shape = wireShape(name, MatrixShape(rows: m.rows, cols: m.cols))
        // The shape comes from the matrix itself, so the constructors cannot fail.
        if S.self == Double.self {
            let buffer = UnsafeBufferPointer(start: UnsafeRawPointer(m.data).assumingMemoryBound(to: Double.self), count: m.count)
            return try! Tensor(name: name, shape: shape, doubles: buffer, as: dtype)
        }
        let buffer = UnsafeBufferPointer(start: UnsafeRawPointer(m.data).assumingMemoryBound(to: Float.self), count: m.count)
        return try! Tensor(name: name, shape: shape, floats: buffer, as: dtype)
    }

    /// Writes a (validated) tensor's elements into `out` (`count` elements) in `S`.
    static func decode<S: BLASScalar>(_ t: Tensor, into out: UnsafeMutablePointer<S>, count: Int) {
        if S.self == Double.self {
            let buffer = UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self), count: count)
            try! t.decode(into: buffer)
        } else {
            let buffer = UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), count: count)
            try! t.decode(into: buffer)
        }
    }

    /// Checks that `t` can be loaded into `m` as the tensor called `t.name`: a floating-point dtype,
    /// the wire shape of `m`, and only finite values.
    static func check<S: BLASScalar>(_ t: Tensor, fits m: Matrix<S>) throws(RunError) {
        guard t.dtype.isFloatingPoint else { throw RunError("tensor \(t.name) has dtype \(t.dtype); expected a floating-point dtype") }
        let expected = wireShape(t.name, MatrixShape(rows: m.rows, cols: m.cols))
        guard t.shape == expected else {
            throw RunError("tensor \(t.name) has shape \(Tensor.format(t.shape)); this network needs \(Tensor.format(expected))")
        }
        if hasNonFinite(t), let bad = t.firstNonFiniteIndex() {
            throw RunError("tensor \(t.name) holds a non-finite value at index \(bad)")
        }
    }

    /// Whether a floating-point tensor holds a NaN or infinity: the largest exponent field over all
    /// elements is all ones. An integer max-reduction, so it vectorises (one pass at memory speed);
    /// the slow search for the index runs only when this says there is one.
    static func hasNonFinite(_ t: Tensor) -> Bool {
        t.bytes.withUnsafeBytes { raw -> Bool in
            switch t.dtype {
            case .f32: return maxMasked(raw, UInt32.self, mask: 0x7F80_0000) == 0x7F80_0000
            case .f64: return maxMasked(raw, UInt64.self, mask: 0x7FF0_0000_0000_0000) == 0x7FF0_0000_0000_0000
            case .f16: return maxMasked(raw, UInt16.self, mask: 0x7C00) == 0x7C00
            case .bf16: return maxMasked(raw, UInt16.self, mask: 0x7F80) == 0x7F80
            case .u8: return false
            }
        }
    }

    /// `max(element & mask)` over the little-endian integers in `raw`.
    @inline(__always)
    private static func maxMasked<T: FixedWidthInteger & UnsignedInteger>(_ raw: UnsafeRawBufferPointer, _: T.Type, mask: T) -> T {
        let n = raw.count / MemoryLayout<T>.size
        guard n > 0, let base = raw.baseAddress else { return 0 }
        var largest: T = 0
        if Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 {
            let p = base.assumingMemoryBound(to: T.self)
            for i in 0..<n { largest = Swift.max(largest, T(littleEndian: p[i]) & mask) }
        } else {
            for i in 0..<n { largest = Swift.max(largest, T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)) & mask) }
        }
        return largest
    }

    /// Loads named tensors into `p` (any subset of its tensors, each at most once). Everything is
    /// checked first; on an error `p` is unchanged.
    public static func load<S: BLASScalar>(_ tensors: [Tensor], into p: Parameters<S>) throws(RunError) {
        var targets: [Matrix<S>] = []
        var seen = Set<String>()
        for t in tensors {
            guard let m = p.tensor(named: t.name) else {
                throw RunError("unexpected tensor '\(t.name)'; this network has \(p.namedTensors.map(\.name).joined(separator: ", "))")
            }
            guard seen.insert(t.name).inserted else { throw RunError("tensor \(t.name) appears twice") }
            try check(t, fits: m)
            targets.append(m)
        }
        for (t, m) in zip(tensors, targets) { decode(t, into: m.data, count: m.count) }
    }

    /// Checks a push's deltas: exactly one tensor per weight and bias (no feedback), right shapes,
    /// floating-point dtypes, finite values. Returns, per tensor, its index in `update.namedTensors`.
    public static func validateDeltas<S: BLASScalar>(_ deltas: [Tensor], against update: Parameters<S>) throws(RunError) -> [Int] {
        let named = update.namedTensors
        guard deltas.count == named.count else {
            throw RunError("a push must carry \(named.count) tensors (\(named.map(\.name).joined(separator: ", "))), got \(deltas.count)")
        }
        var slots = [Int](repeating: -1, count: deltas.count)
        var taken = [Bool](repeating: false, count: named.count)
        for (i, t) in deltas.enumerated() {
            // Deltas normally arrive in order; fall back to a search.
            let k = (i < named.count && named[i].name == t.name) ? i : (named.firstIndex { $0.name == t.name } ?? -1)
            guard k >= 0 else { throw RunError("a push carries an unexpected tensor '\(t.name)'") }
            guard !taken[k] else { throw RunError("a push carries tensor \(t.name) twice") }
            try check(t, fits: named[k].matrix)
            taken[k] = true
            slots[i] = k
        }
        return slots
    }
}
