/// Branch-free Float32 approximations that the compiler can vectorise (DESIGN.md §5: glibc's scalar
/// `tanhf` in the inner loop was the bottleneck of PC inference).
///
/// `exp` uses the classic reduction `x = n·ln2 + r`, `|r| ≤ ln2/2`, a degree-7 Taylor polynomial for
/// `e^r` and `2^n` assembled in the exponent bits; relative error ≈ 2 ulp on [−87, 88].
/// `tanh` uses an odd Taylor polynomial of degree 15 for `|x| < 0.4` and `(1 − e)/(1 + e)` with
/// `e = exp(−2|x|)` above; max error a few ulp (tested against Float64 in PlexusNumericsTests).
public enum FastMath {
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        // Round x / ln2 to an integer with the 1.5·2^23 trick; its low bits hold n.
        let magic: Float = 12_582_912
        let k = clamped * 1.442_695_04 + magic
        let n = k - magic
        // r = x − n·ln2 in two parts (Cody–Waite) for accuracy.
        var r = clamped - n * 0.693_145_751_953_125
        r = r - n * 1.428_606_765_330_187_045e-06
        // e^r ≈ Σ_{i≤7} r^i / i!  (Horner)
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2^n: (n + 127) in the exponent field. The low bits of k's pattern are 0x400000 + n.
        let scaleBits = (k.bitPattern &+ 127) &<< 23
        return p * Float(bitPattern: scaleBits)
    }

    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let a = Swift.abs(x)
        // Large |x|: tanh|x| = (1 − e)/(1 + e), e = exp(−2|x|).
        let e = exp(-2 * a)
        let large = (1 - e) / (1 + e)
        // Small |x|: odd Taylor series x − x³/3 + 2x⁵/15 − 17x⁷/315 + …
        let x2 = a * a
        var p: Float = -0.001_455_834_387
        p = p * x2 + 0.003_592_128_037
        p = p * x2 - 0.008_863_235_530
        p = p * x2 + 0.021_869_488_536
        p = p * x2 - 17.0 / 315
        p = p * x2 + 2.0 / 15
        p = p * x2 - 1.0 / 3
        let small = a + a * x2 * p
        let magnitude = a < 0.4 ? small : large
        return Float(signOf: x, magnitudeOf: magnitude)
    }
}
