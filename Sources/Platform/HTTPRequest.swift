/// One parsed request. Byte fields stay bytes; the String views are for routing at the edge.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// The raw request-target (RFC 9112 §3.2), usually origin-form: `/path?query`.
    public var target: [UInt8]
    /// The target before the first `?`, NOT percent-decoded.
    public var path: [UInt8]
    /// The target after the first `?`, without it; empty when there is none.
    public var query: [UInt8]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether the connection stays open after the response (RFC 9112 §9.3): HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool

    public init(
        method: HTTPMethod, target: [UInt8], version: HTTPVersion = .http11,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        if let mark = target.firstIndex(of: UInt8(ascii: "?")) {
            path = Array(target[..<mark])
            query = Array(target[(mark + 1)...])
        } else {
            path = target
            query = []
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    /// The query as `application/x-www-form-urlencoded` pairs, in order: split on `&`, then on
    /// the first `=`; `+` is a space and `%XX` escapes are decoded (invalid escapes are kept as
    /// they are). A pair without `=` has a nil value (`?recurse` vs `?recurse=`), which the
    /// Consul API distinguishes from an empty one. Empty pairs (`a&&b`) are skipped.
    public func queryItems() -> [(name: String, value: String?)] {
        var items: [(name: String, value: String?)] = []
        for pair in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                let name = Self.percentDecoded(pair[..<equals], plusIsSpace: true)
                let value = Self.percentDecoded(pair[(equals + 1)...], plusIsSpace: true)
                items.append((name, value))
            } else {
                items.append((Self.percentDecoded(pair, plusIsSpace: true), nil))
            }
        }
        return items
    }

    /// The first value of the query parameter `name`; `""` when it is present without `=`.
    public func queryValue(_ name: String) -> String? {
        for item in queryItems() where item.name == name { return item.value ?? "" }
        return nil
    }

    /// The percent-decoded path for routing (RFC 3986 §2.1). `+` stays `+` in a path; invalid
    /// escapes are kept raw; invalid UTF-8 after decoding becomes U+FFFD.
    public var pathString: String {
        Self.percentDecoded(path[...], plusIsSpace: false)
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) -> String {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
                continue
            }
            decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? HTTPBytes.space : byte)
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
