import CPlexusProto
import CProtobufC
#if canImport(Glibc)
import Glibc
#endif

/// The C memory behind one protobuf-c message tree that Swift builds for packing: every struct,
/// string, array and byte buffer is allocated here and freed together when the arena goes away.
/// Use it inside `withExtendedLifetime` (or keep a reference) until the pack call returns.
final class ProtoArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    init() {}

    deinit {
        for block in blocks { free(block) }
    }

    /// Zeroed memory for `count` values of `T` (at least one byte, so the pointer is never null).
    private func zeroed<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = calloc(max(count, 1), MemoryLayout<T>.stride) else {
            fatalError("out of memory building a protobuf message")
        }
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// One C message struct, set to its defaults by the generated `…__init` function.
    func message<T>(_ initialise: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
        let pointer = zeroed(T.self, count: 1)
        initialise(pointer)
        return pointer
    }

    /// A NUL-terminated copy of `text` (protobuf-c strings end at the first NUL).
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8)
        let pointer = zeroed(CChar.self, count: utf8.count + 1)
        utf8.withUnsafeBytes { source in
            if let base = source.baseAddress { UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: source.count) }
        }
        return pointer
    }

    /// A C array holding `values` (nil when empty, as protobuf-c expects with a zero count).
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = zeroed(T.self, count: values.count)
        values.withUnsafeBufferPointer { source in
            pointer.update(from: source.baseAddress!, count: source.count)
        }
        return pointer
    }

    /// A C array of message pointers (`T **`), nil when empty.
    func pointers<T>(_ values: [UnsafeMutablePointer<T>]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        array(values.map { Optional($0) })
    }

    /// A copy of `data` as a protobuf-c `bytes` value.
    func bytes(_ data: [UInt8]) -> ProtobufCBinaryData {
        guard !data.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = zeroed(UInt8.self, count: data.count)
        data.withUnsafeBufferPointer { source in
            pointer.update(from: source.baseAddress!, count: source.count)
        }
        return ProtobufCBinaryData(len: data.count, data: pointer)
    }
}
