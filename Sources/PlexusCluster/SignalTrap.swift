import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a `StopSignal` request (handled on a dispatch queue, so the loops
/// that own sockets stop at their next check, within 100 ms). A second signal runs `onRepeat`
/// (by default: exit at once with 128 + signal).
public final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled in deinit; `count` is touched
    // only on the trap's serial queue.
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "plexus.signals")
    private var count = 0

    /// Installs the handlers; `onRepeat` runs on a second signal.
    public init(stop: StopSignal, onRepeat: @escaping @Sendable (Int32) -> Void = { exit(128 + $0) }) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                self.count += 1
                if self.count == 1 { stop.request(name) } else { onRepeat(number) }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for s in sources { s.cancel() }
    }

    /// The exit status for a stop `reason` (`SIGINT` → 130, `SIGTERM` → 143, else 1).
    public static func exitStatus(for reason: String) -> Int32 {
        switch reason {
        case "SIGINT": return 128 + SIGINT
        case "SIGTERM": return 128 + SIGTERM
        default: return 1
        }
    }
}
