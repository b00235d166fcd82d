import KVStore
import Platform

/// `GET /v1/kv/<key>` with `recurse`, `keys`, `separator` and `raw` (reference/consul.md
/// §1.2, §1.5). Keys under `_roost/` are not Consul KV data and never listed.
extension ConsulGateway {
    struct KVEntry: Sendable {
        var kv: KeyValue
        var metadata: ConsulKVMetadata
    }

    func kv(
        key: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let key = Array(key.utf8)
        switch request.method {
        case .get, .head: try kvGet(key, request, responder)
        case .put: try kvPut(key, request, responder)
        case .delete: try kvDelete(key, request, responder)
        default: throw .methodNotAllowed(request.method, allow: [.get, .put, .delete])
        }
    }

    private func kvGet(
        _ key: [UInt8], _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let keysOnly = request.queryValue("keys") != nil
        let recurse = keysOnly || request.queryValue("recurse") != nil
        guard recurse || !key.isEmpty else { throw .missingKey }
        let separator = Array(
            (request.queryValue("separator") ?? request.queryValue("seperator") ?? "").utf8)
        let raw = !recurse && request.queryValue("raw") != nil
        let range = recurse ? KeyRange.prefix(key) : KeyRange(key: key)
        let keySpace = self.keySpace
        try read(request, responder, ranges: [range]) {
            let (entries, revision) = ConsulGateway.kvEntries(keySpace, key: key, recurse: recurse)
            if keysOnly {
                return ConsulGateway.keysAnswer(
                    entries, prefix: key, separator: separator, revision: revision,
                    deleted: ConsulGateway.latestChange(keySpace, in: range))
            }
            guard !entries.isEmpty else { return .notFound(index: revision) }
            let index = max(
                entries.map(\.kv.modRevision).max() ?? revision,
                ConsulGateway.latestChange(keySpace, in: range))
            if raw, let entry = entries.first {
                return ConsulAnswer(
                    body: entry.kv.value, index: index, contentType: "text/plain",
                    extraHeaders: [
                        ("X-Content-Type-Options", "nosniff"),
                        ("Content-Security-Policy", "sandbox"),
                    ])
            }
            var writer = JSONWriter(reservingCapacity: 128 * entries.count)
            writer.beginArray()
            for entry in entries { ConsulGateway.encode(&writer, entry) }
            writer.endArray()
            return .json(writer.bytes, index: index)
        }
    }

    /// The live entries of a key or prefix with their metadata, and the store revision.
    static func kvEntries(
        _ keySpace: any KeySpace, key: [UInt8], recurse: Bool
    )
        -> (entries: [KVEntry], revision: Int64)
    {
        let range = recurse ? KeyRange.prefix(key) : KeyRange(key: key)
        let metaRange =
            recurse
            ? KeyRange.prefix(ConsulKVMetadata.key(for: key))
            : KeyRange(key: ConsulKVMetadata.key(for: key))
        let read = try? keySpace.withStore { (store) throws(KVError) in
            let values = try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd))
            let metadata = try store.range(
                RangeRequest(key: metaRange.key, rangeEnd: metaRange.rangeEnd))
            return (values, metadata)
        }
        guard let (values, metadata) = read else { return ([], 0) }
        var byKey: [[UInt8]: ConsulKVMetadata] = [:]
        for kv in metadata.kvs {
            byKey[Array(kv.key.dropFirst(ConsulKVMetadata.prefix.count))] =
                ConsulKVMetadata.decode(kv.value)
        }
        let entries = values.kvs.filter { !ReservedKeys.contains($0.key) }.map {
            KVEntry(kv: $0, metadata: byKey[$0.key] ?? ConsulKVMetadata())
        }
        return (entries, values.revision)
    }

    /// The newest put or delete of a Consul key in `range` (reserved keys left out): a
    /// listing's index, so a delete moves it as Consul's tombstones do (§2.2).
    static func latestChange(_ keySpace: any KeySpace, in range: KeyRange) -> Int64 {
        (try? keySpace.withStore { (store) throws(KVError) in
            store.latestChangeRevision(in: range) { !ReservedKeys.contains($0) }
        }) ?? 0
    }

    /// `?keys[&separator=]`: key names, rolled up after the separator (§1.2).
    static func keysAnswer(
        _ entries: [KVEntry], prefix: [UInt8], separator: [UInt8], revision: Int64,
        deleted: Int64 = 0
    ) -> ConsulAnswer {
        var names: [[UInt8]] = []
        for entry in entries {
            var name = entry.kv.key
            let rest = name[prefix.count...]
            if !separator.isEmpty, let cut = firstRange(of: separator, in: rest) {
                name = Array(name[..<cut])
            }
            if names.last != name { names.append(name) }
        }
        if names.isEmpty && !prefix.isEmpty { return .notFound(index: revision) }
        var writer = JSONWriter()
        writer.beginArray()
        for name in names { writer.string(utf8: name) }
        writer.endArray()
        let index = max(entries.map(\.kv.modRevision).max() ?? revision, deleted)
        return .json(writer.bytes, index: index)
    }

    /// The end index of the first occurrence of `needle` in `haystack`.
    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start..<start + needle.count].elementsEqual(needle) {
                return start + needle.count
            }
            start += 1
        }
        return nil
    }

    /// One `DirEntry` in Consul's field order; `Value` is null for an empty value and
    /// `Session` only while a lock is held.
    static func encode(_ writer: inout JSONWriter, _ entry: KVEntry) {
        writer.beginObject()
        writer.key("LockIndex")
        writer.number(entry.metadata.lockIndex)
        writer.key("Key")
        writer.string(utf8: entry.kv.key)
        writer.key("Flags")
        writer.number(entry.metadata.flags)
        writer.key("Value")
        if entry.kv.value.isEmpty { writer.null() } else { writer.base64(entry.kv.value) }
        if !entry.metadata.session.isEmpty {
            writer.key("Session")
            writer.string(entry.metadata.session)
        }
        writer.key("CreateIndex")
        writer.number(entry.kv.createRevision)
        writer.key("ModifyIndex")
        writer.number(entry.kv.modRevision)
        writer.endObject()
    }
}
