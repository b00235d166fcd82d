@testable import KVStore

/// UTF-8 bytes of a string, for readable keys and values in tests.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

extension MVCCStore {
    /// `apply` whose outcome a test may ignore.
    @discardableResult
    mutating func exec(_ command: KVCommand) -> ApplyOutcome {
        apply(command)
    }

    @discardableResult
    mutating func put(_ key: String, _ value: String, lease: Int64 = 0) -> ApplyOutcome {
        apply(.put(PutRequest(key: bytes(key), value: bytes(value), lease: lease)))
    }

    @discardableResult
    mutating func delete(_ key: String, rangeEnd: String = "", prevKV: Bool = false)
        -> ApplyOutcome
    {
        apply(
            .deleteRange(
                DeleteRangeRequest(key: bytes(key), rangeEnd: bytes(rangeEnd), prevKV: prevKV)))
    }

    @discardableResult
    mutating func txn(_ request: TxnRequest) -> ApplyOutcome {
        apply(.txn(request))
    }

    /// The key's KeyValue at `revision` (0 = current), nil if absent.
    func get(_ key: String, revision: Int64 = 0) throws(KVError) -> KeyValue? {
        try range(RangeRequest(key: bytes(key), revision: revision)).kvs.first
    }

    /// Every key at `revision` (0 = current).
    func all(revision: Int64 = 0) throws(KVError) -> [KeyValue] {
        try range(RangeRequest(key: [0], rangeEnd: [0], revision: revision)).kvs
    }

    /// Keys (as strings) of a range request's result.
    func keys(_ request: RangeRequest) throws(KVError) -> [String] {
        try range(request).kvs.map { String(decoding: $0.key, as: UTF8.self) }
    }
}

extension ApplyOutcome {
    var error: KVError? {
        if case .failed(let error) = result { return error }
        return nil
    }

    var txnResponse: TxnResponse? {
        if case .txn(let response) = result { return response }
        return nil
    }

    var putResponse: PutResponse? {
        if case .put(let response) = result { return response }
        return nil
    }

    var deleteResponse: DeleteRangeResponse? {
        if case .deleteRange(let response) = result { return response }
        return nil
    }
}

extension ResponseOp {
    var range: RangeResponse? {
        if case .range(let response) = self { return response }
        return nil
    }

    var put: PutResponse? {
        if case .put(let response) = self { return response }
        return nil
    }

    var deleteRange: DeleteRangeResponse? {
        if case .deleteRange(let response) = self { return response }
        return nil
    }

    var txn: TxnResponse? {
        if case .txn(let response) = self { return response }
        return nil
    }
}

/// SplitMix64: a tiny seeded generator so randomized tests replay exactly from their seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
