extension Activation {
    /// Computes `fx[i] = f(x[i])` and, when `dfx` is given, `dfx[i] = f′(x[i])` over `count`
    /// contiguous elements in one pass. The switch sits outside the loops so each loop is branch-free
    /// and vectorises (Float takes `FastMath`).
    @inlinable
    public func apply<S: BLASScalar>(_ x: UnsafePointer<S>, _ fx: UnsafeMutablePointer<S>,
                                     derivative dfx: UnsafeMutablePointer<S>?, count: Int) {
        switch self {
        case .tanh:
            if let dfx {
                for i in 0..<count {
                    let t = S.elementaryTanh(x[i])
                    fx[i] = t
                    dfx[i] = 1 - t * t
                }
            } else {
                for i in 0..<count { fx[i] = S.elementaryTanh(x[i]) }
            }
        case .relu:
            for i in 0..<count { fx[i] = x[i] > 0 ? x[i] : 0 }
            if let dfx { for i in 0..<count { dfx[i] = x[i] > 0 ? 1 : 0 } }
        case .leakyRelu:
            let slope = S(Activation.leakySlope)
            for i in 0..<count { fx[i] = x[i] > 0 ? x[i] : slope * x[i] }
            if let dfx { for i in 0..<count { dfx[i] = x[i] > 0 ? 1 : slope } }
        case .sigmoid:
            for i in 0..<count {
                let s = 1 / (1 + S.elementaryExp(-x[i]))
                fx[i] = s
                if let dfx { dfx[i] = s * (1 - s) }
            }
        case .gelu:
            // f(x) = ½x(1 + tanh u), u = c(x + a x³); f′(x) = ½(1 + tanh u) + ½x(1 − tanh²u) c (1 + 3a x²).
            let c = S(0.797_884_560_802_865_4), a = S(0.044_715)
            for i in 0..<count {
                let v = x[i]
                let t = S.elementaryTanh(c * (v + a * v * v * v))
                fx[i] = S(0.5) * v * (1 + t)
                if let dfx { dfx[i] = S(0.5) * (1 + t) + S(0.5) * v * (1 - t * t) * c * (1 + 3 * a * v * v) }
            }
        case .linear:
            if UnsafePointer(fx) != x { fx.update(from: x, count: count) }
            if let dfx { dfx.update(repeating: 1, count: count) }
        }
    }

    /// `f(x)` for one value (slow path, for references and tests).
    @inlinable
    public func value<S: BLASScalar>(_ x: S) -> S {
        var input = x, out = S.zero
        apply(&input, &out, derivative: nil, count: 1)
        return out
    }

    /// `f′(x)` for one value (slow path, for references and tests).
    @inlinable
    public func derivative<S: BLASScalar>(_ x: S) -> S {
        var input = x, out = S.zero, d = S.zero
        apply(&input, &out, derivative: &d, count: 1)
        return d
    }
}
