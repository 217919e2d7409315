/// A named table written as one CSV file (RFC 4180 quoting, `\n` line ends, header first).
public struct CSVTable: Sendable, Equatable {
    /// File name, e.g. `accuracy.csv`.
    public var name: String
    public var columns: [String]
    public var rows: [[String]]

    public init(name: String, columns: [String], rows: [[String]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The file's text.
    public var text: String {
        ([columns] + rows).map { $0.map(Self.quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
