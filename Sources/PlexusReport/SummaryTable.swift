/// The summary table as text cells, rendered as Markdown, HTML or CSV.
struct SummaryTable {
    /// Column headings for people (Markdown, HTML).
    static let headings = [
        "rule", "final acc (%)", "best acc (%)", "gap to bp (pts)", "mean cos vs BP",
        "weight transport", "local plasticity", "f′ on feedback", "separate phases",
        "transport vol. (weights/update)", "MFLOP/sample", "µs/sample", "traffic/round", "workers",
    ]

    /// Column names for machines (CSV), in the same order as ``headings``.
    static let csvColumns = [
        "rule", "runs", "final_test_accuracy_pct", "best_test_accuracy_pct", "gap_to_bp_pts", "mean_cosine_bp",
        "weight_transport", "local_plasticity", "fprime_on_feedback", "separate_phases",
        "transport_volume", "flops_per_sample", "us_per_sample", "bytes_per_round", "workers",
    ]

    let rows: [RuleSummary]

    /// The columns shown to people: all of them when any row comes from a cluster run, else all but
    /// the last two (traffic per round and workers), which would be empty. The CSV keeps every column.
    var visibleColumns: [Int] {
        rows.contains(where: \.isCluster) ? Array(Self.headings.indices) : Array(Self.headings.indices.dropLast(2))
    }

    /// Display cells, one array per row.
    var cells: [[String]] {
        rows.map { row in
            [
                row.rule + (row.runs > 1 ? " (\(row.runs) runs)" : ""),
                NumberFormat.fixed(row.finalAccuracy, 2),
                NumberFormat.fixed(row.bestAccuracy, 2),
                NumberFormat.signed(row.gapToBP, 2),
                NumberFormat.fixed(row.meanCosine, 3),
                Self.yesNo(row.locality?.weightTransport),
                Self.yesNo(row.locality?.localPlasticity),
                Self.yesNo(row.locality?.fPrimeOnFeedback),
                Self.yesNo(row.locality?.separatePhases),
                NumberFormat.grouped(row.transportVolume),
                NumberFormat.fixed(row.flopsPerSample.map { $0 / 1e6 }, 2),
                NumberFormat.significant(row.microsecondsPerSample),
                NumberFormat.bytes(row.trafficPerRound),
                row.isCluster ? row.workers.map(String.init) ?? "" : "",
            ]
        }
    }

    /// Machine-readable cells matching ``csvColumns``.
    var csvRows: [[String]] {
        rows.map { row in
            [
                row.rule, String(row.runs),
                NumberFormat.csv(row.finalAccuracy), NumberFormat.csv(row.bestAccuracy),
                NumberFormat.csv(row.gapToBP), NumberFormat.csv(row.meanCosine),
                Self.flag(row.locality?.weightTransport), Self.flag(row.locality?.localPlasticity),
                Self.flag(row.locality?.fPrimeOnFeedback), Self.flag(row.locality?.separatePhases),
                NumberFormat.csv(row.transportVolume), NumberFormat.csv(row.flopsPerSample),
                NumberFormat.csv(row.microsecondsPerSample), NumberFormat.csv(row.trafficPerRound),
                row.workers.map(String.init) ?? "",
            ]
        }
    }

    /// A GitHub-flavoured Markdown table.
    var markdown: String {
        let columns = visibleColumns
        let escaped = cells.map { row in columns.map { row[$0].replacingOccurrences(of: "|", with: "\\|") } }
        let numeric = Set(1..<Self.headings.count).subtracting([5, 6, 7, 8])
        var lines = ["| " + columns.map { Self.headings[$0] }.joined(separator: " | ") + " |"]
        lines.append("|" + columns.map { numeric.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
        lines += escaped.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }

    /// An HTML `<table>`; numeric columns right-aligned, yes/no cells tinted.
    var html: String {
        var out = "<table class=\"summary\">\n<thead><tr>"
        let columns = visibleColumns
        out += columns.map { "<th>\(Markup.escape(Self.headings[$0]))</th>" }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for (row, cells) in zip(rows, cells) {
            out += "<tr>"
            for column in columns {
                let cell = cells[column]
                if column == 0 {
                    let colour = RuleCatalog.colour(for: row.rule, among: rows.map(\.rule))
                    out += "<th scope=\"row\"><span class=\"swatch\" style=\"background:\(colour)\"></span>\(Markup.escape(cell))</th>"
                } else if (5...8).contains(column) {
                    // Tint by what the answer means: red for a non-local requirement, green for a local
                    // one. "Local plasticity: yes" is the local answer; for the others it is "no".
                    let local = column == 6 ? "yes" : "no"
                    let kind = cell == local ? "local" : cell.isEmpty ? "unknown" : "nonlocal"
                    out += "<td class=\"flag \(kind)\">\(Markup.escape(cell))</td>"
                } else {
                    out += "<td class=\"num\">\(Markup.escape(cell))</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>"
        return out
    }

    private static func yesNo(_ value: Bool?) -> String {
        value.map { $0 ? "yes" : "no" } ?? ""
    }

    private static func flag(_ value: Bool?) -> String {
        value.map { $0 ? "true" : "false" } ?? ""
    }
}
