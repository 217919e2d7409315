/// Everything that can go wrong while reading, writing or preparing a data set. Each case's
/// `description` is one readable line that names the file (or the `--data` spec) and the problem.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist. `hint` says what to do about it (for the default data set: which
    /// Debian package installs it).
    case fileMissing(path: String, hint: String?)
    /// The file exists but could not be opened, read or written (permissions, I/O errors).
    case ioFailure(path: String, detail: String)
    /// The first four bytes are not an IDX magic number (`0x0000TTNN`: type code TT, NN dimensions).
    case notIDX(path: String, magic: UInt32)
    /// An IDX header that is well formed but unusable here: a truncated header, an element type
    /// other than unsigned bytes, the wrong number of dimensions, or an absurd size.
    case malformedHeader(path: String, detail: String)
    /// The gzip stream ends before its end marker (the file was cut short).
    case truncatedGzip(path: String)
    /// The gzip stream is damaged (bad header, invalid deflate data or a checksum mismatch).
    case corruptGzip(path: String, detail: String)
    /// The payload after the header is not exactly the size the dimensions declare.
    /// `actual` counts every byte after the header (more than `expected` means trailing data).
    case payloadLengthMismatch(path: String, expected: Int, actual: Int)
    /// An image file and its label file disagree on the number of samples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is not below the number of classes.
    case labelOutOfRange(source: String, index: Int, label: Int, classes: Int)
    /// A `--data` string that is not one of the accepted forms.
    case invalidDataSpec(spec: String, reason: String)
    /// An argument outside its valid range (for example a shard count larger than the data set).
    case invalidArgument(String)

    /// The forms `--data` accepts, for error messages and help text.
    public static let validDataSpecs = "fashion-mnist (default), idx:DIR, synthetic, synthetic:TRAIN:TEST"

    public var description: String {
        switch self {
        case .fileMissing(let path, let hint):
            return "\(path): file not found" + (hint.map { "; \($0)" } ?? "")
        case .ioFailure(let path, let detail):
            return "\(path): \(detail)"
        case .notIDX(let path, let magic):
            return "\(path): not an IDX file (magic \(hex32(magic)); expected 0x00000803 for images "
                + "or 0x00000801 for labels)"
        case .malformedHeader(let path, let detail):
            return "\(path): bad IDX header: \(detail)"
        case .truncatedGzip(let path):
            return "\(path): truncated gzip file (the compressed stream ends early)"
        case .corruptGzip(let path, let detail):
            return "\(path): corrupt gzip data (\(detail))"
        case .payloadLengthMismatch(let path, let expected, let actual):
            let what = actual < expected ? "truncated" : "trailing data"
            return "\(path): IDX payload length mismatch (\(what)): the header declares \(expected) bytes, "
                + "the file holds \(actual)"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case .labelOutOfRange(let source, let index, let label, let classes):
            return "\(source): label \(label) of sample \(index) is out of range (expected 0..<\(classes))"
        case .invalidDataSpec(let spec, let reason):
            return "invalid --data '\(spec)': \(reason); valid forms: \(DataError.validDataSpecs)"
        case .invalidArgument(let text):
            return text
        }
    }
}

/// `0x%08x` without Foundation.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
