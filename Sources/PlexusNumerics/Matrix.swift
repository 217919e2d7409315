/// A dense row-major matrix that owns its storage. A batch of `B` samples of a layer of width `n` is a
/// `B × n` matrix (DESIGN.md §1). Reference semantics: buffers are allocated once and reused, so the
/// training loop does not allocate; use `copy()` for an independent matrix.
public final class Matrix<Scalar: BLASScalar>: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    /// `rows × cols` elements, row-major, 64-byte aligned.
    public let data: UnsafeMutablePointer<Scalar>

    /// A zero-filled matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative, got \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        let count = Swift.max(rows * cols, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Scalar>.stride, alignment: 64)
        data = raw.bindMemory(to: Scalar.self, capacity: count)
        data.initialize(repeating: 0, count: count)
    }

    /// A matrix holding `values` (row-major).
    public convenience init(rows: Int, cols: Int, values: [Scalar]) {
        precondition(values.count == rows * cols, "Matrix(\(rows)×\(cols)) needs \(rows * cols) values, got \(values.count)")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit {
        UnsafeMutableRawPointer(data).deallocate()
    }

    public var count: Int { rows * cols }

    @inlinable
    public subscript(row: Int, col: Int) -> Scalar {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// The whole matrix as a view.
    @inlinable
    public var view: MatrixView<Scalar> { MatrixView(data, rows: rows, cols: cols) }

    /// Rows `start ..< start + count` as a view sharing this storage.
    @inlinable
    public func rows(_ start: Int, _ count: Int) -> MatrixView<Scalar> {
        view.rows(start, count)
    }

    public var array: [Scalar] { Array(UnsafeBufferPointer(start: data, count: count)) }

    public func copy() -> Matrix<Scalar> {
        let m = Matrix(rows: rows, cols: cols)
        m.data.update(from: data, count: count)
        return m
    }

    public func fill(_ value: Scalar) {
        data.update(repeating: value, count: count)
    }

    /// Copies `other`'s elements; shapes must agree.
    public func assign(_ other: Matrix<Scalar>) {
        precondition(other.rows == rows && other.cols == cols, "assign: shape \(other.rows)×\(other.cols) into \(rows)×\(cols)")
        data.update(from: other.data, count: count)
    }

    /// The same values in another precision.
    public func converted<Other: BLASScalar>(to _: Other.Type = Other.self) -> Matrix<Other> {
        let m = Matrix<Other>(rows: rows, cols: cols)
        for i in 0..<count { m.data[i] = Other(data[i]) }
        return m
    }
}

/// A non-owning row-major window on matrix storage (contiguous rows of a `Matrix`).
public struct MatrixView<Scalar: BLASScalar> {
    public let data: UnsafeMutablePointer<Scalar>
    public let rows: Int
    public let cols: Int

    @inlinable
    public init(_ data: UnsafeMutablePointer<Scalar>, rows: Int, cols: Int) {
        self.data = data
        self.rows = rows
        self.cols = cols
    }

    @inlinable
    public var count: Int { rows * cols }

    @inlinable
    public func rows(_ start: Int, _ count: Int) -> MatrixView<Scalar> {
        precondition(start >= 0 && count >= 0 && start + count <= rows, "rows(\(start), \(count)) out of 0..<\(rows)")
        return MatrixView(data + start * cols, rows: count, cols: cols)
    }

    @inlinable
    public subscript(row: Int, col: Int) -> Scalar {
        get { data[row * cols + col] }
        nonmutating set { data[row * cols + col] = newValue }
    }
}
