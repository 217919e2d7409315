import PlexusNumerics
import Testing
@testable import PlexusWire

/// binary16 and bfloat16 conversions against hand-checked bit patterns, Swift's own `Float16`, and
/// error bounds on random values.
struct TensorConversionTests {
    // MARK: reference values

    @Test(arguments: [
        (1.0, 0x3C00),
        (-2.5, 0xC100),
        (0.0, 0x0000),
        (-0.0, 0x8000),
        (65504, 0x7BFF),             // largest finite half
        (65519, 0x7BFF),             // just below the halfway point to 65536
        (65520, 0x7C00),             // halfway: ties to even, which is the infinity pattern
        (1e6, 0x7C00),               // overflow to +inf
        (-1e6, 0xFC00),              // overflow to -inf
        (0x1p-24, 0x0001),           // smallest subnormal
        (0x1p-25, 0x0000),           // half of it: tie to even (zero)
        (0x1.8p-25, 0x0001),         // three quarters of it rounds up
        (0x1.8p-24, 0x0002),         // 1.5 units: tie to even (2)
        (0x1.4p-24, 0x0001),         // 1.25 units rounds down
        (0x1.ff8p-15, 0x03FF),       // largest subnormal, 1023 × 2^-24
        (0x1p-14, 0x0400),           // smallest normal
        (Float(1.0 / 3.0), 0x3555),  // 1/3 rounds down to 0.333251953125
        (Float(2.0 / 3.0), 0x3955),  // 2/3 rounds down to 0.66650390625
        (1.0009765625, 0x3C01),      // 1 + 2^-10, exact
        (1.00048828125, 0x3C00),     // 1 + 2^-11: tie, to even
        (1.00146484375, 0x3C02),     // 1 + 3·2^-11: tie, to even (up)
        (Float.infinity, 0x7C00),
        (-Float.infinity, 0xFC00),
    ] as [(Float, UInt16)])
    func halfReferenceValues(value: Float, bits: UInt16) {
        #expect(HalfPrecision.halfBits(value) == bits, "\(value)")
    }

    @Test func halfDecodingReferenceValues() {
        #expect(HalfPrecision.float(halfBits: 0x3C00) == 1)
        #expect(HalfPrecision.float(halfBits: 0xC100) == -2.5)
        #expect(HalfPrecision.float(halfBits: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(halfBits: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(halfBits: 0x03FF) == 0x1.ff8p-15)
        #expect(HalfPrecision.float(halfBits: 0x3555) == 0.333251953125)
        #expect(HalfPrecision.float(halfBits: 0x8000).sign == .minus)
        #expect(HalfPrecision.float(halfBits: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(halfBits: 0xFC00) == -.infinity)
        #expect(HalfPrecision.float(halfBits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(halfBits: 0x7C01).isNaN)
    }

    @Test func halfNaNStaysNaN() {
        for bits: UInt32 in [0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7FA0_0000, 0xFF80_1000] {
            let half = HalfPrecision.halfBits(Float(bitPattern: bits))
            #expect(half & 0x7C00 == 0x7C00 && half & 0x03FF != 0, "NaN \(bits) became \(half)")
            #expect(half & 0x8000 == UInt16(bits >> 16) & 0x8000, "sign of NaN \(bits)")
            #expect(HalfPrecision.float(halfBits: half).isNaN)
        }
    }

