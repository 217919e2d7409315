import Foundation

/// A one-line live status on a terminal (rewritten in place with `\r`); silent when stdout is not a
/// TTY, so logs and pipes get only the permanent lines.
public final class ProgressLine: @unchecked Sendable {
    public let enabled: Bool
    /// Text shown before every live status (e.g. `rule 2/6 il · ` while `plexus compare` runs).
    public var prefix = ""
    private var lastUpdate = Date.distantPast
    private var shown = false

    public init(enabled: Bool = true) {
        self.enabled = enabled && isatty(STDOUT_FILENO) != 0
    }

    /// Shows `text` (at most every 0.2 s unless `force`).
    public func update(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastUpdate) >= 0.2 else { return }
        lastUpdate = now
        FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + prefix + text()).utf8))
        shown = true
    }

    /// Prints a permanent line, clearing the live line first.
    public func print(_ text: String) {
        if shown { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)); shown = false }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    public func clear() {
        if shown { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)); shown = false }
    }
}

/// Formatting helpers for human-readable output.
public enum Format {
    public static func percent(_ x: Double, digits: Int = 2) -> String {
        x.isFinite ? String(format: "%.\(digits)f%%", 100 * x) : "n/a"
    }

    public static func number(_ x: Double, digits: Int = 4) -> String {
        x.isFinite ? String(format: "%.\(digits)g", x) : "nan"
    }

    /// 12345.6 → "12,346".
    public static func grouped(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        let n = Int(x.rounded())
        var s = String(abs(n))
        var i = s.count - 3
        while i > 0 { s.insert(",", at: s.index(s.startIndex, offsetBy: i)); i -= 3 }
        return (n < 0 ? "-" : "") + s
    }

    public static func seconds(_ t: Double) -> String {
        t < 60 ? String(format: "%.1fs", t) : String(format: "%dm%02ds", Int(t) / 60, Int(t) % 60)
    }
}
