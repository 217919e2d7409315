#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing zcert files: `NAME.pub` (public certificate, mode 0644) and `NAME.key`
/// (secret certificate, mode 0600). Files are written atomically: a temporary file in the same
/// directory, created with the final mode, flushed with `fsync`, then renamed into place.
extension CurveCertificate {
    /// The largest certificate file read (a certificate is a few hundred bytes).
    static let maximumFileSize = 64 * 1024

    /// Loads a certificate (public or secret) from `path`.
    public static func load(from path: String) throws(CurveKeyError) -> CurveCertificate {
        let text = try readText(path)
        return try parse(text, source: path)
    }

    /// Loads the key pair from a secret certificate (`NAME.key`); fails if the file has no secret key.
    public static func loadKeyPair(from path: String) throws(CurveKeyError) -> CurveKeyPair {
        let certificate = try load(from: path)
        guard let keyPair = certificate.keyPair else {
            throw CurveKeyError.fileMalformed(path: path, line: 0, reason: "no secret-key: this is a public certificate")
        }
        return keyPair
    }

    /// Loads every `*.pub` certificate in `directory`, in file-name order. Any unreadable or
    /// malformed file is an error (an allow-list must not silently lose entries).
    public static func loadPublicCertificates(inDirectory directory: String) throws(CurveKeyError) -> [CurveCertificate] {
        var certificates: [CurveCertificate] = []
        for name in try fileNames(inDirectory: directory) where name.hasSuffix(".pub") {
            certificates.append(try load(from: directory + "/" + name))
        }
        return certificates
    }

    /// The public keys of every `*.pub` certificate in `directory`: a ZAP allow-list.
    public static func loadPublicKeys(inDirectory directory: String) throws(CurveKeyError) -> Set<String> {
        Set(try loadPublicCertificates(inDirectory: directory).map(\.publicKey))
    }

    /// Writes the public certificate to `path` (mode 0644).
    public func writePublic(to path: String) throws(CurveKeyError) {
        try CurveCertificate.writeAtomically(try text(includingSecret: false), to: path, mode: 0o644)
    }

    /// Writes the secret certificate to `path` (mode 0600); fails for a public-only certificate.
    public func writeSecret(to path: String) throws(CurveKeyError) {
        guard secretKey != nil else {
            throw CurveKeyError.invalidKey("a public certificate has no secret key to write")
        }
        try CurveCertificate.writeAtomically(try text(includingSecret: true), to: path, mode: 0o600)
    }

    /// Writes `directory/NAME.pub` and, if there is a secret key, `directory/NAME.key`; returns
    /// their paths (`secret` nil when none was written).
    @discardableResult
    public func write(inDirectory directory: String, name: String) throws(CurveKeyError) -> (public: String, secret: String?) {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        try writePublic(to: base + ".pub")
        guard secretKey != nil else { return (base + ".pub", nil) }
        try writeSecret(to: base + ".key")
        return (base + ".pub", base + ".key")
    }

    // MARK: - POSIX helpers

    private static func readText(_ path: String) throws(CurveKeyError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            throw code == ENOENT ? .fileMissing(path: path) : .fileUnreadable(path: path, errno: code)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .fileUnreadable(path: path, errno: code)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk.prefix(count))
            if bytes.count > maximumFileSize {
                throw .fileMalformed(path: path, line: 0, reason: "larger than \(maximumFileSize) bytes: not a certificate")
            }
        }
        if bytes.contains(0) {
            throw .fileMalformed(path: path, line: 0, reason: "binary content: not a certificate")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .fileMalformed(path: path, line: 0, reason: "not UTF-8 text")
        }
        return text
    }

    private static func fileNames(inDirectory directory: String) throws(CurveKeyError) -> [String] {
        guard let stream = opendir(directory) else {
            throw .directoryUnreadable(path: directory, errno: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws(CurveKeyError) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { throw .fileWriteFailed(path: path, errno: errno) }
        var failure: Int32 = 0
        // The umask may have narrowed the mode at creation; set it exactly.
        if fchmod(fd, mode) != 0 { failure = errno }
        let bytes = Array(text.utf8)
        var written = 0
        while failure == 0 && written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
            } else {
                written += count
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw .fileWriteFailed(path: path, errno: failure)
        }
    }
}
