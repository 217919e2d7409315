/// One typed line of a metrics log.
public enum LogRecord: Sendable, Equatable {
    case start(StartRecord)
    case eval(EvalRecord)
    case alignment(AlignmentRecord)
    case energy(EnergyRecord)
    case ilSweep(ILSweepRecord)
    case zilCheck(ZILCheckRecord)
    case round(RoundRecord)
    case membership(MembershipRecord)
    case done(DoneRecord)

    /// The rule the record names itself, if any. Records without one belong to the run they
    /// appear in (see ``RunLog``).
    public var rule: String? {
        switch self {
        case .start(let r): r.rule
        case .eval(let r): r.rule
        case .alignment(let r): r.rule
        case .energy(let r): r.rule
        case .round(let r): r.rule
        case .done(let r): r.rule
        case .ilSweep, .zilCheck, .membership: nil
        }
    }
}
