import Foundation

/// A report on one or more Plexus metrics logs (JSON lines).
///
/// ```swift
/// let report = try Report(logs: [URL(fileURLWithPath: "run.jsonl")])
/// print(report.summaryMarkdown())
/// try report.write(to: URL(fileURLWithPath: "report"))   // summary.md, *.csv, report.html
/// ```
///
/// Logs may be concatenated or split over several files; junk lines are skipped and counted in
/// ``statistics``. Each rule's figures and summary row come from its representative run (the
/// last that finished); the CSVs hold every run.
public struct Report: Sendable {
    /// The names of the logs read, in order.
    public let sources: [String]
    /// Every run found, in log order.
    public let runs: [RunLog]
    /// All `il_sweep` records.
    public let ilSweeps: [ILSweepRecord]
    /// All `zil_check` records.
    public let zilChecks: [ZILCheckRecord]
    /// Line counts over all logs.
    public let statistics: ParseStatistics

    /// Reads and parses the given log files.
    public init(logs: [URL]) throws {
        guard !logs.isEmpty else { throw ReportError.noLogs }
        let texts = try logs.map { url -> (String, String) in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ReportError.unreadable(path: url.path, reason: "no such file")
            }
            guard !isDirectory.boolValue else {
                throw ReportError.unreadable(path: url.path, reason: "is a directory, not a log file")
            }
            do {
                let data = try Data(contentsOf: url)
                return (url.lastPathComponent, String(decoding: data, as: UTF8.self))
            } catch {
                throw ReportError.unreadable(path: url.path, reason: Self.reason(error))
            }
        }
        try self.init(texts: texts)
    }

    /// Parses logs already in memory, given as `(name, text)` pairs.
    public init(texts: [(name: String, text: String)]) throws {
        guard !texts.isEmpty else { throw ReportError.noLogs }
        let parser = LogParser()
        var runs: [RunLog] = []
        var sweeps: [ILSweepRecord] = []
        var checks: [ZILCheckRecord] = []
        var statistics = ParseStatistics()
        for (name, text) in texts {
            let (records, counts) = parser.parse(text: text)
            statistics = statistics + counts
            let assembled = RunAssembler.assemble(records, source: name)
            runs += assembled.runs
            sweeps += assembled.sweeps
            checks += assembled.zilChecks
        }
        guard statistics.records > 0 else {
            throw ReportError.noUsableRecords(files: texts.map(\.name), lines: statistics.lines,
                                              malformed: statistics.malformed, ignored: statistics.ignored)
        }
        self.sources = texts.map(\.name)
        self.runs = runs
        self.ilSweeps = sweeps
        self.zilChecks = checks
        self.statistics = statistics
    }

    /// Rules present, in display order (bp, zil, il, fa, pcfa, pckp, dfa, then others).
    public var rules: [String] { RuleCatalog.sorted(runs.map(\.rule)) }

    /// One summary row per rule.
    public var summary: [RuleSummary] { RuleSummary.rows(for: runs) }

    /// The figures (a)–(g), each with its data.
    public var figures: [ReportFigure] {
        FigureBuilder(runs: runs, sweeps: ilSweeps, zilChecks: zilChecks, summary: summary).figures
    }

    /// The summary as Markdown: a heading, the table and a few notes.
    public func summaryMarkdown() -> String {
        var lines = ["# Plexus report", "", notes.sourceLine + (notes.setupLine.map { " " + $0 } ?? ""), ""]
        lines.append(SummaryTable(rows: summary).markdown)
        let extra = notes.findings + notes.caveats
        if !extra.isEmpty {
            lines.append("")
            lines += extra.map { "- " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every CSV: the summary plus one per figure.
    public var csvTables: [CSVTable] {
        [CSVTable(name: "summary.csv", columns: SummaryTable.csvColumns, rows: SummaryTable(rows: summary).csvRows)]
            + figures.flatMap(\.tables)
    }

    /// Writes every CSV into `directory` (created if needed) and returns their URLs.
    @discardableResult
    public func writeCSVs(to directory: URL) throws -> [URL] {
        try Self.makeDirectory(directory)
        return try csvTables.map { table in
            try Self.write(table.text, to: directory.appendingPathComponent(table.name))
        }
    }

    /// The self-contained HTML report.
    public func html() -> String {
        HTMLPage(title: "Plexus report", notes: notes, table: SummaryTable(rows: summary).html, figures: figures).render()
    }

    /// Writes `summary.md`, the CSVs and `report.html` into `directory` and returns their URLs.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let csvs = try writeCSVs(to: directory)
        let summaryURL = try Self.write(summaryMarkdown(), to: directory.appendingPathComponent("summary.md"))
        let htmlURL = try Self.write(html(), to: directory.appendingPathComponent("report.html"))
        return [summaryURL] + csvs + [htmlURL]
    }

    var notes: ReportNotes {
        ReportNotes(sources: sources, runs: runs, statistics: statistics, summary: summary, zilChecks: zilChecks)
    }

    private static func makeDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: directory.path, reason: reason(error))
        }
    }

    private static func write(_ text: String, to url: URL) throws -> URL {
        do {
            try makeDirectory(url.deletingLastPathComponent())
            try Data(text.utf8).write(to: url, options: .atomic)
            return url
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError.cannotWrite(path: url.path, reason: reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
