import Platform

/// A server URL as users write it: `http://127.0.0.1:2379`, `127.0.0.1:2379` or
/// `localhost:2379`. Only plain HTTP: TLS is terminated in front of Roost.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    public var address: SocketAddress
    public var text: String

    public init(parsing text: String) throws(ClientError) {
        var rest = Substring(text.trimmingWhitespace())
        if rest.hasPrefix("https://") {
            throw .usage("\(text): https is not supported; put a TLS proxy in front of Roost")
        }
        if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        do {
            address = try SocketAddress.parse(String(rest))
        } catch {
            throw .usage("\(text) is not an endpoint URL like http://127.0.0.1:2379")
        }
        self.text = "http://" + rest
    }

    public var description: String { text }

    /// `--endpoints a,b` or `ROOST_ENDPOINTS`, defaulting to the local server.
    public static func list(_ text: String?) throws(ClientError) -> [Endpoint] {
        let source = text ?? "http://127.0.0.1:2379"
        var endpoints: [Endpoint] = []
        for part in source.split(separator: ",") where !part.isEmpty {
            endpoints.append(try Endpoint(parsing: String(part)))
        }
        guard !endpoints.isEmpty else { throw .usage("--endpoints needs at least one URL") }
        return endpoints
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
