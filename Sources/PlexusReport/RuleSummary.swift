/// One row of the summary table: how a rule did, what it needed, and what it cost.
///
/// When a rule has several runs, accuracy, locality and cost come from its *representative* run:
/// the last one that finished (wrote `done`), else the last one seen. The cosine comes from the
/// rule's last alignment record in any run, and traffic and workers from its representative
/// cluster run, so that a scaling study does not hide the alignment measured in a single-process
/// run. ``runs`` says how many runs there were.
public struct RuleSummary: Sendable, Equatable {
    public var rule: String
    /// Number of runs of this rule in the logs.
    public var runs: Int
    /// Final test accuracy in percent.
    public var finalAccuracy: Double?
    /// Best test accuracy in percent.
    public var bestAccuracy: Double?
    /// Final accuracy minus bp's, in percentage points; `nil` without a bp run.
    public var gapToBP: Double?
    /// Mean over layers of the cosine with the BP gradient, from the last alignment record.
    public var meanCosine: Double?
    public var locality: LocalityProfile?
    /// Weight values per update that would have to be transported.
    public var transportVolume: Double?
    public var flopsPerSample: Double?
    /// Measured `1e6 / samples_per_second`.
    public var microsecondsPerSample: Double?
    /// Mean bytes in plus out per coordinator round (cluster runs only).
    public var trafficPerRound: Double?
    public var workers: Int?
    public var isCluster: Bool

    /// Picks the representative run among `runs` (all of one rule).
    public static func representative(of runs: [RunLog]) -> RunLog? {
        representative(of: runs) { _ in true }
    }

    /// The representative among the runs that satisfy `condition`.
    public static func representative(of runs: [RunLog], where condition: (RunLog) -> Bool) -> RunLog? {
        let matching = runs.filter(condition)
        return matching.last { $0.done != nil } ?? matching.last
    }

    /// One row per rule, in ``RuleCatalog`` order.
    public static func rows(for runs: [RunLog]) -> [RuleSummary] {
        let grouped = Dictionary(grouping: runs, by: \.rule)
        var rows = RuleCatalog.sorted(grouped.keys).compactMap { rule -> RuleSummary? in
            guard let group = grouped[rule], let run = representative(of: group) else { return nil }
            return RuleSummary(run: run, of: group)
        }
        if let bp = rows.first(where: { $0.rule == "bp" })?.finalAccuracy {
            for index in rows.indices {
                rows[index].gapToBP = rows[index].finalAccuracy.map { $0 - bp }
            }
        }
        return rows
    }

    init(run: RunLog, of group: [RunLog]) {
        rule = run.rule
        runs = group.count
        finalAccuracy = run.finalTestAccuracy.map { $0 * 100 }
        bestAccuracy = run.bestTestAccuracy.map { $0 * 100 }
        gapToBP = nil
        meanCosine = group.last { $0.lastAlignment != nil }?.lastAlignment?.meanCosine
        locality = run.done?.locality
        transportVolume = run.transportVolume
        flopsPerSample = run.done?.flopsPerSample
        microsecondsPerSample = run.microsecondsPerSample
        let cluster = Self.representative(of: group, where: \.isCluster)
        isCluster = cluster != nil
        trafficPerRound = cluster?.trafficPerRound
        workers = (cluster ?? run).workers
    }
}
