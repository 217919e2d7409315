/// Elementwise and reduction kernels over contiguous buffers. None allocates.
public enum Kernels {
    /// `m[r, :] += v` for every row r.
    @inlinable
    public static func addRowVector<S: BLASScalar>(_ m: MatrixView<S>, _ v: UnsafePointer<S>) {
        for r in 0..<m.rows {
            let row = m.data + r * m.cols
            for c in 0..<m.cols { row[c] += v[c] }
        }
    }

    /// `out[c] = beta · out[c] + alpha · Σ_r m[r, c]` (column sums, e.g. bias updates).
    @inlinable
    public static func columnSums<S: BLASScalar>(_ m: MatrixView<S>, into out: UnsafeMutablePointer<S>,
                                                 alpha: S = 1, beta: S = 0) {
        for c in 0..<m.cols { out[c] = beta == 0 ? 0 : beta * out[c] }
        for r in 0..<m.rows {
            let row = m.data + r * m.cols
            for c in 0..<m.cols { out[c] += alpha * row[c] }
        }
    }

    /// Row-wise softmax: `out[r, :] = exp(x[r, :] − max) / Σ exp(x[r, :] − max)`; returns nothing.
    @inlinable
    public static func softmaxRows<S: BLASScalar>(_ x: MatrixView<S>, into out: MatrixView<S>) {
        precondition(x.rows == out.rows && x.cols == out.cols, "softmaxRows: shape mismatch")
        for r in 0..<x.rows {
            let xi = x.data + r * x.cols, oi = out.data + r * x.cols
            var mx = xi[0]
            for c in 1..<x.cols where xi[c] > mx { mx = xi[c] }
            var sum = S.zero
            for c in 0..<x.cols {
                let e = S.elementaryExp(xi[c] - mx)
                oi[c] = e
                sum += e
            }
            let inv = 1 / sum
            for c in 0..<x.cols { oi[c] *= inv }
        }
    }

    /// `Σ a[i]·b[i]` accumulated in Double.
    @inlinable
    public static func dot<S: BLASScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, count: Int) -> Double {
        var s = 0.0
        for i in 0..<count { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    /// `Σ a[i]²` accumulated in Double.
    @inlinable
    public static func sumOfSquares<S: BLASScalar>(_ a: UnsafePointer<S>, count: Int) -> Double {
        var s = 0.0
        for i in 0..<count { s += Double(a[i]) * Double(a[i]) }
        return s
    }

    /// `y[i] += alpha · x[i]`.
    @inlinable
    public static func axpy<S: BLASScalar>(_ alpha: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, count: Int) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }

    /// Index of the first non-finite element, or nil.
    @inlinable
    public static func firstNonFinite<S: BLASScalar>(_ a: UnsafePointer<S>, count: Int) -> Int? {
        var bad = false
        for i in 0..<count where !a[i].isFinite { bad = true; break }
        guard bad else { return nil }
        return (0..<count).first { !a[$0].isFinite }
    }

    /// Index of the largest element of each row.
    @inlinable
    public static func argmax<S: BLASScalar>(row: Int, of m: MatrixView<S>) -> Int {
        let p = m.data + row * m.cols
        var best = 0
        for c in 1..<m.cols where p[c] > p[best] { best = c }
        return best
    }
}
