import PlexusNumerics
#if canImport(Glibc)
import Glibc
#endif

/// The fixed random network that labels the synthetic data set: `label = argmax(W₂ tanh(W₁x + b₁) + b₂)`
/// with `x = pixel / 255`, everything drawn from one seed.
///
/// To make the classes learnable and balanced, `W₁`'s rows are smooth random fields (sums of a few
/// Gaussian bumps) so nearby pixels act alike; the hidden pre-activations and the logits are
/// standardised over a calibration set of images drawn from the same seed; and the output biases
/// are then adjusted until every class takes a near-equal share of the calibration set.
public struct SyntheticTeacher: Sendable {
    /// Image side; inputs have `side * side` features.
    public let side: Int
    /// Number of classes (outputs).
    public let classes: Int
    /// Hidden units.
    public let hidden: Int
    /// `features × hidden`, pixel-major (`inputWeights[p * hidden + h]`), so that a sparse image
    /// touches only the rows of its lit pixels.
    let inputWeights: [Double]
    /// `hidden` biases.
    let hiddenBias: [Double]
    /// `classes × hidden`.
    let outputWeights: [Double]
    /// `classes` biases.
    let outputBias: [Double]

    /// Stream labels for `SeededRandom(seed:stream:)`.
    static let weightStream: UInt64 = 0x5445_4143_4845_5200      // "TEACHER"
    static let calibrationStream: UInt64 = 0x4341_4C49_4200_0000 // "CALIB"
    /// Images used to standardise and balance the teacher.
    static let calibrationCount = 4096
    /// Bias-balancing iterations.
    static let balanceSteps = 60
    /// Slope of the hidden tanh on standardised pre-activations.
    static let gain = 1.5

    /// Features per image.
    public var features: Int { side * side }

    /// The teacher for `seed`.
    public init(seed: UInt64, side: Int = 28, classes: Int = 10, hidden: Int = 32) {
        precondition(classes >= 2 && classes <= 256 && hidden >= 1, "teacher needs 2...256 classes")
        self.side = side
        self.classes = classes
        self.hidden = hidden
        let features = side * side
        var rng = SeededRandom(seed: seed, stream: SyntheticTeacher.weightStream)

        // W₁: each hidden unit sees a smooth field of three signed Gaussian bumps plus a little noise.
        var w1 = [Double](repeating: 0, count: features * hidden)
        for h in 0..<hidden {
            for _ in 0..<3 {
                let cx = rng.uniform(0, Double(side)), cy = rng.uniform(0, Double(side))
                let sigma = rng.uniform(2.5, 6.0)
                let amplitude = rng.normal()
                let scale = -0.5 / (sigma * sigma)
                for y in 0..<side {
                    for x in 0..<side {
                        let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                        w1[(y * side + x) * hidden + h] += amplitude * exp(scale * (dx * dx + dy * dy))
                    }
                }
            }
            for p in 0..<features { w1[p * hidden + h] += 0.05 * rng.normal() }
        }
        var w2 = (0..<(classes * hidden)).map { _ in rng.normal() }

        // Calibration images and their hidden pre-activations.
        let n = SyntheticTeacher.calibrationCount
        var calibration = SeededRandom(seed: seed, stream: SyntheticTeacher.calibrationStream)
        var sampler = BlobImageSampler(side: side)
        var image = [UInt8](repeating: 0, count: features)
        var pre = [Double](repeating: 0, count: n * hidden)
        for i in 0..<n {
            image.withUnsafeMutableBufferPointer { sampler.draw(into: $0, using: &calibration) }
            pre.withUnsafeMutableBufferPointer { out in
                SyntheticTeacher.accumulate(image, weights: w1, hidden: hidden, into: out.baseAddress! + i * hidden)
            }
        }

        // Standardise each hidden unit: fold 1/std into W₁'s column and −mean/std into b₁.
        var b1 = [Double](repeating: 0, count: hidden)
        for h in 0..<hidden {
            let (mean, std) = SyntheticTeacher.moments(pre, column: h, stride: hidden, rows: n)
            for p in 0..<features { w1[p * hidden + h] /= std }
            b1[h] = -mean / std
            for i in 0..<n { pre[i * hidden + h] = (pre[i * hidden + h] - mean) / std }
        }

        // Hidden activations and logits of the calibration set; standardise each logit.
        let gain = SyntheticTeacher.gain
        let activations = pre.map { tanh(gain * $0) }
        var logits = [Double](repeating: 0, count: n * classes)
        for i in 0..<n {
            for c in 0..<classes {
                var sum = 0.0
                for h in 0..<hidden { sum += w2[c * hidden + h] * activations[i * hidden + h] }
                logits[i * classes + c] = sum
            }
        }
        var b2 = [Double](repeating: 0, count: classes)
        for c in 0..<classes {
            let (mean, std) = SyntheticTeacher.moments(logits, column: c, stride: classes, rows: n)
            for h in 0..<hidden { w2[c * hidden + h] /= std }
            b2[c] = -mean / std
            for i in 0..<n { logits[i * classes + c] = (logits[i * classes + c] - mean) / std }
        }

        // Balance: nudge each class's bias towards an equal share of the calibration set (this
        // settles within a few dozen steps).
        let share = 1.0 / Double(classes)
        var adjust = [Double](repeating: 0, count: classes)
        var counts = [Int](repeating: 0, count: classes)
        logits.withUnsafeBufferPointer { z in
            adjust.withUnsafeMutableBufferPointer { a in
                counts.withUnsafeMutableBufferPointer { k in
                    for step in 0..<SyntheticTeacher.balanceSteps {
                        k.update(repeating: 0)
                        var row = z.baseAddress!
                        for _ in 0..<n {
                            var best = 0
                            var bestValue = row[0] + a[0]
                            var c = 1
                            while c < classes {
                                let value = row[c] + a[c]
                                if value > bestValue { bestValue = value; best = c }
                                c += 1
                            }
                            k[best] += 1
                            row += classes
                        }
                        let rate = 2.0 / (1.0 + Double(step) / 30)
                        for c in 0..<classes { a[c] += rate * (share - Double(k[c]) / Double(n)) }
                    }
                }
            }
        }
        for c in 0..<classes { b2[c] += adjust[c] }

        inputWeights = w1
        hiddenBias = b1
        outputWeights = w2
        outputBias = b2
    }

