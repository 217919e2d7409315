import PlexusLearning
import PlexusNumerics
import PlexusWire
import Testing
@testable import PlexusCluster

/// The coordinator's arithmetic: weighted means of pushes, compression with error feedback, and the
/// validation every pushed tensor passes before it touches state.
@Suite("aggregation, compression and tensor validation")
struct AggregationTests {
    let spec = ModelSpec(widths: [6, 5, 3], rule: .il, steps: 3)

    /// Deterministic parameters shaped like an update of `spec`.
    func update(_ seed: UInt64) -> Parameters<Double> {
        let p = Parameters<Double>(zerosFor: spec, includeFeedback: false)
        var rng = SeededRandom(seed: seed)
        for (_, m) in p.namedTensors { for i in 0..<m.count { m.data[i] = rng.uniform(-1, 1) } }
        return p
    }

    @Test("the mean of pushes weighted by sample count is Σ n_w d_w / Σ n_w")
    func weightedMean() throws {
        let acc = DeltaAccumulator<Double>(spec: spec)
        let (a, b) = (update(1), update(2))
        try acc.add(ParameterTensors.tensors(a, dtype: .f64, includeFeedback: false), sampleCount: 3)
        try acc.add(ParameterTensors.tensors(b, dtype: .f64, includeFeedback: false), sampleCount: 1)
        #expect(acc.samples == 4 && acc.pushes == 2)
        let mean = Parameters<Double>(zerosFor: spec, includeFeedback: false)
        acc.mean(into: mean)
        for ((_, m), ((_, x), (_, y))) in zip(mean.namedTensors, zip(a.namedTensors, b.namedTensors)) {
            for i in 0..<m.count { #expect(abs(m.data[i] - (3 * x.data[i] + y.data[i]) / 4) < 1e-15) }
        }
    }

    @Test("f32, f16 and bf16 pushes all aggregate into a Float32 sum")
    func mixedDTypes() throws {
        let acc = DeltaAccumulator<Float>(spec: spec)
        let a = update(3).converted(to: Float.self)
        for dtype in [Tensor.DType.f32, .f16, .bf16, .f64] {
            try acc.add(ParameterTensors.tensors(a, dtype: dtype, includeFeedback: false), sampleCount: 2)
        }
        let mean = Parameters<Float>(zerosFor: spec, includeFeedback: false)
        acc.mean(into: mean)
        #expect(Diagnostics.maxRelativeDifference(mean, a) < 5e-3)
    }

    @Test("a bad push is refused whole and leaves the sum untouched", arguments: ["name", "shape", "nan", "count", "dtype", "feedback"])
    func invalidPushes(_ defect: String) throws {
        let acc = DeltaAccumulator<Double>(spec: spec)
        let good = ParameterTensors.tensors(update(4), dtype: .f64, includeFeedback: false)
        try acc.add(good, sampleCount: 2)
        var bad = good
        switch defect {
        case "name": bad[1].name = "layer9.bias"
        case "shape": bad[0] = try Tensor(name: "layer1.weight", shape: [6, 5], doubles: [Double](repeating: 0, count: 30))
        case "nan": bad[3] = try Tensor(name: "layer2.bias", shape: [3], doubles: [0, .nan, 0])
        case "count": bad.removeLast()
        case "dtype": bad[2] = try Tensor(name: "layer2.weight", shape: [3, 5], u8: [UInt8](repeating: 0, count: 15))
        default: bad.append(try Tensor(name: "layer2.feedback", shape: [3, 5], doubles: [Double](repeating: 0, count: 15)))
        }
        #expect(throws: RunError.self) { try acc.add(bad, sampleCount: 2) }
        #expect(acc.samples == 2 && acc.pushes == 1)
        #expect(throws: RunError.self) { try acc.add(good, sampleCount: 0) }
    }

    @Test("error feedback: what was pushed plus the residual is what was computed, over many pushes")
    func errorFeedback() {
        for dtype in [Tensor.DType.bf16, .f16] {
            let encoder = DeltaEncoder<Float>(spec: spec, dtype: dtype, errorFeedback: true)
            let plain = DeltaEncoder<Float>(spec: spec, dtype: dtype, errorFeedback: false)
            var computed = [Double](repeating: 0, count: spec.updateCount)
            var pushed = computed, pushedPlain = computed
            for k in 0..<50 {
                let u = update(UInt64(100 + k)).converted(to: Float.self)
                // Small updates, the case compression hurts most.
                for (_, m) in u.namedTensors { for i in 0..<m.count { m.data[i] *= 1e-3 } }
                let flat = u.namedTensors.flatMap { $0.matrix.array.map(Double.init) }
                let sent = encoder.encode(u).flatMap { $0.doubles() }
                let sentPlain = plain.encode(u).flatMap { $0.doubles() }
                for i in flat.indices { computed[i] += flat[i]; pushed[i] += sent[i]; pushedPlain[i] += sentPlain[i] }
            }
            let residual = encoder.residual!.namedTensors.flatMap { $0.matrix.array.map(Double.init) }
            let gap = zip(zip(pushed, residual), computed).map { abs($0.0 + $0.1 - $1) }.max()!
            #expect(gap < 1e-6, "\(dtype): pushed + residual differs from computed by \(gap)")
            let errorWith = zip(pushed, computed).map { abs($0 - $1) }.max()!
            let errorWithout = zip(pushedPlain, computed).map { abs($0 - $1) }.max()!
            #expect(errorWith < errorWithout, "\(dtype): error feedback \(errorWith) vs none \(errorWithout)")
        }
    }

    @Test("weights load by name; a wrong shape, name or value changes nothing")
    func loadParameters() throws {
        var pckp = spec
        pckp.rule = .pckp
        let source = Parameters<Double>.initialized(spec: pckp, seed: 7)
        let target = Parameters<Float>(zerosFor: pckp)
        try ParameterTensors.load(ParameterTensors.tensors(source, dtype: .f32, includeFeedback: true), into: target)
        #expect(Diagnostics.maxRelativeDifference(target.converted(to: Double.self), source) < 1e-6)
        #expect(target.feedback[2] != nil && target.feedback[2]![0, 0] == Float(source.feedback[2]![0, 0]))
        let before = target.copy()
        var bad = ParameterTensors.tensors(source, dtype: .f32, includeFeedback: true)
        bad[0] = try Tensor(name: "layer1.weight", shape: [6, 5], floats: [Float](repeating: 9, count: 30))
        #expect(throws: RunError.self) { try ParameterTensors.load(bad, into: target) }
        #expect(throws: RunError.self) { try ParameterTensors.load([try Tensor(name: "layer3.weight", shape: [1], floats: [1])], into: target) }
        #expect(Diagnostics.maxRelativeDifference(target, before) == 0)
    }
}
