/// One change in the key space (`mvccpb.Event`). A delete event's `kv` carries only the key
/// and the deletion's `modRevision`, as etcd's watchable store builds it.
public struct Event: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case put
        case delete
    }

    public var kind: Kind
    public var kv: KeyValue
    /// The key's value before this change; nil when the key did not exist.
    public var prevKV: KeyValue?

    public init(kind: Kind, kv: KeyValue, prevKV: KeyValue? = nil) {
        self.kind = kind
        self.kv = kv
        self.prevKV = prevKV
    }
}
