import Platform

/// Blocking reads of the server's state between phases of a discovery run, over one
/// keep-alive connection of its own (never on an event loop).
final class ServerProbe {
    /// Health listings of 10,000 checks are megabytes; reading one may take a while on a
    /// loaded machine.
    static let timeoutMilliseconds = 60_000

    private let client: HTTPClient

    init(_ address: SocketAddress) {
        client = HTTPClient(address: address, timeoutMilliseconds: Self.timeoutMilliseconds)
    }

    func close() {
        client.close()
    }

    func send(
        _ method: HTTPMethod, _ target: String, body: [UInt8] = []
    ) throws(BenchError) -> HTTPClient.Response {
        do {
            return try client.send(method, target, body: body)
        } catch {
            throw .protocolError("\(method.name) \(target): \(error)")
        }
    }

    /// The store's revision (etcd response header): it moves with every write, whoever
    /// made it, so its change over a window counts the writes in it.
    func revision() throws(BenchError) -> Int64 {
        // Any key: only the header matters. "AA==" is the key "\0".
        let response = try send(.post, "/v3/kv/range", body: Array(#"{"key":"AA=="}"#.utf8))
        guard response.status == 200, let json = try? JSONParser.parse(response.body),
            let revision = json["header"]?["revision"]?.int64Value
        else {
            throw .protocolError("/v3/kv/range answered \(response.status) without a revision")
        }
        return revision
    }

    /// The `X-Consul-Index` of a 200 answer to `GET target`.
    func consulIndex(_ target: String) throws(BenchError) -> Int64 {
        let response = try send(.get, target)
        guard response.status == 200, let text = response.headers.first("X-Consul-Index"),
            let index = Int64(text)
        else {
            throw .protocolError("GET \(target) answered \(response.status) without an index")
        }
        return index
    }

    /// A PUT that must answer 200 (registrations, check updates).
    func put(_ target: String, body: [UInt8] = []) throws(BenchError) {
        let response = try send(.put, target, body: body)
        guard response.status == 200 else {
            throw .protocolError(
                "PUT \(target) answered \(response.status): \(response.bodyText)")
        }
    }

    /// How many checks `GET /v1/health/state/<state>` lists whose ID starts with
    /// `checkIDPrefix` (counted in the raw body: every check object has one `CheckID`).
    func countChecks(state: String, checkIDPrefix: String) throws(BenchError) -> Int {
        let response = try send(.get, "/v1/health/state/\(state)")
        guard response.status == 200 else {
            throw .protocolError("/v1/health/state/\(state) answered \(response.status)")
        }
        let needle = Array(#""CheckID":"\#(checkIDPrefix)"#.utf8)
        return response.body.withUnsafeBytes { body in
            var count = 0
            var offset = 0
            while let found = WatchEventScanner.find(needle, in: body, from: offset) {
                count += 1
                offset = found + needle.count
            }
            return count
        }
    }
}
