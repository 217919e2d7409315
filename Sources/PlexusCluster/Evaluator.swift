import PlexusData
import PlexusLearning
import PlexusNumerics

/// Feedforward evaluation (how a trained PC network predicts) over a whole dataset in chunks.
public final class Evaluator<S: BLASScalar> {
    public let chunk: Int
    private let learner: Learner<S>
    private let input: Matrix<S>
    private let target: Matrix<S>

    public init(spec: ModelSpec, threads: Int, chunk: Int = 1000) {
        self.chunk = chunk
        var forward = spec
        forward.rule = .bp
        learner = Learner(spec: forward, maxBatch: chunk, threads: threads)
        input = Matrix(rows: chunk, cols: spec.widths[0])
        target = Matrix(rows: chunk, cols: spec.widths[spec.depth])
    }

    /// Loss and accuracy of the feedforward prediction on every sample of `data`.
    public func evaluate(_ params: Parameters<S>, on data: Dataset) -> BatchStats {
        var total = BatchStats()
        var start = 0
        while start < data.count {
            let n = Swift.min(chunk, data.count - start)
            data.fillBatch(start..<(start + n), inputs: input.data, targets: target.data)
            total.merge(learner.evaluate(params, input: input.rows(0, n), target: target.rows(0, n)))
            start += n
        }
        return total
    }
}
