import Foundation

/// Deterministic metrics logs for the tests, written the way the trainer writes them.
enum SyntheticLogs {
    /// Locality profiles as `done` would carry them: transport, local plasticity, f′, phases, volume.
    static let profiles: [String: (Bool, Bool, Bool, Bool, Int)] = [
        "bp": (true, false, true, true, 268_800), "zil": (true, true, true, false, 268_800),
        "il": (true, true, true, false, 268_800), "fa": (false, false, true, true, 0),
        "pcfa": (false, true, true, false, 0), "pckp": (false, true, true, false, 0),
        "dfa": (false, false, false, true, 0),
    ]

    /// Final accuracies the full log is built to reach.
    static let finals: [String: Double] = [
        "bp": 0.887, "zil": 0.886, "il": 0.881, "fa": 0.862, "pcfa": 0.858, "pckp": 0.874, "dfa": 0.842,
    ]

    /// Cosine with BP at the start of training and how much it rises by the end.
    static let alignmentShape: [String: (Double, Double)] = [
        "bp": (1, 0), "zil": (1, 0), "il": (0.96, 0.01), "fa": (0.3, 0.35), "pcfa": (0.35, 0.25),
        "pckp": (0.45, 0.45), "dfa": (0.2, 0.25),
    ]

    static let epochs = 10
    static let steps = 20

    /// A JSON line from a dictionary literal, keys in sorted order.
    static func line(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Every event type for every rule, plus the IL sweep, the Z-IL check and junk lines.
    static func full() -> String {
        var lines: [String] = []
        for rule in ["bp", "zil", "il", "fa", "pcfa", "pckp", "dfa"] {
            lines += run(rule: rule, workers: 1, cluster: false)
        }
        for steps in [1, 2, 5, 10, 20, 50, 100] {
            for (index, precision) in [1.0, 10.0, 100.0].enumerated() {
                let cosine = 1 - 0.6 * exp(-Double(steps) / (3.0 * Double(index + 1)))
                lines.append(line(["event": "il_sweep", "steps": steps, "output_precision": precision,
                                   "cosine": cosine, "layers": [cosine - 0.02, cosine, cosine + 0.01]]))
            }
        }
        lines.append(line(["event": "zil_check", "precision": "f64", "max_rel_diff": 3.2e-16, "depth": 3]))
        lines.append(line(["event": "zil_check", "precision": "f32", "max_rel_diff": 2.1e-7, "depth": 3]))
        lines.append("this is not JSON")
        lines.append(line(["event": "heartbeat", "worker": 3]))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Cluster runs of pckp with 1, 2, 4 and 8 workers.
    static func cluster() -> String {
        [1, 2, 4, 8].flatMap { run(rule: "pckp", workers: $0, cluster: true) }.joined(separator: "\n") + "\n"
    }

    /// One run of `rule`: start, per-epoch eval/alignment/energy, rounds when `cluster`, done.
    static func run(rule: String, workers: Int, cluster: Bool) -> [String] {
        let final = finals[rule] ?? 0.8
        let pc = ["zil", "il", "pcfa", "pckp"].contains(rule)
        let hasFeedback = ["fa", "pcfa", "pckp"].contains(rule)
        let rate = 15_000.0 * Double(workers) * 0.85
        var lines = [line(["event": "start", "rule": rule,
                           "model": ["widths": [784, 256, 256, 10], "activation": "tanh", "energy": "ce",
                                     "steps": steps, "gamma": 0.1],
                           "optimizer": ["kind": "adam", "lr": 0.001], "batch": 128, "epochs": epochs,
                           "workers": workers, "data": "fashion-mnist", "time": "2025-01-01T00:00:00Z"])]
        for epoch in 1...epochs {
            let progress = 1 - exp(-Double(epoch) / 2.5)
            let accuracy = 0.70 + (final - 0.70) * progress / (1 - exp(-Double(epochs) / 2.5))
            var eval: [String: Any] = ["event": "eval", "rule": rule, "epoch": epoch, "test_accuracy": accuracy,
                                       "train_loss": 1.0 - 0.6 * progress, "train_accuracy": accuracy + 0.01,
                                       "samples_per_second": rate, "wall_s": Double(epoch) * 4.0]
            if cluster { eval["round"] = epoch * 469 / workers }
            if pc { eval["energy_before"] = 2.0; eval["energy_after"] = 0.5 }
            lines.append(line(eval))
            if cluster {
                for round in 0..<3 {
                    lines.append(line(["event": "round", "round": epoch * 10 + round, "version": epoch * 10 + round,
                                       "workers": workers, "samples": 128 * workers,
                                       "round_ms": 8.0 + 1.5 * Double(workers), "bytes_in": 1_075_200 * workers,
                                       "bytes_out": 1_075_200 * workers, "stale_rejected": 0, "transport_volume": 0]))
                }
                continue
            }
            let (floor, rise) = alignmentShape[rule] ?? (0.4, 0.3)
            let base = floor + rise * progress
            let layers: [[String: Any]] = (1...3).map { layer in
                ["layer": layer, "cosine": min(1, base - 0.02 * Double(3 - layer) * (1 - base)), "norm_ratio": 1.0]
            }
            var alignment: [String: Any] = ["event": "alignment", "rule": rule, "epoch": epoch, "layers": layers]
            if hasFeedback {
                let shrink = (rule == "pckp" ? 60.0 : rule == "fa" ? 40.0 : 25.0) * progress
                alignment["feedback_angle_degrees"] = [NSNull(), 85.0 - shrink, 80.0 - shrink]
            }
            lines.append(line(alignment))
            if pc && (epoch == 1 || epoch % 3 == 0) {
                let start = 3.0 / Double(epoch)
                let trajectory = (0...steps).map { start * (0.2 + 0.8 * exp(-Double($0) / 4)) }
                lines.append(line(["event": "energy", "rule": rule, "epoch": epoch, "batch": 0, "trajectory": trajectory]))
            }
        }
        let (transport, local, fprime, phases, volume) = profiles[rule] ?? (false, true, false, false, 0)
        var done: [String: Any] = ["event": "done", "rule": rule, "test_accuracy": final,
                                   "best_test_accuracy": final + 0.002, "samples_per_second": rate,
                                   "wall_s": 40.0, "workers": workers, "flops_per_sample": 6.5e6,
                                   "locality": ["weight_transport": transport, "local_plasticity": local,
                                                "fprime_on_feedback": fprime, "separate_phases": phases,
                                                "transport_volume": volume]]
        if cluster {
            done["rounds"] = epochs * 3
            done["bytes_per_round"] = 2 * 1_075_200 * workers
        }
        lines.append(line(done))
        return lines
    }
}
