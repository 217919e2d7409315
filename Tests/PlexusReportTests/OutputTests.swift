import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PlexusReport

@Suite("CSV and HTML output")
struct OutputTests {
    static let figureIDs = ["fig-accuracy", "fig-alignment", "fig-il-sweep", "fig-energy", "fig-feedback-angle",
                            "fig-transport", "fig-cluster"]

    static func fullReport() throws -> Report {
        try Report(texts: [("full.jsonl", SyntheticLogs.full()), ("cluster.jsonl", SyntheticLogs.cluster())])
    }

    /// The `<figure …>…</figure>` element with the given id.
    static func figure(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<figure id=\"\(id)\""),
              let end = html.range(of: "</figure>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func dataPoints(_ figure: String) -> Int? {
        guard let range = figure.range(of: #"data-points="(\d+)""#, options: .regularExpression) else { return nil }
        return Int(figure[range].filter(\.isNumber))
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("plexus-report-\(UUID().uuidString)")
    }

    @Test("CSV files have the documented columns and one row per data point")
    func csvColumnsAndRows() throws {
        let report = try Self.fullReport()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let urls = try report.writeCSVs(to: directory)
        #expect(urls.map(\.lastPathComponent) == ["summary.csv", "accuracy.csv", "alignment.csv", "il_sweep.csv",
                                                  "zil_check.csv", "energy.csv", "feedback_angle.csv",
                                                  "transport.csv", "cluster.csv"])
        func read(_ name: String) throws -> [[String]] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let epochs = SyntheticLogs.epochs
        let accuracy = try read("accuracy.csv")
        #expect(accuracy[0] == ["rule", "run", "epoch", "round", "test_accuracy", "train_accuracy", "train_loss",
                                "samples_per_second", "wall_s"])
        #expect(accuracy.count - 1 == 11 * epochs)            // 7 single runs + 4 cluster runs
        #expect(accuracy.dropFirst().allSatisfy { $0.count == 9 })

        let alignment = try read("alignment.csv")
        #expect(alignment[0] == ["rule", "run", "epoch", "layer", "cosine", "norm_ratio"])
        #expect(alignment.count - 1 == 7 * epochs * 3)

        let energy = try read("energy.csv")
        #expect(energy[0] == ["rule", "run", "epoch", "batch", "step", "energy"])
        #expect(energy.count - 1 == 4 * 4 * (SyntheticLogs.steps + 1))   // 4 PC rules × epochs 1,3,6,9

        let angles = try read("feedback_angle.csv")
        #expect(angles.count - 1 == 3 * epochs * 2)             // fa, pcfa, pckp × 2 layers with feedback

        #expect(try read("il_sweep.csv").count - 1 == 21)
        #expect(try read("zil_check.csv") == [["precision", "depth", "max_rel_diff", "tolerance", "pass"],
                                              ["f64", "3", "3.2e-16", "1e-12", "true"],
                                              ["f32", "3", "2.1e-07", "1e-05", "true"]])
        let cluster = try read("cluster.csv")
        #expect(cluster.count - 1 == 4)
        #expect(cluster.dropFirst().map { $0[2] } == ["1", "2", "4", "8"])
        let summary = try read("summary.csv")
        #expect(summary[0] == SummaryTable.csvColumns)
        #expect(summary.dropFirst().map { $0[0] } == ["bp", "zil", "il", "fa", "pcfa", "pckp", "dfa"])
        #expect(summary[1][1] == "1")                           // bp has one run
        #expect(try read("transport.csv").count - 1 == 7)
    }

    @Test("CSV cells with commas or quotes are quoted")
    func csvQuoting() {
        let table = CSVTable(name: "t.csv", columns: ["a", "b"], rows: [["x,y", "say \"hi\""]])
        #expect(table.text == "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n")
    }

    @Test("every figure with data has an SVG with drawn marks and counts its points")
    func figuresWithData() throws {
        let html = try Self.fullReport().html()
        #expect(html.components(separatedBy: "<figure ").count - 1 == Self.figureIDs.count)
        for id in Self.figureIDs {
            let figure = try #require(Self.figure(id, in: html), "missing \(id)")
            let points = try #require(Self.dataPoints(figure))
            #expect(points > 0, "\(id) should have data")
            #expect(figure.contains("<svg"), "\(id) should have a chart")
            #expect(figure.contains("<path") || figure.contains("<circle"), "\(id) should draw marks")
            #expect(figure.contains("<figcaption>"), "\(id) should have a caption")
            #expect(!figure.contains("No data in these logs"), "\(id) should not claim to be empty")
        }
        // Point counts that follow directly from the synthetic log.
        let accuracy = try #require(Self.figure("fig-accuracy", in: html))
        #expect(Self.dataPoints(accuracy) == 7 * SyntheticLogs.epochs)
        let transport = try #require(Self.figure("fig-transport", in: html))
        #expect(Self.dataPoints(transport) == 7)
        let sweep = try #require(Self.figure("fig-il-sweep", in: html))
        #expect(Self.dataPoints(sweep) == 2 * 21 + 2)   // cosine and 1 − cosine panels, two Z-IL bars
        let cluster = try #require(Self.figure("fig-cluster", in: html))
        #expect(Self.dataPoints(cluster) == 3 * 4)
    }

    @Test("figures without input say so instead of drawing an empty plot")
    func figuresWithoutData() throws {
        let log = """
        {"event":"eval","rule":"il","epoch":1,"test_accuracy":0.8}
        {"event":"eval","rule":"il","epoch":2,"test_accuracy":0.85}
        """
        let html = try Report(texts: [("small.jsonl", log)]).html()
        #expect(html.components(separatedBy: "<figure ").count - 1 == Self.figureIDs.count)
        let accuracy = try #require(Self.figure("fig-accuracy", in: html))
        #expect(Self.dataPoints(accuracy) == 2)
        for id in Self.figureIDs.dropFirst() {
            let figure = try #require(Self.figure(id, in: html))
            #expect(Self.dataPoints(figure) == 0, "\(id) has no input")
            #expect(figure.contains("No data in these logs"), "\(id) should say it has no data")
            #expect(!figure.contains("<svg"), "\(id) should not draw an empty chart")
        }
    }

    @Test("a Z-IL check alone still draws bars in figure (c)")
    func zilOnly() throws {
        let html = try Report(texts: [("z.jsonl", #"{"event":"zil_check","precision":"f64","max_rel_diff":1e-15,"depth":3}"#)]).html()
        let sweep = try #require(Self.figure("fig-il-sweep", in: html))
        #expect(Self.dataPoints(sweep) == 1)
        #expect(sweep.contains("<svg") && sweep.contains("<path"))
        #expect(sweep.contains("No \"il_sweep\" records"))
    }

    @Test("the HTML is well-formed XML and self-contained")
    func wellFormed() throws {
        for report in [try Self.fullReport(), try Report(texts: [("e.jsonl", #"{"event":"done","rule":"a<b&c"}"#)])] {
            let html = report.html()
            let parser = XMLParser(data: Data(html.utf8))
            let ok = parser.parse()
            #expect(ok, "XML parse error: \(String(describing: parser.parserError))")
            #expect(!html.contains("<script"))
            #expect(!html.contains("<link"))
            #expect(!html.contains("url("))
            #expect(!html.contains("@import"))
            let external = html.components(separatedBy: "http").dropFirst().filter {
                !$0.hasPrefix("://www.w3.org/")
            }
            #expect(external.isEmpty, "only XML namespace URIs may appear")
        }
    }

    @Test("write(to:) produces summary.md, the CSVs and report.html")
    func writesEverything() throws {
        let report = try Self.fullReport()
        let directory = ProcessInfo.processInfo.environment["PLEXUS_REPORT_SAMPLE_DIR"].map { URL(fileURLWithPath: $0) }
            ?? Self.temporaryDirectory()
        let urls = try report.write(to: directory)
        #expect(urls.first?.lastPathComponent == "summary.md")
        #expect(urls.last?.lastPathComponent == "report.html")
        #expect(urls.count == 11)
        for url in urls { #expect(FileManager.default.fileExists(atPath: url.path)) }
        let markdown = try String(contentsOf: urls[0], encoding: .utf8)
        #expect(markdown == report.summaryMarkdown())
        if ProcessInfo.processInfo.environment["PLEXUS_REPORT_SAMPLE_DIR"] == nil {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("writing into an impossible place fails with a readable error")
    func writeError() throws {
        let report = try Self.fullReport()
        let blocker = Self.temporaryDirectory()
        try Data("file".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        #expect {
            try report.write(to: blocker.appendingPathComponent("sub"))
        } throws: { error in
            guard let error = error as? ReportError, case .cannotWrite = error else { return false }
            return error.description.hasPrefix("cannot write")
        }
    }
}
