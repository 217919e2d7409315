import CZeroMQ

/// A CURVE long-term key pair in Z85 text. Its `description` shows only the public key.
public struct CurveKeyPair: Sendable, Hashable, CustomStringConvertible {
    /// The public key, 40 characters of Z85: give it to peers (servers: to clients as their server
    /// key; clients: to the server's allow-list).
    public let publicKey: String
    /// The secret key, 40 characters of Z85: keep it in a mode-0600 file.
    public let secretKey: String

    /// A fresh random key pair (`zmq_curve_keypair`).
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: CurveKey.textCount + 1)
        var secretText = [CChar](repeating: 0, count: CurveKey.textCount + 1)
        let rc = publicText.withUnsafeMutableBufferPointer { publicBuffer in
            secretText.withUnsafeMutableBufferPointer { secretBuffer in
                zmq_curve_keypair(publicBuffer.baseAddress, secretBuffer.baseAddress)
            }
        }
        guard rc == 0 else { throw CurveKeyError.curveUnavailable }
        func text(_ chars: [CChar]) -> String {
            String(decoding: chars.prefix(CurveKey.textCount).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CurveKeyPair(unchecked: text(publicText), text(secretText))
    }

    /// The pair for `secretKey`, deriving its public key.
    public init(secretKey: String) throws(CurveKeyError) {
        let publicKey = try CurveKey.publicKey(forSecretKey: secretKey)
        self.init(unchecked: publicKey, secretKey)
    }

    /// A pair from both keys; fails unless both are valid Z85 keys and the public key belongs to the
    /// secret key.
    public init(publicKey: String, secretKey: String) throws(CurveKeyError) {
        guard CurveKey.isValid(publicKey) else {
            throw CurveKeyError.invalidKey("the public key is not 40 characters of Z85")
        }
        guard try CurveKey.publicKey(forSecretKey: secretKey) == publicKey else {
            throw CurveKeyError.keyMismatch
        }
        self.init(unchecked: publicKey, secretKey)
    }

    init(unchecked publicKey: String, _ secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// `CurveKeyPair(public: …)`; the secret key is never printed.
    public var description: String { "CurveKeyPair(public: \(publicKey))" }
}
