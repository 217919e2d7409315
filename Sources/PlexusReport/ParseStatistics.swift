/// Line counts from reading one or more logs.
public struct ParseStatistics: Sendable, Equatable {
    /// Non-blank lines read.
    public var lines = 0
    /// Lines turned into records.
    public var records = 0
    /// Lines skipped because they were not usable JSON or missed a required field.
    public var malformed = 0
    /// Lines skipped because their event is not one this report knows.
    public var ignored = 0

    public init() {}

    static func + (lhs: ParseStatistics, rhs: ParseStatistics) -> ParseStatistics {
        var sum = lhs
        sum.lines += rhs.lines
        sum.records += rhs.records
        sum.malformed += rhs.malformed
        sum.ignored += rhs.ignored
        return sum
    }
}
