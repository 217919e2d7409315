import Dispatch

/// Data-parallel loops over independent pieces of work (e.g. the slices of a batch).
public enum Parallel {
    /// Runs `body(i)` for `i` in `0..<count`, concurrently when `count > 1`, and returns when all are
    /// done. The caller guarantees the iterations touch disjoint state.
    public static func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }
}

/// Carries a value the caller has made safe to share across the threads of one `Parallel.run`.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
