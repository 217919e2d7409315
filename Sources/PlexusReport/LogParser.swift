import Foundation

/// Turns JSON-lines text into ``LogRecord`` values, tolerating junk.
///
/// Blank lines are skipped silently. Lines that are not JSON objects, lack an `event` string, or
/// miss a field their event cannot do without are *malformed*: skipped and counted. Events this
/// report does not know are *ignored*: skipped and counted separately. Fields it does not know are
/// ignored, and NaN/Infinity (as some loggers write them) are accepted through a JSON5 fallback.
public struct LogParser {
    /// What became of one line.
    public enum Outcome: Sendable, Equatable {
        case record(LogRecord)
        case blank
        case unknownEvent(String)
        case malformed
    }

    private let strict = JSONDecoder()
    private let lenient: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return decoder
    }()

    public init() {}

    /// Classifies and decodes one line.
    public func parse(line: Substring) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .blank }
        guard trimmed.first == "{" else { return .malformed }
        let data = Data(trimmed.utf8)
        guard let json = (try? strict.decode(JSONValue.self, from: data))
                ?? (try? lenient.decode(JSONValue.self, from: data)),
              let event = json["event"]?.string else { return .malformed }
        return Self.record(event: event, json: json)
    }

    /// Decodes a whole log. The result keeps the records in order together with the line counts.
    public func parse(text: String) -> (records: [LogRecord], statistics: ParseStatistics) {
        var records: [LogRecord] = []
        var statistics = ParseStatistics()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            switch parse(line: line) {
            case .blank:
                continue
            case .record(let record):
                records.append(record)
                statistics.records += 1
            case .unknownEvent:
                statistics.ignored += 1
            case .malformed:
                statistics.malformed += 1
            }
            statistics.lines += 1
        }
        return (records, statistics)
    }

    private static func record(event: String, json: JSONValue) -> Outcome {
        let record: LogRecord?
        switch event {
        case "start": record = .start(StartRecord(json: json))
        case "eval": record = EvalRecord(json: json).map(LogRecord.eval)
        case "alignment": record = AlignmentRecord(json: json).map(LogRecord.alignment)
        case "energy": record = EnergyRecord(json: json).map(LogRecord.energy)
        case "il_sweep": record = ILSweepRecord(json: json).map(LogRecord.ilSweep)
        case "zil_check": record = ZILCheckRecord(json: json).map(LogRecord.zilCheck)
        case "round": record = RoundRecord(json: json).map(LogRecord.round)
        case "worker", "join", "leave": record = .membership(MembershipRecord(kind: event, json: json))
        case "done": record = .done(DoneRecord(json: json))
        default: return .unknownEvent(event)
        }
        return record.map(Outcome.record) ?? .malformed
    }
}
