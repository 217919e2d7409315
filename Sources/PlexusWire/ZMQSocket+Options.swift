import CZeroMQ

/// Typed `zmq_setsockopt` / `zmq_getsockopt`. Errors name the option, e.g.
/// `zmq_setsockopt ZMQ_ROUTING_ID: Invalid argument`.
extension ZMQSocket {
    /// Sets an `int` option.
    public func set(_ option: ZMQSocketOption<Int32>, _ value: Int32) throws(ZMQError) {
        var raw = value
        try setRaw(option.rawValue, option.name, &raw, MemoryLayout<Int32>.size)
    }

    /// Sets an `int` flag (0 or 1).
    public func set(_ option: ZMQSocketOption<Bool>, _ value: Bool) throws(ZMQError) {
        var raw: Int32 = value ? 1 : 0
        try setRaw(option.rawValue, option.name, &raw, MemoryLayout<Int32>.size)
    }

    /// Sets an `int64_t` option.
    public func set(_ option: ZMQSocketOption<Int64>, _ value: Int64) throws(ZMQError) {
        var raw = value
        try setRaw(option.rawValue, option.name, &raw, MemoryLayout<Int64>.size)
    }

    /// Sets a binary option.
    public func set(_ option: ZMQSocketOption<[UInt8]>, _ value: [UInt8]) throws(ZMQError) {
        var bytes = value
        try setRaw(option.rawValue, option.name, &bytes, bytes.count)
    }

    /// Sets a text option (UTF-8; with a trailing NUL where libzmq wants one, as for Z85 keys).
    public func set(_ option: ZMQSocketOption<String>, _ value: String) throws(ZMQError) {
        var bytes = Array(value.utf8)
        if option.setWithTerminator { bytes.append(0) }
        try setRaw(option.rawValue, option.name, &bytes, bytes.count)
    }

    /// Reads an `int` option.
    public func get(_ option: ZMQSocketOption<Int32>) throws(ZMQError) -> Int32 {
        var raw: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try getRaw(option.rawValue, option.name, &raw, &size)
        return raw
    }

    /// Reads an `int` flag.
    public func get(_ option: ZMQSocketOption<Bool>) throws(ZMQError) -> Bool {
        var raw: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try getRaw(option.rawValue, option.name, &raw, &size)
        return raw != 0
    }

    /// Reads an `int64_t` option.
    public func get(_ option: ZMQSocketOption<Int64>) throws(ZMQError) -> Int64 {
        var raw: Int64 = 0
        var size = MemoryLayout<Int64>.size
        try getRaw(option.rawValue, option.name, &raw, &size)
        return raw
    }

    /// Reads a binary option (at most 255 bytes, the limit for identities).
    public func get(_ option: ZMQSocketOption<[UInt8]>) throws(ZMQError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        var size = buffer.count
        try getRaw(option.rawValue, option.name, &buffer, &size)
        return Array(buffer.prefix(size))
    }

    /// Reads a text option (up to its first NUL).
    public func get(_ option: ZMQSocketOption<String>) throws(ZMQError) -> String {
        var buffer = [UInt8](repeating: 0, count: option.textCapacity)
        var size = buffer.count
        try getRaw(option.rawValue, option.name, &buffer, &size)
        let text = buffer.prefix(size).prefix { $0 != 0 }
        return String(decoding: text, as: UTF8.self)
    }

    private func setRaw(_ option: Int32, _ name: String, _ value: UnsafeRawPointer, _ size: Int) throws(ZMQError) {
        let socket = try openHandle("zmq_setsockopt \(name)")
        if zmq_setsockopt(socket, option, value, size) != 0 {
            throw ZMQError.last("zmq_setsockopt \(name)")
        }
    }

    private func getRaw(
        _ option: Int32, _ name: String, _ value: UnsafeMutableRawPointer, _ size: inout Int
    ) throws(ZMQError) {
        let socket = try openHandle("zmq_getsockopt \(name)")
        if zmq_getsockopt(socket, option, value, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt \(name)")
        }
    }
}
