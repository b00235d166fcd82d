import KVStore

/// Keys under `_roost/` hold the catalog, sessions and Consul KV metadata. Every surface
/// reads them from the one MVCC history (etcd watches, blocking queries, DNS, confd), but
/// only the server's own Consul endpoints write them: an etcd client that could put or
/// delete there would corrupt the catalog behind the agent's back.
public enum ReservedKeys {
    public static let prefix: [UInt8] = Array("_roost/".utf8)
    /// The whole reserved interval, `[_roost/, _roost0)`.
    public static let range = KeyRange.prefix(prefix)

    public static func contains(_ key: [UInt8]) -> Bool {
        key.starts(with: prefix)
    }

    /// Whether an etcd range (`key`, `rangeEnd` with etcd's rules) touches the prefix.
    public static func intersects(key: [UInt8], rangeEnd: [UInt8]) -> Bool {
        if rangeEnd.isEmpty { return contains(key) }
        let reservedEnd = range.rangeEnd
        // [key, rangeEnd) meets [prefix, reservedEnd) unless one ends before the other starts.
        let endsBefore =
            !(rangeEnd.count == 1 && rangeEnd[0] == 0)
            && !prefix.lexicographicallyPrecedes(rangeEnd)
        let startsAfter = !key.lexicographicallyPrecedes(reservedEnd)
        return !(endsBefore || startsAfter)
    }

    /// Whether a write command would change a reserved key. Reads inside a txn are fine.
    public static func isTouched(by command: KVCommand) -> Bool {
        switch command {
        case .put(let put): return contains(put.key)
        case .deleteRange(let delete):
            return intersects(key: delete.key, rangeEnd: delete.rangeEnd)
        case .txn(let txn): return isTouched(by: txn)
        case .compact, .leaseGrant, .leaseRevoke: return false
        }
    }

    private static func isTouched(by txn: TxnRequest) -> Bool {
        (txn.success + txn.failure).contains { op in
            switch op {
            case .range: false
            case .put(let put): contains(put.key)
            case .deleteRange(let delete): intersects(key: delete.key, rangeEnd: delete.rangeEnd)
            case .txn(let inner): isTouched(by: inner)
            }
        }
    }
}
