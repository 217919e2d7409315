/// The framing of Plexus checkpoint and probe files: the message's protobuf bytes followed by a
/// six-byte trailer that is itself a protobuf field, so the whole file still parses as the message
/// in any protobuf implementation (which skips the unknown field):
///
///     <message bytes> 0xC5 0x3E <CRC-32 of the message bytes, little-endian>
///
/// `0xC5 0x3E` is the key of field 1000 with wire type 5 (fixed32); the schema leaves that number
/// unused. The trailer is what lets a reader tell a complete file from one cut short at a field
/// boundary (which protobuf alone cannot), and a damaged one from a good one.
enum FileFrame {
    /// The field number of the trailer.
    static let trailerField = 1000
    /// The trailer's protobuf key: `(1000 << 3) | 5` as a varint.
    static let trailerKey: [UInt8] = [0xC5, 0x3E]
    /// Key plus checksum.
    static let trailerSize = 6

    /// `payload` followed by its trailer.
    static func seal(_ payload: [UInt8]) -> [UInt8] {
        let crc = payload.withUnsafeBytes { CRC32.checksum($0) }
        var file = payload
        file.reserveCapacity(payload.count + trailerSize)
        file.append(contentsOf: trailerKey)
        withUnsafeBytes(of: crc.littleEndian) { file.append(contentsOf: $0) }
        return file
    }

    /// Why a file is not a sealed payload.
    enum Problem: Error, Equatable {
        /// No trailer at the end: cut short, or not written by Plexus.
        case noTrailer
        /// A trailer whose checksum does not match the bytes before it.
        case checksumMismatch(stored: UInt32, computed: UInt32)
    }

    /// The payload of a sealed file (the bytes before the trailer); throws if the trailer is missing
    /// or its checksum does not match.
    static func open(_ file: UnsafeRawBufferPointer) throws(Problem) -> UnsafeRawBufferPointer {
        guard file.count >= trailerSize else { throw .noTrailer }
        let payloadCount = file.count - trailerSize
        guard file[payloadCount] == trailerKey[0], file[payloadCount + 1] == trailerKey[1] else { throw .noTrailer }
        let stored = UInt32(littleEndian: file.loadUnaligned(fromByteOffset: payloadCount + 2, as: UInt32.self))
        let payload = UnsafeRawBufferPointer(rebasing: file[0..<payloadCount])
        let computed = CRC32.checksum(payload)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        return payload
    }
}

extension FileFrame {
    /// Reads the sealed file at `path` and decodes its payload, turning every failure into a one-line
    /// error that names the file: `kind` is "checkpoint" or "probe result".
    static func read<T>(
        _ path: String, kind: String, maximumSize: Int,
        decode: (UnsafeRawBufferPointer) throws(WireError) -> T
    ) throws(WireError) -> T {
        let file = try AtomicFile.read(path, kind: kind, maximumSize: maximumSize)
        let result = file.withUnsafeBytes { raw -> Result<T, WireError> in
            let payload: UnsafeRawBufferPointer
            do throws(Problem) {
                payload = try open(raw)
            } catch .noTrailer {
                return .failure(.invalidFile(kind: kind, path: path, problem: "is truncated or not a Plexus \(kind)"))
            } catch {
                return .failure(.invalidFile(kind: kind, path: path, problem: "is corrupt (checksum mismatch)"))
            }
            do throws(WireError) {
                return .success(try decode(payload))
            } catch .unsupportedFormatVersion(let found, let supported) {
                return .failure(.invalidFile(
                    kind: kind, path: path, problem: "has format version \(found); this plexus reads version \(supported)"))
            } catch {
                return .failure(.invalidFile(kind: kind, path: path, problem: "is corrupt: \(error)"))
            }
        }
        return try result.get()
    }
}
