/// Bit-level conversions between binary32/binary64 and the two 16-bit formats Plexus sends on the
/// wire (`--compress f16` / `bf16`). Narrowing rounds to nearest, ties to even, exactly as IEEE 754
/// `convertFormat` does: values too large for the format become ±infinity, values in the format's
/// subnormal range round to its subnormals, NaN stays NaN (quiet, sign and leading payload kept).
/// Widening is exact.
public enum HalfPrecision {
    // MARK: binary16

    /// The binary16 bit pattern nearest to `value` (round to nearest, ties to even).
    @inlinable
    public static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let exponent = Int((bits >> 23) & 0xFF)
        let fraction = bits & 0x7F_FFFF

        if exponent == 0xFF {
            // Infinity keeps its sign; NaN keeps the top ten payload bits and is made quiet.
            if fraction == 0 { return sign | 0x7C00 }
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: fraction >> 13)
        }
        // Biased binary16 exponent of the value (binary32 bias 127, binary16 bias 15).
        let halfExponent = exponent - 112
        if halfExponent >= 0x1F {
            return sign | 0x7C00  // |value| ≥ 2^16: beyond the largest finite half even before rounding
        }
        if halfExponent <= 0 {
            // Subnormal (or zero) in binary16: the result counts units of 2^-24.
            // Anything below 2^-25 (halfExponent < -10) rounds to zero; 2^-25 itself ties to zero.
            if halfExponent < -10 { return sign }
            let significand = fraction | 0x80_0000  // binary32 zero/subnormal inputs have halfExponent < -10
            let shift = UInt32(14 - halfExponent)   // 14 … 24
            let kept = significand >> shift
            let rest = significand & ((1 << shift) - 1)
            let halfway: UInt32 = 1 << (shift - 1)
            let rounded = (rest > halfway || (rest == halfway && kept & 1 == 1)) ? kept + 1 : kept
            // A carry into bit 10 yields the smallest normal (exponent field 1), which is the correct encoding.
            return sign | UInt16(truncatingIfNeeded: rounded)
        }
        var result = UInt32(halfExponent) << 10 | fraction >> 13
        let rest = fraction & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && result & 1 == 1) {
            result += 1  // a carry out of the fraction bumps the exponent; 0x7C00 is infinity, as it should be
        }
        return sign | UInt16(truncatingIfNeeded: result)
    }

    /// The binary32 value of a binary16 bit pattern (exact).
    @inlinable
    public static func float(halfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: fraction × 2^-24, exact in binary32.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }

    // MARK: bfloat16

    /// The bfloat16 bit pattern nearest to `value` (round to nearest, ties to even).
    @inlinable
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040  // quiet, even if the payload was all below bit 16
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half to even; a carry out of the fraction
        // bumps the exponent, and one out of the largest finite value gives infinity.
        let lowestKept = (bits >> 16) & 1
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ lowestKept) >> 16)
    }

    /// The binary32 value of a bfloat16 bit pattern (exact).
    @inlinable
    public static func float(bfloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    // MARK: from binary64

    /// `value` rounded to binary32 with *round to odd*: truncate toward zero and, if anything was
    /// lost, set the lowest fraction bit. Rounding that result to nearest-even in a format at least two
    /// bits narrower (binary16, bfloat16) gives the correctly rounded result of the original binary64,
    /// which rounding through a round-to-nearest binary32 would not always (double rounding).
    @inlinable
    public static func floatRoundedToOdd(_ value: Double) -> Float {
        let nearest = Float(value)
        if value.isNaN || value.isInfinite { return nearest }
        if nearest.isInfinite {
            // Finite but beyond binary32: truncation gives the largest finite value, which is odd.
            return value < 0 ? -Float.greatestFiniteMagnitude : Float.greatestFiniteMagnitude
        }
        let back = Double(nearest)
        if back == value { return nearest }
        var truncated = nearest
        if back.magnitude > value.magnitude {
            // nearest rounded away from zero: step one unit back towards zero (bit patterns are
            // sign-magnitude, so decrementing the pattern shrinks the magnitude for either sign).
            truncated = Float(bitPattern: nearest.bitPattern - 1)
        }
        return Float(bitPattern: truncated.bitPattern | 1)
    }

    /// The binary16 bit pattern nearest to a binary64 value (one correct rounding, no double rounding).
    @inlinable
    public static func halfBits(_ value: Double) -> UInt16 {
        halfBits(floatRoundedToOdd(value))
    }

    /// The bfloat16 bit pattern nearest to a binary64 value (one correct rounding, no double rounding).
    @inlinable
    public static func bfloat16Bits(_ value: Double) -> UInt16 {
        bfloat16Bits(floatRoundedToOdd(value))
    }
}
