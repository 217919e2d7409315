import CZeroMQ

/// CURVE key helpers: Z85 text (40 characters for a 32-byte key, the form libzmq, CZMQ's zcert
/// files and this project's key files use) to and from raw bytes, validation, and deriving the
/// public key from a secret key.
public enum CurveKey {
    /// Bytes in a raw CURVE (Curve25519) key.
    public static let byteCount = 32
    /// Characters in a Z85-encoded key.
    public static let textCount = 40

    /// Whether libzmq was built with CURVE support (`zmq_has("curve")`).
    public static var isAvailable: Bool { ZMQContext.has("curve") }

    /// The 32 key bytes of a 40-character Z85 key, or nil if `z85` is not one.
    public static func decode(_ z85: String) -> [UInt8]? {
        let text = Array(z85.utf8)
        guard text.count == textCount, text.allSatisfy(isZ85Character) else { return nil }
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let ok = (text + [0]).withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBufferPointer { destination in
                source.withMemoryRebound(to: CChar.self) { chars in
                    zmq_z85_decode(destination.baseAddress, chars.baseAddress) != nil
                }
            }
        }
        return ok ? bytes : nil
    }

    /// The Z85 text of a 32-byte key, or nil if `bytes` is not 32 bytes long.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count == byteCount else { return nil }
        var text = [CChar](repeating: 0, count: textCount + 1)
        let ok = text.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                zmq_z85_encode(destination.baseAddress, source.baseAddress, byteCount) != nil
            }
        }
        guard ok else { return nil }
        return String(decoding: text.prefix(textCount).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `z85` is a well-formed 40-character Z85 key.
    public static func isValid(_ z85: String) -> Bool {
        decode(z85) != nil
    }

    /// The public key that belongs to the Z85 secret key `secretKey` (`zmq_curve_public`).
    public static func publicKey(forSecretKey secretKey: String) throws(CurveKeyError) -> String {
        guard isValid(secretKey) else { throw CurveKeyError.invalidKey("the secret key is not 40 characters of Z85") }
        var text = [CChar](repeating: 0, count: textCount + 1)
        let rc = text.withUnsafeMutableBufferPointer { zmq_curve_public($0.baseAddress, secretKey) }
        guard rc == 0 else { throw CurveKeyError.curveUnavailable }
        return String(decoding: text.prefix(textCount).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The Z85 alphabet (ZeroMQ RFC 32): digits, letters and `.-:+=^!/*?&<>()[]{}@%$#`.
    private static func isZ85Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return Array(".-:+=^!/*?&<>()[]{}@%$#".utf8).contains(byte)
        }
    }
}
