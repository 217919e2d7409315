import PlexusLearning

extension Checkpoint {
    /// Checks that the checkpoint can be loaded into a network built from `spec`: every parameter
    /// tensor the spec needs (`spec.tensorNames`) is present, floating point, and has the shape
    /// `spec.shape(of:)` gives; optimizer state for those tensors (`opt.<slot>.<name>`) has the same
    /// shape. Throws `shapeMismatch` naming the first offending tensor, e.g.
    /// "checkpoint tensor layer1.weight has shape 256×784 but --layers 784,128,10 needs 128×784".
    /// Tensors the spec does not use (a feedback matrix when resuming with a rule without one) are
    /// allowed.
    public func validate(against spec: ModelSpec) throws(WireError) {
        guard spec.widths.count >= 2, spec.widths.allSatisfy({ $0 > 0 }) else {
            throw .invalidValue("--layers needs at least two positive widths, got \(spec.widths)")
        }
        let layers = "--layers " + spec.widths.map(String.init).joined(separator: ",")
        func source(of name: String) -> String {
            name.hasSuffix(".feedback") ? "\(layers) --rule \(spec.rule)" : layers
        }
        let needed = spec.tensorNames
        for name in needed {
            guard let expected = spec.shape(of: name) else { continue }
            guard let tensor = tensor(named: name) else {
                throw .shapeMismatch("checkpoint has no tensor \(name), which \(source(of: name)) needs")
            }
            guard tensor.dtype.isFloatingPoint else {
                throw .shapeMismatch("checkpoint tensor \(name) has dtype \(tensor.dtype); parameters must be floating point")
            }
            guard tensor.shape == expected else {
                throw .shapeMismatch("checkpoint tensor \(name) has shape \(Tensor.format(tensor.shape)) "
                    + "but \(source(of: name)) needs \(Tensor.format(expected))")
            }
        }
        for state in optimizerState {
            let parts = state.name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "opt" else { continue }
            let target = String(parts[2])
            guard needed.contains(target), let expected = spec.shape(of: target) else { continue }
            guard state.shape == expected else {
                throw .shapeMismatch("checkpoint optimizer state \(state.name) has shape \(Tensor.format(state.shape)) "
                    + "but \(source(of: target)) needs \(Tensor.format(expected))")
            }
        }
    }
}
