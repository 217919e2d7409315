import PlexusLearning

extension ModelSpec {
    /// Number of scalars in all parameter tensors: weights, biases and feedback matrices.
    public var parameterCount: Int {
        tensorNames.reduce(0) { $0 + (shape(of: $1)?.reduce(1, *) ?? 0) }
    }

    /// Number of scalars in the weights and biases (what a push carries).
    public var updateCount: Int {
        (1...depth).reduce(0) { $0 + widths[$1] * widths[$1 - 1] + widths[$1] }
    }
}
