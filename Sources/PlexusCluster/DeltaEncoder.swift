import PlexusLearning
import PlexusNumerics
import PlexusWire

/// Turns a worker's update into the delta tensors of a push: full precision, or compressed to
/// bf16/f16 (`--compress`), optionally with error feedback — the rounding residual of each push is
/// kept and added to the next one, so no part of an update is lost for good (Seide et al. 2014;
/// Karimireddy et al. 2019).
final class DeltaEncoder<S: BLASScalar> {
    let dtype: Tensor.DType
    /// The residual `(d + r) − Q(d + r)` of the last push, when error feedback is on.
    let residual: Parameters<S>?

    init(spec: ModelSpec, dtype: Tensor.DType, errorFeedback: Bool) {
        self.dtype = dtype
        let compressed = dtype == .f16 || dtype == .bf16
        residual = compressed && errorFeedback ? Parameters(zerosFor: spec, includeFeedback: false) : nil
    }

    /// The delta tensors for `update` (weights and biases).
    func encode(_ update: Parameters<S>) -> [Tensor] {
        guard dtype == .f16 || dtype == .bf16 else {
            return ParameterTensors.tensors(update, dtype: dtype, includeFeedback: false)
        }
        let residuals = residual?.namedTensors
        return update.namedTensors.enumerated().map { index, entry in
            compress(entry.name, entry.matrix, residual: residuals?[index].matrix)
        }
    }

    /// One tensor rounded to 16 bits; with a residual, `v = d + r` is rounded and `r ← v − Q(v)`.
    private func compress(_ name: String, _ m: Matrix<S>, residual r: Matrix<S>?) -> Tensor {
        let count = m.count
        let half = dtype == .f16
        let bytes = [UInt8](unsafeUninitializedCapacity: 2 * count) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            for i in 0..<count {
                let v = m.data[i] + (r?.data[i] ?? 0)
                // f16 saturates instead of overflowing to infinity (which the coordinator would refuse).
                let f = half ? Swift.max(-65504, Swift.min(65504, Float(v))) : Float(v)
                let bits = half ? HalfPrecision.halfBits(f) : HalfPrecision.bfloat16Bits(f)
                if let r {
                    let q = half ? HalfPrecision.float(halfBits: bits) : HalfPrecision.float(bfloat16Bits: bits)
                    r.data[i] = v - S(q)
                }
                out.storeBytes(of: bits.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
            initialized = 2 * count
        }
        let shape = name.hasSuffix(".bias") ? [m.cols] : [m.rows, m.cols]
        // Shape and byte count come from the matrix itself.
        return try! Tensor(name: name, shape: shape, dtype: dtype, bytes: bytes)
    }
}
