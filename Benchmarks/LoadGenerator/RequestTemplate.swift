import Platform

/// One encoded HTTP request whose key (and optionally the first bytes of its value) are
/// patched in place for each send: building a request costs a copy, not an encoding.
struct RequestTemplate: Sendable {
    /// Value bytes that carry the send time in watch runs: 16 hex digits and 2 pad bytes,
    /// a whole number of base64 groups so the rest of the encoded value stays put.
    static let stampBytes = 18

    private(set) var bytes: [UInt8]
    let keys: KeyFormat
    /// Where the key's base64 text starts in `bytes`.
    let keyOffset: Int
    /// Where the value's base64 text starts in `bytes`, for puts.
    let valueOffset: Int?

    /// `POST target` with `body` built around key 0; offsets found by searching.
    init(target: String, host: String, keys: KeyFormat, body: (inout JSONWriter) -> Void) {
        var writer = JSONWriter()
        body(&writer)
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Content-Type", value: "application/json")
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .post, target: target, headers: headers, body: writer.bytes, into: &request)
        let keyText = Array("\"".utf8) + Base64.encodeBytes(keys.key(0)) + Array("\"".utf8)
        guard let key = Self.find(keyText, in: request) else {
            preconditionFailure("the template body holds key 0")
        }
        self.bytes = request
        self.keys = keys
        keyOffset = key + 1
        let valueLabel = Array(#""value":""#.utf8)
        valueOffset = Self.find(valueLabel, in: request).map { $0 + valueLabel.count }
    }

    /// Writes key `number` into the request.
    mutating func setKey(_ number: Int) {
        let encoded = Base64.encodeBytes(keys.key(number))
        let offset = keyOffset
        bytes.withUnsafeMutableBufferPointer { buffer in
            for (index, byte) in encoded.enumerated() { buffer[offset + index] = byte }
        }
    }

    /// Writes the send time into the value's first bytes (watch runs read it back).
    mutating func setStamp(_ nanoseconds: UInt64) {
        guard let offset = valueOffset else { preconditionFailure("only puts carry a stamp") }
        var stamp = [UInt8](repeating: UInt8(ascii: "!"), count: Self.stampBytes)
        let hex = Array(String(nanoseconds, radix: 16).utf8)
        precondition(hex.count <= 16, "a UInt64 has 16 hex digits")
        for index in 0..<16 { stamp[index] = UInt8(ascii: "0") }
        for (index, digit) in hex.enumerated() { stamp[16 - hex.count + index] = digit }
        let encoded = Base64.encodeBytes(stamp)
        bytes.withUnsafeMutableBufferPointer { buffer in
            for (index, byte) in encoded.enumerated() { buffer[offset + index] = byte }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}

extension RequestTemplate {
    /// etcd `PutRequest {key, value}` at `/v3/kv/put`.
    static func put(host: String, keys: KeyFormat, value: [UInt8]) -> RequestTemplate {
        RequestTemplate(target: "/v3/kv/put", host: host, keys: keys) { writer in
            writer.beginObject()
            writer.key("key")
            writer.base64(keys.key(0))
            writer.key("value")
            writer.base64(value)
            writer.endObject()
        }
    }

    /// etcd `RangeRequest {key}` at `/v3/kv/range`, serializable or not.
    static func range(host: String, keys: KeyFormat, consistency: Consistency) -> RequestTemplate {
        RequestTemplate(target: "/v3/kv/range", host: host, keys: keys) { writer in
            writer.beginObject()
            writer.key("key")
            writer.base64(keys.key(0))
            if consistency == .serializable {
                writer.key("serializable")
                writer.bool(true)
            }
            writer.endObject()
        }
    }

    /// A txn of puts of keys first..<first+count (fills), encoded whole each time.
    static func fillTxn(
        host: String, keys: KeyFormat, value: [UInt8], first: Int, count: Int
    ) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: count * (value.count * 4 / 3 + 64) + 64)
        writer.beginObject()
        writer.key("success")
        writer.beginArray()
        for number in first..<first + count {
            writer.beginObject()
            writer.key("request_put")
            writer.beginObject()
            writer.key("key")
            writer.base64(keys.key(number))
            writer.key("value")
            writer.base64(value)
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Content-Type", value: "application/json")
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .post, target: "/v3/kv/txn", headers: headers, body: writer.bytes,
            into: &request)
        return request
    }

    /// A `POST /v3/watch` whose body creates `watchers` watchers on every benchmark key.
    static func watch(host: String, watchers: Int) -> [UInt8] {
        var body: [UInt8] = []
        for _ in 0..<watchers {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("create_request")
            writer.beginObject()
            writer.key("key")
            writer.base64([KeyFormat.prefix])
            writer.key("range_end")
            writer.base64([KeyFormat.prefix + 1])
            writer.endObject()
            writer.endObject()
            body.append(contentsOf: writer.bytes)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Content-Type", value: "application/json")
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .post, target: "/v3/watch", headers: headers, body: body, into: &request)
        return request
    }

    /// A GET without a body (`/health`).
    static func get(_ target: String, host: String) -> [UInt8] {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .get, target: target, headers: headers, body: [], into: &request)
        return request
    }
}
