#if canImport(Glibc)
import Glibc
#endif

extension IDXArray {
    /// The largest payload the reader accepts (2 GiB); a header declaring more is rejected rather
    /// than trusted with an allocation.
    public static let maximumPayload = 1 << 31

    /// Reads an IDX file, gzip-compressed or plain. The payload must be exactly the size the header
    /// declares: a short file or trailing bytes are `DataError.payloadLengthMismatch`, a damaged or
    /// cut-short gzip stream is `.corruptGzip` or `.truncatedGzip`, a missing file is `.fileMissing`
    /// carrying `missingHint`.
    public init(contentsOf path: String, missingHint: String? = nil) throws(DataError) {
        let file = try GzipFile(path: path, mode: .read, missingHint: missingHint)

        // Magic number: two zero bytes, the element type, the number of dimensions.
        var magicBytes: [UInt8] = [0, 0, 0, 0]
        let magicRead = try file.read(into: &magicBytes)
        guard magicRead == 4 else {
            try file.close()
            throw DataError.malformedHeader(
                path: path, detail: "the file holds \(magicRead) bytes, too short for a magic number")
        }
        let magic = magicBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let type = magicBytes[2]
        let rank = Int(magicBytes[3])
        guard magicBytes[0] == 0, magicBytes[1] == 0, rank > 0, IDXArray.knownTypes[type] != nil else {
            throw DataError.notIDX(path: path, magic: magic)
        }
        guard type == IDXArray.unsignedByteType else {
            throw DataError.malformedHeader(
                path: path, detail: "element type \(IDXArray.knownTypes[type] ?? "?") (magic \(hex32(magic))) "
                    + "is not supported; only unsigned bytes (0x08)")
        }

        // Dimensions: `rank` big-endian UInt32 values.
        var sizeBytes = [UInt8](repeating: 0, count: 4 * rank)
        let sizesRead = try file.read(into: &sizeBytes)
        guard sizesRead == sizeBytes.count else {
            try file.close()
            throw DataError.malformedHeader(
                path: path, detail: "the header ends after \(4 + sizesRead) of \(4 + sizeBytes.count) bytes")
        }
        var dimensions: [Int] = []
        var expected = 1
        for d in 0..<rank {
            let size = (0..<4).reduce(0) { $0 << 8 | Int(sizeBytes[4 * d + $1]) }
            dimensions.append(size)
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            expected = overflow ? Int.max : product
        }
        guard expected <= IDXArray.maximumPayload else {
            throw DataError.malformedHeader(
                path: path, detail: "dimensions \(dimensions) declare more than the \(IDXArray.maximumPayload) "
                    + "bytes this reader accepts")
        }

        // Payload: exactly `expected` bytes, read in large chunks straight into the array.
        var failure: DataError?
        var got = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            do throws(DataError) {
                got = try file.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            initialized = got
        }
        if let failure { throw failure }
        if got < expected {
            try file.close()
            throw DataError.payloadLengthMismatch(path: path, expected: expected, actual: got)
        }
        // Reading past the end also makes zlib verify the gzip trailer (CRC-32 and length).
        let trailing = try file.drain()
        try file.close()
        guard trailing == 0 else {
            throw DataError.payloadLengthMismatch(path: path, expected: expected, actual: expected + trailing)
        }
        self.init(dimensions: dimensions, bytes: bytes)
    }

    /// The IDX element types by type code, to tell an IDX file of another type from a non-IDX file.
    static let knownTypes: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32",
        0x0E: "float64",
    ]
}
