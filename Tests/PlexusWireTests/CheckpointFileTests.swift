#if canImport(Glibc)
import Glibc
#endif
import PlexusLearning
import PlexusNumerics
import Testing
@testable import PlexusWire

/// Checkpoint and probe files: round trips, one-line errors for bad files, atomic replacement.
struct CheckpointFileTests {
    @Test func writeReadRoundTrip() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("run.ckpt")
        let checkpoint = Fixtures.checkpoint()
        try CheckpointFile.write(checkpoint, to: path)
        #expect(try CheckpointFile.read(from: path) == checkpoint)
        // Nothing but the checkpoint is left in the folder (the temporary file was renamed).
        #expect(folder.entries() == ["run.ckpt"])
        // Overwriting replaces the content.
        var later = checkpoint
        later.version = 501
        later.tensors[0] = Fixtures.tensor(later.tensors[0].name, later.tensors[0].shape, .f64, seed: 77)
        try CheckpointFile.write(later, to: path)
        #expect(try CheckpointFile.read(from: path) == later)
        #expect(folder.entries() == ["run.ckpt"])
    }

    @Test func fileIsPlainProtobufWithATrailer() throws {
        // Any protobuf reader can parse the whole file as a Checkpoint (the trailer is an unknown field).
        let folder = TemporaryDirectory()
        let path = folder.file("plain.ckpt")
        let checkpoint = Fixtures.checkpoint()
        try CheckpointFile.write(checkpoint, to: path)
        let bytes = contents(of: path)
        #expect(bytes.count == checkpoint.encoded().count + 6)
        #expect(Array(bytes[(bytes.count - 6)..<(bytes.count - 4)]) == [0xC5, 0x3E])
        #expect(try Checkpoint.decode(bytes) == checkpoint)
        // The stored checksum is zlib's CRC-32 of the message bytes ("123456789" is the standard check value).
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
    }

    @Test func relativePathsWork() throws {
        let folder = TemporaryDirectory()
        let previous = getcwd(nil, 0)!
        defer {
            chdir(previous)
            free(previous)
        }
        chdir(folder.path)
        try CheckpointFile.write(Fixtures.checkpoint(), to: "relative.ckpt")
        #expect(try CheckpointFile.read(from: "relative.ckpt") == Fixtures.checkpoint())
    }

    @Test func missingFile() {
        let folder = TemporaryDirectory()
        let path = folder.file("missing.ckpt")
        #expect(throws: WireError.io(action: "cannot open checkpoint", path: path, code: ENOENT)) {
            try CheckpointFile.read(from: path)
        }
        let error = WireError.io(action: "cannot open checkpoint", path: path, code: ENOENT)
        #expect(error.description == "cannot open checkpoint \(path): No such file or directory")
    }

    @Test func directoryInsteadOfFile() {
        let folder = TemporaryDirectory()
        #expect(throws: WireError.io(action: "cannot read checkpoint", path: folder.path, code: EISDIR)) {
            try CheckpointFile.read(from: folder.path)
        }
    }

    @Test func emptyFile() {
        let folder = TemporaryDirectory()
        let path = folder.file("empty.ckpt")
        plant([], at: path)
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path, problem: "is empty")) {
            try CheckpointFile.read(from: path)
        }
        #expect(WireError.invalidFile(kind: "checkpoint", path: "/x/y.ckpt", problem: "is empty").description
            == "checkpoint /x/y.ckpt is empty")
    }

    @Test func truncatedFiles() throws {
        let folder = TemporaryDirectory()
        let good = folder.file("good.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: good)
        let bytes = contents(of: good)
        let path = folder.file("cut.ckpt")
        let truncated = WireError.invalidFile(kind: "checkpoint", path: path,
                                              problem: "is truncated or not a Plexus checkpoint")
        #expect(truncated.description == "checkpoint \(path) is truncated or not a Plexus checkpoint")
        // Every cut, including those at a protobuf field boundary (which still parse as a Checkpoint).
        var lengths = Array(stride(from: 1, to: bytes.count, by: 97))
        lengths += [2, 5, 6, bytes.count / 2, bytes.count - 7, bytes.count - 6, bytes.count - 5, bytes.count - 1]
        for length in lengths {
            plant(Array(bytes[0..<length]), at: path)
            #expect(throws: truncated, "cut at \(length) of \(bytes.count)") { try CheckpointFile.read(from: path) }
        }
        // The whole file is fine again.
        plant(bytes, at: path)
        #expect(try CheckpointFile.read(from: path) == Fixtures.checkpoint())
    }

    @Test func garbageFiles() {
        let folder = TemporaryDirectory()
        let path = folder.file("garbage.ckpt")
        var random = SeededRandom(seed: 404)
        for size in [1, 6, 100, 4096] {
            plant((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: path)
            #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path,
                                                  problem: "is truncated or not a Plexus checkpoint")) {
                try CheckpointFile.read(from: path)
            }
        }
        plant(Array("model = 784,256,10\n".utf8), at: path)
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path,
                                              problem: "is truncated or not a Plexus checkpoint")) {
            try CheckpointFile.read(from: path)
        }
    }

    @Test func corruptedBytesAreCaughtByTheChecksum() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("flipped.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: path)
        var bytes = contents(of: path)
        bytes[bytes.count / 2] ^= 0x10  // inside tensor data: protobuf alone would not notice
        plant(bytes, at: path)
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path, problem: "is corrupt (checksum mismatch)")) {
            try CheckpointFile.read(from: path)
        }
    }

    @Test func sealedButUnparsableIsCorrupt() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("sealed-garbage.ckpt")
        plant(FileFrame.seal([0xFF, 0xFF, 0xFF]), at: path)
        do {
            _ = try CheckpointFile.read(from: path)
            Issue.record("read a sealed garbage file")
        } catch {
            #expect(error.description.hasPrefix("checkpoint \(path) is corrupt: malformed message"), "\(error)")
        }
    }

    @Test func unknownFormatVersion() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("future.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(formatVersion: 2), to: path)
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path,
                                              problem: "has format version 2; this plexus reads version 1")) {
            try CheckpointFile.read(from: path)
        }
        try CheckpointFile.write(Fixtures.checkpoint(formatVersion: 0), to: path)
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path,
                                              problem: "is corrupt: malformed message: checkpoint has no format version")) {
            try CheckpointFile.read(from: path)
        }
    }

    @Test func sizeLimitOnRead() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("big.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: path)
        let size = contents(of: path).count
        #expect(throws: WireError.invalidFile(kind: "checkpoint", path: path,
                                              problem: "is \(size) bytes, more than the limit of 100")) {
            try CheckpointFile.read(from: path, maximumSize: 100)
        }
    }

    // MARK: atomic replacement

    @Test func failedWriteIntoMissingFolderReportsThePath() throws {
        let folder = TemporaryDirectory()
        let old = folder.file("old.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: old)
        let target = folder.file("no-such-folder/new.ckpt")
        do {
            try CheckpointFile.write(Fixtures.checkpoint(), to: target)
            Issue.record("wrote into a missing folder")
        } catch {
            #expect(error.description.contains(target), "\(error)")
            #expect(error.description.hasSuffix("No such file or directory"), "\(error)")
        }
        #expect(try CheckpointFile.read(from: old) == Fixtures.checkpoint())
    }

    @Test(arguments: [AtomicFile.Fault.failAfterWriting(0), .failAfterWriting(1000), .failBeforeRename])
    func failedWriteLeavesThePreviousCheckpointIntact(fault: AtomicFile.Fault) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("run.ckpt")
        let previous = Fixtures.checkpoint()
        try CheckpointFile.write(previous, to: path)
        var next = previous
        next.version += 1
        next.tensors = next.tensors.map { Fixtures.tensor($0.name, $0.shape, .f64, seed: 999) }
        #expect(throws: WireError.self) { try CheckpointFile.write(next, to: path, fault: fault) }
        #expect(try CheckpointFile.read(from: path) == previous)
        #expect(folder.entries() == ["run.ckpt"], "the temporary file was not removed")
        // And a write that does not fail replaces it.
        try CheckpointFile.write(next, to: path)
        #expect(try CheckpointFile.read(from: path) == next)
    }

    @Test func crashMidWriteLeavesThePreviousCheckpointIntact() throws {
        // A crash leaves a partial temporary file behind and never reaches the rename: the
        // checkpoint is untouched and readable, and the leftover does not get in the way.
        let folder = TemporaryDirectory()
        let path = folder.file("run.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: path)
        let partial = FileFrame.seal(Fixtures.checkpoint(formatVersion: 1).encoded())
        plant(Array(partial[0..<(partial.count / 3)]), at: folder.file(".run.ckpt.tmp-1-dead"))
        #expect(try CheckpointFile.read(from: path) == Fixtures.checkpoint())
        try CheckpointFile.write(Fixtures.checkpoint(), to: path)
        #expect(try CheckpointFile.read(from: path) == Fixtures.checkpoint())
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores directory permissions"))
    func failedWriteIntoReadOnlyFolder() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("run.ckpt")
        try CheckpointFile.write(Fixtures.checkpoint(), to: path)
        chmod(folder.path, 0o555)
        defer { chmod(folder.path, 0o755) }
        var next = Fixtures.checkpoint()
        next.version = 9
        #expect(throws: WireError.self) { try CheckpointFile.write(next, to: path) }
        #expect(try CheckpointFile.read(from: path) == Fixtures.checkpoint())
    }

    @Test func concurrentWritersNeverLeaveAMixedFile() async throws {
        let folder = TemporaryDirectory()
        let path = folder.file("shared.ckpt")
        let versions = (1...8).map { version -> Checkpoint in
            var checkpoint = Fixtures.checkpoint()
            checkpoint.version = version
            return checkpoint
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for checkpoint in versions {
                group.addTask { try CheckpointFile.write(checkpoint, to: path) }
            }
            try await group.waitForAll()
        }
        let survivor = try CheckpointFile.read(from: path)
        #expect(versions.contains(survivor))
        #expect(folder.entries() == ["shared.ckpt"])
    }

    // MARK: shape validation

    @Test func validationAcceptsAMatchingSpec() throws {
        try Fixtures.checkpoint().validate(against: Fixtures.model)
        // A rule without feedback may load a checkpoint that has feedback matrices.
        var il = Fixtures.model
        il.rule = .il
        try Fixtures.checkpoint().validate(against: il)
    }

    @Test func validationNamesTheFirstMismatchedTensor() {
        let trained = ModelSpec(widths: [784, 256, 10], rule: .bp)
        let checkpoint = Checkpoint(model: trained, tensors: Fixtures.parameters(for: trained), optimizer: Fixtures.optimizer)
        let requested = ModelSpec(widths: [784, 128, 10], rule: .bp)
        #expect(throws: WireError.shapeMismatch(
            "checkpoint tensor layer1.weight has shape 256×784 but --layers 784,128,10 needs 128×784")) {
            try checkpoint.validate(against: requested)
        }
        let error = WireError.shapeMismatch(
            "checkpoint tensor layer1.weight has shape 256×784 but --layers 784,128,10 needs 128×784")
        #expect(error.description == "checkpoint tensor layer1.weight has shape 256×784 but --layers 784,128,10 needs 128×784")
    }

    @Test func validationNamesMissingFeedback() {
        let trained = ModelSpec(widths: [6, 5, 3], rule: .il)
        let checkpoint = Checkpoint(model: trained, tensors: Fixtures.parameters(for: trained), optimizer: Fixtures.optimizer)
        var requested = trained
        requested.rule = .pcfa
        #expect(throws: WireError.shapeMismatch("checkpoint has no tensor layer2.feedback, which --layers 6,5,3 --rule pcfa needs")) {
            try checkpoint.validate(against: requested)
        }
    }

    @Test func validationChecksOptimizerState() {
        var checkpoint = Fixtures.checkpoint()
        let index = checkpoint.optimizerState.firstIndex { $0.name == "opt.v.layer2.bias" }!
        checkpoint.optimizerState[index] = Fixtures.tensor("opt.v.layer2.bias", [7], .f32, seed: 1)
        #expect(throws: WireError.shapeMismatch(
            "checkpoint optimizer state opt.v.layer2.bias has shape 7 but --layers 6,5,4,3 needs 4")) {
            try checkpoint.validate(against: Fixtures.model)
        }
    }

    // MARK: probe files

    @Test func probeFileRoundTripAndErrors() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("probe.pb")
        let probe = ProbeResult(model: Fixtures.model, batchIndex: 1, batchSize: 16, data: "synthetic",
                                updates: [RuleUpdate(rule: .zil, tensors: Fixtures.parameters(for: Fixtures.model),
                                                     alignment: [LayerAlignment(layer: 1, cosine: 1, normRatio: 1, feedbackAngleDegrees: 0)],
                                                     energyBefore: 1, energyAfter: 0.5, energyTrajectory: [1, 0.5])])
        try ProbeResultFile.write(probe, to: path)
        #expect(try ProbeResultFile.read(from: path) == probe)
        #expect(folder.entries() == ["probe.pb"])

        let bytes = contents(of: path)
        plant(Array(bytes.dropLast(3)), at: path)
        #expect(throws: WireError.invalidFile(kind: "probe result", path: path,
                                              problem: "is truncated or not a Plexus probe result")) {
            try ProbeResultFile.read(from: path)
        }
        // A probe file is sealed like a checkpoint but is not one.
        try ProbeResultFile.write(probe, to: path)
        #expect(throws: WireError.self) { try CheckpointFile.read(from: path) }
        #expect(throws: WireError.io(action: "cannot open probe result", path: folder.file("none.pb"), code: ENOENT)) {
            try ProbeResultFile.read(from: folder.file("none.pb"))
        }
    }
}
