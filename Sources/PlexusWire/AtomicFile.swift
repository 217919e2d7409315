#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and crash-safe whole-file writes, for checkpoint and probe files.
///
/// A write goes to a temporary file in the target's directory, is flushed with `fsync`, renamed over
/// the target (atomic on POSIX file systems) and made durable by an `fsync` of the directory. A crash
/// or an error at any point before the rename leaves the previous file untouched; on an error the
/// temporary file is removed.
enum AtomicFile {
    /// A failure injected by tests, to show that a write that breaks off leaves the old file intact.
    enum Fault {
        /// Write this many bytes of the temporary file, then fail as a full disk would.
        case failAfterWriting(Int)
        /// Write and flush the temporary file completely, then fail before the rename.
        case failBeforeRename
    }

    /// Writes `bytes` to `path` atomically. `kind` names the file in errors ("checkpoint").
    static func write(_ bytes: [UInt8], to path: String, kind: String, fault: Fault? = nil) throws(WireError) {
        let (directory, name) = split(path)
        guard !name.isEmpty else { throw .invalidValue("cannot write \(kind) to \(path): not a file path") }
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io(action: "cannot create a temporary file in \(directory) for \(kind)", path: path, code: errno)
        }
        var open = true
        var renamed = false
        defer {
            if open { close(descriptor) }
            if !renamed { unlink(temporary) }
        }

        var limit = bytes.count
        if case .failAfterWriting(let count) = fault { limit = min(max(count, 0), bytes.count) }
        let writeError = bytes.withUnsafeBytes { writeAll(descriptor, UnsafeRawBufferPointer(rebasing: $0[0..<limit])) }
        if writeError != 0 { throw .io(action: "cannot write \(kind)", path: temporary, code: writeError) }
        if limit < bytes.count { throw .io(action: "cannot write \(kind)", path: temporary, code: ENOSPC) }

        if let code = retrying({ fsync(descriptor) }) { throw .io(action: "cannot flush \(kind)", path: temporary, code: code) }
        open = false
        if close(descriptor) != 0 { throw .io(action: "cannot close \(kind)", path: temporary, code: errno) }
        if case .failBeforeRename = fault { throw .io(action: "cannot rename \(kind) over", path: path, code: EIO) }
        if rename(temporary, path) != 0 { throw .io(action: "cannot rename \(kind) over", path: path, code: errno) }
        renamed = true

        // Make the rename itself durable. Some file systems cannot fsync a directory (EINVAL); the
        // data is in place either way.
        let directoryDescriptor = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw .io(action: "cannot open directory of \(kind)", path: directory, code: errno) }
        defer { close(directoryDescriptor) }
        if let code = retrying({ fsync(directoryDescriptor) }), code != EINVAL {
            throw .io(action: "cannot flush directory of \(kind)", path: directory, code: code)
        }
    }

    /// The whole content of `path`. Throws for a missing or unreadable file, a directory, an empty
    /// file and one over `maximumSize` bytes.
    static func read(_ path: String, kind: String, maximumSize: Int) throws(WireError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(action: "cannot open \(kind)", path: path, code: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(action: "cannot read \(kind)", path: path, code: errno) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .io(action: "cannot read \(kind)", path: path, code: EISDIR) }
        let expected = Int(info.st_size)
        if expected > maximumSize {
            throw .invalidFile(kind: kind, path: path, problem: "is \(expected) bytes, more than the limit of \(maximumSize)")
        }

        var content: [UInt8] = []
        content.reserveCapacity(expected)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                var result: Int
                repeat { result = Glibc.read(descriptor, buffer.baseAddress, buffer.count) } while result < 0 && errno == EINTR
                return result
            }
            if count < 0 { throw .io(action: "cannot read \(kind)", path: path, code: errno) }
            if count == 0 { break }
            content.append(contentsOf: chunk[0..<count])
            if content.count > maximumSize {
                throw .invalidFile(kind: kind, path: path, problem: "is more than the limit of \(maximumSize) bytes")
            }
        }
        if content.isEmpty { throw .invalidFile(kind: kind, path: path, problem: "is empty") }
        return content
    }

    // MARK: helpers

    /// The directory (`.` for a bare name) and the last component of `path`.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Writes all of `bytes`, resuming after partial writes and EINTR; 0 or the `errno` of a failure.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }

    /// Runs a call that returns 0 or -1 with `errno`, retrying on EINTR; nil on success, else the errno.
    private static func retrying(_ call: () -> Int32) -> Int32? {
        while true {
            if call() == 0 { return nil }
            if errno != EINTR { return errno }
        }
    }
}
