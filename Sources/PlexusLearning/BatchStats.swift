/// What one batch's update computation observed, summed over the samples of the batch.
public struct BatchStats: Sendable, Equatable {
    public var samples = 0
    /// Σ of the per-sample loss of the feedforward prediction (SE: ½‖y − out‖², CE: −Σ y log softmax).
    public var lossSum = 0.0
    /// Samples whose feedforward argmax equals the label.
    public var correct = 0
    /// Σ of the per-sample energy F at the start and at the end of inference (PC rules; for the
    /// others both equal the output loss).
    public var energyBeforeSum = 0.0
    public var energyAfterSum = 0.0
    /// Σ of the per-sample energy after each inference step t = 0…T (index 0: before the first step).
    public var energyTrajectorySum: [Double] = []

    public init() {}

    public var meanLoss: Double { samples == 0 ? .nan : lossSum / Double(samples) }
    public var accuracy: Double { samples == 0 ? .nan : Double(correct) / Double(samples) }
    public var meanEnergyBefore: Double { samples == 0 ? .nan : energyBeforeSum / Double(samples) }
    public var meanEnergyAfter: Double { samples == 0 ? .nan : energyAfterSum / Double(samples) }
    public var meanEnergyTrajectory: [Double] { energyTrajectorySum.map { $0 / Double(Swift.max(samples, 1)) } }

    /// Adds another batch's sums into this one.
    public mutating func merge(_ other: BatchStats) {
        samples += other.samples
        lossSum += other.lossSum
        correct += other.correct
        energyBeforeSum += other.energyBeforeSum
        energyAfterSum += other.energyAfterSum
        if energyTrajectorySum.count < other.energyTrajectorySum.count {
            energyTrajectorySum += Array(repeating: 0, count: other.energyTrajectorySum.count - energyTrajectorySum.count)
        }
        for (i, v) in other.energyTrajectorySum.enumerated() { energyTrajectorySum[i] += v }
    }
}
