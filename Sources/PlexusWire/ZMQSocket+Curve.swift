#if canImport(Glibc)
import Glibc
#endif

/// CURVE set-up (ZeroMQ RFC 26/CurveZMQ). Call before `bind`/`connect`.
extension ZMQSocket {
    /// Makes this socket a CURVE server with `keyPair`. Which clients may connect is decided by the
    /// ZAP handler of this socket's context (``ZAPHandler``), consulted under `zapDomain`.
    ///
    /// It also sets `ZMQ_ZAP_ENFORCE_DOMAIN`, so that while no ZAP handler is bound every client is
    /// refused; without it libzmq 4.3 would let any client key in (encrypted but unauthenticated).
    /// Start the handler before binding all the same, or early clients are turned away.
    ///
    /// - Returns: whether that enforcement is on. It is a draft option in libzmq 4.3; Debian's
    ///   4.3.4 accepts it, a build that does not (`EINVAL`) returns false, and then the ZAP handler
    ///   must be running for as long as the socket is bound.
    @discardableResult
    public func makeCurveServer(keyPair: CurveKeyPair, zapDomain: String = "plexus") throws(ZMQError) -> Bool {
        try set(.curveServer, true)
        try set(.curveSecretKey, keyPair.secretKey)
        try set(.curvePublicKey, keyPair.publicKey)
        try set(.zapDomain, zapDomain)
        do {
            try set(.zapEnforceDomain, true)
            return true
        } catch where error.code == EINVAL {
            return false
        }
    }

    /// Makes this socket a CURVE client with its own `keyPair`, trusting a server whose public key
    /// is `serverPublicKey` (Z85). A wrong server key makes the handshake fail; the client keeps
    /// retrying, and no message passes.
    public func makeCurveClient(keyPair: CurveKeyPair, serverPublicKey: String) throws(ZMQError) {
        try set(.curveServerKey, serverPublicKey)
        try set(.curvePublicKey, keyPair.publicKey)
        try set(.curveSecretKey, keyPair.secretKey)
    }
}
