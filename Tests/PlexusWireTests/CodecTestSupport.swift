#if canImport(Glibc)
import Glibc
#endif
import PlexusLearning
import PlexusNumerics
@testable import PlexusWire

/// Shared fixtures for the PlexusWire tests: non-trivial sample values of every message type, seeded
/// random tensors, a hand-rolled protobuf writer for crafting hostile inputs, and temporary folders.
enum Fixtures {
    static let model = ModelSpec(widths: [6, 5, 4, 3], activation: .leakyRelu, energy: .se, rule: .pcfa, steps: 7,
                                 gamma: 0.05, outputPrecision: 0.25, kpDecay: 1e-4, feedbackScale: 0.5)
    static let optimizer = OptimizerSpec(kind: .adamw, lr: 3e-4, momentum: 0.8, beta1: 0.85, beta2: 0.995, eps: 1e-7,
                                         weightDecay: 0.01)
    static let run = RunConfig(model: model, optimizer: optimizer, batch: 64, localSteps: 2, compress: .bf16,
                               seed: 0xFEED_FACE_CAFE_BEEF, epochs: 12, mode: .async, staleness: 3, shuffle: true)

    /// A tensor of seeded normal values in `dtype`.
    static func tensor(_ name: String, _ shape: [Int], _ dtype: Tensor.DType = .f32, seed: UInt64) -> Tensor {
        var random = SeededRandom(seed: seed)
        let count = shape.reduce(1, *)
        if dtype == .u8 {
            return try! Tensor(name: name, shape: shape, u8: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        let values = (0..<count).map { _ in random.normal() }
        return try! Tensor(name: name, shape: shape, doubles: values, as: dtype)
    }

    /// The parameters `model` needs, with seeded contents.
    static func parameters(for spec: ModelSpec, dtype: Tensor.DType = .f32, seed: UInt64 = 1) -> [Tensor] {
        spec.tensorNames.enumerated().map { index, name in
            tensor(name, spec.shape(of: name)!, dtype, seed: seed &+ UInt64(index))
        }
    }

    static let join = Join(protocolVersion: 3, workerName: "worker-7 ✓", host: "node12.cluster", pid: 48213,
                           minProtocolVersion: 2)
    static let welcome = Welcome(
        workerID: 7, config: run, shardImages: tensor("shard.images", [10, 6], .u8, seed: 5),
        shardLabels: tensor("shard.labels", [10], .u8, seed: 6), version: 1234,
        weights: parameters(for: model), protocolVersion: 3, numClasses: 3, shardCursor: 40)
    static let push = Push(
        workerID: 7, baseVersion: 1233, deltas: parameters(for: model, dtype: .bf16, seed: 9), sampleCount: 64,
        metrics: WorkerMetrics(computeMilliseconds: 12.5, loss: 0.693, energyBefore: 3.25, energyAfter: 1.5,
                               correct: 41, bytesIn: 123_456, bytesOut: 65_432),
        round: 88, shardCursor: 104)
    static let weights = Weights(version: 1235, tensors: parameters(for: model, dtype: .f16, seed: 11), round: 89,
                                 shardCursor: 168, batch: 64)
    static let heartbeat = Heartbeat(workerID: 7, version: 1235)
    static let error = ErrorMessage(code: 409, text: "push for version 1100 is staler than --staleness 3")
    static let shutdown = Shutdown(reason: "training finished after 12 epochs")

    /// One non-trivial value of every `Message` case.
    static let messages: [Message] = [
        .join(join), .welcome(welcome), .push(push), .weights(weights), .heartbeat(heartbeat), .error(error),
        .shutdown(shutdown),
    ]

    static func checkpoint(model spec: ModelSpec = model, formatVersion: Int = Checkpoint.currentFormatVersion) -> Checkpoint {
        let parameters = parameters(for: spec, dtype: .f64, seed: 21)
        let state = parameters.flatMap { tensor in
            ["m", "v"].enumerated().map { slot, name in
                Fixtures.tensor("opt.\(name).\(tensor.name)", tensor.shape, .f32, seed: 100 &+ UInt64(slot))
            }
        }
        return Checkpoint(model: spec, tensors: parameters, optimizer: optimizer, optimizerState: state, optimizerStep: 500,
                          version: 500, round: 125, epoch: 2, samplesSeen: 32_000, run: run, createdBy: "plexus test",
                          dataCursor: 777, formatVersion: formatVersion)
    }

    static let probe = ProbeResult(
        model: model, batchIndex: 3, batchSize: 32, data: "synthetic:1000:200",
        updates: [Rule.bp, .pcfa].enumerated().map { index, rule in
            RuleUpdate(rule: rule, tensors: parameters(for: model, seed: 40 &+ UInt64(index)),
                       alignment: (1...3).map { LayerAlignment(layer: $0, cosine: 1 - 0.1 * Double($0), normRatio: 0.9,
                                                               feedbackAngleDegrees: rule == .bp ? .nan : 30 * Double($0)) },
                       energyBefore: 4.5, energyAfter: 1.25, energyTrajectory: [4.5, 3, 2, 1.25])
        })
}

/// Minimal protobuf writer for crafting inputs the Swift encoder would never produce.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func key(_ field: Int, _ wireType: Int) { varint(UInt64(field << 3 | wireType)) }

    mutating func uint(_ field: Int, _ value: UInt64) {
        key(field, 0)
        varint(value)
    }

    mutating func bytes(_ field: Int, _ content: [UInt8]) {
        key(field, 2)
        varint(UInt64(content.count))
        bytes.append(contentsOf: content)
    }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }
}

/// A fresh folder under /tmp, removed with its files when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/plexus-wire-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { buffer in String(cString: mkdtemp(buffer.baseAddress!)!) }
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Names of the entries in the folder (without `.` and `..`).
    func entries() -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    deinit {
        chmod(path, 0o755)
        for name in entries() { unlink(file(name)) }
        rmdir(path)
    }
}

/// Writes `bytes` to `path` (plain, non-atomic), for planting damaged files.
func plant(_ bytes: [UInt8], at path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(descriptor >= 0, "cannot create \(path)")
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

/// The whole content of `path`.
func contents(of path: String) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    precondition(descriptor >= 0, "cannot open \(path)")
    defer { close(descriptor) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        result.append(contentsOf: chunk[0..<count])
    }
    return result
}
