import PlexusLearning
import PlexusNumerics
import PlexusWire

extension Parameters where Scalar == Double {
    /// The parameters as named Float32 (or Float64) tensors, in checkpoint order.
    public func tensors(dtype: Tensor.DType = .f32) -> [Tensor] {
        // The shapes come from the parameters themselves, so the constructors cannot fail.
        namedTensors.map { name, m in
            let shape = name.hasSuffix(".bias") ? [m.cols] : [m.rows, m.cols]
            if dtype == .f64 {
                return try! Tensor(name: name, shape: shape, doubles: UnsafeBufferPointer(start: m.data, count: m.count), as: .f64)
            }
            let floats = (0..<m.count).map { Float(m.data[$0]) }
            return try! floats.withUnsafeBufferPointer { try Tensor(name: name, shape: shape, floats: $0, as: dtype) }
        }
    }

    /// Parameters for `spec` from checkpoint tensors. Tensors the checkpoint lacks (e.g. the feedback
    /// of a rule other than the one it was trained with) keep their fresh initialisation from `seed`;
    /// a tensor whose shape differs, or that holds NaN or infinity, is an error naming it.
    public static func fromCheckpoint(_ checkpoint: Checkpoint, spec: ModelSpec, seed: UInt64, path: String) throws -> Parameters<Double> {
        let p = Parameters<Double>.initialized(spec: spec, seed: seed)
        for l in 1...spec.depth {
            for name in ["layer\(l).weight", "layer\(l).bias"] where checkpoint.tensor(named: name) == nil {
                throw RunError("checkpoint \(path) has no tensor \(name); it was saved for --layers \(checkpoint.model.widths.map(String.init).joined(separator: ","))")
            }
        }
        let sameFeedbackKind = (checkpoint.model.rule == .dfa) == (spec.rule == .dfa)
        for (name, m) in p.namedTensors {
            guard let t = checkpoint.tensor(named: name) else { continue }
            if name.hasSuffix(".feedback") && !sameFeedbackKind { continue }
            let expected = spec.shape(of: name) ?? []
            guard t.shape == expected else {
                throw RunError("checkpoint \(path): tensor \(name) has shape \(Tensor.format(t.shape)) but --layers \(spec.widths.map(String.init).joined(separator: ",")) needs \(Tensor.format(expected))")
            }
            if let bad = t.firstNonFiniteIndex() {
                throw RunError("checkpoint \(path): tensor \(name) holds a non-finite value at index \(bad)")
            }
            let values = t.doubles()
            for i in 0..<m.count { m.data[i] = values[i] }
        }
        return p
    }
}
