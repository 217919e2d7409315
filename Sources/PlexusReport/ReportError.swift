import Foundation

/// Why a report could not be made or written.
public enum ReportError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// No log files were given.
    case noLogs
    /// A log file could not be read.
    case unreadable(path: String, reason: String)
    /// The logs were read but held no record the report can use.
    case noUsableRecords(files: [String], lines: Int, malformed: Int, ignored: Int)
    /// An output file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .noLogs:
            return "no metrics logs given"
        case .unreadable(let path, let reason):
            return "cannot read metrics log \(path): \(reason)"
        case .noUsableRecords(let files, let lines, let malformed, let ignored):
            return "no usable records in \(files.joined(separator: ", ")) "
                + "(\(lines) non-blank lines: \(malformed) malformed, \(ignored) of unknown events)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
