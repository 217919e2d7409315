import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// A file read or written through zlib's gz* functions. Reading accepts gzip-compressed and plain
/// files alike (zlib copies a file that is not gzip through unchanged); writing produces either.
///
/// Every read checks zlib's error state, so a damaged or cut-short gzip stream becomes a `DataError`
/// rather than a silently short read. The caller must call `close()` to learn about errors that
/// zlib only reports at the end (a stream that ends mid-way).
final class GzipFile {
    /// How to open the file.
    enum Mode {
        case read
        /// Write gzip at compression `level` (1–9) when `compressed`, else plain bytes.
        case write(compressed: Bool, level: Int)
    }

    /// The path, for error messages.
    let path: String
    private var handle: gzFile?
    private let writing: Bool

    /// The largest single gzread/gzwrite request (their length argument is a 32-bit `unsigned`).
    private static let chunk = 1 << 28

    /// Opens `path`; a missing file for reading is `DataError.fileMissing` with `hint`.
    init(path: String, mode: Mode, missingHint: String? = nil) throws(DataError) {
        self.path = path
        let modeString: String
        switch mode {
        case .read:
            writing = false
            modeString = "rb"
            if access(path, F_OK) != 0 && errno == ENOENT {
                throw DataError.fileMissing(path: path, hint: missingHint)
            }
        case .write(let compressed, let level):
            writing = true
            modeString = compressed ? "wb\(min(max(level, 1), 9))" : "wbT"
        }
        guard let h = gzopen(path, modeString) else {
            let code = errno
            throw DataError.ioFailure(path: path, detail: "cannot open: \(GzipFile.systemMessage(code))")
        }
        handle = h
        if !writing {
            // A large input buffer: fewer read(2) calls and longer inflate runs.
            _ = gzbuffer(h, 1 << 18)
        }
    }

    deinit {
        if let h = handle { gzclose(h) }
    }

    /// Whether the file being read is plain (not gzip). Meaningful after the first read.
    var isPlain: Bool {
        guard let h = handle else { return false }
        return gzdirect(h) != 0
    }

    /// Reads until `buffer` is full or the data ends; returns the number of bytes read. Throws on a
    /// damaged or truncated gzip stream or an I/O error.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        guard let h = handle, let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let want = min(buffer.count - total, GzipFile.chunk)
            let got = Int(gzread(h, base + total, UInt32(want)))
            if got > 0 { total += got }
            if got < want {
                try checkError()
                break
            }
        }
        return total
    }

    /// Reads until `array` is full or the data ends; returns the number of bytes read.
    func read(into array: inout [UInt8]) throws(DataError) -> Int {
        var outcome: Result<Int, DataError> = .success(0)
        array.withUnsafeMutableBytes { raw in
            outcome = Result { () throws(DataError) -> Int in try read(into: raw) }
        }
        return try outcome.get()
    }

    /// Reads and discards the rest of the data, returning how many bytes it held.
    func drain() throws(DataError) -> Int {
        var count = 0
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = try read(into: &scratch)
            count += got
            if got < scratch.count { return count }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DataError) {
        guard let h = handle, let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let want = min(bytes.count - done, GzipFile.chunk)
            let put = Int(gzwrite(h, base + done, UInt32(want)))
            if put != want {
                try checkError()
                throw DataError.ioFailure(path: path, detail: "write failed")
            }
            done += put
        }
    }

    /// Writes all of `array`.
    func write(_ array: [UInt8]) throws(DataError) {
        var outcome: Result<Void, DataError> = .success(())
        array.withUnsafeBytes { raw in
            outcome = Result { () throws(DataError) in try write(raw) }
        }
        try outcome.get()
    }

    /// Closes the file, reporting a gzip stream that ended early or a failed final write.
    func close() throws(DataError) {
        guard let h = handle else { return }
        handle = nil
        let code = errno
        let result = gzclose(h)
        switch result {
        case Z_OK: return
        case Z_BUF_ERROR where !writing: throw DataError.truncatedGzip(path: path)
        case Z_ERRNO:
            throw DataError.ioFailure(path: path, detail: (writing ? "write failed: " : "read failed: ")
                + GzipFile.systemMessage(errno != 0 ? errno : code))
        default:
            throw DataError.ioFailure(path: path, detail: "gzclose failed (zlib error \(result))")
        }
    }

    /// Throws if zlib's error state for this file is set.
    private func checkError() throws(DataError) {
        guard let h = handle else { return }
        var code: Int32 = Z_OK
        let message = gzerror(h, &code).map { String(cString: $0) } ?? ""
        switch code {
        case Z_OK:
            return
        case Z_BUF_ERROR:
            throw DataError.truncatedGzip(path: path)
        case Z_ERRNO:
            throw DataError.ioFailure(path: path, detail: (writing ? "write failed: " : "read failed: ")
                + GzipFile.systemMessage(errno))
        default:
            throw DataError.corruptGzip(path: path, detail: message.isEmpty ? "zlib error \(code)" : message)
        }
    }

    /// `strerror` as a Swift string.
    static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