    /// Adds `Σ_p x_p W₁[p, ·]` (x = pixel / 255, lit pixels only) into `out[0..<hidden]`.
    static func accumulate(_ image: [UInt8], weights: [Double], hidden: Int, into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: hidden)
        weights.withUnsafeBufferPointer { w in
            image.withUnsafeBufferPointer { pixels in
                // While loops: this runs for every calibration image, and must be quick in debug builds too.
                var p = 0
                while p < pixels.count {
                    if pixels[p] != 0 {
                        let x = Double(pixels[p]) / 255
                        let row = w.baseAddress! + p * hidden
                        var h = 0
                        while h < hidden {
                            out[h] += x * row[h]
                            h += 1
                        }
                    }
                    p += 1
                }
            }
        }
    }

    /// Mean and standard deviation (at least 1e-9) of one column of a row-major matrix.
    static func moments(_ values: [Double], column: Int, stride: Int, rows: Int) -> (Double, Double) {
        var sum = 0.0, squares = 0.0
        for i in 0..<rows {
            let v = values[i * stride + column]
            sum += v
            squares += v * v
        }
        let mean = sum / Double(rows)
        return (mean, max((squares / Double(rows) - mean * mean).squareRoot(), 1e-9))
    }

    /// The teacher's logits for one image of `features` pixels.
    public func logits(of image: [UInt8]) -> [Double] {
        precondition(image.count == features, "image has \(image.count) pixels, the teacher expects \(features)")
        var pre = [Double](repeating: 0, count: hidden)
        pre.withUnsafeMutableBufferPointer {
            SyntheticTeacher.accumulate(image, weights: inputWeights, hidden: hidden, into: $0.baseAddress!)
        }
        let activations = (0..<hidden).map { tanh(SyntheticTeacher.gain * (pre[$0] + hiddenBias[$0])) }
        return (0..<classes).map { c in
            var sum = outputBias[c]
            for h in 0..<hidden { sum += outputWeights[c * hidden + h] * activations[h] }
            return sum
        }
    }

    /// The teacher's label (argmax of the logits, lowest class on ties) for one image.
    public func label(of image: [UInt8]) -> UInt8 {
        let values = logits(of: image)
        var best = 0
        for c in 1..<classes where values[c] > values[best] { best = c }
        return UInt8(best)
    }
}
