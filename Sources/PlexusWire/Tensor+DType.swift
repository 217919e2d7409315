extension Tensor {
    /// Element type of a tensor's raw little-endian bytes; the cases match the proto's `DType`.
    public enum DType: String, CaseIterable, Sendable, CustomStringConvertible {
        /// IEEE 754 binary32.
        case f32
        /// IEEE 754 binary16 (1 sign, 5 exponent, 10 fraction bits).
        case f16
        /// bfloat16: the upper half of a binary32 (1 sign, 8 exponent, 7 fraction bits).
        case bf16
        /// Unsigned bytes (images and labels).
        case u8
        /// IEEE 754 binary64.
        case f64

        /// Bytes per element.
        public var elementSize: Int {
            switch self {
            case .f32: return 4
            case .f16, .bf16: return 2
            case .u8: return 1
            case .f64: return 8
            }
        }

        /// Whether the elements are floating-point numbers (everything but `u8`).
        public var isFloatingPoint: Bool { self != .u8 }

        /// The proto-style name: `f32`, `f16`, `bf16`, `u8`, `f64`.
        public var description: String { rawValue }

        /// The proto enum value (`DTYPE_F32 = 0` …).
        var protoValue: UInt32 {
            switch self {
            case .f32: return 0
            case .f16: return 1
            case .bf16: return 2
            case .u8: return 3
            case .f64: return 4
            }
        }

        /// The dtype for a proto enum value, or nil for a value this build does not know.
        init?(protoValue: UInt32) {
            switch protoValue {
            case 0: self = .f32
            case 1: self = .f16
            case 2: self = .bf16
            case 3: self = .u8
            case 4: self = .f64
            default: return nil
            }
        }
    }
}
