import PlexusNumerics
import Testing
@testable import PlexusWire

/// Decoding never traps: random bytes, truncations, mutations, empty input, missing bodies,
/// unknown types and absurd sizes all end in a `WireError` or a valid message.
struct CodecRobustnessTests {
    /// Decodes `bytes`; if that succeeds, the result must survive its own round trip.
    private func decodeSafely(_ bytes: [UInt8]) -> Bool {
        do {
            let message = try Message.decode(bytes)
            #expect(try Message.decode(message.encoded()) == message)
            return true
        } catch {
            #expect(!error.description.isEmpty)
            return false
        }
    }

    @Test func emptyInputIsAnEnvelopeWithoutBody() {
        #expect(throws: WireError.malformed("envelope has no body")) { try Message.decode([UInt8]()) }
        #expect(throws: WireError.malformed("envelope has no body")) {
            try Message.decode(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = SeededRandom(seed: 2024)
        var accepted = 0
        for _ in 0..<5000 {
            let count = Int(random.next() % 300)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if decodeSafely(bytes) { accepted += 1 }
        }
        // Almost all random strings are rejected; the few that parse (e.g. a bare heartbeat) round-trip.
        #expect(accepted < 500)
    }

    @Test func randomBytesBehindAValidKeyNeverCrash() {
        // Start with each body's field key and a plausible length so the parser gets deeper.
        var random = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let field = Int(random.next() % 9) + 1
            let count = Int(random.next() % 200)
            var writer = ProtoWriter()
            writer.bytes(field, (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            _ = decodeSafely(writer.bytes)
        }
    }

    @Test(arguments: Fixtures.messages)
    func everyTruncationIsSafe(message: Message) {
        let bytes = message.encoded()
        var accepted = 0
        for length in 0..<bytes.count {
            if decodeSafely(Array(bytes[0..<length])) { accepted += 1 }
        }
        #expect(decodeSafely(bytes))
        // Cutting inside the body's length-delimited field always breaks it.
        #expect(accepted == 0)
    }

    @Test(arguments: Fixtures.messages)
    func mutatedMessagesAreSafe(message: Message) {
        var random = SeededRandom(seed: UInt64(message.kind.count) &* 31)
        let original = message.encoded()
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] ^= UInt8(1) << (random.next() % 8)
                case 1: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                }
            }
            _ = decodeSafely(bytes)
        }
    }

    @Test func unknownMessageTypeIsReported() {
        var writer = ProtoWriter()
        writer.message(9) { $0.uint(1, 5) }
        #expect(throws: WireError.unknownMessageType(9)) { try Message.decode(writer.bytes) }
        #expect(WireError.unknownMessageType(9).description.contains("unknown message type"))
    }

    @Test func sizeLimitIsEnforced() throws {
        let bytes = Message.weights(Fixtures.weights).encoded()
        #expect(throws: WireError.messageTooLarge(size: bytes.count, limit: bytes.count - 1)) {
            try Message.decode(bytes, maximumSize: bytes.count - 1)
        }
        _ = try Message.decode(bytes, maximumSize: bytes.count)
    }

    @Test func absurdLengthPrefixIsMalformed() {
        // A welcome body claiming 2^35 bytes, followed by almost nothing.
        var writer = ProtoWriter()
        writer.key(2, 2)
        writer.varint(1 << 35)
        writer.bytes.append(contentsOf: [1, 2, 3])
        #expect(throws: WireError.self) { try Message.decode(writer.bytes) }
        // A 10-byte varint that overflows 64 bits.
        #expect(throws: WireError.self) { try Message.decode([0x28] + [UInt8](repeating: 0xFF, count: 11)) }
    }

    /// A Weights envelope holding one hand-built tensor.
    private func weightsWithTensor(_ build: (inout ProtoWriter) -> Void) -> [UInt8] {
        var writer = ProtoWriter()
        writer.message(4) { weights in
            weights.uint(1, 3)
            weights.message(2, build)
        }
        return writer.bytes
    }

    @Test func absurdTensorShapesAreRejected() {
        let huge = weightsWithTensor { tensor in
            tensor.bytes(1, Array("w".utf8))
            tensor.uint(2, 1 << 62)
            tensor.uint(2, 1 << 62)
            tensor.bytes(4, [0, 0, 0, 0])
        }
        #expect(throws: WireError.self) { try Message.decode(huge) }
        let beyondInt = weightsWithTensor { tensor in
            tensor.bytes(1, Array("w".utf8))
            tensor.uint(2, UInt64.max)
        }
        #expect(throws: WireError.self) { try Message.decode(beyondInt) }
        let wrongSize = weightsWithTensor { tensor in
            tensor.bytes(1, Array("layer1.weight".utf8))
            tensor.uint(2, 2)
            tensor.uint(2, 3)
            tensor.bytes(4, [UInt8](repeating: 0, count: 20))
        }
        #expect(throws: WireError.tensorSizeMismatch(tensor: "layer1.weight", detail: "shape 2×3 of f32 needs 24 bytes, got 20")) {
            try Message.decode(wrongSize)
        }
        let unknownDtype = weightsWithTensor { tensor in
            tensor.bytes(1, Array("w".utf8))
            tensor.uint(3, 17)
        }
        #expect(throws: WireError.malformed("tensor w has unknown dtype 17")) { try Message.decode(unknownDtype) }
    }

    @Test func missingRequiredPartsAreMalformed() {
        var writer = ProtoWriter()
        writer.message(2) { $0.uint(1, 4) }  // a welcome with a worker id and nothing else
        #expect(throws: WireError.malformed("welcome config is missing")) { try Message.decode(writer.bytes) }
    }

    @Test func invalidEnumeratedStringsAreRejected() {
        var config = Fixtures.run
        config.model.widths = [3]  // fails ModelSpec.validate on decode
        let welcome = Welcome(workerID: 1, config: config, shardImages: Fixtures.welcome.shardImages,
                              shardLabels: Fixtures.welcome.shardLabels, version: 0, weights: [], protocolVersion: 1,
                              numClasses: 2)
        #expect(throws: WireError.self) { try Message.decode(Message.welcome(welcome).encoded()) }

        // A rule name this build does not know.
        var writer = ProtoWriter()
        writer.message(2) { welcome in
            welcome.message(2) { run in
                run.message(1) { model in
                    model.uint(1, 4)
                    model.uint(1, 2)
                    model.bytes(2, Array("tanh".utf8))
                    model.bytes(3, Array("se".utf8))
                    model.bytes(4, Array("magic".utf8))
                }
            }
        }
        do {
            _ = try Message.decode(writer.bytes)
            Issue.record("decoded an unknown rule")
        } catch {
            #expect(error.description.contains("unknown rule 'magic'"), "\(error)")
        }
    }

    @Test func invalidUTF8IsRepairedNotTrapped() throws {
        var writer = ProtoWriter()
        writer.message(7) { $0.bytes(1, [0x66, 0xFF, 0xFE, 0x6F]) }
        guard case .shutdown(let shutdown) = try Message.decode(writer.bytes) else {
            Issue.record("not a shutdown")
            return
        }
        #expect(shutdown.reason.hasPrefix("f") && shutdown.reason.hasSuffix("o"))
    }
}
