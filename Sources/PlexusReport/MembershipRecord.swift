/// The cluster bookkeeping events `worker`, `join` and `leave`. Only their kind and the worker they
/// name are kept; the report counts them but draws nothing from them.
public struct MembershipRecord: Sendable, Equatable {
    /// `worker`, `join` or `leave`.
    public var kind: String
    /// The worker's name or id, when the record gives one.
    public var worker: String?

    init(kind: String, json: JSONValue) {
        self.kind = kind
        if let name = json["name"]?.string ?? json["worker"]?.string {
            worker = name
        } else if let id = json["worker"]?.int ?? json["worker_id"]?.int ?? json["id"]?.int {
            worker = String(id)
        } else {
            worker = nil
        }
    }
}
