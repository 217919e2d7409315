import PlexusData

/// How a cluster run divides its work: the per-worker share of a round's batch, the data shard of
/// each worker slot, and the seed of each slot's sample order. The coordinator and the workers (and
/// the tests that replay a run) all use these, so they agree on which samples a round used.
public enum ClusterSchedule {
    /// `total` split into `parts` whole shares that differ by at most one, larger ones first.
    public static func shares(total: Int, parts: Int) -> [Int] {
        precondition(parts > 0 && total >= 0, "need at least one part and a non-negative total")
        let base = total / parts, extra = total % parts
        return (0..<parts).map { base + ($0 < extra ? 1 : 0) }
    }

    /// The training-set indices of each worker slot's shard: a seeded partition (sizes differ by at
    /// most one), each part in ascending order (`Dataset.shardIndices`).
    public static func shardIndices(trainCount: Int, workers: Int, seed: UInt64) -> [[Int]] {
        Dataset.shardIndices(count: trainCount, parts: workers, seed: seed)
    }

    /// The seed of slot `slot`'s per-epoch sample order: independent across slots.
    public static func orderSeed(seed: UInt64, slot: Int) -> UInt64 {
        seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(slot + 1)
    }
}

/// A worker's endless stream of samples from its shard: position `p` is sample
/// `order_e[p mod n]` of epoch `e = p / n`, where `order_e` is the shard's (seeded) order for epoch
/// `e`. The coordinator hands out positions (`Weights.shard_cursor`), so a worker is stateless.
public struct ShardStream: Sendable {
    public let count: Int
    public let seed: UInt64
    public let shuffle: Bool
    private var cachedEpoch = -1
    private var cachedOrder: [Int] = []

    /// The stream of a shard of `count` samples for worker slot `slot` of a run seeded `seed`.
    public init(count: Int, slot: Int, seed: UInt64, shuffle: Bool) {
        precondition(count > 0, "a shard needs at least one sample")
        self.count = count
        self.seed = ClusterSchedule.orderSeed(seed: seed, slot: slot)
        self.shuffle = shuffle
    }

    /// Shard indices at stream positions `start ..< start + length`.
    public mutating func indices(from start: Int, count length: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(length)
        for p in start..<(start + length) {
            let epoch = p / count
            if epoch != cachedEpoch {
                cachedOrder = Dataset.epochOrder(count: count, epoch: epoch, seed: seed, shuffle: shuffle)
                cachedEpoch = epoch
            }
            out.append(cachedOrder[p - epoch * count])
        }
        return out
    }
}
