/// Matrix products on OpenBLAS. Every product in Plexus goes through here.
public enum BLAS {
    /// `c ← alpha · op(a) · op(b) + beta · c`, where `op(m)` is `m` or `mᵀ`.
    @inlinable
    public static func gemm<S: BLASScalar>(_ a: MatrixView<S>, transposeA: Bool = false,
                                           _ b: MatrixView<S>, transposeB: Bool = false,
                                           into c: MatrixView<S>, alpha: S = 1, beta: S = 0) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kb, "gemm: inner dimensions differ (\(a.rows)×\(a.cols)\(transposeA ? "ᵀ" : "") · \(b.rows)×\(b.cols)\(transposeB ? "ᵀ" : ""))")
        precondition(c.rows == m && c.cols == n, "gemm: result is \(c.rows)×\(c.cols), expected \(m)×\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            scale(c, by: beta)
            return
        }
        S.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
               a: a.data, lda: Swift.max(a.cols, 1), b: b.data, ldb: Swift.max(b.cols, 1),
               beta: beta, c: c.data, ldc: Swift.max(c.cols, 1))
    }

    @inlinable
    static func scale<S: BLASScalar>(_ c: MatrixView<S>, by beta: S) {
        for i in 0..<c.count { c.data[i] = beta == 0 ? 0 : c.data[i] * beta }
    }
}
