#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in seconds, for durations and deadlines (immune to wall-clock changes).
enum Seconds {
    /// Seconds since an arbitrary fixed point (`CLOCK_MONOTONIC`).
    static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
