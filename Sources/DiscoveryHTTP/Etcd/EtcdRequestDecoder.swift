import KVStore
import Platform

/// Turns gateway JSON into KVStore requests, field by field as `rpc.proto` names them.
enum EtcdRequestDecoder {
    static let sortOrderNames = ["NONE", "ASCEND", "DESCEND"]
    static let sortTargetNames = ["KEY", "VERSION", "CREATE", "MOD", "VALUE"]
    static let compareResultNames = ["EQUAL", "GREATER", "LESS", "NOT_EQUAL"]
    static let compareTargetNames = ["VERSION", "CREATE", "MOD", "VALUE", "LEASE"]
    static let filterNames = ["NOPUT", "NODELETE"]

    static func range(_ object: ProtoObject) throws(EtcdError) -> RangeRequest {
        var request = RangeRequest()
        request.key = try object.bytes("key")
        request.rangeEnd = try object.bytes("range_end")
        request.limit = try object.int64("limit")
        request.revision = try object.int64("revision")
        let order = try object.enumeration("sort_order", names: sortOrderNames)
        let target = try object.enumeration("sort_target", names: sortTargetNames)
        request.sortOrder = SortOrder(rawValue: order) ?? .none
        request.sortTarget = SortTarget(rawValue: target) ?? .key
        request.serializable = try object.bool("serializable")
        request.keysOnly = try object.bool("keys_only")
        request.countOnly = try object.bool("count_only")
        request.minModRevision = try object.int64("min_mod_revision")
        request.maxModRevision = try object.int64("max_mod_revision")
        request.minCreateRevision = try object.int64("min_create_revision")
        request.maxCreateRevision = try object.int64("max_create_revision")
        return request
    }

    static func put(_ object: ProtoObject) throws(EtcdError) -> PutRequest {
        var request = PutRequest(key: try object.bytes("key"))
        request.value = try object.bytes("value")
        request.lease = try object.int64("lease")
        request.prevKV = try object.bool("prev_kv")
        request.ignoreValue = try object.bool("ignore_value")
        request.ignoreLease = try object.bool("ignore_lease")
        return request
    }

    static func deleteRange(_ object: ProtoObject) throws(EtcdError) -> DeleteRangeRequest {
        var request = DeleteRangeRequest(key: try object.bytes("key"))
        request.rangeEnd = try object.bytes("range_end")
        request.prevKV = try object.bool("prev_kv")
        return request
    }

    /// `depth` bounds nesting so a hostile body cannot recurse without limit; the JSON
    /// parser's depth limit backs this up.
    static func txn(_ object: ProtoObject, depth: Int = 0) throws(EtcdError) -> TxnRequest {
        guard depth < 16 else { throw .badRequest("request_txn nested too deeply") }
        var request = TxnRequest()
        for item in try object.array("compare") {
            request.compare.append(try compare(ProtoObject.from(item, field: "compare")))
        }
        for item in try object.array("success") {
            request.success.append(
                try operation(ProtoObject.from(item, field: "success"), depth: depth))
        }
        for item in try object.array("failure") {
            request.failure.append(
                try operation(ProtoObject.from(item, field: "failure"), depth: depth))
        }
        return request
    }

    static func compare(_ object: ProtoObject) throws(EtcdError) -> Compare {
        let result = try object.enumeration("result", names: compareResultNames)
        let target = try object.enumeration("target", names: compareTargetNames)
        var compare = Compare(
            result: Compare.Result(rawValue: result) ?? .equal,
            target: Compare.Target(rawValue: target) ?? .version,
            key: try object.bytes("key"), rangeEnd: try object.bytes("range_end"))
        // The operand is the oneof member named by `target`; others are ignored, and a
        // missing one compares as zero (etcd's applyCompare).
        switch compare.target {
        case .version: compare.operand = Compare.Operand.version(try object.int64("version"))
        case .create:
            compare.operand = Compare.Operand.createRevision(try object.int64("create_revision"))
        case .mod: compare.operand = Compare.Operand.modRevision(try object.int64("mod_revision"))
        case .value: compare.operand = Compare.Operand.value(try object.bytes("value"))
        case .lease: compare.operand = Compare.Operand.lease(try object.int64("lease"))
        }
        return compare
    }

    static func operation(_ object: ProtoObject, depth: Int) throws(EtcdError) -> RequestOp {
        if let range = try object.child("request_range") { return .range(try self.range(range)) }
        if let put = try object.child("request_put") { return .put(try self.put(put)) }
        if let delete = try object.child("request_delete_range") {
            return .deleteRange(try deleteRange(delete))
        }
        if let nested = try object.child("request_txn") {
            return .txn(try txn(nested, depth: depth + 1))
        }
        throw .badRequest(
            "a request op needs one of request_range, request_put, "
                + "request_delete_range, request_txn")
    }
}
