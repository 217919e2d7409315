import Foundation
import PlexusCluster

/// `plexus COMMAND [options]`: the command-line tool.
let commands: [(name: String, about: String, run: ([String]) throws -> Int32)] = [
    ("train", "train a network in one process with any learning rule", TrainCommand.run),
    ("probe", "compare every rule's update with the BP gradient on one batch", ProbeCommand.run),
    ("verify", "check the theory: Z-IL = BP, BP = finite differences, IL → BP, KP alignment", VerifyCommand.run),
    ("bench", "measure training throughput and GFLOP/s of each rule", BenchCommand.run),
    ("report", "render metrics logs as a summary table, CSVs and an HTML report", ReportCommand.run),
    ("compare", "train every rule on the same data and schedule, run the IL sweep, render the report", CompareCommand.run),
    ("launch", "train on a local cluster: a coordinator and N worker processes (or workers over ssh)", LaunchCommand.run),
    ("coordinator", "run the parameter server of a cluster run, for workers started by hand or by Slurm", CoordinatorCommand.run),
    ("worker", "join a coordinator and train on the data shard it sends", WorkerCommand.run),
    ("cluster-bench", "measure the parameter server: aggregation, protobuf and ZeroMQ per round, 1 vs 2 workers", ClusterBenchCommand.run),
    ("keygen", "write a CURVE key pair (zcert files) for encrypted, authenticated cluster runs", KeygenCommand.run),
]

@MainActor
func topLevelHelp() -> String {
    var lines = [
        "plexus — a distributed parameter-server trainer for predictive-coding networks",
        "",
        "usage: plexus COMMAND [options]      (plexus COMMAND --help for a command's options)",
        "",
        "commands:",
    ]
    let width = (commands.map(\.name.count).max() ?? 0) + 3
    for c in commands { lines.append("  " + c.name + String(repeating: " ", count: width - c.name.count) + c.about) }
    return lines.joined(separator: "\n")
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("plexus: error: \(message)\n".utf8))
    exit(status)
}

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, name != "--help", name != "-h", name != "help" else {
    print(topLevelHelp())
    exit(argv.isEmpty ? 2 : 0)
}
if name == "--version" {
    print("plexus 0.1.0 (protocol \(1))")
    exit(0)
}
guard let command = commands.first(where: { $0.name == name }) else {
    fail("unknown command '\(name)'; commands: \(commands.map(\.name).joined(separator: ", ")) (plexus --help)", status: 2)
}
do {
    exit(try command.run(Array(argv.dropFirst())))
} catch let error as UsageError {
    fail(error.description, status: 2)
} catch {
    fail(String(describing: error), status: 1)
}
