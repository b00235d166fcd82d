import KVStore
import Platform

/// Writes KVStore results as grpc-gateway JSON: proto field names, int64 as strings,
/// bytes as padded base64, every zero value omitted (jsonpb with EmitDefaults=false).
struct EtcdResponseEncoder {
    let identity: MemberIdentity

    /// The top-level `header`: cluster, member, revision, raft term.
    func header(_ writer: inout JSONWriter, revision: Int64) {
        writer.key("header")
        writer.beginObject()
        nonZero(&writer, "cluster_id", identity.clusterID)
        nonZero(&writer, "member_id", identity.memberID)
        nonZero(&writer, "revision", revision)
        nonZero(&writer, "raft_term", identity.raftTerm)
        writer.endObject()
    }

    /// Headers inside txn responses carry only the revision (etcd's doc examples).
    func innerHeader(_ writer: inout JSONWriter, revision: Int64) {
        writer.key("header")
        writer.beginObject()
        nonZero(&writer, "revision", revision)
        writer.endObject()
    }

    /// The top-level header, or the revision-only one of a txn sub-response.
    func header(_ writer: inout JSONWriter, revision: Int64, inner: Bool) {
        if inner {
            innerHeader(&writer, revision: revision)
        } else {
            header(&writer, revision: revision)
        }
    }

    func keyValue(_ writer: inout JSONWriter, _ kv: KeyValue) {
        writer.beginObject()
        if !kv.key.isEmpty {
            writer.key("key")
            writer.base64(kv.key)
        }
        nonZero(&writer, "create_revision", kv.createRevision)
        nonZero(&writer, "mod_revision", kv.modRevision)
        nonZero(&writer, "version", kv.version)
        if !kv.value.isEmpty {
            writer.key("value")
            writer.base64(kv.value)
        }
        nonZero(&writer, "lease", kv.lease)
        writer.endObject()
    }

    func range(_ writer: inout JSONWriter, _ response: RangeResponse, inner: Bool) {
        writer.beginObject()
        header(&writer, revision: response.revision, inner: inner)
        if !response.kvs.isEmpty {
            writer.key("kvs")
            writer.beginArray()
            for kv in response.kvs { keyValue(&writer, kv) }
            writer.endArray()
        }
        if response.more {
            writer.key("more")
            writer.bool(true)
        }
        nonZero(&writer, "count", response.count)
        writer.endObject()
    }

    func put(_ writer: inout JSONWriter, _ response: PutResponse, inner: Bool) {
        writer.beginObject()
        header(&writer, revision: response.revision, inner: inner)
        if let previous = response.prevKV {
            writer.key("prev_kv")
            keyValue(&writer, previous)
        }
        writer.endObject()
    }

    func deleteRange(_ writer: inout JSONWriter, _ response: DeleteRangeResponse, inner: Bool) {
        writer.beginObject()
        header(&writer, revision: response.revision, inner: inner)
        nonZero(&writer, "deleted", response.deleted)
        if !response.prevKVs.isEmpty {
            writer.key("prev_kvs")
            writer.beginArray()
            for kv in response.prevKVs { keyValue(&writer, kv) }
            writer.endArray()
        }
        writer.endObject()
    }

    func txn(_ writer: inout JSONWriter, _ response: TxnResponse, inner: Bool) {
        writer.beginObject()
        header(&writer, revision: response.revision, inner: inner)
        if response.succeeded {
            writer.key("succeeded")
            writer.bool(true)
        }
        if !response.responses.isEmpty {
            writer.key("responses")
            writer.beginArray()
            for op in response.responses { responseOp(&writer, op) }
            writer.endArray()
        }
        writer.endObject()
    }

    private func responseOp(_ writer: inout JSONWriter, _ op: ResponseOp) {
        writer.beginObject()
        switch op {
        case .range(let response):
            writer.key("response_range")
            range(&writer, response, inner: true)
        case .put(let response):
            writer.key("response_put")
            put(&writer, response, inner: true)
        case .deleteRange(let response):
            writer.key("response_delete_range")
            deleteRange(&writer, response, inner: true)
        case .txn(let response):
            writer.key("response_txn")
            txn(&writer, response, inner: true)
        }
        writer.endObject()
    }

    /// `{"header":{…}}` alone: compaction and other empty responses.
    func headerOnly(revision: Int64) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        header(&writer, revision: revision)
        writer.endObject()
        return writer.bytes
    }

    func event(_ writer: inout JSONWriter, _ event: Event) {
        writer.beginObject()
        if event.kind == .delete {
            writer.key("type")
            writer.string("DELETE")
        }
        writer.key("kv")
        keyValue(&writer, event.kv)
        if let previous = event.prevKV {
            writer.key("prev_kv")
            keyValue(&writer, previous)
        }
        writer.endObject()
    }

    func nonZero(_ writer: inout JSONWriter, _ name: StaticString, _ value: Int64) {
        guard value != 0 else { return }
        writer.key(name)
        writer.numberAsString(value)
    }

    func nonZero(_ writer: inout JSONWriter, _ name: StaticString, _ value: UInt64) {
        guard value != 0 else { return }
        writer.key(name)
        writer.numberAsString(value)
    }
}
