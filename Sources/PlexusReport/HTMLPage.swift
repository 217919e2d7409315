/// Assembles the single-file HTML report: styles inline, no scripts, no external resources.
///
/// The markup is also well-formed XML (void elements self-closed, only XML's predefined entities),
/// so XML tools can check it.
struct HTMLPage {
    let title: String
    let notes: ReportNotes
    let table: String
    let figures: [ReportFigure]

    static let style = """
    body { margin: 0; background: #f6f6f4; color: #222; font: 15px/1.45 Helvetica, Arial, sans-serif; }
    main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
    h1 { font-size: 26px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 0 0 10px; }
    p.meta { color: #555; margin: 0 0 18px; }
    section, figure { background: #fff; border: 1px solid #dddddd; border-radius: 6px; margin: 0 0 22px; padding: 16px 18px; }
    ul.findings { margin: 10px 0 0; padding-left: 20px; }
    ul.caveats { margin: 6px 0 0; padding-left: 20px; color: #8a5a00; }
    .scroll { overflow-x: auto; }
    table.summary { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
    table.summary th, table.summary td { border-bottom: 1px solid #e6e6e6; padding: 5px 8px; white-space: nowrap; }
    table.summary thead th { background: #f0f0ee; text-align: center; white-space: normal; vertical-align: bottom; max-width: 110px; }
    table.summary tbody th { text-align: left; }
    td.num { text-align: right; }
    td.flag { text-align: center; }
    td.flag.nonlocal { background: #fbe3d5; }
    td.flag.local { background: #d9f0e6; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
    .panels { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
    svg { max-width: 100%; height: auto; }
    figcaption { color: #444; margin-top: 8px; max-width: 900px; }
    p.nodata { background: #f4f4f4; border: 1px dashed #bbbbbb; color: #555; padding: 18px; margin: 0; }
    p.note { color: #666; font-size: 13px; }
    p.legend-note { color: #555; font-size: 13px; margin: 8px 0 0; }
    """

    func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(Markup.escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <main>
        <h1>\(Markup.escape(title))</h1>
        <p class="meta">How close do local learning rules come to backprop, and what does locality buy at scale? \(Markup.escape(notes.sourceLine))\(Markup.escape(notes.setupLine.map { " " + $0 } ?? ""))</p>
        <section id="summary">
        <h2>Summary</h2>
        <div class="scroll">
        \(table)
        </div>
        <p class="legend-note">Accuracy in percent; gap in percentage points against bp; cosine = mean over layers of the update's cosine with the BP gradient; transport volume = weight values per update a feedback pathway would have to receive; µs/sample = 10⁶ / measured samples per second; traffic and workers for cluster runs only. In the profile columns, red marks what a brain could not do locally (weight transport, non-local plasticity, f′ on the feedback path, separate phases), green the local answer.</p>

        """
        if !notes.findings.isEmpty {
            html += "<ul class=\"findings\">\n" + notes.findings.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !notes.caveats.isEmpty {
            html += "<ul class=\"caveats\">\n" + notes.caveats.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        html += "</section>\n"
        html += figures.map(\.html).joined(separator: "\n")
        html += "\n</main>\n</body>\n</html>\n"
        return html
    }
}
