extension Dataset {
    /// The samples at `indices` (in that order; repeats allowed), remembering their origin.
    public func subset<Indices: Sequence<Int>>(_ indices: Indices, name: String? = nil) -> Dataset {
        var chosen: [Int] = []
        chosen.reserveCapacity(indices.underestimatedCount)
        var newPixels: [UInt8] = []
        newPixels.reserveCapacity(indices.underestimatedCount * features)
        var newLabels: [UInt8] = []
        newLabels.reserveCapacity(indices.underestimatedCount)
        pixels.withUnsafeBufferPointer { source in
            for i in indices {
                precondition(i >= 0 && i < count, "subset index \(i) out of range 0..<\(count)")
                chosen.append(originIndex(of: i))
                newPixels.append(contentsOf: source[i * features ..< (i + 1) * features])
                newLabels.append(labels[i])
            }
        }
        return Dataset(unchecked: name ?? self.name, pixels: newPixels, labels: newLabels, features: features,
                       classes: classes, imageShape: imageShape, origin: chosen)
    }

    /// The first `n` samples (all of them when `n >= count`), for `--train-limit` / `--test-limit`.
    public func prefix(_ n: Int) -> Dataset {
        precondition(n >= 0, "prefix length must not be negative")
        guard n < count else { return self }
        return Dataset(unchecked: name, pixels: Array(pixels[0 ..< n * features]), labels: Array(labels[0 ..< n]),
                       features: features, classes: classes, imageShape: imageShape,
                       origin: origin.map { Array($0[0 ..< n]) })
    }
}
