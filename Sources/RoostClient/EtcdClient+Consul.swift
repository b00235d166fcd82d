import Platform

/// Consul's HTTP API on the same port (reference/consul.md §3–§5). Agent writes act on
/// the node of the server that receives them, as with Consul's local agent: register,
/// update and deregister through the same endpoint.
extension EtcdClient {
    /// `PUT /v1/agent/service/register`. Not retried on another endpoint once sent: that
    /// would register the instance on a second node.
    public func registerService(_ registration: ConsulServiceRegistration) throws(ClientError) {
        try consul(.put, "/v1/agent/service/register", body: registration.jsonBody)
    }

    /// `PUT /v1/agent/service/deregister/<id>`; the instance's checks go with it.
    public func deregisterService(id: String) throws(ClientError) {
        try consul(.put, "/v1/agent/service/deregister/" + PercentEncoding.pathSegment(id))
    }

    /// `PUT /v1/agent/check/pass|warn|fail/<id>?note=`: sets a TTL check's status and
    /// output and restarts its TTL.
    public func updateTTLCheck(
        _ checkID: String, _ status: ConsulHealthStatus, note: String = ""
    ) throws(ClientError) {
        let verb: String
        switch status {
        case .passing: verb = "pass"
        case .warning: verb = "warn"
        case .critical: verb = "fail"
        }
        var path = "/v1/agent/check/\(verb)/" + PercentEncoding.pathSegment(checkID)
        if !note.isEmpty { path += "?note=" + PercentEncoding.queryValue(note) }
        try consul(.put, path)
    }

    /// `GET /v1/catalog/services`: every service name with its tags, in the server's
    /// (name) order.
    public func catalogServices() throws(ClientError) -> ConsulReadResult<[ConsulServiceListing]> {
        let (raw, index) = try consulRead("/v1/catalog/services")
        guard let object = raw.objectValue else {
            throw .protocolError("catalog services is not a JSON object")
        }
        let listings = object.members.map { member in
            ConsulServiceListing(
                name: member.key, tags: (member.value.arrayValue ?? []).compactMap(\.stringValue))
        }
        return ConsulReadResult(value: listings, index: index, raw: raw)
    }

    /// `GET /v1/catalog/nodes`: every node with its address and meta.
    public func catalogNodes() throws(ClientError) -> ConsulReadResult<[ConsulNode]> {
        let (raw, index) = try consulRead("/v1/catalog/nodes")
        guard let array = raw.arrayValue else {
            throw .protocolError("catalog nodes is not a JSON array")
        }
        let nodes = array.map { node in
            ConsulNode(
                name: node["Node"]?.stringValue ?? "", address: node["Address"]?.stringValue ?? "",
                meta: ConsulHealthEntry.stringMap(node["Meta"]))
        }
        return ConsulReadResult(value: nodes, index: index, raw: raw)
    }

    /// `GET /v1/health/service/<name>[?passing][&tag=…]`: each instance with its node's
    /// and its own checks. Every tag must match; `passingOnly` drops an instance with
    /// any check not passing.
    public func serviceHealth(
        _ name: String, passingOnly: Bool = false, tags: [String] = []
    ) throws(ClientError) -> ConsulReadResult<[ConsulHealthEntry]> {
        let path = Self.serviceHealthPath(name, passingOnly: passingOnly, tags: tags)
        let (raw, index) = try consulRead(path)
        guard let array = raw.arrayValue else {
            throw .protocolError("service health is not a JSON array")
        }
        var entries: [ConsulHealthEntry] = []
        for element in array { entries.append(try ConsulHealthEntry(element)) }
        return ConsulReadResult(value: entries, index: index, raw: raw)
    }

    /// The path `serviceHealth` reads, for a blocking query on the same data.
    public static func serviceHealthPath(
        _ name: String, passingOnly: Bool = false, tags: [String] = []
    ) -> String {
        var query: [String] = passingOnly ? ["passing"] : []
        query += tags.map { "tag=" + PercentEncoding.queryValue($0) }
        let path = "/v1/health/service/" + PercentEncoding.pathSegment(name)
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }

    /// A Consul blocking query on the read at `path` (reference/consul.md §2.1): the server
    /// answers once the data's index passes `index`, or after `waitSeconds` (plus up to a
    /// sixteenth of jitter) with the index unchanged; `index` 0 answers at once. Returns
    /// the answer's `X-Consul-Index` (0 when it sent none); the body is not decoded. The
    /// client's timeout must outlast the wait. Retried on another endpoint, as any read.
    public func consulBlockingIndex(
        _ path: String, index: UInt64, waitSeconds: Int
    ) throws(ClientError) -> UInt64 {
        let separator = path.contains("?") ? "&" : "?"
        let response = try send(
            .get, path + separator + "index=\(index)&wait=\(waitSeconds)s", body: [],
            idempotent: true)
        try EtcdClient.checkConsulStatus(response)
        return response.headers.first("X-Consul-Index").flatMap { UInt64($0) } ?? 0
    }

    /// A Consul write: 200 or `.server` with Consul's plain-text error.
    private func consul(
        _ method: HTTPMethod, _ path: String, body: [UInt8] = []
    ) throws(ClientError) {
        let response = try send(method, path, body: body, idempotent: false)
        try EtcdClient.checkConsulStatus(response)
    }

    /// A Consul read (retried on another endpoint): the JSON answer and its index.
    private func consulRead(_ path: String) throws(ClientError) -> (JSONValue, UInt64) {
        let response = try send(.get, path, body: [], idempotent: true)
        try EtcdClient.checkConsulStatus(response)
        let value: JSONValue
        do {
            value = try JSONParser.parse(response.body)
        } catch {
            throw .protocolError("invalid JSON: \(error)")
        }
        return (value, response.headers.first("X-Consul-Index").flatMap { UInt64($0) } ?? 0)
    }

    /// Consul answers errors as plain text, the Go error string (reference/consul.md §0).
    static func checkConsulStatus(_ response: HTTPClient.Response) throws(ClientError) {
        guard response.status != 200 else { return }
        let text = response.bodyText.trimmingWhitespace()
        throw .server(
            status: response.status, code: 0,
            message: text.isEmpty ? "HTTP \(response.status)" : text)
    }
}
