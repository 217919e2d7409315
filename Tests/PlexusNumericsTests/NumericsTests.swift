import Foundation
import PlexusNumerics
import Testing

/// Units in the last place between a Float result and the exact (Float64) value.
func ulps(_ x: Float, _ exact: Double) -> Double {
    let e = Float(exact)
    guard e != 0 else { return abs(Double(x)) / Double(Float.leastNonzeroMagnitude) }
    return abs(Double(x) - exact) / Double(e.ulp)
}

@Test("FastMath.exp is within 3 ulp of exp on [−87, 88]")
func fastExp() {
    var rng = SeededRandom(seed: 1)
    var worst = 0.0
    for _ in 0..<200_000 {
        let x = Float(rng.uniform(-87, 88))
        worst = max(worst, ulps(FastMath.exp(x), Foundation.exp(Double(x))))
    }
    #expect(worst <= 3, "worst \(worst) ulp")
}

@Test("FastMath.tanh is within 4 ulp of tanh, odd, and saturates to ±1")
func fastTanh() {
    var rng = SeededRandom(seed: 2)
    var worst = 0.0
    for _ in 0..<200_000 {
        let x = Float(rng.uniform(-10, 10)) * (rng.nextUnit() < 0.5 ? 0.05 : 1)
        worst = max(worst, ulps(FastMath.tanh(x), Foundation.tanh(Double(x))))
        #expect(FastMath.tanh(-x) == -FastMath.tanh(x))
    }
    #expect(worst <= 4, "worst \(worst) ulp")
    #expect(FastMath.tanh(50) == 1 && FastMath.tanh(-1e30) == -1 && FastMath.tanh(0) == 0)
}

@Test("every activation's derivative matches central finite differences (Float64)", arguments: Activation.allCases)
func activationDerivative(_ a: Activation) {
    var rng = SeededRandom(seed: 3)
    for _ in 0..<500 {
        var x = rng.uniform(-4, 4)
        if (a == .relu || a == .leakyRelu) && abs(x) < 1e-3 { x += 0.01 }
        let h = 1e-6
        let numeric = (a.value(x + h) - a.value(x - h)) / (2 * h)
        #expect(abs(numeric - a.derivative(x)) <= 1e-7 * max(1, abs(numeric)), "\(a) at \(x)")
    }
}

@Test("the vectorised Float32 kernels agree with the Float64 definitions", arguments: Activation.allCases)
func activationPrecisions(_ a: Activation) {
    var rng = SeededRandom(seed: 4)
    let n = 4099
    let x = (0..<n).map { _ in Float(rng.uniform(-6, 6)) }
    var fx = [Float](repeating: 0, count: n), dfx = [Float](repeating: 0, count: n)
    a.apply(x, &fx, derivative: &dfx, count: n)
    for i in 0..<n {
        #expect(abs(Double(fx[i]) - a.value(Double(x[i]))) <= 2e-6 * max(1, abs(Double(fx[i]))))
        #expect(abs(Double(dfx[i]) - a.derivative(Double(x[i]))) <= 2e-6 * max(1, abs(Double(dfx[i]))))
    }
}

@Test("gemm with every transpose combination equals a direct triple loop", arguments: [(false, false), (true, false), (false, true), (true, true)])
func gemmMatchesLoops(_ ta: Bool, _ tb: Bool) {
    var rng = SeededRandom(seed: 5)
    let m = 7, n = 5, k = 9
    let a = Matrix<Double>(rows: ta ? k : m, cols: ta ? m : k), b = Matrix<Double>(rows: tb ? n : k, cols: tb ? k : n)
    for i in 0..<a.count { a.data[i] = rng.normal() }
    for i in 0..<b.count { b.data[i] = rng.normal() }
    let c = Matrix<Double>(rows: m, cols: n)
    c.fill(1)
    BLAS.gemm(a.view, transposeA: ta, b.view, transposeB: tb, into: c.view, alpha: 2, beta: 0.5)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += (ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]) }
            #expect(abs(c[i, j] - (2 * s + 0.5)) < 1e-12)
        }
    }
}

@Test("softmax rows are positive, sum to one and are shift invariant")
func softmax() {
    let x = Matrix<Double>(rows: 2, cols: 4, values: [1, 2, 3, 4, 1000, 1001, 1002, 1003])
    let out = Matrix<Double>(rows: 2, cols: 4)
    Kernels.softmaxRows(x.view, into: out.view)
    for r in 0..<2 { #expect(abs((0..<4).reduce(0) { $0 + out[r, $1] } - 1) < 1e-15) }
    for c in 0..<4 { #expect(abs(out[0, c] - out[1, c]) < 1e-15) }
    #expect(abs(out[0, 3] - exp(4) / (exp(1) + exp(2) + exp(3) + exp(4))) < 1e-15)
}

@Test("the seeded generator is reproducible, its streams differ, and its unit draws are uniform")
func seededRandom() {
    var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9), c = SeededRandom(seed: 9, stream: 1)
    let xs = (0..<100).map { _ in a.next() }
    #expect(xs == (0..<100).map { _ in b.next() })
    #expect(xs != (0..<100).map { _ in c.next() })
    var buckets = [Int](repeating: 0, count: 10)
    for _ in 0..<100_000 { buckets[Int(a.nextUnit() * 10)] += 1 }
    #expect(buckets.allSatisfy { abs($0 - 10_000) < 500 })
}
