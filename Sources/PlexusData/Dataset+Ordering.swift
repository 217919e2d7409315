import PlexusNumerics

extension Dataset {
    /// Stream labels for `SeededRandom(seed:stream:)`, so that each use of the seed is independent.
    static let epochStream: UInt64 = 0x4550_4F43_4800_0000   // "EPOCH"
    static let shardStream: UInt64 = 0x5348_4152_4400_0000   // "SHARD"

    /// The order in which to visit `count` samples in `epoch`: a Fisher–Yates permutation drawn from
    /// `SeededRandom(seed: seed, stream: …epoch…)` when `shuffle`, else `0..<count`. The same
    /// (count, epoch, seed) always gives the same order; different epochs give independent orders.
    public static func epochOrder(count: Int, epoch: Int, seed: UInt64, shuffle: Bool) -> [Int] {
        precondition(count >= 0, "count must not be negative")
        var order = Array(0..<count)
        if shuffle {
            var rng = SeededRandom(seed: seed, stream: epochStream &+ UInt64(truncatingIfNeeded: epoch))
            rng.shuffle(&order)
        }
        return order
    }

    /// The order in which to visit this data set's samples in `epoch` (see the static form).
    public func epochOrder(epoch: Int, seed: UInt64, shuffle: Bool) -> [Int] {
        Dataset.epochOrder(count: count, epoch: epoch, seed: seed, shuffle: shuffle)
    }

    /// A seeded partition of `0..<count` into `parts` disjoint parts whose sizes differ by at most
    /// one and whose union is everything. Each part is sorted ascending.
    public static func shardIndices(count: Int, parts: Int, seed: UInt64) -> [[Int]] {
        precondition(count >= 0 && parts > 0, "need a non-negative count and at least one part")
        var order = Array(0..<count)
        var rng = SeededRandom(seed: seed, stream: shardStream)
        rng.shuffle(&order)
        let base = count / parts
        let extra = count % parts
        var result: [[Int]] = []
        result.reserveCapacity(parts)
        var start = 0
        for part in 0..<parts {
            let size = base + (part < extra ? 1 : 0)
            result.append(order[start ..< start + size].sorted())
            start += size
        }
        return result
    }

    /// Splits the data set into `count` disjoint, near-equal shards (sizes differ by at most one)
    /// that together hold every sample, chosen by `seed`; for the parameter server's workers. Each
    /// shard's `originIndex(of:)` / `originIndices` says which samples of the original set it holds,
    /// and its name gets a `[shard k/count]` suffix. Throws unless `1 <= count <= self.count`.
    public func shards(count parts: Int, seed: UInt64) throws(DataError) -> [Dataset] {
        guard parts >= 1, parts <= count else {
            throw DataError.invalidArgument(
                "\(name): cannot split \(count) samples into \(parts) shards (need 1...\(count))")
        }
        return Dataset.shardIndices(count: count, parts: parts, seed: seed).enumerated().map { part, indices in
            subset(indices, name: "\(name)[shard \(part + 1)/\(parts)]")
        }
    }
}
