import Platform

/// A key-value pair as the gateway reports it.
public struct ClientKeyValue: Sendable, Equatable {
    public var key: [UInt8]
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    public var lease: Int64

    init(_ object: JSONObject) throws(ClientError) {
        key = try ClientJSON.bytes(object, "key")
        value = try ClientJSON.bytes(object, "value")
        createRevision = object["create_revision"]?.int64Value ?? 0
        modRevision = object["mod_revision"]?.int64Value ?? 0
        version = object["version"]?.int64Value ?? 0
        lease = object["lease"]?.int64Value ?? 0
    }
}

public struct ClientRangeResult: Sendable {
    public var revision: Int64
    public var kvs: [ClientKeyValue]
    public var more: Bool
    public var count: Int64
    public var raw: JSONObject
}

/// Options of a range read, as `roost kv get` exposes them.
public struct ClientRangeOptions: Sendable {
    public var rangeEnd: [UInt8] = []
    public var revision: Int64 = 0
    public var limit: Int64 = 0
    public var keysOnly = false
    public var countOnly = false
    public var serializable = false

    public init() {}
}

/// One watch response: creation, events or cancellation.
public struct ClientWatchResponse: Sendable {
    public struct Event: Sendable {
        public var isDelete: Bool
        public var kv: ClientKeyValue
        public var prevKV: ClientKeyValue?
    }

    public var revision: Int64
    public var watchID: Int64
    public var created: Bool
    public var canceled: Bool
    public var compactRevision: Int64
    public var cancelReason: String
    public var events: [Event]
    public var raw: JSONObject

    init(_ object: JSONObject) throws(ClientError) {
        raw = object
        revision = object["header"]?["revision"]?.int64Value ?? 0
        watchID = object["watch_id"]?.int64Value ?? 0
        created = object["created"]?.boolValue ?? false
        canceled = object["canceled"]?.boolValue ?? false
        compactRevision = object["compact_revision"]?.int64Value ?? 0
        cancelReason = object["cancel_reason"]?.stringValue ?? ""
        events = []
        for item in object["events"]?.arrayValue ?? [] {
            guard let event = item.objectValue, let kv = event["kv"]?.objectValue else { continue }
            let previous = try event["prev_kv"]?.objectValue.map { (o) throws(ClientError) in
                try ClientKeyValue(o)
            }
            events.append(
                Event(
                    isDelete: event["type"]?.stringValue == "DELETE", kv: try ClientKeyValue(kv),
                    prevKV: previous))
        }
    }
}

extension EtcdClient {
    public func range(
        _ key: [UInt8], _ options: ClientRangeOptions = ClientRangeOptions()
    ) throws(ClientError)
        -> ClientRangeResult
    {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("key")
        writer.base64(key)
        if !options.rangeEnd.isEmpty {
            writer.key("range_end")
            writer.base64(options.rangeEnd)
        }
        ClientJSON.int(&writer, "revision", options.revision)
        ClientJSON.int(&writer, "limit", options.limit)
        ClientJSON.flag(&writer, "keys_only", options.keysOnly)
        ClientJSON.flag(&writer, "count_only", options.countOnly)
        ClientJSON.flag(&writer, "serializable", options.serializable)
        writer.endObject()
        let object = try call("kv/range", writer.bytes, idempotent: true)
        var kvs: [ClientKeyValue] = []
        for item in object["kvs"]?.arrayValue ?? [] {
            guard let kv = item.objectValue else { throw .protocolError("kvs holds a non-object") }
            kvs.append(try ClientKeyValue(kv))
        }
        return ClientRangeResult(
            revision: object["header"]?["revision"]?.int64Value ?? 0, kvs: kvs,
            more: object["more"]?.boolValue ?? false, count: object["count"]?.int64Value ?? 0,
            raw: object)
    }

    /// Returns the answer; its header holds the new revision.
    @discardableResult
    public func put(
        _ key: [UInt8], _ value: [UInt8], lease: Int64 = 0, prevKV: Bool = false
    )
        throws(ClientError) -> JSONObject
    {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("key")
        writer.base64(key)
        writer.key("value")
        writer.base64(value)
        ClientJSON.int(&writer, "lease", lease)
        ClientJSON.flag(&writer, "prev_kv", prevKV)
        writer.endObject()
        return try call("kv/put", writer.bytes)
    }

    @discardableResult
    public func delete(
        _ key: [UInt8], rangeEnd: [UInt8] = [], prevKV: Bool = false
    ) throws(ClientError)
        -> JSONObject
    {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("key")
        writer.base64(key)
        if !rangeEnd.isEmpty {
            writer.key("range_end")
            writer.base64(rangeEnd)
        }
        ClientJSON.flag(&writer, "prev_kv", prevKV)
        writer.endObject()
        return try call("kv/deleterange", writer.bytes)
    }

    public func status() throws(ClientError) -> JSONObject {
        try call("maintenance/status", Array("{}".utf8), idempotent: true)
    }

    /// Watches `key` (to `rangeEnd`) from `startRevision`; `onResponse` returns false to
    /// stop. Waits for events without a read timeout unless `idleTimeoutMilliseconds` is
    /// set, after which a quiet stream ends with `.unreachable` (a long-lived watcher uses
    /// it to look up now and then and resume from its revision).
    public func watch(
        _ key: [UInt8], rangeEnd: [UInt8] = [], startRevision: Int64 = 0, prevKV: Bool = false,
        idleTimeoutMilliseconds: Int = 0, onResponse: (ClientWatchResponse) -> Bool
    ) throws(ClientError) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("create_request")
        writer.beginObject()
        writer.key("key")
        writer.base64(key)
        if !rangeEnd.isEmpty {
            writer.key("range_end")
            writer.base64(rangeEnd)
        }
        ClientJSON.int(&writer, "start_revision", startRevision)
        ClientJSON.flag(&writer, "prev_kv", prevKV)
        writer.endObject()
        writer.endObject()
        var failure: ClientError?
        try stream("watch", writer.bytes, timeoutMilliseconds: idleTimeoutMilliseconds) {
            object in
            do throws(ClientError) {
                return onResponse(try ClientWatchResponse(object))
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
    }

    /// The end of the range holding every key that starts with `prefix` (etcd's
    /// `GetPrefixRangeEnd`): the prefix with its last non-0xFF byte incremented; "\0"
    /// (every key) when no such byte exists.
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }
}

enum ClientJSON {
    static func bytes(_ object: JSONObject, _ name: String) throws(ClientError) -> [UInt8] {
        guard let text = object[name]?.stringValue else { return [] }
        do {
            return try Base64.decode(text)
        } catch {
            throw .protocolError("\(name) is not base64")
        }
    }

    static func int(_ writer: inout JSONWriter, _ name: StaticString, _ value: Int64) {
        guard value != 0 else { return }
        writer.key(name)
        writer.numberAsString(value)
    }

    static func flag(_ writer: inout JSONWriter, _ name: StaticString, _ value: Bool) {
        guard value else { return }
        writer.key(name)
        writer.bool(true)
    }
}
