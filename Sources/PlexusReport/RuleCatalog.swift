/// The known learning rules: their display order and their colours.
///
/// Colours follow the Okabe–Ito palette (safe for common colour-vision deficiencies); every figure
/// uses the same colour for the same rule.
public enum RuleCatalog {
    /// Canonical order: the reference first, then PC with transport, then the transport-free rules.
    public static let order = ["bp", "zil", "il", "fa", "pcfa", "pckp", "dfa"]

    private static let colours: [String: String] = [
        "bp": "#000000", "zil": "#8c8c8c", "il": "#0072b2", "fa": "#d55e00",
        "pcfa": "#e69f00", "pckp": "#009e73", "dfa": "#cc79a7",
    ]

    private static let spare = ["#56b4e9", "#8c564b", "#7b3294", "#a6761d", "#1b9e77", "#e7298a"]

    /// Sorts rule names: known rules in canonical order, then the others alphabetically.
    public static func sorted<S: Sequence>(_ rules: S) -> [String] where S.Element == String {
        Set(rules).sorted { lhs, rhs in
            switch (order.firstIndex(of: lhs), order.firstIndex(of: rhs)) {
            case let (l?, r?): return l < r
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return lhs < rhs
            }
        }
    }

    /// A colour for `rule`; unknown rules take spare colours by their position among `rules`.
    public static func colour(for rule: String, among rules: [String] = []) -> String {
        if let colour = colours[rule] { return colour }
        let unknown = sorted(rules).filter { colours[$0] == nil }
        let position = unknown.firstIndex(of: rule) ?? abs(rule.hashValue)
        return spare[position % spare.count]
    }

    /// Line dash patterns used to tell layers (or batches) apart within one colour.
    public static let dashes: [String?] = [nil, "7 4", "2 3", "9 3 2 3", "4 4"]

    /// A general palette for series that are not rules (e.g. output precisions).
    public static let palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
}
