import Foundation
import PlexusWire
import Synchronization

/// The worker's background compute thread. The socket thread hands it one job at a time
/// (`submit`); when the push is ready the thread stores it and wakes the socket thread through an
/// `inproc://` PAIR socket that only the compute thread writes to — so the socket thread can keep
/// sending heartbeats while a batch is being computed, and each socket still has one owner.
final class ComputeThread: Sendable {
    /// A job: the engine to run it on, the weights message, and a generation number (results of
    /// an older generation — from before a re-join — are discarded).
    struct Job: Sendable {
        var engine: WorkerCompute
        var weights: Weights
        var workerID: Int
        var generation: Int
    }

    /// A finished job.
    struct Outcome: Sendable {
        var generation: Int
        var result: Result<Push, RunError>
    }

    private struct State {
        var job: Job?
        var outcome: Outcome?
        var stopped = false
    }

    /// The endpoint the socket thread binds and the compute thread connects to.
    let endpoint: String
    private let state = Mutex(State())
    private let wake = NSCondition()
    private static let serial = Atomic<Int>(0)

    /// Starts the thread; `context` must be the socket thread's, whose PAIR is bound at `endpoint`.
    init(context: ZMQContext, endpoint: String) {
        self.endpoint = endpoint
        let thread = Thread { [self] in self.serve(context: context) }
        thread.name = "plexus-compute"
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// A fresh inproc endpoint name.
    static func newEndpoint() -> String {
        "inproc://plexus.compute.\(serial.add(1, ordering: .relaxed).newValue)"
    }

    /// Queues a job (the socket thread submits only while the thread is idle).
    func submit(_ job: Job) {
        wake.lock()
        state.withLock { $0.job = job }
        wake.signal()
        wake.unlock()
    }

    /// The finished job, if any (taking it).
    func takeOutcome() -> Outcome? {
        state.withLock { s in
            defer { s.outcome = nil }
            return s.outcome
        }
    }

    /// Ends the thread after its current job.
    func stop() {
        wake.lock()
        state.withLock { $0.stopped = true }
        wake.broadcast()
        wake.unlock()
    }

    private func serve(context: ZMQContext) {
        let pair: ZMQSocket
        do {
            pair = try ZMQSocket(context: context, kind: .pair)
            try pair.connect(endpoint)
        } catch {
            state.withLock { $0.outcome = Outcome(generation: -1, result: .failure(RunError("cannot start the compute thread: \(error)"))) }
            return
        }
        defer { pair.close() }
        while true {
            wake.lock()
            var next: Job?
            while true {
                let (job, stopped) = state.withLock { s -> (Job?, Bool) in
                    defer { s.job = nil }
                    return (s.job, s.stopped)
                }
                if stopped { wake.unlock(); return }
                if let job { next = job; break }
                wake.wait()
            }
            wake.unlock()
            guard let job = next else { continue }
            let result: Result<Push, RunError>
            do {
                result = .success(try job.engine.compute(job.weights, workerID: job.workerID))
            } catch {
                result = .failure(error)
            }
            state.withLock { $0.outcome = Outcome(generation: job.generation, result: result) }
            // The socket thread may be gone already (exiting); then nobody needs the signal.
            _ = try? pair.send([1], dontWait: true)
        }
    }
}
