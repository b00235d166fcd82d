/// Txns as etcd's `applierV3backend.Txn`: first every compare on the chosen path, nested ones
/// included, is evaluated against the state before the txn (`compareToPath`); then the puts
/// and ranges on that path are checked (`checkRequestPut`, `checkRequestRange`); only then
/// do the ops run, in order, sharing one revision. Ranges see earlier writes of the txn.
extension MVCCStore {
    mutating func applyTxn(_ request: TxnRequest) -> ApplyOutcome {
        var path: [Bool] = []
        choosePath(request, into: &path)
        do {
            var cursor = 0
            try precheckPuts(request, path: path, cursor: &cursor)
            cursor = 0
            try precheckRanges(request, path: path, cursor: &cursor)
        } catch {
            return failure(error)
        }
        var batch = WriteBatch(beginRevision: revision)
        var cursor = 0
        var response = executeTxn(request, path: path, cursor: &cursor, batch: &batch)
        finish(batch)
        response.revision = revision
        return ApplyOutcome(result: .txn(response), revision: revision, events: batch.events)
    }

    /// Pre-order list of which branch each txn on the chosen path takes.
    func choosePath(_ request: TxnRequest, into path: inout [Bool]) {
        let succeeded = request.compare.allSatisfy { holds($0) }
        path.append(succeeded)
        for op in succeeded ? request.success : request.failure {
            if case .txn(let nested) = op { choosePath(nested, into: &path) }
        }
    }

    func precheckPuts(
        _ request: TxnRequest, path: [Bool], cursor: inout Int
    ) throws(KVError) {
        let succeeded = path[cursor]
        cursor += 1
        for op in succeeded ? request.success : request.failure {
            switch op {
            case .put(let put): try precheckPut(put)
            case .txn(let nested): try precheckPuts(nested, path: path, cursor: &cursor)
            case .range, .deleteRange: break
            }
        }
    }

    /// `checkRequestRange`: an explicit revision must be readable before the txn starts.
    func precheckRanges(
        _ request: TxnRequest, path: [Bool], cursor: inout Int
    ) throws(KVError) {
        let succeeded = path[cursor]
        cursor += 1
        for op in succeeded ? request.success : request.failure {
            switch op {
            case .range(let range):
                if range.revision == 0 { continue }
                if range.revision > revision { throw .futureRevision }
                if range.revision < compactRevision { throw .compacted }
            case .txn(let nested): try precheckRanges(nested, path: path, cursor: &cursor)
            case .put, .deleteRange: break
            }
        }
    }

    /// Runs the chosen branch. A nested txn's response keeps revision 0: etcd leaves its
    /// header empty.
    mutating func executeTxn(
        _ request: TxnRequest, path: [Bool], cursor: inout Int, batch: inout WriteBatch
    ) -> TxnResponse {
        let succeeded = path[cursor]
        cursor += 1
        let ops = succeeded ? request.success : request.failure
        var responses: [ResponseOp] = []
        responses.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .range(let range):
                // Every way this read could fail was checked above.
                let current = batch.readRevision
                let response = (try? self.range(range, current: current))
                    ?? RangeResponse(revision: current)
                responses.append(.range(response))
            case .put(let put):
                responses.append(.put(executePut(put, batch: &batch)))
            case .deleteRange(let delete):
                responses.append(.deleteRange(executeDeleteRange(delete, batch: &batch)))
            case .txn(let nested):
                let response = executeTxn(nested, path: path, cursor: &cursor, batch: &batch)
                responses.append(.txn(response))
            }
        }
        return TxnResponse(revision: 0, succeeded: succeeded, responses: responses)
    }

    /// `applyCompare`: every live key of the range must satisfy the compare; an empty range
    /// compares as a zero KeyValue, except that a VALUE compare on no keys is always false.
    func holds(_ compare: Compare) -> Bool {
        var matched = false
        var allHold = true
        index.forEach(in: compare.keyRange) { _, history in
            guard let record = history.live else { return true }
            matched = true
            if !Self.holds(compare, for: record) {
                allHold = false
                return false
            }
            return true
        }
        if matched { return allHold }
        if compare.target == .value { return false }
        return Self.holds(compare, for: .tombstone(modRevision: 0, subRevision: 0))
    }

    /// `compareKV`: the operand comes from the oneof member matching the target, else 0 or
    /// empty.
    static func holds(_ compare: Compare, for record: KeyRecord) -> Bool {
        let order: Int
        switch (compare.target, compare.operand) {
        case (.value, .value(let value)?): order = ByteOrder.compare(record.value, value)
        case (.value, _): order = ByteOrder.compare(record.value, [])
        case (.version, .version(let version)?): order = threeWay(record.version, version)
        case (.version, _): order = threeWay(record.version, 0)
        case (.create, .createRevision(let create)?):
            order = threeWay(record.createRevision, create)
        case (.create, _): order = threeWay(record.createRevision, 0)
        case (.mod, .modRevision(let mod)?): order = threeWay(record.modRevision, mod)
        case (.mod, _): order = threeWay(record.modRevision, 0)
        case (.lease, .lease(let lease)?): order = threeWay(record.lease, lease)
        case (.lease, _): order = threeWay(record.lease, 0)
        }
        switch compare.result {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .greater: return order > 0
        case .less: return order < 0
        }
    }
}
