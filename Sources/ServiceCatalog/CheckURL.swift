/// The parts of an HTTP check URL the executor needs (`http://host[:port][/path][?query]`).
struct CheckURL: Equatable {
    /// Host without brackets, for resolution.
    var host: String
    var port: UInt16
    /// The `Host` header value: the authority as written, without user info.
    var authority: String
    /// Origin-form request target (RFC 9112 §3.2.1): path and query, at least `/`.
    var target: String

    /// Parses `text`; `https` is refused because Roost has no TLS client.
    static func parse(_ text: String) -> Result<CheckURL, CheckFailure> {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") {
            return .failure(CheckFailure("HTTPS checks are not supported by this server"))
        }
        guard lower.hasPrefix("http://") else {
            return .failure(CheckFailure("unsupported protocol scheme in \"\(text)\""))
        }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            authority = String(authority[authority.index(after: at)...])
        }
        var target = String(rest[authorityEnd...].prefix { $0 != "#" })
        if !target.hasPrefix("/") { target = "/" + target }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            return .failure(CheckFailure("invalid character in URL \"\(text)\""))
        }
        guard let (host, port) = hostPort(authority) else {
            return .failure(CheckFailure("invalid URL host \"\(authority)\""))
        }
        return .success(CheckURL(host: host, port: port, authority: authority, target: target))
    }

    private static func hostPort(_ authority: String) -> (String, UInt16)? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, 80) }
            guard after.first == ":", let port = UInt16(after.dropFirst()) else { return nil }
            return (host, port)
        }
        guard !authority.isEmpty else { return nil }
        guard let colon = authority.firstIndex(of: ":") else { return (authority, 80) }
        guard let port = UInt16(authority[authority.index(after: colon)...]) else { return nil }
        let host = String(authority[..<colon])
        return host.isEmpty ? nil : (host, port)
    }
}
