/// State-independent checks etcd makes before proposing (`checkPutRequest`,
/// `checkDeleteRequest`, `checkRangeRequest`, `checkTxnRequest`, `checkIntervals` in
/// etcd `server/etcdserver/api/v3rpc/key.go`), in etcd's order.
extension KVCommand {
    /// Throws the error etcd would answer without touching the store.
    public func validate() throws(KVError) {
        _ = try validatedEncoding()
    }

    /// Validates and returns the encoding to propose, so the server encodes only once.
    /// Encodings over `KVLimits.requestBytesMax` fail with `requestTooLarge`.
    public func validatedEncoding() throws(KVError) -> [UInt8] {
        try validateStructure()
        let bytes = encode()
        if bytes.count > KVLimits.requestBytesMax { throw .requestTooLarge }
        return bytes
    }

    /// Every check except the size limit; `MVCCStore.apply` repeats it so a malformed log
    /// entry fails the same way on every replica instead of corrupting the store.
    func validateStructure() throws(KVError) {
        switch self {
        case .put(let request):
            try Self.checkPut(request)
        case .deleteRange(let request):
            if request.key.isEmpty { throw .keyNotProvided }
        case .txn(let request):
            try Self.checkTxn(request, opsBudget: KVLimits.txnOpsMax)
            _ = try Self.checkIntervals(request.success)
            _ = try Self.checkIntervals(request.failure)
        case .compact, .leaseRevoke:
            break
        case .leaseGrant(let id, let ttlSeconds):
            // etcd's lessor.Grant: the zero ID is "no lease"; the TTL cap comes next.
            if id == 0 { throw .leaseNotFound }
            if ttlSeconds > KVLimits.leaseTTLSecondsMax { throw .leaseTTLTooLarge }
        }
    }

    static func checkPut(_ request: PutRequest) throws(KVError) {
        if request.key.isEmpty { throw .keyNotProvided }
        if request.ignoreValue && !request.value.isEmpty { throw .valueProvided }
        if request.ignoreLease && request.lease != 0 { throw .leaseProvided }
    }

    /// etcd counts `max(compares, success ops, failure ops)` against the budget and hands
    /// nested txns what is left (`checkTxnRequest(r, maxTxnOps-opc)`).
    static func checkTxn(_ request: TxnRequest, opsBudget: Int) throws(KVError) {
        let opCount = max(request.compare.count, request.success.count, request.failure.count)
        if opCount > opsBudget { throw .tooManyOperations }
        for compare in request.compare where compare.key.isEmpty {
            throw .keyNotProvided
        }
        for op in request.success { try checkOp(op, opsBudget: opsBudget - opCount) }
        for op in request.failure { try checkOp(op, opsBudget: opsBudget - opCount) }
    }

    static func checkOp(_ op: RequestOp, opsBudget: Int) throws(KVError) {
        switch op {
        case .range(let request):
            if request.key.isEmpty { throw .keyNotProvided }
        case .put(let request):
            try checkPut(request)
        case .deleteRange(let request):
            if request.key.isEmpty { throw .keyNotProvided }
        case .txn(let request):
            try checkTxn(request, opsBudget: opsBudget)
        }
    }

    /// etcd's `checkIntervals`: within one branch no key may be put twice or put and deleted;
    /// puts of a nested txn's success and failure branches may coincide (only one runs);
    /// overlapping deletes are allowed. Returns the branch's puts and delete ranges.
    static func checkIntervals(
        _ ops: [RequestOp]
    ) throws(KVError) -> (puts: Set<[UInt8]>, dels: [KeyRange]) {
        var dels: [KeyRange] = []
        for op in ops {
            if case .deleteRange(let request) = op { dels.append(request.keyRange) }
        }
        var puts = Set<[UInt8]>()
        for op in ops {
            guard case .txn(let nested) = op else { continue }
            let thenSide = try checkIntervals(nested.success)
            let elseSide = try checkIntervals(nested.failure)
            for key in thenSide.puts {
                if puts.contains(key) || dels.contains(where: { $0.contains(key) }) {
                    throw .duplicateKey
                }
                puts.insert(key)
            }
            for key in elseSide.puts {
                if puts.contains(key) && !thenSide.puts.contains(key) { throw .duplicateKey }
                if dels.contains(where: { $0.contains(key) }) { throw .duplicateKey }
                puts.insert(key)
            }
            dels += thenSide.dels
            dels += elseSide.dels
        }
        for op in ops {
            guard case .put(let request) = op else { continue }
            if puts.contains(request.key) || dels.contains(where: { $0.contains(request.key) }) {
                throw .duplicateKey
            }
            puts.insert(request.key)
        }
        return (puts, dels)
    }
}
