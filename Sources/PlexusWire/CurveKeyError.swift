#if canImport(Glibc)
import Glibc
#endif

/// Why a CURVE key or key file could not be used. Secret keys never appear in the text.
public enum CurveKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libzmq was built without CURVE (`zmq_has("curve")` is false).
    case curveUnavailable
    /// A key is not 40 characters of Z85 text encoding 32 bytes; the text says which key.
    case invalidKey(String)
    /// The public key given is not the one that belongs to the secret key.
    case keyMismatch
    /// A metadata name or value cannot be written in the zcert (ZPL) format.
    case invalidMetadata(String)
    /// No file at `path`.
    case fileMissing(path: String)
    /// The file exists but cannot be read (`errno` from the failing call).
    case fileUnreadable(path: String, errno: Int32)
    /// The file is not a usable zcert certificate; `line` is 1-based, 0 when it concerns the whole file.
    case fileMalformed(path: String, line: Int, reason: String)
    /// Writing the file failed (`errno` from the failing call).
    case fileWriteFailed(path: String, errno: Int32)
    /// A directory of certificates cannot be listed.
    case directoryUnreadable(path: String, errno: Int32)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .curveUnavailable:
            return "CURVE is not available: libzmq was built without libsodium"
        case .invalidKey(let what):
            return "invalid CURVE key: \(what)"
        case .keyMismatch:
            return "the CURVE public key does not belong to the secret key"
        case .invalidMetadata(let what):
            return "invalid certificate metadata: \(what)"
        case .fileMissing(let path):
            return "key file \(path) does not exist"
        case .fileUnreadable(let path, let code):
            return "key file \(path) cannot be read: \(CurveKeyError.text(code))"
        case .fileMalformed(let path, let line, let reason):
            return line > 0 ? "key file \(path), line \(line): \(reason)" : "key file \(path): \(reason)"
        case .fileWriteFailed(let path, let code):
            return "key file \(path) cannot be written: \(CurveKeyError.text(code))"
        case .directoryUnreadable(let path, let code):
            return "key directory \(path) cannot be listed: \(CurveKeyError.text(code))"
        }
    }

    private static func text(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}
