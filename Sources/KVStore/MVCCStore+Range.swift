/// Range reads, as etcd's `applierV3backend.Range` and `storeTxnRead.rangeKeys`.
extension MVCCStore {
    /// Reads keys without changing the store.
    public func range(_ request: RangeRequest) throws(KVError) -> RangeResponse {
        if request.key.isEmpty { throw .keyNotProvided }
        return try range(request, current: revision)
    }

    /// `current` is the revision the read treats as latest (inside a txn: the txn's revision
    /// once it has written).
    func range(_ request: RangeRequest, current: Int64) throws(KVError) -> RangeResponse {
        if request.revision > current { throw .futureRevision }
        let readRevision = request.revision <= 0 ? current : request.revision
        if readRevision < compactRevision { throw .compacted }
        // Without sorting or filters etcd fetches limit + 1 keys to learn `more`; with them
        // it fetches everything, then sorts and truncates. `count` always covers the range.
        var fetchMax = Int.max
        if request.countOnly {
            fetchMax = 0
        } else if !request.needsFullFetch && request.limit > 0
            && request.limit < Int64(Int.max)
        {
            fetchMax = Int(request.limit) + 1
        }
        var kvs: [KeyValue] = []
        var count: Int64 = 0
        index.forEach(in: request.keyRange) { key, history in
            guard let record = history.record(at: readRevision) else { return true }
            count += 1
            if kvs.count < fetchMax { kvs.append(record.keyValue(key)) }
            return true
        }
        Self.applyFilters(request, to: &kvs)
        Self.sort(&kvs, order: request.sortOrder, target: request.sortTarget)
        var more = false
        if request.limit > 0 && Int64(kvs.count) > request.limit {
            kvs.removeSubrange(Int(request.limit)...)
            more = true
        }
        if request.keysOnly {
            for index in kvs.indices { kvs[index].value = [] }
        }
        return RangeResponse(revision: current, kvs: kvs, more: more, count: count)
    }

    /// The min/max mod/create revision filters (0 = no bound); they prune `kvs` only.
    static func applyFilters(_ request: RangeRequest, to kvs: inout [KeyValue]) {
        if request.maxModRevision != 0 {
            kvs.removeAll { $0.modRevision > request.maxModRevision }
        }
        if request.minModRevision != 0 {
            kvs.removeAll { $0.modRevision < request.minModRevision }
        }
        if request.maxCreateRevision != 0 {
            kvs.removeAll { $0.createRevision > request.maxCreateRevision }
        }
        if request.minCreateRevision != 0 {
            kvs.removeAll { $0.createRevision < request.minCreateRevision }
        }
    }

    /// etcd sorts ASCEND when the target is not KEY and the order is NONE. Results arrive in
    /// ascending key order; ties of other targets are broken by key (etcd's sort is unstable,
    /// a deterministic state machine needs one answer), descending reverses everything.
    static func sort(_ kvs: inout [KeyValue], order: SortOrder, target: SortTarget) {
        let effectiveOrder = target != .key && order == .none ? SortOrder.ascend : order
        guard effectiveOrder != .none else { return }
        if target != .key {
            kvs.sort { left, right in
                let order = compare(left, right, by: target)
                return order != 0 ? order < 0 : ByteOrder.less(left.key, right.key)
            }
        }
        if effectiveOrder == .descend { kvs.reverse() }
    }

    static func compare(_ left: KeyValue, _ right: KeyValue, by target: SortTarget) -> Int {
        switch target {
        case .key: return ByteOrder.compare(left.key, right.key)
        case .version: return threeWay(left.version, right.version)
        case .create: return threeWay(left.createRevision, right.createRevision)
        case .mod: return threeWay(left.modRevision, right.modRevision)
        case .value: return ByteOrder.compare(left.value, right.value)
        }
    }

    @inline(__always)
    static func threeWay(_ left: Int64, _ right: Int64) -> Int {
        left < right ? -1 : (left > right ? 1 : 0)
    }
}

extension MVCCStore {
    /// The newest revision at which any key in `range` for which `include` holds was put
    /// or deleted (0 when none): deletions count through their tombstones, which stay in
    /// a key's history until compaction. Consul's index of a KV listing works this way: a
    /// delete moves it, where the newest live entry alone could send it backwards.
    public func latestChangeRevision(
        in range: KeyRange, where include: ([UInt8]) -> Bool = { _ in true }
    ) -> Int64 {
        var latest: Int64 = 0
        index.forEach(in: range) { key, history in
            if let last = history.records.last, last.modRevision > latest, include(key) {
                latest = last.modRevision
            }
            return true
        }
        return latest
    }
}
