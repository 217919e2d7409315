/// A named dense tensor as it travels on the wire and sits in checkpoint files: a row-major shape,
/// an element type, and the elements' raw little-endian bytes (the proto's `Tensor`).
///
/// Every `Tensor` is consistent: each dimension is non-negative, the element count does not
/// overflow, and `bytes.count == elementCount × dtype.elementSize`. The initialisers check this
/// (and decoding from protobuf goes through them), so code holding a `Tensor` need not.
public struct Tensor: Equatable, Sendable, CustomStringConvertible {
    /// The tensor's name, e.g. `layer1.weight` or `opt.m.layer1.weight`.
    public var name: String
    /// Dimensions, outermost first (row-major).
    public private(set) var shape: [Int]
    /// Element type of `bytes`.
    public private(set) var dtype: DType
    /// `elementCount × dtype.elementSize` bytes, little-endian.
    public private(set) var bytes: [UInt8]

    /// A tensor from raw little-endian bytes; throws if the byte count does not match the shape.
    public init(name: String, shape: [Int], dtype: DType, bytes: [UInt8]) throws(WireError) {
        let count = try Tensor.checkedElementCount(name: name, shape: shape)
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize)
        guard !overflow else { throw .invalidShape(tensor: name, shape: shape) }
        guard needed == bytes.count else {
            throw .tensorSizeMismatch(
                tensor: name,
                detail: "shape \(Tensor.format(shape)) of \(dtype) needs \(needed) bytes, got \(bytes.count)")
        }
        self.init(unchecked: name, shape: shape, dtype: dtype, bytes: bytes)
    }

    /// A tensor whose consistency the caller has already established.
    init(unchecked name: String, shape: [Int], dtype: DType, bytes: [UInt8]) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    /// Number of elements: the product of the shape (1 for a scalar, shape `[]`).
    public var elementCount: Int { bytes.count / dtype.elementSize }

    /// The element count a shape describes, or nil if a dimension is negative or the product
    /// overflows `Int`.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// `elementCount(of:)`, throwing `invalidShape` for a bad shape.
    static func checkedElementCount(name: String, shape: [Int]) throws(WireError) -> Int {
        guard let count = elementCount(of: shape) else { throw .invalidShape(tensor: name, shape: shape) }
        return count
    }

    /// `name: dtype shape`, e.g. `layer1.weight: f32 128×784` (the bytes are left out).
    public var description: String { "\(name): \(dtype) \(Tensor.format(shape))" }

    /// A shape as `128×784` (a scalar as `scalar`), for messages.
    public static func format(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }
}
