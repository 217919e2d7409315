/// Sorts the records of one log file into runs.
///
/// A `start` opens a new run for its rule and a `done` closes it, so runs that follow each other
/// in one file (concatenated logs) and runs of different rules written side by side (interleaved
/// logs) both come apart correctly. Records that name a rule go to that rule's open run (opening
/// one if needed); records that name none (rounds, say) go to the run most recently started or
/// written to. `il_sweep` and `zil_check` describe no single run and are collected apart.
struct RunAssembler {
    private(set) var runs: [RunLog] = []
    private(set) var sweeps: [ILSweepRecord] = []
    private(set) var zilChecks: [ZILCheckRecord] = []

    private let source: String
    private var open: [String: Int] = [:]
    private var current: Int?
    private var orphans: [LogRecord] = []

    init(source: String) {
        self.source = source
    }

    /// Assembles the runs of one file.
    static func assemble(_ records: [LogRecord], source: String) -> RunAssembler {
        var assembler = RunAssembler(source: source)
        for record in records { assembler.add(record) }
        assembler.finish()
        return assembler
    }

    mutating func add(_ record: LogRecord) {
        switch record {
        case .ilSweep(let sweep):
            sweeps.append(sweep)
        case .zilCheck(let check):
            zilChecks.append(check)
        case .start(let start):
            let index = openRun(rule: start.rule ?? "unknown", start: start)
            current = index
        default:
            let index: Int
            if let rule = record.rule {
                index = open[rule] ?? openRun(rule: rule, start: nil)
                current = index
            } else if let current {
                index = current
            } else {
                orphans.append(record)
                return
            }
            append(record, to: index)
        }
    }

    /// Places records that arrived before any run was known.
    mutating func finish() {
        guard !orphans.isEmpty else { return }
        if runs.isEmpty { _ = openRun(rule: "unknown", start: nil) }
        let pending = orphans
        orphans = []
        for record in pending { append(record, to: 0) }
    }

    private mutating func openRun(rule: String, start: StartRecord?) -> Int {
        runs.append(RunLog(source: source, ordinal: runs.count + 1, rule: rule, start: start))
        let index = runs.count - 1
        open[rule] = index
        if runs.count == 1 && !orphans.isEmpty {
            let pending = orphans
            orphans = []
            for record in pending { append(record, to: index) }
        }
        return index
    }

    private mutating func append(_ record: LogRecord, to index: Int) {
        switch record {
        case .eval(let eval): runs[index].evals.append(eval)
        case .alignment(let alignment): runs[index].alignments.append(alignment)
        case .energy(let energy): runs[index].energies.append(energy)
        case .round(let round): runs[index].rounds.append(round)
        case .membership(let membership): runs[index].memberships.append(membership)
        case .done(let done):
            runs[index].done = done
            if open[runs[index].rule] == index { open[runs[index].rule] = nil }
        case .start, .ilSweep, .zilCheck:
            break
        }
    }
}
