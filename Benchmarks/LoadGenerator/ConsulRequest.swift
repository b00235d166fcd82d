import Platform

/// The Consul API requests of the discovery modes, each encoded whole: agent service
/// registration, TTL check updates and health reads (reference/consul.md §3, §5).
enum ConsulRequest {
    /// `PUT /v1/agent/service/register`; with `ttlSeconds`, one TTL check whose ID is
    /// `service:<id>` (Consul's ID for a service's only check) and whose first status is
    /// `status` (critical when nil, as in Consul).
    static func register(
        host: String, id: String, name: String, port: Int, ttlSeconds: Int?,
        status: String? = nil
    ) -> [UInt8] {
        let body = registration(
            id: id, name: name, port: port, ttlSeconds: ttlSeconds, status: status)
        return request(.put, "/v1/agent/service/register", host: host, body: body)
    }

    /// The body of `register`.
    static func registration(
        id: String, name: String, port: Int, ttlSeconds: Int?, status: String? = nil
    ) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Name")
        writer.string(name)
        writer.key("ID")
        writer.string(id)
        writer.key("Port")
        writer.number(port)
        if let ttlSeconds {
            writer.key("Check")
            writer.beginObject()
            writer.key("TTL")
            writer.string("\(ttlSeconds)s")
            if let status {
                writer.key("Status")
                writer.string(status)
            }
            writer.endObject()
        }
        writer.endObject()
        return writer.bytes
    }

    /// `PUT /v1/agent/check/<pass|warn|fail>/<checkID>` with no body: a TTL heartbeat.
    static func checkUpdate(host: String, verb: String, checkID: String) -> [UInt8] {
        request(.put, "/v1/agent/check/\(verb)/\(checkID)", host: host, body: [])
    }

    /// `GET /v1/health/service/<name>`, blocking when `index` is above 0.
    static func healthService(
        host: String, name: String, index: Int64 = 0, wait: String = "5m"
    ) -> [UInt8] {
        let query = index > 0 ? "?index=\(index)&wait=\(wait)" : ""
        return request(.get, "/v1/health/service/\(name)\(query)", host: host, body: [])
    }

    static func request(
        _ method: HTTPMethod, _ target: String, host: String, body: [UInt8]
    ) -> [UInt8] {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: method, target: target, headers: headers, body: body, into: &request)
        return request
    }
}
