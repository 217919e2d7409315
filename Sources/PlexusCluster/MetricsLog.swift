import Foundation

/// Errors from running a job: I/O, bad configuration, divergence. Each reads as one line.
public struct RunError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An append-only JSON-lines metrics log. Each record is written and flushed as one line, so a
/// crash loses at most the line being written and readers can follow the file live.
public final class MetricsLog: @unchecked Sendable {
    public let path: String?
    private let handle: FileHandle?
    private let lock = NSLock()
    /// Records written (including those of a disabled log, for tests and summaries).
    public private(set) var records: [JSONLine] = []
    private let keepRecords: Bool

    /// Opens `path` for appending (created if missing); `nil` keeps records in memory only.
    public init(path: String?, append: Bool = false, keepRecords: Bool = true) throws {
        self.path = path
        self.keepRecords = keepRecords
        guard let path else { handle = nil; return }
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !fm.fileExists(atPath: dir) {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw RunError("cannot create the metrics directory \(dir): \(error.localizedDescription)")
            }
        }
        if !append || !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else {
                throw RunError("cannot create the metrics log \(path): \(String(cString: strerror(errno)))")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw RunError("cannot open the metrics log \(path) for writing")
        }
        h.seekToEndOfFile()
        handle = h
    }

    deinit { try? handle?.close() }

    /// Appends one record (a `"time"` field in seconds since 1970 is added if absent).
    public func write(_ record: JSONLine) {
        var r = record
        if r["time"] == nil { r.set("time", (Date().timeIntervalSince1970 * 1000).rounded() / 1000) }
        let line = r.text + "\n"
        lock.lock()
        defer { lock.unlock() }
        if keepRecords { records.append(r) }
        handle?.write(Data(line.utf8))
    }

    /// Bytes in the log file (0 for an in-memory log).
    public var byteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(handle?.offsetInFile ?? 0)
    }

    /// Cuts the file back to its first `length` bytes (resuming from a checkpoint taken when the
    /// log had that length) and returns the lines removed; nothing happens when the file is not longer.
    public func truncate(to length: Int) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        guard let handle, let path else { return [] }
        let size = Int(handle.seekToEndOfFile())
        guard length >= 0, size > length else { return [] }
        guard let reader = FileHandle(forReadingAtPath: path) else { throw RunError("cannot read the metrics log \(path)") }
        defer { try? reader.close() }
        try reader.seek(toOffset: UInt64(length))
        let tail = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        do {
            try handle.truncate(atOffset: UInt64(length))
        } catch {
            throw RunError("cannot cut the metrics log \(path) back to \(length) bytes: \(error.localizedDescription)")
        }
        handle.seekToEndOfFile()
        return tail.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Appends lines that are already JSON text (e.g. another process's log being merged into this
    /// one), unchanged; blank lines are skipped. They are not kept in ``records``.
    public func write(rawLines text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { return }
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        handle?.write(data)
    }
}
