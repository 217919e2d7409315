/// An unsigned-byte array in the IDX format of MNIST: a big-endian magic number `0x000008NN`
/// (element type 0x08 = `UInt8`, NN dimensions), NN big-endian `UInt32` sizes, then the elements in
/// row-major order. Images are 3-dimensional (`0x00000803`: count × rows × columns), labels
/// 1-dimensional (`0x00000801`).
public struct IDXArray: Equatable, Sendable {
    /// The IDX type code of unsigned bytes, the only element type this reader accepts.
    public static let unsignedByteType: UInt8 = 0x08
    /// The magic number of an image file (three dimensions).
    public static let imageMagic: UInt32 = 0x0000_0803
    /// The magic number of a label file (one dimension).
    public static let labelMagic: UInt32 = 0x0000_0801

    /// The sizes, outermost first (for images: count, rows, columns).
    public var dimensions: [Int]
    /// The elements, row-major; `bytes.count` is the product of `dimensions`.
    public var bytes: [UInt8]

    /// An array of the given shape; the byte count must match the shape.
    public init(dimensions: [Int], bytes: [UInt8]) {
        precondition(!dimensions.isEmpty && dimensions.count <= 255, "IDX needs 1–255 dimensions")
        precondition(dimensions.allSatisfy { $0 >= 0 && UInt64($0) <= UInt64(UInt32.max) },
                     "IDX dimensions must fit in 32 bits")
        precondition(dimensions.reduce(1, *) == bytes.count, "IDX byte count does not match the shape")
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// The magic number this array is written with.
    public var magic: UInt32 {
        UInt32(IDXArray.unsignedByteType) << 8 | UInt32(dimensions.count)
    }

    /// The size of the header in bytes: the magic and one `UInt32` per dimension.
    public var headerSize: Int { 4 + 4 * dimensions.count }
}
