import PlexusNumerics
#if canImport(Glibc)
import Glibc
#endif

/// Draws the synthetic data set's images: a `side × side` black square with one to three soft
/// Gaussian blobs of random position, width and brightness (summed, clipped to 255). The images are
/// sparse and structured, like strokes on a dark background, rather than uniform noise.
struct BlobImageSampler {
    /// Image side in pixels.
    let side: Int
    /// Per-pixel accumulator, reused between images.
    private var accumulator: [Double]

    init(side: Int) {
        precondition(side >= 4, "synthetic images need a side of at least 4 pixels")
        self.side = side
        accumulator = [Double](repeating: 0, count: side * side)
    }

    /// Draws one image into `image` (`side * side` bytes) from `rng`.
    mutating func draw(into image: UnsafeMutableBufferPointer<UInt8>, using rng: inout SeededRandom) {
        precondition(image.count == side * side, "image buffer has the wrong size")
        let n = side
        let blobs = 1 + rng.below(3)
        accumulator.withUnsafeMutableBufferPointer { acc in
            acc.update(repeating: 0)
            for _ in 0..<blobs {
                let cx = rng.uniform(2, Double(n) - 2)
                let cy = rng.uniform(2, Double(n) - 2)
                let sigma = rng.uniform(1.0, 2.5)
                let amplitude = rng.uniform(100, 255)
                let reach = Int((3 * sigma).rounded(.up))
                let scale = -0.5 / (sigma * sigma)
                let x0 = max(0, Int(cx) - reach), x1 = min(n - 1, Int(cx) + reach)
                let y0 = max(0, Int(cy) - reach), y1 = min(n - 1, Int(cy) + reach)
                // While loops and raw pointers: this runs for every image, and must be quick in
                // debug builds too.
                var y = y0
                while y <= y1 {
                    let dy = Double(y) + 0.5 - cy
                    let row = acc.baseAddress! + y * n
                    var x = x0
                    while x <= x1 {
                        let dx = Double(x) + 0.5 - cx
                        row[x] += amplitude * exp(scale * (dx * dx + dy * dy))
                        x += 1
                    }
                    y += 1
                }
            }
            var p = 0
            let out = image.baseAddress!
            let source = acc.baseAddress!
            while p < n * n {
                let value = source[p]
                out[p] = value >= 254.5 ? 255 : UInt8(value + 0.5)
                p += 1
            }
        }
    }
}
