import Glibc
import PlexusData
import PlexusNumerics
import Testing

@Suite("IDX files")
struct IDXArrayTests {
    @Test("gzip and plain files round-trip exactly", arguments: [true, false])
    func roundTrip(compressed: Bool) throws {
        try withScratchDirectory { dir in
            let (images, labels) = randomIDX(count: 50, seed: 11)
            let imagePath = "\(dir)/images", labelPath = "\(dir)/labels"
            try images.write(to: imagePath, compressed: compressed)
            try labels.write(to: labelPath, compressed: compressed)
            let onDisk = try readBytes(imagePath)
            // gzip magic 1f 8b when compressed, the IDX header itself when plain.
            #expect(Array(onDisk.prefix(2)) == (compressed ? [0x1F, 0x8B] : [0x00, 0x00]))
            if !compressed { #expect(onDisk == images.headerBytes + images.bytes) }
            let readImages = try IDXArray(contentsOf: imagePath)
            let readLabels = try IDXArray(contentsOf: labelPath)
            #expect(readImages == images)
            #expect(readLabels == labels)
            #expect(readImages.magic == IDXArray.imageMagic)
            #expect(readLabels.magic == IDXArray.labelMagic)
            #expect(readImages.dimensions == [50, 28, 28])
        }
    }

    @Test("the header is big-endian magic then sizes")
    func headerLayout() {
        let array = IDXArray(dimensions: [2, 3], bytes: [1, 2, 3, 4, 5, 6])
        #expect(array.headerBytes == [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(array.headerSize == 12)
    }

    @Test("a gzip file cut short is truncatedGzip, wherever it is cut")
    func truncatedGzip() throws {
        try withScratchDirectory { dir in
            let path = "\(dir)/images.gz"
            try randomIDX(count: 40, seed: 12).images.write(to: path, compressed: true)
            let whole = try readBytes(path)
            // Mid-stream, and just the 8-byte trailer (all pixels still decompress).
            for keep in [whole.count / 2, whole.count - 4, whole.count - 8] {
                try writeBytes(Array(whole.prefix(keep)), to: path)
                #expect(dataError { try _ = IDXArray(contentsOf: path) } == .truncatedGzip(path: path),
                        "cut at \(keep) of \(whole.count)")
            }
        }
    }

    @Test("damaged gzip bytes are corruptGzip")
    func corruptGzip() throws {
        try withScratchDirectory { dir in
            let path = "\(dir)/images.gz"
            try randomIDX(count: 40, seed: 13).images.write(to: path, compressed: true)
            let whole = try readBytes(path)
            var rng = SeededRandom(seed: 99)
            var damaged: [[UInt8]] = []
            // Scrambled deflate data in the middle.
            var middle = whole
            for k in 0..<32 { middle[whole.count / 2 + k] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
            damaged.append(middle)
            // A wrong CRC-32 in the trailer: the data decompresses but fails its checksum.
            var crc = whole
            crc[whole.count - 8] ^= 0x5A
            damaged.append(crc)
            // An unknown compression method in the gzip header.
            var method = whole
            method[2] = 7
            damaged.append(method)
            for (k, bytes) in damaged.enumerated() {
                try writeBytes(bytes, to: path)
                let error = dataError { try _ = IDXArray(contentsOf: path) }
                guard case .corruptGzip(let where_, let detail)? = error else {
                    Issue.record("damage \(k): expected corruptGzip, got \(String(describing: error))")
                    continue
                }
                #expect(where_ == path)
                #expect(!detail.isEmpty)
                #expect(error!.description.hasPrefix(path))
            }
        }
    }

    @Test("a file without an IDX magic number is notIDX", arguments: [true, false])
    func badMagic(compressed: Bool) throws {
        try withScratchDirectory { dir in
            let path = "\(dir)/not-idx"
            let good = randomIDX(count: 3, seed: 14).images
            var bytes = good.headerBytes + good.bytes
            bytes[0] = 0x12
            bytes[1] = 0x34
            if compressed { try writeGzip(bytes, to: path) } else { try writeBytes(bytes, to: path) }
            #expect(dataError { try _ = IDXArray(contentsOf: path) } == .notIDX(path: path, magic: 0x1234_0803))
            // A text file.
            try writeBytes(Array("hello, world\n".utf8), to: path)
            #expect(dataError { try _ = IDXArray(contentsOf: path) } == .notIDX(path: path, magic: 0x6865_6C6C))
        }
    }

    @Test("payload shorter or longer than the header says is payloadLengthMismatch")
    func payloadMismatch() throws {
        try withScratchDirectory { dir in
            let array = randomIDX(count: 5, side: 4, seed: 15).images   // 80 payload bytes
            let whole = array.headerBytes + array.bytes
            let path = "\(dir)/images"
            try writeBytes(Array(whole.dropLast(3)), to: path)
            #expect(dataError { try _ = IDXArray(contentsOf: path) }
                    == .payloadLengthMismatch(path: path, expected: 80, actual: 77))
            try writeBytes(whole + [1, 2, 3, 4, 5], to: path)
            #expect(dataError { try _ = IDXArray(contentsOf: path) }
                    == .payloadLengthMismatch(path: path, expected: 80, actual: 85))
            // The same inside a valid gzip stream.
            let gzPath = "\(dir)/images.gz"
            try writeGzip(whole + [9, 9], to: gzPath)
            #expect(dataError { try _ = IDXArray(contentsOf: gzPath) }
                    == .payloadLengthMismatch(path: gzPath, expected: 80, actual: 82))
            try writeGzip(Array(whole.dropLast(1)), to: gzPath)
            #expect(dataError { try _ = IDXArray(contentsOf: gzPath) }
                    == .payloadLengthMismatch(path: gzPath, expected: 80, actual: 79))
        }
    }

    @Test("short headers, other element types and missing files are reported")
    func otherHeaderProblems() throws {
        try withScratchDirectory { dir in
            let path = "\(dir)/f"
            try writeBytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0], to: path)
            guard case .malformedHeader(path, _)? = dataError({ try _ = IDXArray(contentsOf: path) }) else {
                Issue.record("short header not reported"); return
            }
            try writeBytes([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0x80, 0x3F], to: path)   // one float32
            let error = dataError { try _ = IDXArray(contentsOf: path) }
            guard case .malformedHeader(path, let detail)? = error else {
                Issue.record("float32 file not reported: \(String(describing: error))"); return
            }
            #expect(detail.contains("float32"))
            try writeBytes([], to: path)
            guard case .malformedHeader(path, _)? = dataError({ try _ = IDXArray(contentsOf: path) }) else {
                Issue.record("empty file not reported"); return
            }
            let missing = "\(dir)/nope.gz"
            #expect(dataError { try _ = IDXArray(contentsOf: missing, missingHint: "do X") }
                    == .fileMissing(path: missing, hint: "do X"))
            #expect(DataError.fileMissing(path: missing, hint: "do X").description == "\(missing): file not found; do X")
        }
    }
}
