/// Reading and writing checkpoint files: a `Checkpoint` message followed by a checksum trailer
/// (see `FileFrame`), written atomically so that the last good checkpoint survives a crash
/// mid-write (see `AtomicFile`).
public enum CheckpointFile {
    /// Largest checkpoint file `read` accepts by default: 4 GiB.
    public static let defaultMaximumSize = 1 << 32

    /// Writes `checkpoint` to `path` atomically: temporary file in the same directory, `fsync`,
    /// rename over `path`, `fsync` of the directory. On failure `path` keeps its previous content.
    public static func write(_ checkpoint: Checkpoint, to path: String) throws(WireError) {
        try write(checkpoint, to: path, fault: nil)
    }

    /// `write(_:to:)` with an injected failure (tests).
    static func write(_ checkpoint: Checkpoint, to path: String, fault: AtomicFile.Fault?) throws(WireError) {
        try AtomicFile.write(FileFrame.seal(checkpoint.encoded()), to: path, kind: "checkpoint", fault: fault)
    }

    /// Reads the checkpoint at `path`. Every failure is one line naming the file: missing or
    /// unreadable ("cannot open checkpoint PATH: No such file or directory"), empty, cut short or not a
    /// checkpoint ("checkpoint PATH is truncated or not a Plexus checkpoint"), damaged ("… is corrupt
    /// (checksum mismatch)"), or from a newer format ("… has format version 2; this plexus reads
    /// version 1").
    public static func read(from path: String, maximumSize: Int = defaultMaximumSize) throws(WireError) -> Checkpoint {
        try FileFrame.read(path, kind: "checkpoint", maximumSize: maximumSize) { (payload) throws(WireError) in
            try Checkpoint.decode(payload, maximumSize: maximumSize)
        }
    }
}