    @Test(arguments: [
        (1.0, 0x3F80),
        (-2.5, 0xC020),
        (65504, 0x4780),                                  // rounds up to 65536
        (Float(1.0 / 3.0), 0x3EAB),                       // 0x3EAAAAAB rounds up
        (Float(bitPattern: 0x3F80_8000), 0x3F80),         // tie, to even (down)
        (Float(bitPattern: 0x3F81_8000), 0x3F82),         // tie, to even (up)
        (Float(bitPattern: 0x3F80_8001), 0x3F81),         // just above the tie
        (Float(bitPattern: 0x0001_0000), 0x0001),         // smallest bf16 subnormal, 2^-133
        (Float(bitPattern: 0x0000_8000), 0x0000),         // half of it: tie to zero
        (Float(bitPattern: 0x0000_8001), 0x0001),
        (Float.greatestFiniteMagnitude, 0x7F80),          // overflow to inf
        (-Float.greatestFiniteMagnitude, 0xFF80),
        (Float(bitPattern: 0x7F7F_7FFF), 0x7F7F),         // largest finite bf16 survives
        (Float.infinity, 0x7F80),
        (-Float.infinity, 0xFF80),
        (-0.0, 0x8000),
    ] as [(Float, UInt16)])
    func bfloat16ReferenceValues(value: Float, bits: UInt16) {
        #expect(HalfPrecision.bfloat16Bits(value) == bits, "\(value)")
    }

    @Test func bfloat16NaNStaysNaN() {
        for bits: UInt32 in [0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7F80_FFFF, 0xFFFF_FFFF] {
            let result = HalfPrecision.bfloat16Bits(Float(bitPattern: bits))
            #expect(HalfPrecision.float(bfloat16Bits: result).isNaN, "NaN \(bits) became \(result)")
        }
        #expect(HalfPrecision.float(bfloat16Bits: 0x3F80) == 1)
        #expect(HalfPrecision.float(bfloat16Bits: 0x3EAB) == 0.333984375)
    }

    // MARK: binary64 sources

    @Test func doubleRoundsOnceNotTwice() {
        // 1 + 2^-11 + 2^-40 lies just above a half tie. Rounding to binary32 first gives exactly the
        // tie (1 + 2^-11), which would then round to even (1.0); the correct result rounds up.
        let justAboveTie = 1 + 0x1p-11 + 0x1p-40
        #expect(HalfPrecision.halfBits(justAboveTie) == 0x3C01)
        #expect(HalfPrecision.halfBits(1 + 0x1p-11 - 0x1p-40) == 0x3C00)
        #expect(HalfPrecision.bfloat16Bits(1 + 0x1p-8 + 0x1p-40) == 0x3F81)
        #expect(HalfPrecision.bfloat16Bits(1 + 0x1p-8) == 0x3F80)
        #expect(HalfPrecision.halfBits(1e300) == 0x7C00)
        #expect(HalfPrecision.bfloat16Bits(-1e300) == 0xFF80)
        #expect(HalfPrecision.halfBits(1e-300) == 0x0000)
        #expect(HalfPrecision.halfBits(Double.nan) & 0x7C00 == 0x7C00)
    }

