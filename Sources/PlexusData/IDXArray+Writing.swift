#if canImport(Glibc)
import Glibc
#endif

extension IDXArray {
    /// The file's bytes as written: the big-endian header followed by the payload.
    public var headerBytes: [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(headerSize)
        for value in [magic] + dimensions.map({ UInt32($0) }) {
            header += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                       UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
        }
        return header
    }

    /// Writes the array as an IDX file at `path`, gzip-compressed at `level` (1–9) when `compressed`,
    /// plain otherwise. A file that could not be written completely is removed.
    public func write(to path: String, compressed: Bool, level: Int = 6) throws(DataError) {
        let file = try GzipFile(path: path, mode: .write(compressed: compressed, level: level))
        do throws(DataError) {
            try file.write(headerBytes)
            try file.write(bytes)
            try file.close()
        } catch {
            try? file.close()
            unlink(path)
            throw error
        }
    }
}
