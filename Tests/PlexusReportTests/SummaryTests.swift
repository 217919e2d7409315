import Foundation
import Testing
@testable import PlexusReport

@Suite("Summary table")
struct SummaryTests {
    /// A small hand-checkable log: bp, il, fa, a cluster pckp run and an unknown rule.
    static let log = """
    {"event":"start","rule":"xyz"}
    {"event":"eval","rule":"xyz","epoch":1,"test_accuracy":0.5}
    {"event":"eval","rule":"fa","epoch":1,"test_accuracy":0.80,"samples_per_second":40000}
    {"event":"eval","rule":"fa","epoch":2,"test_accuracy":0.86}
    {"event":"eval","rule":"fa","epoch":3,"test_accuracy":0.85}
    {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.86}
    {"event":"alignment","rule":"il","epoch":1,"layers":[{"layer":1,"cosine":0.1},{"layer":2,"cosine":0.2}]}
    {"event":"alignment","rule":"il","epoch":2,"layers":[{"layer":1,"cosine":0.9},{"layer":2,"cosine":0.8},{"layer":3,"cosine":0.7}]}
    {"event":"done","rule":"il","test_accuracy":0.87,"best_test_accuracy":0.875,"samples_per_second":20000,"flops_per_sample":6500000,"workers":1,"locality":{"weight_transport":true,"local_plasticity":true,"fprime_on_feedback":true,"separate_phases":false,"transport_volume":268800}}
    {"event":"start","rule":"pckp","workers":4}
    {"event":"round","round":1,"workers":4,"round_ms":10,"bytes_in":1000,"bytes_out":3000}
    {"event":"round","round":2,"workers":4,"round_ms":14,"bytes_in":2000,"bytes_out":2000}
    {"event":"done","rule":"pckp","test_accuracy":0.84,"samples_per_second":50000,"workers":4,"rounds":2,"locality":{"weight_transport":false,"local_plasticity":true,"fprime_on_feedback":true,"separate_phases":false,"transport_volume":0}}
    {"event":"done","rule":"bp","test_accuracy":0.88,"best_test_accuracy":0.885,"samples_per_second":100000}
    """

    @Test("rows come in canonical order with the right numbers")
    func numbers() throws {
        let rows = try Report(texts: [("s.jsonl", Self.log)]).summary
        #expect(rows.map(\.rule) == ["bp", "il", "fa", "pckp", "xyz"])
        let byRule = Dictionary(uniqueKeysWithValues: rows.map { ($0.rule, $0) })

        let il = try #require(byRule["il"])
        #expect(abs(il.finalAccuracy! - 87) < 1e-9)
        #expect(abs(il.bestAccuracy! - 87.5) < 1e-9)
        #expect(abs(il.gapToBP! - -1) < 1e-9)
        #expect(abs(il.meanCosine! - 0.8) < 1e-12)          // last alignment record only
        #expect(il.microsecondsPerSample == 50)
        #expect(il.flopsPerSample == 6.5e6)
        #expect(il.transportVolume == 268_800)
        #expect(il.locality?.weightTransport == true)
        #expect(il.isCluster == false)
        #expect(il.trafficPerRound == nil)

        // Without done: final is the last eval, best the best eval.
        let fa = try #require(byRule["fa"])
        #expect(abs(fa.finalAccuracy! - 85) < 1e-9)
        #expect(abs(fa.bestAccuracy! - 86) < 1e-9)
        #expect(abs(fa.gapToBP! - -3) < 1e-9)
        #expect(fa.microsecondsPerSample == 25)
        #expect(fa.meanCosine == nil)

        let pckp = try #require(byRule["pckp"])
        #expect(pckp.isCluster)
        #expect(pckp.workers == 4)
        #expect(pckp.trafficPerRound == 4000)               // mean of 4000 and 4000
        #expect(abs(pckp.gapToBP! - -4) < 1e-9)
        #expect(pckp.transportVolume == 0)

        let bp = try #require(byRule["bp"])
        #expect(bp.gapToBP == 0)
    }

    @Test("the Markdown table shows formatted cells")
    func markdown() throws {
        let markdown = try Report(texts: [("s.jsonl", Self.log)]).summaryMarkdown()
        let lines = markdown.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("| rule |") })
        #expect(header.split(separator: "|").count == SummaryTable.headings.count)
        #expect(lines.contains("| il | 87.00 | 87.50 | -1.00 | 0.800 | yes | yes | yes | no | 268,800 | 6.50 | 50.0 |  |  |"))
        #expect(lines.contains("| pckp | 84.00 | 84.00 | -4.00 |  | no | yes | yes | no | 0 |  | 20.0 | 4.00 kB | 4 |"))
        #expect(lines.contains { $0.hasPrefix("| bp | 88.00 | 88.50 | 0.00 |") })
        let tableRows = lines.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| rule") }
        #expect(tableRows.count == 5)
    }

    @Test("the gap column is blank without a bp run")
    func noBP() throws {
        let log = """
        {"event":"done","rule":"il","test_accuracy":0.87}
        {"event":"done","rule":"pcfa","test_accuracy":0.85}
        """
        let report = try Report(texts: [("n.jsonl", log)])
        #expect(report.summary.allSatisfy { $0.gapToBP == nil })
        let markdown = report.summaryMarkdown()
        #expect(markdown.contains("| il | 87.00 | 87.00 |  |"))
        #expect(markdown.contains("No bp run"))
    }

    @Test("a scaling study keeps the alignment of the rule's single-process run")
    func scalingStudy() throws {
        let report = try Report(texts: [("full.jsonl", SyntheticLogs.full()), ("cluster.jsonl", SyntheticLogs.cluster())])
        let pckp = try #require(report.summary.first { $0.rule == "pckp" })
        #expect(pckp.runs == 5)
        #expect(pckp.meanCosine != nil)
        #expect(pckp.isCluster)
        #expect(pckp.workers == 8)
        #expect(abs(pckp.trafficPerRound! - 17_203_200) < 1e-6)
        #expect(pckp.microsecondsPerSample == 1e6 / (15_000 * 8 * 0.85))
        let il = try #require(report.summary.first { $0.rule == "il" })
        #expect(!il.isCluster && il.workers == 1 && il.trafficPerRound == nil)
    }

    @Test("a rule with several runs is summarised by its last finished run")
    func representativeRun() throws {
        let log = """
        {"event":"start","rule":"il"}
        {"event":"done","rule":"il","test_accuracy":0.80}
        {"event":"start","rule":"il"}
        {"event":"done","rule":"il","test_accuracy":0.82}
        {"event":"start","rule":"il"}
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.4}
        """
        let row = try #require(try Report(texts: [("r.jsonl", log)]).summary.first)
        #expect(row.runs == 3)
        #expect(abs(row.finalAccuracy! - 82) < 1e-9)
    }
}
