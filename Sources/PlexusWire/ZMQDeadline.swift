/// A point in monotonic time by which a wait must end, or none (wait for ever). Blocking calls that
/// are interrupted (`EINTR`) resume with the time that is left, so a timeout is never stretched.
struct ZMQDeadline {
    private let end: ContinuousClock.Instant?

    /// `timeoutMilliseconds < 0` waits for ever; 0 does not wait.
    init(timeoutMilliseconds: Int32) {
        if timeoutMilliseconds < 0 {
            end = nil
        } else {
            end = ContinuousClock.now.advanced(by: .milliseconds(Int(timeoutMilliseconds)))
        }
    }

    /// Milliseconds left, rounded up (so a wait never ends early), 0 once past, -1 for ever: the
    /// form `zmq_poll` takes.
    var remainingMilliseconds: Int {
        guard let end else { return -1 }
        let left = ContinuousClock.now.duration(to: end)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(clamping: milliseconds)
    }

    /// Whether the deadline has passed (never, for an unbounded wait).
    var hasPassed: Bool { remainingMilliseconds == 0 }
}
