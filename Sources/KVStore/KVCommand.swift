/// A state-machine command: what the server proposes to Raft and every replica applies.
public enum KVCommand: Sendable, Equatable {
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
    case compact(revision: Int64)
    /// `id` is chosen by the server before proposing (etcd: a positive request ID).
    case leaseGrant(id: Int64, ttlSeconds: Int64)
    case leaseRevoke(id: Int64)
}
