import PlexusLearning
import PlexusNumerics

/// A random batch: inputs in [0, 1) and one-hot targets of random classes.
func randomBatch<S: BLASScalar>(_ spec: ModelSpec, rows: Int, seed: UInt64, as _: S.Type = S.self)
    -> (input: Matrix<S>, target: Matrix<S>, xs: [[Double]], ys: [[Double]]) {
    var rng = SeededRandom(seed: seed, stream: 99)
    let n0 = spec.widths[0], nL = spec.widths[spec.depth]
    var xs: [[Double]] = [], ys: [[Double]] = []
    for _ in 0..<rows {
        xs.append((0..<n0).map { _ in rng.nextUnit() })
        let c = Int(rng.next() % UInt64(nL))
        ys.append((0..<nL).map { $0 == c ? 1 : 0 })
    }
    let input = Matrix<S>(rows: rows, cols: n0, values: xs.flatMap { $0 }.map { S($0) })
    let target = Matrix<S>(rows: rows, cols: nL, values: ys.flatMap { $0 }.map { S($0) })
    return (input, target, xs, ys)
}

/// Flattens an update into per-layer [W..., b...] arrays in Double.
func flat<S: BLASScalar>(_ p: Parameters<S>) -> [[Double]] {
    (0..<p.weights.count).map { l in (p.weights[l].array + p.biases[l].array).map { Double($0) } }
}

/// Largest |a − b| / max|b| over all layers.
func relativeDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    var worst = 0.0
    for (x, y) in zip(a, b) {
        let scale = y.map(abs).max() ?? 0
        let diff = zip(x, y).map { abs($0 - $1) }.max() ?? 0
        worst = max(worst, diff / max(scale, 1e-300))
    }
    return worst
}
