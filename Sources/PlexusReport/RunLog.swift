/// Everything one training run wrote: the records of one rule between its `start` and `done`.
///
/// Runs are assembled by ``RunAssembler``; the derived properties give the numbers the summary and
/// figures use, each falling back to the next-best source when the preferred record is missing.
public struct RunLog: Sendable, Equatable {
    /// The file the run came from (its last path component).
    public var source: String
    /// Position among the runs of its file, from 1.
    public var ordinal: Int
    /// The rule, or `unknown` when nothing in the log named one.
    public var rule: String
    public var start: StartRecord?
    public var evals: [EvalRecord] = []
    public var alignments: [AlignmentRecord] = []
    public var energies: [EnergyRecord] = []
    public var rounds: [RoundRecord] = []
    public var memberships: [MembershipRecord] = []
    public var done: DoneRecord?

    public init(source: String, ordinal: Int = 1, rule: String, start: StartRecord? = nil) {
        self.source = source
        self.ordinal = ordinal
        self.rule = rule
        self.start = start
    }

    /// A short identifier, `file#ordinal`, used in the CSVs.
    public var id: String { "\(source)#\(ordinal)" }

    /// Evaluations that carry a test accuracy, in epoch order.
    public var accuracyCurve: [EvalRecord] {
        evals.filter { $0.testAccuracy?.isFinite == true }.sorted { $0.epoch < $1.epoch }
    }

    /// Final test accuracy (fraction): from `done`, else the last evaluation.
    public var finalTestAccuracy: Double? {
        done?.testAccuracy ?? evals.last(where: { $0.testAccuracy?.isFinite == true })?.testAccuracy
    }

    /// Best test accuracy (fraction): from `done`, else the best evaluation.
    public var bestTestAccuracy: Double? {
        if let best = done?.bestTestAccuracy { return best }
        let candidates = evals.compactMap(\.testAccuracy) + [done?.testAccuracy].compactMap { $0 }
        return candidates.filter(\.isFinite).max()
    }

    /// Training throughput: from `done`, else the last evaluation that reports it.
    public var samplesPerSecond: Double? {
        done?.samplesPerSecond ?? evals.last(where: { $0.samplesPerSecond != nil })?.samplesPerSecond
    }

    /// Measured time per sample in microseconds, `1e6 / samples_per_second`.
    public var microsecondsPerSample: Double? {
        guard let rate = samplesPerSecond, rate > 0, rate.isFinite else { return nil }
        return 1e6 / rate
    }

    /// Worker count: from `done`, `start`, or the largest count a round reports.
    public var workers: Int? {
        done?.workers ?? start?.workers ?? rounds.compactMap(\.workers).max()
    }

    /// Whether this ran on the coordinator/worker cluster rather than in one process.
    public var isCluster: Bool {
        !rounds.isEmpty || done?.rounds != nil || evals.contains { $0.round != nil } || (workers ?? 1) > 1
    }

    /// Mean coordinator round time in milliseconds.
    public var meanRoundMilliseconds: Double? {
        Self.mean(rounds.compactMap(\.roundMilliseconds))
    }

    /// Mean bytes in plus out per round, else the `done` record's `bytes_per_round`.
    public var trafficPerRound: Double? {
        Self.mean(rounds.compactMap(\.traffic)) ?? done?.bytesPerRound
    }

    /// Weight-transport volume per update: from the locality profile, else the last round.
    public var transportVolume: Double? {
        done?.locality?.transportVolume ?? rounds.last(where: { $0.transportVolume != nil })?.transportVolume
    }

    /// The last alignment record that reports layer cosines.
    public var lastAlignment: AlignmentRecord? {
        alignments.last { $0.meanCosine != nil }
    }

    /// Arithmetic mean of the finite values; `nil` when there are none.
    static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }
}
