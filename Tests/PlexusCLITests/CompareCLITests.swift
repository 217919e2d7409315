import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// End-to-end tests of `plexus compare`: every rule trained into one log, the IL sweep and Z-IL
/// check, and the rendered summary and report, run as a user would.
@Suite("plexus compare (end to end)", .serialized)
struct CompareCLITests {
    static let rules = ["bp", "il", "zil", "pcfa", "pckp"]
    static let small = ["--data", "synthetic:800:300", "--layers", "784,48,10", "--batch", "50", "--steps", "8", "--quiet"]

    /// `<figure id="…" data-points="N">` pairs of an HTML report.
    static func figurePoints(_ html: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let pattern = try! NSRegularExpression(pattern: #"<figure id="([^"]+)" data-points="(\d+)""#)
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let id = String(html[Range(match.range(at: 1), in: html)!])
            out[id] = Int(html[Range(match.range(at: 2), in: html)!])
        }
        return out
    }

    @Test("compare trains every rule into one log, runs the IL sweep and Z-IL check, and renders the report")
    func compareEndToEnd() throws {
        let dir = CLIHarness.temporaryDirectory()
        let r = try CLIHarness.run(["compare", "--epochs", "2", "--rules", Self.rules.joined(separator: ",")] + Self.small
                                   + ["--out", dir.path], timeout: 180)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.timedOut)
        for (k, rule) in Self.rules.enumerated() { #expect(r.stdout.contains("rule \(k + 1)/\(Self.rules.count) \(rule)")) }
        #expect(r.stdout.contains("| rule |"), "the summary table is printed")

        // One merged log: start, eval per epoch and done for every rule.
        let records = try CLIHarness.records(dir.appendingPathComponent("metrics.jsonl"))
        func events(_ name: String, _ rule: String? = nil) -> [[String: Any]] {
            records.filter { $0["event"] as? String == name && (rule == nil || $0["rule"] as? String == rule) }
        }
        for rule in Self.rules {
            #expect(events("start", rule).count == 1, "\(rule) start")
            #expect(events("eval", rule).compactMap { $0["epoch"] as? Int } == [1, 2], "\(rule) evals")
            let done = try #require(events("done", rule).first, "\(rule) done")
            let accuracy = try #require(done["test_accuracy"] as? Double)
            #expect(accuracy > 0 && accuracy <= 1)
            #expect(!events("alignment", rule).isEmpty, "\(rule) alignment")
        }
        // Same network, seed and schedule: zil's start says T = L = 2 and γ = 1, the others keep --steps.
        let zilModel = try #require(events("start", "zil").first?["model"] as? [String: Any])
        #expect(zilModel["steps"] as? Int == 2 && zilModel["gamma"] as? Int == 1)
        #expect((events("start", "il").first?["model"] as? [String: Any])?["steps"] as? Int == 8)
        // Energy trajectories on three held-out batches (300 test samples, batches of 50) per PC rule.
        let energyBatches = Set(events("energy", "il").compactMap { $0["batch"] as? Int })
        #expect(energyBatches == [0, 1, 2])

        // The IL sweep: T ∈ {1,…,200} × π_L ∈ {1,…,0.001}, with per-layer cosines.
        let sweep = events("il_sweep")
        #expect(sweep.count == 8 * 4)
        #expect(Set(sweep.compactMap { $0["steps"] as? Int }) == [1, 2, 5, 10, 20, 50, 100, 200])
        #expect(Set(sweep.compactMap { ($0["output_precision"] as? NSNumber)?.doubleValue }) == [1, 0.1, 0.01, 0.001])
        for point in sweep {
            let cosine = try #require(point["cosine"] as? Double)
            #expect(cosine.isFinite && abs(cosine) <= 1 + 1e-9)
            #expect((point["layers"] as? [[String: Any]])?.count == 2)
        }
        // At equilibrium IL approaches BP as the output precision shrinks (Whittington & Bogacz 2017).
        let nearBP = try #require(sweep.first { $0["steps"] as? Int == 200 && ($0["output_precision"] as? Double) == 0.001 })
        #expect(try #require(nearBP["cosine"] as? Double) > 0.99)

        // Z-IL equals BP to rounding on the trained network and a real batch.
        let checks = events("zil_check")
        let f64 = try #require(checks.first { $0["precision"] as? String == "f64" })
        let f32 = try #require(checks.first { $0["precision"] as? String == "f32" })
        #expect(try #require((f64["max_rel_diff"] as? NSNumber)?.doubleValue) <= 1e-12)
        #expect(try #require((f32["max_rel_diff"] as? NSNumber)?.doubleValue) <= 1e-5)
        #expect(f64["depth"] as? Int == 2)

        // summary.md: one row per rule, bp's gap 0.00.
        let summary = try String(contentsOf: dir.appendingPathComponent("summary.md"), encoding: .utf8)
        let rows = summary.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| rule") }
        #expect(rows.count == Self.rules.count)
        for rule in Self.rules { #expect(rows.contains { $0.hasPrefix("| \(rule) |") }, "row for \(rule)") }
        let bpCells = try #require(rows.first { $0.hasPrefix("| bp |") }).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(bpCells[3] == "0.00", "bp row: \(bpCells)")

        // report.html: every figure but the cluster one has data; the CSVs are there.
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        let points = Self.figurePoints(html)
        #expect(points.count == 7, "figures: \(points)")
        for (id, count) in points where id != "fig-cluster" { #expect(count > 0, "\(id) has no data") }
        #expect(points["fig-cluster"] == 0)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="), "self-contained")
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "report.html is well-formed: \(String(describing: parser.parserError))")
        for csv in ["summary.csv", "accuracy.csv", "alignment.csv", "il_sweep.csv", "zil_check.csv", "energy.csv",
                    "feedback_angle.csv", "transport.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(csv).path), "\(csv)")
        }
    }

    @Test("--quick trains a subset for a few epochs unless told otherwise")
    func quick() throws {
        let dir = CLIHarness.temporaryDirectory()
        let r = try CLIHarness.run(["compare", "--quick", "--rules", "bp", "--data", "synthetic:6500:2100", "--layers", "784,16,10",
                                    "--batch", "100", "--epochs", "1", "--quiet", "--out", dir.path], timeout: 180)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let records = try CLIHarness.records(dir.appendingPathComponent("metrics.jsonl"))
        let start = try #require(records.first { $0["event"] as? String == "start" })
        #expect(start["train_samples"] as? Int == 6000)
        #expect(start["test_samples"] as? Int == 2000)
        #expect(start["epochs"] as? Int == 1)
        // Without il among the rules the sweep runs on a fresh network.
        #expect(records.filter { $0["event"] as? String == "il_sweep" }.count == 32)
    }

    @Test("bad compare flags give a one-line error and a non-zero exit", arguments: [
        (["compare", "--rules", "bp,backprop"], "unknown rule 'backprop'"),
        (["compare", "--rules", "bp,il,bp"], "lists 'bp' twice"),
        (["compare", "--rules", "bp,,il"], "empty name"),
        (["compare", "--workers", "0"], "--workers must be at least 1"),
        (["compare", "--rule", "il"], "unknown option '--rule'"),
        (["compare", "--save", "x.ckpt"], "unknown option '--save'"),
        (["compare", "extra"], "unexpected argument 'extra'"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let r = try CLIHarness.run(arguments + ["--quiet", "--out", CLIHarness.temporaryDirectory().path])
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("plexus: error:"))
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
    }
}
