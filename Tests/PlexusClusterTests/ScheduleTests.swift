import PlexusData
import PlexusLearning
import Testing
@testable import PlexusCluster

/// How a run is divided (batch shares, shards, sample streams), the worker table's admission
/// rules, hostfiles, endpoints and configuration checks.
@Suite("schedule, membership, hostfiles and configuration")
struct ScheduleTests {
    @Test("batch shares differ by at most one and add up", arguments: [(128, 4), (31, 3), (5, 8), (1, 1), (1000, 7)])
    func shares(_ total: Int, _ parts: Int) {
        let s = ClusterSchedule.shares(total: total, parts: parts)
        #expect(s.count == parts && s.reduce(0, +) == total)
        #expect(s.max()! - s.min()! <= 1)
        #expect(s == s.sorted(by: >))
    }

    @Test("a shard stream visits every sample once per epoch, continues across epochs, and is reproducible")
    func stream() {
        var a = ShardStream(count: 10, slot: 2, seed: 5, shuffle: true)
        var b = ShardStream(count: 10, slot: 2, seed: 5, shuffle: true)
        let first = a.indices(from: 0, count: 10), second = a.indices(from: 10, count: 10)
        #expect(Set(first) == Set(0..<10) && Set(second) == Set(0..<10))
        #expect(first != second, "epochs should have different orders")
        #expect(b.indices(from: 7, count: 6) == Array(first[7...]) + Array(second[..<3]))
        var other = ShardStream(count: 10, slot: 3, seed: 5, shuffle: true)
        #expect(other.indices(from: 0, count: 10) != first, "slots should have independent orders")
        var plain = ShardStream(count: 4, slot: 0, seed: 5, shuffle: false)
        #expect(plain.indices(from: 2, count: 5) == [2, 3, 0, 1, 2])
    }

    @Test("a name gets its slot back, a live name on a new connection replaces the old one, a full run says so")
    func admission() {
        let table = WorkerTable(capacity: 2)
        guard case .new(let a) = table.admit(name: "a", identity: [1], host: "h", pid: 1, now: 0) else { Issue.record("a"); return }
        guard case .new(let b) = table.admit(name: "b", identity: [2], host: "h", pid: 2, now: 0) else { Issue.record("b"); return }
        #expect(a.id == 0 && b.id == 1)
        guard case .full = table.admit(name: "c", identity: [3], host: "h", pid: 3, now: 0) else { Issue.record("full"); return }
        guard case .duplicate = table.admit(name: "a", identity: [1], host: "h", pid: 1, now: 1) else { Issue.record("dup"); return }
        a.active = false
        a.cursor = 42
        guard case .readmitted(let again) = table.admit(name: "a", identity: [4], host: "h", pid: 4, now: 2) else { Issue.record("re"); return }
        #expect(again.id == 0 && again.cursor == 42 && table.record(identity: [4]) === again && table.record(identity: [1]) == nil)
        guard case .replaced(let moved) = table.admit(name: "b", identity: [5], host: "h", pid: 5, now: 3) else { Issue.record("rep"); return }
        #expect(moved.id == 1 && table.activeCount == 2)
        b.active = false
        guard case .new(let c) = table.admit(name: "c", identity: [6], host: "h", pid: 6, now: 4) else { Issue.record("take"); return }
        #expect(c.id == 1, "a new name takes a slot whose worker left")
    }

    @Test("hostfiles: HOST slots=N, comments, defaults, errors naming the line")
    func hostfile() throws {
        let h = try Hostfile(parsing: "# cluster\nnode1 slots=4\n\nnode2   slots=2 max_slots=8  # gpu\nnode3\n")
        #expect(h.entries == [.init(host: "node1", slots: 4), .init(host: "node2", slots: 2), .init(host: "node3", slots: 1)])
        #expect(h.slots == 7)
        #expect(h.first(5).entries == [.init(host: "node1", slots: 4), .init(host: "node2", slots: 1)])
        #expect(throws: RunError.self) { try Hostfile(parsing: "node1 slots=x\n") }
        #expect(throws: RunError.self) { try Hostfile(parsing: "node1 cpus=2\n") }
        #expect(throws: RunError.self) { try Hostfile(parsing: "# nothing\n") }
        #expect { try Hostfile(parsing: "a\nb slots=0\n", source: "hosts.txt") } throws: {
            String(describing: $0).contains("hosts.txt line 2")
        }
    }

    @Test("endpoints: host:port becomes tcp://, loopback is recognised, wildcards are advertised")
    func endpoints() throws {
        #expect(try ClusterEndpoint.normalize("node1:5555") == "tcp://node1:5555")
        #expect(try ClusterEndpoint.normalize(" tcp://10.0.0.1:* ") == "tcp://10.0.0.1:*")
        #expect(throws: RunError.self) { try ClusterEndpoint.normalize("node1") }
        #expect(throws: RunError.self) { try ClusterEndpoint.normalize("tcp://node1:99999") }
        #expect(ClusterEndpoint.isLoopback("tcp://127.0.0.1:5555") && ClusterEndpoint.isLoopback("tcp://localhost:1"))
        #expect(!ClusterEndpoint.isLoopback("tcp://0.0.0.0:5555") && !ClusterEndpoint.isLoopback("tcp://10.1.2.3:5555"))
        #expect(ClusterEndpoint.connectAddress(bound: "tcp://0.0.0.0:4100", advertise: "10.0.0.5") == "tcp://10.0.0.5:4100")
        #expect(ClusterEndpoint.connectAddress(bound: "tcp://0.0.0.0:4100", advertise: "gw:7000") == "tcp://gw:7000")
        #expect(ClusterEndpoint.connectAddress(bound: "tcp://127.0.0.1:4100", advertise: nil) == "tcp://127.0.0.1:4100")
    }

    @Test("configuration checks name the flag; a public bind needs CURVE or --insecure")
    func configuration() throws {
        var c = CoordinatorConfig()
        try c.validate()
        c.bind = "tcp://0.0.0.0:5555"
        #expect { try c.validate() } throws: { String(describing: $0).contains("--insecure") }
        c.insecure = true
        try c.validate()
        c.quorum = 3
        #expect { try c.validate() } throws: { String(describing: $0).contains("--quorum") }
        c.quorum = nil
        c.mode = .async
        c.staleness = -1
        #expect { try c.validate() } throws: { String(describing: $0).contains("--staleness") }
        c.staleness = 2
        try c.validate()
        #expect(c.runConfig.staleness == 2 && c.runConfig.mode == .async)
        var w = WorkerConfig(endpoint: "h:1", name: "w")
        try w.validate()
        w.coordinatorTimeout = 0.5
        #expect { try w.validate() } throws: { String(describing: $0).contains("--coordinator-timeout") }
        #expect(WorkerConfig.defaultName(environment: ["SLURM_PROCID": "7"]) == "rank-7")
    }
}
