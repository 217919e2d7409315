import Foundation
import Testing
@testable import PlexusReport

@Suite("Parsing metrics logs")
struct ParserTests {
    @Test("junk lines are skipped and counted, unknown events ignored")
    func toleratesJunk() {
        let text = """
        not json at all
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.8

        [1, 2, 3]
        {"no_event": true}
        {"event": 42}
        {"event":"eval","rule":"il","test_accuracy":0.8}
        {"event":"heartbeat","worker":2}
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.8,"brand_new_field":{"x":[1,2]}}
        {"event":"done","rule":"il","test_accuracy":0.81}
        """
        let (records, statistics) = LogParser().parse(text: text)
        #expect(records.count == 2)
        #expect(statistics.lines == 9)
        #expect(statistics.records == 2)
        #expect(statistics.malformed == 6)
        #expect(statistics.ignored == 1)
        guard case .eval(let eval) = records.first else {
            Issue.record("first record should be the eval")
            return
        }
        #expect(eval.rule == "il")
        #expect(eval.epoch == 1)
        #expect(eval.testAccuracy == 0.8)
    }

    @Test("fields of the wrong type read as absent; NaN is accepted")
    func lenientFields() {
        let parser = LogParser()
        guard case .record(.eval(let eval)) = parser.parse(line: #"{"event":"eval","rule":"fa","epoch":2,"test_accuracy":"high","train_loss":NaN}"#) else {
            Issue.record("eval with odd fields should still parse")
            return
        }
        #expect(eval.testAccuracy == nil)
        #expect(eval.trainLoss?.isNaN == true)
        #expect(parser.parse(line: "   ") == .blank)
        #expect(parser.parse(line: #"{"event":"gossip"}"#) == .unknownEvent("gossip"))
    }

    @Test("alignment layers may be objects or bare cosines; null angles are kept as gaps")
    func alignmentForms() {
        let parser = LogParser()
        let objects = parser.parse(line: #"{"event":"alignment","rule":"pcfa","epoch":3,"layers":[{"layer":1,"cosine":0.5,"norm_ratio":2},{"layer":2,"cosine":0.7}],"feedback_angle_degrees":[null,45.1,60.2]}"#)
        guard case .record(.alignment(let record)) = objects else {
            Issue.record("alignment should parse")
            return
        }
        #expect(record.layers == [LayerAlignment(layer: 1, cosine: 0.5, normRatio: 2), LayerAlignment(layer: 2, cosine: 0.7)])
        #expect(record.feedbackAngleDegrees == [nil, 45.1, 60.2])
        #expect(abs((record.meanCosine ?? 0) - 0.6) < 1e-12)

        guard case .record(.ilSweep(let sweep)) = parser.parse(line: #"{"event":"il_sweep","steps":20,"output_precision":1,"layers":[0.9,1.0]}"#) else {
            Issue.record("sweep with bare layer cosines should parse")
            return
        }
        #expect(sweep.layers.map(\.layer) == [1, 2])
        #expect(abs(sweep.cosine - 0.95) < 1e-12)
    }

    @Test("each event type becomes its typed record")
    func everyEvent() {
        let (records, statistics) = LogParser().parse(text: SyntheticLogs.full() + SyntheticLogs.cluster())
        #expect(statistics.malformed == 1)
        #expect(statistics.ignored == 1)
        var kinds = Set<String>()
        for record in records {
            switch record {
            case .start: kinds.insert("start")
            case .eval: kinds.insert("eval")
            case .alignment: kinds.insert("alignment")
            case .energy: kinds.insert("energy")
            case .ilSweep: kinds.insert("il_sweep")
            case .zilCheck: kinds.insert("zil_check")
            case .round: kinds.insert("round")
            case .membership: kinds.insert("membership")
            case .done: kinds.insert("done")
            }
        }
        #expect(kinds == ["start", "eval", "alignment", "energy", "il_sweep", "zil_check", "round", "done"])
    }

    @Test("concatenated and interleaved runs come apart; rule-less rounds join the current run")
    func assemblesRuns() throws {
        let text = """
        {"event":"start","rule":"il","workers":2}
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.5}
        {"event":"round","round":1,"round_ms":10,"bytes_in":100,"bytes_out":50}
        {"event":"join","worker":"w1"}
        {"event":"done","rule":"il","test_accuracy":0.6}
        {"event":"start","rule":"il","workers":4}
        {"event":"start","rule":"bp"}
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.55}
        {"event":"eval","rule":"bp","epoch":1,"test_accuracy":0.7}
        {"event":"round","round":1,"round_ms":20}
        {"event":"done","rule":"il","test_accuracy":0.65}
        """
        let report = try Report(texts: [("a.jsonl", text)])
        #expect(report.runs.map(\.rule) == ["il", "il", "bp"])
        #expect(report.runs.map(\.ordinal) == [1, 2, 3])
        #expect(report.runs[0].rounds.count == 1)
        #expect(report.runs[0].memberships.map(\.worker) == ["w1"])
        #expect(report.runs[0].trafficPerRound == 150)
        #expect(report.runs[1].evals.map(\.testAccuracy) == [0.55])
        #expect(report.runs[1].workers == 4)
        #expect(report.runs[2].rounds.map(\.roundMilliseconds) == [20])
        #expect(report.runs[2].evals.map(\.testAccuracy) == [0.7])
    }

    @Test("several files are read and counted together")
    func severalFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plexus-report-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("one.jsonl")
        let second = directory.appendingPathComponent("two.jsonl")
        try SyntheticLogs.full().write(to: first, atomically: true, encoding: .utf8)
        try SyntheticLogs.cluster().write(to: second, atomically: true, encoding: .utf8)
        let report = try Report(logs: [first, second])
        #expect(report.sources == ["one.jsonl", "two.jsonl"])
        #expect(report.runs.count == 11)
        #expect(report.runs.filter { $0.source == "two.jsonl" }.count == 4)
        #expect(report.statistics.malformed == 1)
    }

    @Test("errors are typed and readable")
    func errors() throws {
        #expect(throws: ReportError.noLogs) { try Report(logs: []) }
        let missing = URL(fileURLWithPath: "/nonexistent/plexus/metrics.jsonl")
        do {
            _ = try Report(logs: [missing])
            Issue.record("reading a missing file should fail")
        } catch let error as ReportError {
            guard case .unreadable(let path, _) = error else {
                Issue.record("expected .unreadable, got \(error)")
                return
            }
            #expect(path == missing.path)
            #expect(error.description == "cannot read metrics log /nonexistent/plexus/metrics.jsonl: no such file")
        }
        do {
            _ = try Report(texts: [("junk.jsonl", "garbage\n{\"event\":\"heartbeat\"}\n")])
            Issue.record("a log without records should fail")
        } catch let error as ReportError {
            #expect(error == .noUsableRecords(files: ["junk.jsonl"], lines: 2, malformed: 1, ignored: 1))
            #expect(error.description.contains("no usable records in junk.jsonl"))
        }
    }
}
