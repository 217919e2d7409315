extension Dataset: CustomStringConvertible {
    /// One line: name, size, shape and classes (never the pixels).
    public var description: String {
        let shape = imageShape.map(String.init).joined(separator: "×")
        return "\(name): \(count) samples of \(shape) = \(features) features, \(classes) classes"
    }
}
