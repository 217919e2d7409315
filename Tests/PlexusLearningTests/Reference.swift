import Foundation
import PlexusLearning
import PlexusNumerics

/// A slow, direct reference for every rule, written separately from the library: one sample at a
/// time, plain nested loops over Swift arrays in Float64, no BLAS, no batching, no shared buffers.
struct Reference {
    let spec: ModelSpec
    /// W[l][j][k] for l = 1…L (index 0 unused), b[l][j], B[l] (feedback).
    var W: [[[Double]]]
    var b: [[Double]]
    var B: [Int: [[Double]]]

    init<S: BLASScalar>(_ p: Parameters<S>) {
        spec = p.spec
        func rows(_ m: Matrix<S>) -> [[Double]] { (0..<m.rows).map { r in (0..<m.cols).map { Double(m[r, $0]) } } }
        W = [[]] + p.weights.map(rows)
        b = [[]] + p.biases.map { rows($0)[0] }
        B = p.feedback.mapValues(rows)
    }

    var L: Int { spec.depth }

    func f(_ x: Double) -> Double { spec.activation.value(x) }
    func df(_ x: Double) -> Double { spec.activation.derivative(x) }

    /// mu_l = W_l f(x_{l−1}) + b_l with f = identity on the input.
    func predict(_ l: Int, _ prev: [Double]) -> [Double] {
        let input = l == 1 ? prev : prev.map(f)
        return (0..<W[l].count).map { j in
            var s = b[l][j]
            for k in 0..<input.count { s += W[l][j][k] * input[k] }
            return s
        }
    }

    func forward(_ x0: [Double]) -> [[Double]] {
        var a = [x0]
        for l in 1...L { a.append(predict(l, a[l - 1])) }
        return a
    }

    func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Per-sample loss of the feedforward output.
    func loss(_ x0: [Double], _ y: [Double]) -> Double {
        let out = forward(x0)[L]
        switch spec.energy {
        case .se: return 0.5 * zip(y, out).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        case .ce: return -zip(y, softmax(out)).reduce(0) { $0 + $1.0 * log($1.1) }
        }
    }

    func outputError(_ out: [Double], _ y: [Double]) -> [Double] {
        switch spec.energy {
        case .se: return zip(y, out).map { $0 - $1 }
        case .ce: return zip(y, softmax(out)).map { $0 - $1 }
        }
    }

    /// Per-layer (dW, db) for one sample, as descent directions, for any rule.
    func update(_ x0: [Double], _ y: [Double]) -> [([[Double]], [Double])] {
        switch spec.rule {
        case .bp, .zil, .fa, .dfa: return backprop(x0, y)
        case .il, .pcfa, .pckp: return inference(x0, y)
        }
    }

    func outer(_ e: [Double], _ pre: [Double]) -> [[Double]] { e.map { ei in pre.map { ei * $0 } } }

    func backprop(_ x0: [Double], _ y: [Double]) -> [([[Double]], [Double])] {
        let a = forward(x0)
        var delta = Array(repeating: [Double](), count: L + 1)
        delta[L] = outputError(a[L], y)
        if L >= 2 {
            for l in stride(from: L - 1, through: 1, by: -1) {
                delta[l] = (0..<a[l].count).map { k in
                    var s = 0.0
                    switch spec.rule {
                    case .dfa: for j in 0..<delta[L].count { s += delta[L][j] * B[l]![j][k] }
                    case .fa: for j in 0..<delta[l + 1].count { s += delta[l + 1][j] * B[l + 1]![j][k] }
                    default: for j in 0..<delta[l + 1].count { s += delta[l + 1][j] * W[l + 1][j][k] }
                    }
                    return df(a[l][k]) * s
                }
            }
        }
        return (1...L).map { l in (outer(delta[l], l == 1 ? a[0] : a[l - 1].map(f)), delta[l]) }
    }

    /// T steps of PC inference, then Hebbian updates eps_l f(x_{l−1})ᵀ / π_L.
    func inference(_ x0: [Double], _ y: [Double]) -> [([[Double]], [Double])] {
        let pi = spec.outputPrecision, gamma = spec.gamma
        var x = forward(x0)
        func errors() -> [[Double]] {
            var e: [[Double]] = [[]]
            for l in 1...L {
                let mu = predict(l, x[l - 1])
                e.append(l == L ? outputError(mu, y).map { pi * $0 } : zip(x[l], mu).map { $0 - $1 })
            }
            return e
        }
        for _ in 0..<spec.steps {
            let e = errors()
            var next = x
            for l in 1..<L {
                let M = spec.rule == .il ? W[l + 1] : B[l + 1]!
                for k in 0..<x[l].count {
                    var s = 0.0
                    for j in 0..<e[l + 1].count { s += e[l + 1][j] * M[j][k] }
                    next[l][k] = x[l][k] + gamma * (-e[l][k] + df(x[l][k]) * s)
                }
            }
            x = next
        }
        let e = errors()
        return (1...L).map { l in
            (outer(e[l].map { $0 / pi }, l == 1 ? x[0] : x[l - 1].map(f)), e[l].map { $0 / pi })
        }
    }

    /// Batch-mean update as flat arrays per layer [dW..., db...].
    func batchUpdate(_ xs: [[Double]], _ ys: [[Double]]) -> [[Double]] {
        var total: [[Double]] = []
        for (x0, y) in zip(xs, ys) {
            let u = update(x0, y).map { $0.0.flatMap { $0 } + $0.1 }
            if total.isEmpty { total = u } else { for l in 0..<u.count { for i in 0..<u[l].count { total[l][i] += u[l][i] } } }
        }
        return total.map { $0.map { $0 / Double(xs.count) } }
    }
}
