/// One named set of points in an ``SVGChart``.
public struct ChartSeries: Sendable {
    /// How the points are drawn.
    public enum Style: Sendable {
        /// A polyline through the points in order of x.
        case line
        /// A polyline with a dot at each point.
        case lineWithMarkers
        /// Dots only.
        case scatter
    }

    /// One point, optionally labelled next to its dot.
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String?

        public init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    /// Legend text.
    public var name: String
    /// A CSS colour.
    public var colour: String
    public var points: [Point]
    public var style: Style
    /// An SVG `stroke-dasharray`, or `nil` for a solid line.
    public var dash: String?
    public var opacity: Double

    public init(name: String, colour: String, points: [Point], style: Style = .lineWithMarkers,
                dash: String? = nil, opacity: Double = 1) {
        self.name = name
        self.colour = colour
        self.points = points
        self.style = style
        self.dash = dash
        self.opacity = opacity
    }

    /// Convenience for unlabelled `(x, y)` pairs.
    public init(name: String, colour: String, xy: [(Double, Double)], style: Style = .lineWithMarkers,
                dash: String? = nil, opacity: Double = 1) {
        self.init(name: name, colour: colour, points: xy.map { Point(x: $0.0, y: $0.1) }, style: style,
                  dash: dash, opacity: opacity)
    }
}
