#if canImport(Glibc)
import Glibc
#endif

/// A CURVE certificate in CZMQ's zcert text format: a public key, optionally its secret key, and
/// free-form metadata (name = value).
///
/// The format is ZPL (ZeroMQ RFC 4): one property per line, `name = "value"`, hierarchy by
/// indentation of four spaces per level, `#` starting a comment. A certificate has two top-level
/// sections:
///
/// ```
/// #   ZeroMQ CURVE **Secret** Certificate
/// #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
///
/// metadata
///     name = "worker-3"
/// curve
///     public-key = "<40 characters of Z85>"
///     secret-key = "<40 characters of Z85>"
/// ```
///
/// A public certificate (`NAME.pub`) has the same layout without `secret-key`; the secret one
/// (`NAME.key`) has both keys and is written with mode 0600. File reading and writing are in
/// `CurveCertificate+Files.swift`.
public struct CurveCertificate: Sendable, Hashable {
    /// The public key, Z85.
    public let publicKey: String
    /// The secret key, Z85; nil for a public certificate.
    public let secretKey: String?
    /// The `metadata` section (written in name order).
    public var metadata: [String: String]

    /// A secret certificate for `keyPair`.
    public init(keyPair: CurveKeyPair, metadata: [String: String] = [:]) {
        self.publicKey = keyPair.publicKey
        self.secretKey = keyPair.secretKey
        self.metadata = metadata
    }

    /// A public certificate for the Z85 key `publicKey`.
    public init(publicKey: String, metadata: [String: String] = [:]) throws(CurveKeyError) {
        guard CurveKey.isValid(publicKey) else {
            throw CurveKeyError.invalidKey("the public key is not 40 characters of Z85")
        }
        self.publicKey = publicKey
        self.secretKey = nil
        self.metadata = metadata
    }

    /// The key pair, or nil for a public certificate.
    public var keyPair: CurveKeyPair? {
        secretKey.map { CurveKeyPair(unchecked: publicKey, $0) }
    }

    /// The same certificate without its secret key.
    public var publicCertificate: CurveCertificate {
        CurveCertificate(checkedPublicKey: publicKey, secretKey: nil, metadata: metadata)
    }

    init(checkedPublicKey publicKey: String, secretKey: String?, metadata: [String: String]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.metadata = metadata
    }

    // MARK: - Text

    /// The certificate as zcert text; with `includingSecret` (and a secret key) the secret form,
    /// otherwise the public form.
    public func text(includingSecret: Bool) throws(CurveKeyError) -> String {
        let secret = includingSecret ? secretKey : nil
        var lines: [String] = []
        lines.append("#   ****  Generated on \(CurveCertificate.timestamp()) by Plexus  ****")
        if secret != nil {
            lines.append("#   ZeroMQ CURVE **Secret** Certificate")
            lines.append("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.")
        } else {
            lines.append("#   ZeroMQ CURVE Public Certificate")
            lines.append("#   Exchange securely, or use a secure mechanism to verify the contents")
            lines.append("#   of this file after exchange.")
        }
        lines.append("")
        lines.append("metadata")
        for name in metadata.keys.sorted() {
            let value = metadata[name] ?? ""
            guard CurveCertificate.isValidName(name) else {
                throw CurveKeyError.invalidMetadata("name \"\(name)\" is not a ZPL property name")
            }
            lines.append("    \(name) = \(try CurveCertificate.quoted(value, name: name))")
        }
        lines.append("curve")
        lines.append("    public-key = \"\(publicKey)\"")
        if let secret {
            lines.append("    secret-key = \"\(secret)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses zcert text; `source` names it in errors (a path, usually). Unknown sections and
    /// properties are ignored; a missing or malformed key, or keys that do not belong together, are
    /// errors.
    public static func parse(_ text: String, source: String = "<text>") throws(CurveKeyError) -> CurveCertificate {
        var section: String?
        var publicKey: (value: String, line: Int)?
        var secretKey: (value: String, line: Int)?
        var metadata: [String: String] = [:]

        func malformed(_ line: Int, _ reason: String) -> CurveKeyError {
            .fileMalformed(path: source, line: line, reason: reason)
        }

        // LF, CR and CR LF all end a line (CR LF is one Character in Swift).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let property: CurveZPLProperty?
            do {
                property = try CurveZPLProperty(line)
            } catch {
                throw malformed(number, error.reason)
            }
            guard let property else { continue }
            switch property.depth {
            case 0:
                section = property.name
            case 1:
                guard let section else {
                    throw malformed(number, "property \"\(property.name)\" is indented but not inside a section")
                }
                if section == "curve" {
                    guard property.name == "public-key" || property.name == "secret-key" else { continue }
                    guard let value = property.value else {
                        throw malformed(number, "\(property.name) has no value")
                    }
                    if property.name == "public-key" {
                        if publicKey != nil { throw malformed(number, "public-key appears twice") }
                        publicKey = (value, number)
                    } else {
                        if secretKey != nil { throw malformed(number, "secret-key appears twice") }
                        secretKey = (value, number)
                    }
                } else if section == "metadata" {
                    metadata[property.name] = property.value ?? ""
                }
            default:
                continue  // deeper levels carry nothing a certificate uses
            }
        }

        guard let publicKey else {
            throw malformed(0, "no public-key in a \"curve\" section: not a zcert certificate")
        }
        guard CurveKey.isValid(publicKey.value) else {
            throw malformed(publicKey.line, "public-key is not 40 characters of Z85")
        }
        if let secretKey {
            guard CurveKey.isValid(secretKey.value) else {
                throw malformed(secretKey.line, "secret-key is not 40 characters of Z85")
            }
            guard try CurveKey.publicKey(forSecretKey: secretKey.value) == publicKey.value else {
                throw malformed(publicKey.line, "public-key does not belong to secret-key")
            }
        }
        return CurveCertificate(checkedPublicKey: publicKey.value, secretKey: secretKey?.value, metadata: metadata)
    }

    /// ZPL names: letters, digits and `$-_@.&+/`, starting with a letter or digit.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            guard scalar.isASCII else { return false }
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "$-_@.&+/".unicodeScalars.contains(scalar)
        }
    }

    /// A value in double quotes, or single quotes if it contains a double quote.
    private static func quoted(_ value: String, name: String) throws(CurveKeyError) -> String {
        if value.contains("\n") || value.contains("\r") {
            throw CurveKeyError.invalidMetadata("value of \"\(name)\" contains a line break")
        }
        if !value.contains("\"") { return "\"\(value)\"" }
        if !value.contains("'") { return "'\(value)'" }
        throw CurveKeyError.invalidMetadata("value of \"\(name)\" contains both kinds of quote")
    }

    /// UTC time as `YYYY-MM-DD hh:mm:ss`.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        guard gmtime_r(&now, &parts) != nil else { return "unknown date" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
