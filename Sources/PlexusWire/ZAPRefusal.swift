/// A connection the ZAP handler turned away.
public struct ZAPRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The security mechanism the client used: `CURVE`, `NULL`, `PLAIN`, …
    public let mechanism: String
    /// The client's CURVE public key in Z85 (nil for other mechanisms).
    public let publicKey: String?
    /// The client's address as libzmq reports it, e.g. `127.0.0.1`.
    public let address: String
    /// The ZAP domain of the server socket.
    public let domain: String
    /// The status code sent back (400: not authorised; 500: malformed request).
    public let statusCode: Int
    /// The status text sent back.
    public let reason: String

    /// A refusal record.
    public init(mechanism: String, publicKey: String?, address: String, domain: String, statusCode: Int, reason: String) {
        self.mechanism = mechanism
        self.publicKey = publicKey
        self.address = address
        self.domain = domain
        self.statusCode = statusCode
        self.reason = reason
    }

    /// E.g. `refused CURVE key … from 127.0.0.1 (domain plexus): 400 client key not authorised`.
    public var description: String {
        let who = publicKey.map { "\(mechanism) key \($0)" } ?? mechanism
        return "refused \(who) from \(address) (domain \(domain)): \(statusCode) \(reason)"
    }
}
