import PlexusLearning
import PlexusNumerics
import Testing
@testable import PlexusWire

/// Every message type survives encode → decode unchanged.
struct CodecRoundTripTests {
    @Test(arguments: Fixtures.messages)
    func messageRoundTrip(message: Message) throws {
        let bytes = message.encoded()
        #expect(bytes.count > 2)
        let decoded = try Message.decode(bytes)
        #expect(decoded == message)
        #expect(decoded.kind == message.kind)
        // The raw-buffer entry point agrees with the array one, and encoding is deterministic.
        let viaBuffer = try bytes.withUnsafeBytes { try Message.decode($0) }
        #expect(viaBuffer == message)
        #expect(decoded.encoded() == bytes)
    }

    @Test func welcomeCarriesEverything() throws {
        guard case .welcome(let welcome) = try Message.decode(Message.welcome(Fixtures.welcome).encoded()) else {
            Issue.record("not a welcome")
            return
        }
        #expect(welcome.config.model == Fixtures.model)
        #expect(welcome.config.optimizer == Fixtures.optimizer)
        #expect(welcome.config.seed == 0xFEED_FACE_CAFE_BEEF)
        #expect(welcome.config.compress == .bf16 && welcome.config.mode == .async)
        #expect(welcome.shardImages.dtype == .u8 && welcome.shardImages.shape == [10, 6])
        #expect(welcome.weights.map(\.name) == Fixtures.model.tensorNames)
        #expect(welcome.weights[0].floats() == Fixtures.welcome.weights[0].floats())
    }

    @Test(arguments: Rule.allCases)
    func everyRuleAndActivationSurvives(rule: Rule) throws {
        for activation in Activation.allCases {
            for energy in Energy.allCases {
                let model = ModelSpec(widths: [4, 9, 9, 2], activation: activation, energy: energy, rule: rule, steps: 5,
                                      gamma: 0.2, outputPrecision: 0.5, kpDecay: 0.01, feedbackScale: 2)
                for kind in OptimizerSpec.Kind.allCases {
                    var config = Fixtures.run
                    config.model = model
                    config.optimizer.kind = kind
                    config.compress = .allCases[rule.rawValue.count % 3]
                    config.mode = rule.usesInference ? .sync : .async
                    let welcome = Welcome(workerID: 1, config: config, shardImages: Fixtures.welcome.shardImages,
                                          shardLabels: Fixtures.welcome.shardLabels, version: 0,
                                          weights: Fixtures.parameters(for: model), protocolVersion: 1, numClasses: 2)
                    #expect(try Message.decode(Message.welcome(welcome).encoded()) == .welcome(welcome))
                }
            }
        }
    }

    @Test func extremeIntegersSurvive() throws {
        let push = Push(workerID: Int(UInt32.max), baseVersion: Int.max, deltas: [], sampleCount: Int.max,
                        metrics: WorkerMetrics(correct: Int.max, bytesIn: Int.max, bytesOut: 0), round: Int.max,
                        shardCursor: Int.max)
        #expect(try Message.decode(Message.push(push).encoded()) == .push(push))
        let weights = Weights(version: 0, tensors: [], round: 0, shardCursor: 0, batch: 0)
        #expect(try Message.decode(Message.weights(weights).encoded()) == .weights(weights))
    }

    @Test func emptyStringsAndEmptyTensorsSurvive() throws {
        let empty = try Tensor(name: "", shape: [0, 3], floats: [])
        let scalar = try Tensor(name: "s", shape: [], floats: [7])
        let weights = Weights(version: 1, tensors: [empty, scalar])
        #expect(try Message.decode(Message.weights(weights).encoded()) == .weights(weights))
        #expect(try Message.decode(Message.shutdown(Shutdown(reason: "")).encoded()) == .shutdown(Shutdown(reason: "")))
        #expect(try Message.decode(Message.error(ErrorMessage(code: 0, text: "")).encoded()) == .error(ErrorMessage(code: 0, text: "")))
    }

    @Test func specialFloatValuesSurviveBitForBit() throws {
        let values: [Float] = [.nan, -.infinity, .infinity, -0.0, .leastNonzeroMagnitude, Float(bitPattern: 0x7FA0_0001)]
        let tensor = try Tensor(name: "special", shape: [6], floats: values)
        guard case .weights(let decoded) = try Message.decode(Message.weights(Weights(version: 1, tensors: [tensor])).encoded())
        else {
            Issue.record("not weights")
            return
        }
        #expect(decoded.tensors[0].floats().map(\.bitPattern) == values.map(\.bitPattern))
        #expect(decoded.tensors[0].firstNonFiniteIndex() == 0)
    }

    @Test func checkpointRoundTrip() throws {
        let checkpoint = Fixtures.checkpoint()
        let decoded = try Checkpoint.decode(checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.run == Fixtures.run)
        var withoutRun = checkpoint
        withoutRun.run = nil
        #expect(try Checkpoint.decode(withoutRun.encoded()) == withoutRun)
    }

    @Test func probeResultRoundTripKeepsNaNAngles() throws {
        let decoded = try ProbeResult.decode(Fixtures.probe.encoded())
        #expect(decoded.model == Fixtures.probe.model)
        #expect(decoded.batchIndex == 3 && decoded.batchSize == 32 && decoded.data == "synthetic:1000:200")
        #expect(decoded.updates.count == 2)
        for (got, want) in zip(decoded.updates, Fixtures.probe.updates) {
            #expect(got.rule == want.rule && got.tensors == want.tensors)
            #expect(got.energyBefore == want.energyBefore && got.energyAfter == want.energyAfter)
            #expect(got.energyTrajectory == want.energyTrajectory)
            #expect(got.alignment.map(\.layer) == want.alignment.map(\.layer))
            #expect(got.alignment.map(\.cosine) == want.alignment.map(\.cosine))
            #expect(got.alignment.map(\.normRatio) == want.alignment.map(\.normRatio))
            #expect(got.alignment.map(\.feedbackAngleDegrees.bitPattern) == want.alignment.map(\.feedbackAngleDegrees.bitPattern))
        }
        #expect(decoded.updates[0].alignment[0].feedbackAngleDegrees.isNaN)
    }

    @Test func layerAlignmentAndRuleUpdateEquality() throws {
        // Finite values compare with ==, so whole updates can be compared too.
        let update = RuleUpdate(rule: .pckp, tensors: Fixtures.parameters(for: Fixtures.model, dtype: .f16, seed: 3),
                                alignment: [LayerAlignment(layer: 2, cosine: 0.97, normRatio: 1.1, feedbackAngleDegrees: 12.5)],
                                energyBefore: 2, energyAfter: 1, energyTrajectory: [2, 1.5, 1])
        let probe = ProbeResult(model: Fixtures.model, batchIndex: 0, batchSize: 8, data: "fashion-mnist", updates: [update])
        #expect(try ProbeResult.decode(probe.encoded()) == probe)
    }
}
