import PlexusLearning
import PlexusNumerics

/// Whole-parameter loops for the cluster's hot paths. `Parameters`' own methods live in another
/// module and are not specialised for the precision, so called from here they would run every
/// element through generic witnesses; these are (at their call sites) and use the inlinable kernels.
enum ParameterKernels {
    /// The first tensor holding a NaN or infinity, as "layer2.weight[17]", or nil. Each tensor is
    /// first screened with a vectorising max-reduction of its exponent fields; only a tensor that
    /// fails it is searched element by element.
    @inline(__always)
    static func firstNonFinite<S: BLASScalar>(_ p: Parameters<S>) -> String? {
        for (name, m) in p.namedTensors where hasNonFinite(m) {
            if let i = Kernels.firstNonFinite(m.data, count: m.count) { return "\(name)[\(i)]" }
        }
        return nil
    }

    /// Whether `m` holds a NaN or infinity: its largest exponent field is all ones.
    @inline(__always)
    static func hasNonFinite<S: BLASScalar>(_ m: Matrix<S>) -> Bool {
        let count = m.count
        if MemoryLayout<S>.size == 8 {
            return m.data.withMemoryRebound(to: UInt64.self, capacity: count) { p in
                var largest: UInt64 = 0
                for i in 0..<count { largest = Swift.max(largest, p[i] & 0x7FF0_0000_0000_0000) }
                return largest == 0x7FF0_0000_0000_0000
            }
        }
        return m.data.withMemoryRebound(to: UInt32.self, capacity: count) { p in
            var largest: UInt32 = 0
            for i in 0..<count { largest = Swift.max(largest, p[i] & 0x7F80_0000) }
            return largest == 0x7F80_0000
        }
    }

    /// Sets every tensor of `p` to zero.
    @inline(__always)
    static func zero<S: BLASScalar>(_ p: Parameters<S>) {
        for (_, m) in p.namedTensors { m.data.update(repeating: 0, count: m.count) }
    }

    /// `y ← y + alpha · x` on the weights and biases.
    @inline(__always)
    static func axpy<S: BLASScalar>(_ alpha: S, _ x: Parameters<S>, into y: Parameters<S>) {
        for l in 0..<y.weights.count {
            Kernels.axpy(alpha, x.weights[l].data, y.weights[l].data, count: y.weights[l].count)
            Kernels.axpy(alpha, x.biases[l].data, y.biases[l].data, count: y.biases[l].count)
        }
    }

    /// `y ← alpha · x` on the weights and biases.
    @inline(__always)
    static func scale<S: BLASScalar>(_ alpha: S, _ x: Parameters<S>, into y: Parameters<S>) {
        for l in 0..<y.weights.count {
            for (a, b) in [(x.weights[l], y.weights[l]), (x.biases[l], y.biases[l])] {
                for i in 0..<b.count { b.data[i] = alpha * a.data[i] }
            }
        }
    }

    /// Copies every tensor both sides have.
    @inline(__always)
    static func copy<S: BLASScalar>(_ x: Parameters<S>, into y: Parameters<S>) {
        for ((_, a), (_, b)) in zip(x.namedTensors, y.namedTensors) { b.data.update(from: a.data, count: b.count) }
    }
}
