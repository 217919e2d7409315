import PlexusNumerics

extension SeededRandom {
    /// Uniform in `0..<bound` without modulo bias (Lemire 2019, multiply-and-reject). Written out
    /// here rather than taken from the standard library so sample orders never change with it.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64(bound)
        var product = next().multipliedFullWidth(by: limit)
        if product.low < limit {
            let threshold = (0 &- limit) % limit
            while product.low < threshold {
                product = next().multipliedFullWidth(by: limit)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `values` in place (Fisher–Yates, from the back).
    mutating func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            values.swapAt(i, j)
        }
    }
}
