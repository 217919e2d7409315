import PlexusData
import PlexusNumerics
import Testing

@Suite("Sample order and shards")
struct OrderingTests {
    @Test("epochOrder is a seeded permutation, new each epoch, identity without shuffling")
    func epochOrder() {
        let n = 1000
        let a = Dataset.epochOrder(count: n, epoch: 0, seed: 7, shuffle: true)
        #expect(a.sorted() == Array(0..<n))
        #expect(a != Array(0..<n))
        #expect(Dataset.epochOrder(count: n, epoch: 0, seed: 7, shuffle: true) == a)
        let nextEpoch = Dataset.epochOrder(count: n, epoch: 1, seed: 7, shuffle: true)
        let otherSeed = Dataset.epochOrder(count: n, epoch: 0, seed: 8, shuffle: true)
        #expect(nextEpoch.sorted() == Array(0..<n))
        #expect(nextEpoch != a)
        #expect(otherSeed != a)
        #expect(Dataset.epochOrder(count: n, epoch: 3, seed: 7, shuffle: false) == Array(0..<n))
        #expect(Dataset.epochOrder(count: 0, epoch: 0, seed: 7, shuffle: true) == [])
        #expect(Dataset.epochOrder(count: 1, epoch: 0, seed: 7, shuffle: true) == [0])
    }

    @Test("shuffling is unbiased enough: each position sees every value about equally")
    func epochOrderUniform() {
        // Over 2,000 shuffles of 5 items, each value lands in position 0 about 400 times.
        var hits = [Int](repeating: 0, count: 5)
        for epoch in 0..<2000 {
            hits[Dataset.epochOrder(count: 5, epoch: epoch, seed: 3, shuffle: true)[0]] += 1
        }
        #expect(hits.allSatisfy { $0 > 320 && $0 < 480 }, "\(hits)")
    }

    @Test("shards are seeded, disjoint, near-equal and cover the whole set", arguments: [1, 3, 4, 7])
    func shards(parts: Int) throws {
        let (images, labels) = randomIDX(count: 103, side: 2, seed: 41)
        let set = try Dataset(name: "t", pixels: images.bytes, labels: labels.bytes, features: 4, classes: 10)
        let shards = try set.shards(count: parts, seed: 5)
        #expect(shards.count == parts)
        let held = shards.flatMap(\.originIndices)
        #expect(held.count == 103)
        #expect(Set(held).count == 103)
        #expect(held.sorted() == Array(0..<103))
        let sizes = shards.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        for shard in shards {
            for i in 0..<shard.count {
                let g = shard.originIndex(of: i)
                #expect(Array(shard.image(i)) == Array(set.image(g)))
                #expect(shard.labels[i] == set.labels[g])
            }
        }
        #expect(try set.shards(count: parts, seed: 5) == shards)
        if parts > 1 {
            #expect(try set.shards(count: parts, seed: 6).map(\.originIndices) != shards.map(\.originIndices))
            #expect(shards[0].name == "t[shard 1/\(parts)]")
        }
        #expect(Dataset.shardIndices(count: 103, parts: parts, seed: 5) == shards.map(\.originIndices))
    }

    @Test("impossible shard counts are errors")
    func badShardCounts() throws {
        let set = try Dataset(name: "tiny", pixels: [1, 2, 3], labels: [0, 1, 0], features: 1, classes: 2)
        guard case .invalidArgument? = dataError({ try _ = set.shards(count: 0, seed: 1) }) else {
            Issue.record("0 shards accepted"); return
        }
        guard case .invalidArgument? = dataError({ try _ = set.shards(count: 4, seed: 1) }) else {
            Issue.record("more shards than samples accepted"); return
        }
        #expect(try set.shards(count: 3, seed: 1).map(\.count) == [1, 1, 1])
    }
}
