/// One non-empty line of ZPL (ZeroMQ RFC 4) text: its depth (four spaces of indentation per level),
/// its name and its optional value, quotes removed and comments dropped.
struct CurveZPLProperty {
    /// Why a line could not be read.
    struct SyntaxError: Error {
        let reason: String
    }

    let depth: Int
    let name: String
    let value: String?

    /// Parses `line`; nil for a blank or comment-only line.
    init?(_ line: Substring) throws(SyntaxError) {
        let bytes = Array(line.utf8)
        var index = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\t") {
            throw SyntaxError(reason: "tab in indentation (ZPL indents with four spaces)")
        }
        if index == bytes.count || bytes[index] == UInt8(ascii: "#") { return nil }
        guard index % 4 == 0 else {
            throw SyntaxError(reason: "indentation of \(index) spaces is not a multiple of four")
        }
        depth = index / 4

        let nameStart = index
        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
              bytes[index] != UInt8(ascii: "#") {
            index += 1
        }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        guard CurveCertificate.isValidName(name) else {
            throw SyntaxError(reason: "\"\(name)\" is not a valid property name")
        }
        self.name = name

        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        if index == bytes.count || bytes[index] == UInt8(ascii: "#") {
            value = nil
            return
        }
        guard bytes[index] == UInt8(ascii: "=") else {
            throw SyntaxError(reason: "expected \"=\" after \"\(name)\"")
        }
        index += 1
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }

        var rest = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
            let quote = bytes[index]
            guard let close = bytes[(index + 1)...].firstIndex(of: quote) else {
                throw SyntaxError(reason: "the value of \"\(name)\" has no closing quote")
            }
            value = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
            rest = close + 1
        } else {
            var end = index
            while end < bytes.count, !Self.isSpace(bytes[end]), bytes[end] != UInt8(ascii: "#") { end += 1 }
            value = String(decoding: bytes[index..<end], as: UTF8.self)
            rest = end
        }
        while rest < bytes.count, Self.isSpace(bytes[rest]) { rest += 1 }
        guard rest == bytes.count || bytes[rest] == UInt8(ascii: "#") else {
            throw SyntaxError(reason: "unexpected text after the value of \"\(name)\"")
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
