import Foundation
import PlexusCluster
import PlexusLearning
import PlexusWire

/// The fuzz target for everything a peer can send: the Envelope decoder, then the checks the
/// coordinator applies to a Push before its deltas touch the weights (shapes, dtype, finiteness).
/// Decoding and validation must return or throw for every input; a crash, a hang or a sanitizer report
/// is a bug.
enum FuzzTarget {
    /// The model pushes are validated against: small, with feedback, like a real run's.
    static let update = Parameters<Float>(zerosFor: ModelSpec(widths: [6, 5, 3], rule: .pckp), includeFeedback: false)

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let message = try? Message.decode(bytes, maximumSize: 1 << 20) else {
            _ = try? Checkpoint.decode(bytes, maximumSize: 1 << 20)
            return
        }
        switch message {
        case .push(let push):
            _ = try? ParameterTensors.validateDeltas(push.deltas, against: update)
            for t in push.deltas { _ = t.firstNonFiniteIndex() }
        case .weights(let w):
            for t in w.tensors { _ = t.floats() }
        case .welcome(let w):
            _ = w.shardImages.elementCount
        default:
            break
        }
        // Re-encoding what was decoded must give a message that decodes to the same value.
        let again = message.encoded()
        guard let back = try? Message.decode(again), back == message else {
            if case .push(let p) = message, p.deltas.contains(where: { $0.firstNonFiniteIndex() != nil }) { return }
            fatalError("re-encoding changed the message: \(message.kind)")
        }
    }

    /// Valid messages of every kind, as seeds for the fuzzer's corpus.
    static func seeds() -> [(String, [UInt8])] {
        let spec = ModelSpec(widths: [6, 5, 3], rule: .pckp)
        let deltas = spec.tensorNames.filter { !$0.hasSuffix(".feedback") }.map { name -> Tensor in
            let shape = spec.shape(of: name)!
            return try! Tensor(name: name, shape: shape, floats: [Float](repeating: 0.25, count: shape.reduce(1, *)))
        }
        let images = try! Tensor(name: "images", shape: [2, 6], u8: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let labels = try! Tensor(name: "labels", shape: [2], u8: [0, 2])
        let messages: [Message] = [
            .join(Join(protocolVersion: 1, workerName: "w1", host: "h", pid: 42)),
            .welcome(Welcome(workerID: 1, config: RunConfig(model: spec), shardImages: images, shardLabels: labels, version: 3,
                             weights: deltas, protocolVersion: 1, numClasses: 3)),
            .push(Push(workerID: 1, baseVersion: 3, deltas: deltas, sampleCount: 128)),
            .weights(Weights(version: 4, tensors: deltas, round: 2, shardCursor: 128, batch: 64)),
            .heartbeat(Heartbeat(workerID: 1, version: 4)),
            .error(ErrorMessage(code: 409, text: "stale")),
            .shutdown(Shutdown(reason: "done")),
        ]
        return messages.map { ($0.kind, $0.encoded()) }
    }
}

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer -D FUZZING`: scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func plexusFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))`).
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<target>_main`; hand the process to libFuzzer's driver.
@_cdecl("PlexusFuzz_main")
public func plexusFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return llvmFuzzerRunDriver(&count, &vector, plexusFuzzOneInput)
}
#else
/// Without the fuzzer: `PlexusFuzz --seeds DIR` writes the seed corpus; `PlexusFuzz FILE|DIR…` replays
/// inputs (e.g. a crash the fuzzer found) through the same target.
@main
struct FuzzReplay {
    static func main() throws {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.first == "--seeds", args.count == 2 {
            try FileManager.default.createDirectory(atPath: args[1], withIntermediateDirectories: true)
            for (name, bytes) in FuzzTarget.seeds() {
                try Data(bytes).write(to: URL(fileURLWithPath: args[1]).appendingPathComponent("seed-\(name)"))
            }
            return
        }
        var count = 0
        for path in args {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue ? try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 } : [path]
            for file in files {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                bytes.withUnsafeBytes { FuzzTarget.run($0) }
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