    // MARK: against Swift's Float16 (an independent, correctly rounded conversion)

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    @Test func halfMatchesSwiftFloat16OnRandomBitPatterns() {
        var random = SeededRandom(seed: 16)
        var mismatches = 0
        for _ in 0..<200_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            let mine = HalfPrecision.halfBits(value)
            let reference = Float16(value)
            if value.isNaN {
                if !HalfPrecision.float(halfBits: mine).isNaN { mismatches += 1 }
            } else if mine != reference.bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func halfMatchesSwiftFloat16NearTheHalfRange() {
        // Random values concentrated where binary16 is interesting: subnormals, normals, overflow.
        var random = SeededRandom(seed: 17)
        for _ in 0..<100_000 {
            let exponent = Int(random.next() % 44) - 27
            let value = Float(sign: random.next() & 1 == 0 ? .plus : .minus, exponent: exponent,
                              significand: Float(1 + random.nextUnit()))
            #expect(HalfPrecision.halfBits(value) == Float16(value).bitPattern, "\(value)")
        }
    }

    @Test func halfFromDoubleMatchesSwiftFloat16() {
        var random = SeededRandom(seed: 18)
        for _ in 0..<100_000 {
            let exponent = Int(random.next() % 44) - 27
            let value = Double(sign: random.next() & 1 == 0 ? .plus : .minus, exponent: exponent,
                               significand: 1 + random.nextUnit())
            #expect(HalfPrecision.halfBits(value) == Float16(value).bitPattern, "\(value)")
        }
        // Doubles a hair off an exact binary16 tie, where rounding through binary32 would go wrong.
        for _ in 0..<20_000 {
            let bits = UInt16(truncatingIfNeeded: random.next() % 0x7BFF)
            let tie = (Double(HalfPrecision.float(halfBits: bits)) + Double(HalfPrecision.float(halfBits: bits + 1))) / 2
            for value in [tie * (1 + 0x1p-40), tie * (1 - 0x1p-40), tie] {
                #expect(HalfPrecision.halfBits(value) == Float16(value).bitPattern, "\(value)")
            }
        }
    }
    #endif

    @Test func bfloat16FromDoubleNearTies() {
        // Just above a tie rounds up, just below rounds down, the tie itself goes to the even pattern;
        // a detour through round-to-nearest binary32 would turn the near-ties into exact ties.
        var random = SeededRandom(seed: 19)
        for _ in 0..<20_000 {
            let bits = UInt16(truncatingIfNeeded: random.next() % 0x7F7F)
            let tie = (Double(HalfPrecision.float(bfloat16Bits: bits)) + Double(HalfPrecision.float(bfloat16Bits: bits + 1))) / 2
            #expect(HalfPrecision.bfloat16Bits(tie * (1 + 0x1p-40)) == bits + 1)
            #expect(HalfPrecision.bfloat16Bits(tie * (1 - 0x1p-40)) == bits)
            #expect(HalfPrecision.bfloat16Bits(tie) == (bits & 1 == 0 ? bits : bits + 1))
            #expect(HalfPrecision.bfloat16Bits(-tie * (1 + 0x1p-40)) == (bits + 1) | 0x8000)
        }
    }

    // MARK: exhaustive round trips

    @Test func everyHalfPatternSurvivesARoundTrip() {
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(halfBits: bits)
            if value.isNaN {
                #expect(HalfPrecision.halfBits(value) & 0x7C00 == 0x7C00)
            } else {
                #expect(HalfPrecision.halfBits(value) == bits)
            }
        }
    }

    @Test func everyBFloat16PatternSurvivesARoundTrip() {
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(bfloat16Bits: bits)
            if value.isNaN {
                #expect(HalfPrecision.float(bfloat16Bits: HalfPrecision.bfloat16Bits(value)).isNaN)
            } else {
                #expect(HalfPrecision.bfloat16Bits(value) == bits)
            }
        }
    }

    // MARK: error bounds

    @Test func randomRoundTripErrorBounds() throws {
        var random = SeededRandom(seed: 99)
        let values = (0..<50_000).map { _ in Float(random.normal() * 100) }
        let half = try Tensor(name: "h", shape: [values.count], floats: values, as: .f16).floats()
        let brain = try Tensor(name: "b", shape: [values.count], floats: values, as: .bf16).floats()
        var worstHalf: Float = 0
        var worstBrain: Float = 0
        for (index, value) in values.enumerated() {
            if value.magnitude >= 0x1p-14 {
                worstHalf = max(worstHalf, (half[index] - value).magnitude / value.magnitude)
            } else {
                #expect((half[index] - value).magnitude <= 0x1p-25)  // half a subnormal unit
            }
            worstBrain = max(worstBrain, (brain[index] - value).magnitude / value.magnitude)
        }
        #expect(worstHalf <= 0x1p-11, "binary16 relative error \(worstHalf) exceeds half an ulp")
        #expect(worstHalf > 0x1p-13, "binary16 error suspiciously small: \(worstHalf)")
        #expect(worstBrain <= 0x1p-8, "bfloat16 relative error \(worstBrain) exceeds half an ulp")
        #expect(worstBrain > 0x1p-10, "bfloat16 error suspiciously small: \(worstBrain)")
    }
}
