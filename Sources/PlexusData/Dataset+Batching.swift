extension Dataset {
    /// Fills a row-major `indices.count × features` input buffer with the pixels of the given samples
    /// scaled to [0, 1] (`pixel / 255`) and, when `targets` is given, a row-major
    /// `indices.count × classes` buffer with their one-hot labels. Row `r` holds the `r`-th index.
    /// Allocates nothing; the buffers must be large enough.
    @inlinable
    public func fillBatch<Scalar: BinaryFloatingPoint, Indices: Collection<Int>>(
        _ indices: Indices, inputs: UnsafeMutablePointer<Scalar>, targets: UnsafeMutablePointer<Scalar>?
    ) {
        fillInputs(indices, into: inputs)
        if let targets { fillTargets(indices, into: targets) }
    }

    /// Fills a row-major `indices.count × features` buffer with `pixel / 255` of the given samples.
    @inlinable
    public func fillInputs<Scalar: BinaryFloatingPoint, Indices: Collection<Int>>(
        _ indices: Indices, into inputs: UnsafeMutablePointer<Scalar>
    ) {
        let width = features
        let total = count
        pixels.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            var row = inputs
            for index in indices {
                precondition(index >= 0 && index < total, "sample index out of range")
                let pixelsOfRow = base + index * width
                for j in 0..<width {
                    row[j] = Scalar(pixelsOfRow[j]) / 255
                }
                row += width
            }
        }
    }

    /// Fills a row-major `indices.count × classes` buffer with the one-hot labels of the given samples.
    @inlinable
    public func fillTargets<Scalar: BinaryFloatingPoint, Indices: Collection<Int>>(
        _ indices: Indices, into targets: UnsafeMutablePointer<Scalar>
    ) {
        let width = classes
        let total = count
        labels.withUnsafeBufferPointer { source in
            var row = targets
            for index in indices {
                precondition(index >= 0 && index < total, "sample index out of range")
                row.update(repeating: 0, count: width)
                row[Int(source[index])] = 1
                row += width
            }
        }
    }
}
