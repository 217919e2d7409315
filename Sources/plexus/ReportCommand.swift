import Foundation
import PlexusReport

/// `plexus report`: renders metrics logs as a summary table, CSVs and a self-contained HTML report.
enum ReportCommand {
    static let options = [
        OptionSpec("out", "PATH", "a directory (summary.md, CSVs, report.html) or a .html file [report]"),
    ]
    static let help = helpText(
        usage: "plexus report LOG.jsonl… [--out DIR | --out FILE.html]",
        about: """
        Renders JSON-lines metrics logs from train, launch, coordinator, compare or verify as one report:
        a summary table per rule (printed too), a CSV per figure, and report.html, a single file with
        inline SVG figures that opens in any browser without network access.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "report", arguments, options: options)
        guard !a.positionals.isEmpty else { throw UsageError("plexus report needs at least one LOG.jsonl; see 'plexus report --help'") }
        let report = try Report(logs: a.positionals.map { URL(fileURLWithPath: $0) })
        let out = a.string("out") ?? "report"
        print(report.summaryMarkdown())
        if out.hasSuffix(".html") {
            let url = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do { try report.html().write(to: url, atomically: true, encoding: .utf8) } catch {
                throw UsageError("cannot write \(out): \(error.localizedDescription)")
            }
            print("wrote \(out)")
        } else {
            let files = try report.write(to: URL(fileURLWithPath: out))
            print("wrote \(files.count) files to \(out)/ (open \(out)/report.html)")
        }
        return 0
    }
}
