import Testing
@testable import PlexusWire
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/plexus-curve-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
    #expect(made, "mkdtemp failed: errno \(errno)")
    guard made else { throw CurveKeyError.directoryUnreadable(path: "/tmp", errno: errno) }
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes the files directly inside `directory`, then the directory.
func removeDirectory(_ directory: String) {
    if let stream = opendir(directory) {
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { unlink(directory + "/" + name) }
        }
        closedir(stream)
    }
    rmdir(directory)
}

/// Writes `text` to `path` (mode 0644).
func writeFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(fd >= 0)
    defer { close(fd) }
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
}

/// The permission bits of `path`.
func permissions(_ path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return info.st_mode & 0o777
}

@Suite("CURVE keys and zcert files")
struct CurveKeyFileTests {
    @Test("key pairs: generated, derived, validated; the secret never printed")
    func keyPairs() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.count == 40 && pair.secretKey.count == 40)
        #expect(pair.publicKey != pair.secretKey)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(try CurveKeyPair(publicKey: pair.publicKey, secretKey: pair.secretKey) == pair)
        let other = try CurveKeyPair.generate()
        #expect(throws: CurveKeyError.keyMismatch) {
            try CurveKeyPair(publicKey: other.publicKey, secretKey: pair.secretKey)
        }
        #expect(throws: CurveKeyError.self) { try CurveKeyPair(secretKey: "not a key") }
        #expect(!pair.description.contains(pair.secretKey))
        #expect(pair.description.contains(pair.publicKey))
    }

    @Test("NAME.pub and NAME.key round trip; the secret file has mode 0600")
    func writeReadRoundTrip() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let pair = try CurveKeyPair.generate()
        let certificate = CurveCertificate(keyPair: pair, metadata: ["name": "worker-3", "host": "node \"7\""])
        let paths = try certificate.write(inDirectory: directory, name: "worker-3")
        #expect(paths.public == directory + "/worker-3.pub")
        #expect(paths.secret == directory + "/worker-3.key")
        #expect(permissions(directory + "/worker-3.key") == 0o600)
        #expect(permissions(directory + "/worker-3.pub") == 0o644)

        let secret = try CurveCertificate.load(from: directory + "/worker-3.key")
        #expect(secret == certificate)
        #expect(try CurveCertificate.loadKeyPair(from: directory + "/worker-3.key") == pair)

        let publicOnly = try CurveCertificate.load(from: directory + "/worker-3.pub")
        #expect(publicOnly.secretKey == nil)
        #expect(publicOnly.publicKey == pair.publicKey)
        #expect(publicOnly.metadata == certificate.metadata)
        #expect(publicOnly == certificate.publicCertificate)

        let error = try #require(throws: CurveKeyError.self) {
            try CurveCertificate.loadKeyPair(from: directory + "/worker-3.pub")
        }
        #expect(error.description.contains("public certificate"))

        let publicText = try certificate.text(includingSecret: false)
        #expect(!publicText.contains(pair.secretKey))
        #expect(publicText.contains("curve\n    public-key = \"\(pair.publicKey)\"\n"))
        #expect(publicText.contains("metadata\n    host = 'node \"7\"'\n    name = \"worker-3\"\n"))
        let secretText = try certificate.text(includingSecret: true)
        #expect(secretText.contains("    secret-key = \"\(pair.secretKey)\"\n"))
    }

    @Test("a hand-written zcert file with comments, CRLF and extra sections parses")
    func handWritten() throws {
        let pair = try CurveKeyPair.generate()
        let text = "#   ****  Generated on 2024-05-01 10:00:00 by CZMQ  ****\r\n"
            + "#   ZeroMQ CURVE **Secret** Certificate\r\n\r\n"
            + "metadata\r\n    name = \"coordinator\"    # who\r\n    email = ops@example.org\r\n"
            + "curve\r\n    public-key = \"\(pair.publicKey)\"\r\n    secret-key = '\(pair.secretKey)'\r\n"
            + "extra\r\n    whatever = 1\r\n        deeper = 2\r\n"
        let certificate = try CurveCertificate.parse(text, source: "coordinator.key")
        #expect(certificate.keyPair == pair)
        #expect(certificate.metadata == ["name": "coordinator", "email": "ops@example.org"])
    }

    @Test("a missing file and malformed files give clear errors")
    func errors() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let missing = directory + "/absent.key"
        #expect(throws: CurveKeyError.fileMissing(path: missing)) { try CurveCertificate.load(from: missing) }
        #expect(CurveKeyError.fileMissing(path: missing).description == "key file \(missing) does not exist")

        let pair = try CurveKeyPair.generate()
        let other = try CurveKeyPair.generate()
        let cases: [(text: String, line: Int, fragment: String)] = [
            ("just some text\n", 1, "expected \"=\""),
            ("# only a comment\nmetadata\n    name = \"x\"\n", 0, "no public-key"),
            ("", 0, "no public-key"),
            ("curve\n    public-key = \"short\"\n", 2, "not 40 characters of Z85"),
            ("curve\n    public-key = \"\(pair.publicKey)\n", 2, "no closing quote"),
            ("curve\n\tpublic-key = \"\(pair.publicKey)\"\n", 2, "tab in indentation"),
            ("curve\n  public-key = \"\(pair.publicKey)\"\n", 2, "multiple of four"),
            ("    public-key = \"\(pair.publicKey)\"\n", 1, "not inside a section"),
            ("curve\n    public-key = \"\(other.publicKey)\"\n    secret-key = \"\(pair.secretKey)\"\n",
             2, "does not belong"),
            ("curve\n    public-key = \"\(pair.publicKey)\"\n    public-key = \"\(pair.publicKey)\"\n",
             3, "appears twice"),
            ("curve\n    public-key = \"\(pair.publicKey)\" trailing\n", 2, "unexpected text"),
        ]
        for (index, sample) in cases.enumerated() {
            let path = directory + "/bad\(index).pub"
            try writeFile(path, sample.text)
            let error = try #require(throws: CurveKeyError.self) { try CurveCertificate.load(from: path) }
            guard case .fileMalformed(let where_, let line, let reason) = error else {
                Issue.record("case \(index): expected fileMalformed, got \(error)")
                continue
            }
            #expect(where_ == path)
            #expect(line == sample.line, "case \(index): \(error)")
            #expect(reason.contains(sample.fragment), "case \(index): \(error)")
            #expect(error.description.hasPrefix("key file \(path)"))
        }

        let binary = directory + "/binary.key"
        try writeFile(binary, "curve\n\u{0}\u{1}")
        #expect(throws: CurveKeyError.self) { try CurveCertificate.load(from: binary) }

        #expect(throws: CurveKeyError.self) {
            try CurveCertificate(publicKey: pair.publicKey).writeSecret(to: directory + "/nope.key")
        }
        #expect(throws: CurveKeyError.self) {
            _ = try CurveCertificate(keyPair: pair, metadata: ["bad name": "x"]).text(includingSecret: true)
        }
    }

    @Test("an allow-list loads every *.pub in a directory and rejects a malformed one")
    func allowListDirectory() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let first = try CurveKeyPair.generate()
        let second = try CurveKeyPair.generate()
        let secretOnly = try CurveKeyPair.generate()
        try CurveCertificate(keyPair: first).write(inDirectory: directory, name: "first")
        try CurveCertificate(keyPair: second).writePublic(to: directory + "/second.pub")
        try CurveCertificate(keyPair: secretOnly).writeSecret(to: directory + "/third.key")
        #expect(try CurveCertificate.loadPublicKeys(inDirectory: directory) == [first.publicKey, second.publicKey])

        try writeFile(directory + "/broken.pub", "curve\n    public-key = \"nope\"\n")
        #expect(throws: CurveKeyError.self) { try CurveCertificate.loadPublicKeys(inDirectory: directory) }
        #expect(throws: CurveKeyError.directoryUnreadable(path: directory + "/none", errno: ENOENT)) {
            try CurveCertificate.loadPublicKeys(inDirectory: directory + "/none")
        }
    }
}
