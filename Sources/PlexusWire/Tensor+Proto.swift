import CPlexusProto
import CProtobufC

/// Conversion between `Tensor` and protobuf-c's `Plexus__Tensor`.
extension Tensor {
    /// Copies a decoded C tensor into Swift, checking dtype, shape and byte count.
    init(proto: UnsafePointer<Plexus__Tensor>) throws(WireError) {
        let message = proto.pointee
        let name = ProtoCodec.string(message.name)
        guard let dtype = DType(protoValue: message.dtype.rawValue) else {
            throw .malformed("tensor \(name) has unknown dtype \(message.dtype.rawValue)")
        }
        var shape: [Int] = []
        if message.n_shape > 0 {
            guard let dims = message.shape else { throw .malformed("tensor \(name) has a shape count but no shape") }
            shape.reserveCapacity(message.n_shape)
            for i in 0..<message.n_shape {
                guard let dimension = Int(exactly: dims[i]) else {
                    throw .invalidShape(tensor: name, shape: shape + [Int.max])
                }
                shape.append(dimension)
            }
        }
        var bytes: [UInt8] = []
        if message.data.len > 0 {
            guard let data = message.data.data else { throw .malformed("tensor \(name) has a length but no data") }
            bytes = Array(UnsafeBufferPointer(start: data, count: message.data.len))
        }
        try self.init(name: name, shape: shape, dtype: dtype, bytes: bytes)
    }

    /// Builds the C tensor in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Tensor> {
        let message: UnsafeMutablePointer<Plexus__Tensor> = arena.message { plexus__tensor__init($0) }
        message.pointee.name = arena.string(name)
        message.pointee.n_shape = shape.count
        message.pointee.shape = arena.array(shape.map { UInt64($0) })
        message.pointee.dtype = Plexus__DType(rawValue: dtype.protoValue)
        message.pointee.data = arena.bytes(bytes)
        return message
    }

    /// Builds a C array of tensors in `arena`.
    static func proto(_ tensors: [Tensor], in arena: ProtoArena) -> UnsafeMutablePointer<UnsafeMutablePointer<Plexus__Tensor>?>? {
        arena.pointers(tensors.map { $0.proto(in: arena) })
    }

    /// Copies a decoded C array of tensors into Swift.
    static func list(
        _ items: UnsafeMutablePointer<UnsafeMutablePointer<Plexus__Tensor>?>?, count: Int, field: String
    ) throws(WireError) -> [Tensor] {
        try ProtoCodec.list(items, count: count, field: field) { (item) throws(WireError) in try Tensor(proto: item) }
    }
}
