/// Reading and writing the files of `plexus probe --out FILE`: a `ProbeResult` message followed by
/// a checksum trailer (see `FileFrame`), written atomically (see `AtomicFile`).
public enum ProbeResultFile {
    /// Largest probe file `read` accepts by default: 4 GiB.
    public static let defaultMaximumSize = 1 << 32

    /// Writes `probe` to `path` atomically; on failure `path` keeps its previous content.
    public static func write(_ probe: ProbeResult, to path: String) throws(WireError) {
        try AtomicFile.write(FileFrame.seal(probe.encoded()), to: path, kind: "probe result", fault: nil)
    }

    /// Reads the probe result at `path`, with one-line errors as for `CheckpointFile.read(from:)`.
    public static func read(from path: String, maximumSize: Int = defaultMaximumSize) throws(WireError) -> ProbeResult {
        try FileFrame.read(path, kind: "probe result", maximumSize: maximumSize) { (payload) throws(WireError) in
            try ProbeResult.decode(payload, maximumSize: maximumSize)
        }
    }
}
