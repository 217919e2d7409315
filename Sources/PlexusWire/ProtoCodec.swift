import CPlexusProto
import CProtobufC

/// Shared plumbing between the Swift message types and protobuf-c: packing a C message tree into
/// bytes, unpacking bytes (bounded, never trusting the input) and copying C fields out into Swift.
enum ProtoCodec {
    /// Default bound on the size of a message or file this side is willing to decode: 1 GiB, above
    /// any Welcome with a full Fashion-MNIST shard (about 47 MB) and well below what protobuf-c
    /// (32-bit length prefixes) could describe.
    static let defaultMaximumSize = 1 << 30

    /// Packs a C message with its generated `get_packed_size` and `pack` functions.
    static func pack<C>(
        _ message: UnsafePointer<C>,
        size: (UnsafePointer<C>) -> Int,
        pack: (UnsafePointer<C>, UnsafeMutablePointer<UInt8>) -> Int
    ) -> [UInt8] {
        let count = size(message)
        return [UInt8](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            let written = pack(message, buffer.baseAddress!)
            precondition(written == count, "protobuf-c packed \(written) bytes, expected \(count)")
            initialized = count
        }
    }

    /// Unpacks `bytes` with the generated `unpack` function, converts the result with `convert`
    /// while the C tree is alive, and always frees it with the generated `free_unpacked`.
    /// Inputs over `maximumSize` are refused before protobuf-c sees them; a NULL from protobuf-c
    /// (malformed, truncated, or an allocation it could not make) becomes `WireError.malformed`.
    static func unpack<C, T>(
        _ bytes: UnsafeRawBufferPointer,
        maximumSize: Int,
        what: String,
        unpack: (Int, UnsafePointer<UInt8>) -> UnsafeMutablePointer<C>?,
        free: (UnsafeMutablePointer<C>) -> Void,
        convert: (UnsafePointer<C>) throws(WireError) -> T
    ) throws(WireError) -> T {
        guard bytes.count <= maximumSize else { throw .messageTooLarge(size: bytes.count, limit: maximumSize) }
        // protobuf-c never dereferences the data of a zero-length input, but give it a valid pointer anyway.
        var placeholder: UInt8 = 0
        let message: UnsafeMutablePointer<C>? = withUnsafeMutablePointer(to: &placeholder) { fallback in
            let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(fallback)
            return unpack(bytes.count, base)
        }
        guard let message else {
            throw .malformed("\(what) of \(bytes.count) bytes does not parse (truncated or not protobuf)")
        }
        defer { free(message) }
        return try convert(UnsafePointer(message))
    }

    // MARK: reading C fields

    /// A C string as Swift text (NULL reads as empty; invalid UTF-8 is repaired, never trapped on).
    static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// A protobuf `uint64` as `Int`, throwing if it does not fit.
    static func int(_ value: UInt64, field: String) throws(WireError) -> Int {
        guard let result = Int(exactly: value) else {
            throw .malformed("\(field) = \(value) is out of range")
        }
        return result
    }

    /// A C array of scalars as a Swift array (NULL or a zero count reads as empty).
    static func values<T>(_ pointer: UnsafePointer<T>?, count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// A C array of message pointers converted element by element; a NULL element is malformed.
    static func list<C, T>(
        _ items: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?,
        count: Int,
        field: String,
        _ convert: (UnsafePointer<C>) throws(WireError) -> T
    ) throws(WireError) -> [T] {
        guard count > 0 else { return [] }
        guard let items else { throw .malformed("\(field) has \(count) entries but no data") }
        var result: [T] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            guard let item = items[i] else { throw .malformed("\(field)[\(i)] is missing") }
            result.append(try convert(UnsafePointer(item)))
        }
        return result
    }

    /// A sub-message that must be present.
    static func required<C>(_ pointer: UnsafeMutablePointer<C>?, field: String) throws(WireError) -> UnsafePointer<C> {
        guard let pointer else { throw .malformed("\(field) is missing") }
        return UnsafePointer(pointer)
    }

    // MARK: writing C fields

    /// An `Int` for a `uint32` field; values outside 0…UInt32.max are clamped (callers validate ranges).
    static func u32(_ value: Int) -> UInt32 { UInt32(clamping: value) }

    /// An `Int` for a `uint64` field; negative values are clamped to 0 (callers validate ranges).
    static func u64(_ value: Int) -> UInt64 { UInt64(clamping: value) }
}
