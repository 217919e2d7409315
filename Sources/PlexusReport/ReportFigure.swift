/// One figure of the HTML report together with the CSV data behind it.
public struct ReportFigure: Sendable {
    /// Element id, e.g. `fig-accuracy`.
    public var id: String
    /// Heading, e.g. `(a) Test accuracy over training`.
    public var heading: String
    /// One sentence saying what the figure shows.
    public var caption: String
    /// Number of data points drawn; 0 means the logs had nothing for this figure.
    public var dataPoints: Int
    /// The figure's contents: one or more `<svg>` charts, or the "no data" note.
    public var body: String
    /// The data behind the figure, one CSV each.
    public var tables: [CSVTable]

    /// The `<figure>` element.
    public var html: String {
        """
        <figure id="\(Markup.escape(id))" data-points="\(dataPoints)">
        <h2>\(Markup.escape(heading))</h2>
        \(body)
        <figcaption>\(Markup.escape(caption))</figcaption>
        </figure>
        """
    }

    /// The note shown instead of an empty plot.
    static func noData(_ needs: String) -> String {
        "<p class=\"nodata\">No data in these logs: this figure needs \(Markup.escape(needs)).</p>"
    }

    /// Wraps several charts side by side.
    static func panels(_ charts: [String]) -> String {
        "<div class=\"panels\">\n" + charts.joined(separator: "\n") + "\n</div>"
    }
}
