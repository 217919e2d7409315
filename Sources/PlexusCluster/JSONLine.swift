import Foundation

/// One JSON object with its keys in insertion order (so logs read naturally: "event" first).
public struct JSONLine: Sendable {
    public indirect enum Value: Sendable {
        case number(Double)
        case integer(Int)
        case string(String)
        case bool(Bool)
        case null
        case array([Value])
        case object(JSONLine)
    }

    public private(set) var fields: [(String, Value)] = []

    public init(event: String) {
        fields.append(("event", .string(event)))
    }

    public init() {}

    public subscript(key: String) -> Value? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            if let i = fields.firstIndex(where: { $0.0 == key }) {
                if let newValue { fields[i].1 = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }

    public mutating func set(_ key: String, _ value: Double) { self[key] = .number(value) }
    public mutating func set(_ key: String, _ value: Int) { self[key] = .integer(value) }
    public mutating func set(_ key: String, _ value: String) { self[key] = .string(value) }
    public mutating func set(_ key: String, _ value: Bool) { self[key] = .bool(value) }
    public mutating func set(_ key: String, _ value: [Double]) { self[key] = .array(value.map { .number($0) }) }
    public mutating func set(_ key: String, _ value: JSONLine) { self[key] = .object(value) }

    /// The compact JSON text (non-finite numbers become null).
    public var text: String {
        var out = "{"
        for (i, (k, v)) in fields.enumerated() {
            if i > 0 { out += "," }
            out += JSONLine.quote(k) + ":" + JSONLine.render(v)
        }
        return out + "}"
    }

    static func render(_ v: Value) -> String {
        switch v {
        case .number(let d):
            guard d.isFinite else { return "null" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return "\(d)"
        case .integer(let i): return String(i)
        case .string(let s): return quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(render).joined(separator: ",") + "]"
        case .object(let o): return o.text
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
