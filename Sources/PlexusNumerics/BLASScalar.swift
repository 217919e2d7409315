import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// A floating-point type with a BLAS `gemm` and the elementary functions the kernels need.
///
/// `Float` takes the fast, vectorisable approximations of `FastMath` (accurate to a few ulp);
/// `Double` takes the C library's exact functions, because the Float64 path is the verification path
/// that is compared against independent references at 1e-10 and below (DESIGN.md §5).
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// `C ← alpha · op(A) · op(B) + beta · C` on row-major matrices (`cblas_?gemm`).
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func elementaryExp(_ x: Self) -> Self
    static func elementaryTanh(_ x: Self) -> Self
    static func elementaryLog(_ x: Self) -> Self
}

extension Float: BLASScalar {
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inlinable @inline(__always)
    public static func elementaryExp(_ x: Float) -> Float { FastMath.exp(x) }
    @inlinable @inline(__always)
    public static func elementaryTanh(_ x: Float) -> Float { FastMath.tanh(x) }
    @inlinable @inline(__always)
    public static func elementaryLog(_ x: Float) -> Float { logf(x) }
}

extension Double: BLASScalar {
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inlinable @inline(__always)
    public static func elementaryExp(_ x: Double) -> Double { Glibc.exp(x) }
    @inlinable @inline(__always)
    public static func elementaryTanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inlinable @inline(__always)
    public static func elementaryLog(_ x: Double) -> Double { Glibc.log(x) }
}

/// Control of OpenBLAS's own thread pool.
public enum BLASThreads {
    /// Sets the number of threads OpenBLAS uses inside one call.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    public static var current: Int { Int(openblas_get_num_threads()) }
}
