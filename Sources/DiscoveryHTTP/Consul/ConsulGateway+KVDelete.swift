import KVStore
import Platform

/// `DELETE /v1/kv/<key>[?recurse][?cas=]` (reference/consul.md §1.4).
extension ConsulGateway {
    func kvDelete(
        _ key: [UInt8], _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let recurse = request.queryValue("recurse") != nil
        let cas = request.queryValue("cas")
        if recurse && cas != nil {
            throw .badRequest(
                "Conflicting flags: " + String(decoding: request.query, as: UTF8.self))
        }
        guard recurse || !key.isEmpty else { throw .missingKey }
        guard !ReservedKeys.contains(key) else { throw .permissionDenied }
        var txn = TxnRequest()
        if recurse {
            let range = KeyRange.prefix(key)
            for part in ConsulGateway.outsideReserved(range) {
                txn.success.append(
                    .deleteRange(DeleteRangeRequest(key: part.key, rangeEnd: part.rangeEnd)))
            }
            let metaRange = KeyRange.prefix(ConsulKVMetadata.key(for: key))
            txn.success.append(
                .deleteRange(DeleteRangeRequest(key: metaRange.key, rangeEnd: metaRange.rangeEnd)))
        } else {
            if let cas {
                guard let index = Int64(cas), index >= 0 else {
                    throw .badRequest("Invalid cas index: \(cas)")
                }
                // An index of 0 deletes nothing (Consul's KVSDeleteCAS).
                guard index > 0 else { return ConsulGateway.respondBool(false, responder) }
                txn.compare.append(
                    Compare(result: .equal, target: .mod, key: key, operand: .modRevision(index)))
            }
            txn.success.append(.deleteRange(DeleteRangeRequest(key: key)))
            txn.success.append(
                .deleteRange(DeleteRangeRequest(key: ConsulKVMetadata.key(for: key))))
        }
        propose(.txn(txn), responder) { succeeded in
            ConsulGateway.respondBool(succeeded, responder)
        }
    }

    /// The parts of `range` outside `_roost/`: a recursive delete of the root must not
    /// take the catalog with it.
    static func outsideReserved(_ range: KeyRange) -> [KeyRange] {
        guard ReservedKeys.intersects(key: range.key, rangeEnd: range.rangeEnd) else {
            return [range]
        }
        var parts: [KeyRange] = []
        let reserved = ReservedKeys.range
        if range.key.lexicographicallyPrecedes(reserved.key) {
            parts.append(KeyRange(key: range.key, rangeEnd: reserved.key))
        }
        let unbounded = range.rangeEnd == [0]
        if unbounded || reserved.rangeEnd.lexicographicallyPrecedes(range.rangeEnd) {
            parts.append(KeyRange(key: reserved.rangeEnd, rangeEnd: range.rangeEnd))
        }
        return parts
    }
}
