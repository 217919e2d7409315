/// A user-facing command-line error: printed as one line, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One option of a command, for parsing and for `--help`.
struct OptionSpec {
    var name: String
    /// Placeholder of the value (`N`, `FILE`), or nil for a switch.
    var value: String?
    var help: String

    init(_ name: String, _ value: String?, _ help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}

/// Parsed `--name value`, `--name=value` and `--switch` arguments, checked against a command's options.
struct ParsedArguments {
    let command: String
    private(set) var values: [String: String] = [:]
    private(set) var switches: Set<String> = []
    private(set) var positionals: [String] = []

    init(command: String, _ arguments: [String], options: [OptionSpec]) throws(UsageError) {
        self.command = command
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if arg.hasPrefix("-") && arg.count > 1 && Double(arg) == nil {
                    throw UsageError("unknown option '\(arg)' for 'plexus \(command)'; see 'plexus \(command) --help'")
                }
                positionals.append(arg)
                continue
            }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let spec = byName[name] else {
                let near = options.map(\.name).filter { $0.hasPrefix(String(name.prefix(3))) }
                throw UsageError("unknown option '--\(name)' for 'plexus \(command)'"
                    + (near.isEmpty ? "" : " (did you mean \(near.map { "--" + $0 }.joined(separator: ", "))?)")
                    + "; see 'plexus \(command) --help'")
            }
            if spec.value == nil {
                guard inline == nil else { throw UsageError("option '--\(name)' takes no value") }
                switches.insert(name)
            } else {
                if let inline {
                    values[name] = inline
                } else {
                    guard i < arguments.count else { throw UsageError("option '--\(name)' needs a value (\(spec.value!))") }
                    values[name] = arguments[i]
                    i += 1
                }
            }
        }
    }

    func has(_ name: String) -> Bool { switches.contains(name) || values[name] != nil }

    func string(_ name: String) -> String? { values[name] }

    func int(_ name: String) throws(UsageError) -> Int? {
        guard let v = values[name] else { return nil }
        guard let n = Int(v.replacingOccurrences(of: "_", with: "")) else {
            throw UsageError("option '--\(name)' needs a whole number, got '\(v)'")
        }
        return n
    }

    func double(_ name: String) throws(UsageError) -> Double? {
        guard let v = values[name] else { return nil }
        guard let d = Double(v), d.isFinite else { throw UsageError("option '--\(name)' needs a finite number, got '\(v)'") }
        return d
    }

    func intList(_ name: String) throws(UsageError) -> [Int]? {
        guard let v = values[name] else { return nil }
        let parts = v.split(separator: ",", omittingEmptySubsequences: false)
        var out: [Int] = []
        for p in parts {
            guard let n = Int(p.trimmingCharacters(in: .whitespaces)) else {
                throw UsageError("option '--\(name)' needs comma-separated whole numbers, got '\(v)'")
            }
            out.append(n)
        }
        return out
    }
}

/// Renders a command's help: usage, a description, and the options with their help text.
func helpText(usage: String, about: String, options: [OptionSpec]) -> String {
    var lines = ["usage: \(usage)", "", about, "", "options:"]
    let labels = options.map { "--\($0.name)" + ($0.value.map { " \($0)" } ?? "") }
    let width = min(28, (labels.map(\.count).max() ?? 0) + 2)
    for (label, o) in zip(labels, options) {
        let pad = label.count < width ? String(repeating: " ", count: width - label.count) : "\n" + String(repeating: " ", count: width + 2)
        lines.append("  " + label + pad + o.help)
    }
    lines.append("  --help" + String(repeating: " ", count: max(1, width - 6)) + "show this help")
    return lines.joined(separator: "\n")
}

import Foundation
