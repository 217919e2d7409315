/// The coordinator's worker slots: name → slot, routing id → slot, and who is live. A worker that
/// leaves keeps its slot (shard and stream position) until it comes back under the same name, or
/// until a worker with a new name needs a slot and no never-used one is left.
final class WorkerTable {
    /// How a `Join` was admitted.
    enum Admission {
        /// A new name in a free slot.
        case new(WorkerRecord)
        /// A known name back in its old slot after leaving.
        case readmitted(WorkerRecord)
        /// A repeated join from the live worker (its Welcome may have been lost).
        case duplicate(WorkerRecord)
        /// A known, live name from a new connection: the old process is gone (restarted).
        case replaced(WorkerRecord)
        /// Every slot is held by a live worker.
        case full
    }

    let capacity: Int
    private(set) var slots: [WorkerRecord?]

    init(capacity: Int) {
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
    }

    /// Live workers in slot order.
    var active: [WorkerRecord] { slots.compactMap { $0 }.filter(\.active) }
    var activeCount: Int { slots.reduce(0) { $0 + (($1?.active ?? false) ? 1 : 0) } }

    /// The live worker using routing id `identity`.
    func record(identity: [UInt8]) -> WorkerRecord? {
        slots.first { $0?.active == true && $0?.identity == identity } ?? nil
    }

    /// Admits a joining worker (see `Admission`).
    func admit(name: String, identity: [UInt8], host: String, pid: Int, now: Double) -> Admission {
        if let r = slots.first(where: { $0?.name == name }) ?? nil {
            let wasActive = r.active
            let sameConnection = r.identity == identity
            r.identity = identity
            r.host = host
            r.pid = pid
            r.lastHeard = now
            r.active = true
            r.job = nil
            if wasActive && sameConnection { return .duplicate(r) }
            r.heldVersion = -1
            return wasActive ? .replaced(r) : .readmitted(r)
        }
        if let free = slots.firstIndex(where: { $0 == nil }) {
            let r = WorkerRecord(id: free, name: name, identity: identity, host: host, pid: pid, now: now)
            slots[free] = r
            return .new(r)
        }
        if let r = slots.first(where: { $0?.active == false }) ?? nil {
            r.name = name
            r.identity = identity
            r.host = host
            r.pid = pid
            r.lastHeard = now
            r.active = true
            r.job = nil
            r.heldVersion = -1
            r.window = WorkerRecord.Window()
            return .new(r)
        }
        return .full
    }

    /// Puts back the slots of a checkpoint (resuming a run): each named slot is reserved for its
    /// name, not live, with its sample stream at `cursors[slot]`.
    func restore(names: [String], cursors: [Int]) {
        for (id, (name, cursor)) in zip(names, cursors).enumerated() where id < capacity && !name.isEmpty {
            let r = WorkerRecord(id: id, name: name, identity: [], host: "", pid: 0, now: 0)
            r.active = false
            r.cursor = cursor
            slots[id] = r
        }
    }

    /// Slot names ("" for a never-used slot) and sample-stream positions, in slot order.
    var snapshot: (names: [String], cursors: [Int]) {
        (slots.map { $0?.name ?? "" }, slots.map { $0?.cursor ?? 0 })
    }
}
