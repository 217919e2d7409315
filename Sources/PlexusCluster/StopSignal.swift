import Synchronization

/// A request to stop, set from a signal handler or another thread and polled by the loops that own
/// sockets (they check it at least every 100 ms). Remembers the first reason given.
public final class StopSignal: Sendable {
    private let state = Mutex<String?>(nil)

    public init() {}

    /// Asks the loops to stop; the first reason wins.
    public func request(_ reason: String) {
        state.withLock { if $0 == nil { $0 = reason } }
    }

    /// Whether a stop was requested.
    public var isRequested: Bool { state.withLock { $0 != nil } }

    /// Why, once requested.
    public var reason: String? { state.withLock { $0 } }
}

/// The run ended early because it was asked to (Ctrl-C, SIGTERM); `description` says why.
public struct Interrupted: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "interrupted (\(reason))" }
}
