/// The `round` event: one coordinator round of a cluster run.
public struct RoundRecord: Sendable, Equatable {
    public var rule: String?
    public var round: Int
    public var version: Int?
    public var workers: Int?
    public var samples: Int?
    public var roundMilliseconds: Double?
    public var bytesIn: Double?
    public var bytesOut: Double?
    public var staleRejected: Int?
    public var transportVolume: Double?

    /// `nil` without a round number.
    init?(json: JSONValue) {
        guard let round = json["round"]?.int else { return nil }
        self.round = round
        rule = json["rule"]?.string
        version = json["version"]?.int
        workers = json["workers"]?.int
        samples = json["samples"]?.int
        roundMilliseconds = json["round_ms"]?.double
        bytesIn = json["bytes_in"]?.double
        bytesOut = json["bytes_out"]?.double
        staleRejected = json["stale_rejected"]?.int
        transportVolume = json["transport_volume"]?.double
    }

    /// Bytes moved in both directions this round; `nil` when neither count is present.
    public var traffic: Double? {
        if bytesIn == nil && bytesOut == nil { return nil }
        return (bytesIn ?? 0) + (bytesOut ?? 0)
    }
}
