import KVStore
import Platform
import ServiceCatalog

/// Consul's HTTP API under `/v1/` (reference/consul.md) over the same `KeySpace` as the
/// etcd gateway: KV on the ordinary key space, everything else under `_roost/`.
struct ConsulGateway: Sendable {
    let keySpace: any KeySpace
    /// Consul's `enable_script_checks`: script checks may be registered over the API.
    var scriptChecksEnabled = false
    /// Catalog and health answers at the store's current revision, shared by every loop.
    let catalogCache = CatalogReadCache()

    /// Sent on every Consul response (≥ 1.9). Roost has no ACLs on this API yet.
    static var commonHeaders: HTTPHeaders {
        HTTPHeaders([("X-Consul-Default-ACL-Policy", "allow")])
    }

    func handle(route: Substring, request: HTTPRequest, responder: HTTPResponder) {
        do throws(ConsulError) {
            if route.hasPrefix("kv/") || route == "kv" {
                try kv(key: route.dropFirst(3), request, responder)
                return
            }
            let section = route.prefix { $0 != "/" }
            let rest = route.dropFirst(min(section.count + 1, route.count))
            switch section {
            case "agent": return try agent(rest, request, responder)
            case "catalog": return try catalog(rest, request, responder)
            case "health": return try health(rest, request, responder)
            case "session": return try session(rest, request, responder)
            default: break
            }
            switch route {
            case "status/leader":
                try ConsulGateway.only(.get, request)
                statusLeader(responder)
            case "status/peers":
                try ConsulGateway.only(.get, request)
                statusPeers(responder)
            case "operator/raft/configuration":
                try ConsulGateway.only(.get, request)
                raftConfiguration(responder)
            default:
                throw .unknownPath
            }
        } catch {
            error.respond(responder)
        }
    }

    static func only(_ method: HTTPMethod, _ request: HTTPRequest) throws(ConsulError) {
        let allowed: [HTTPMethod] = method == .get ? [.get, .head] : [method]
        guard allowed.contains(request.method) else {
            throw .methodNotAllowed(request.method, allow: [method])
        }
    }

    /// Answers a read in its consistency mode, blocking when `?index` asks for it.
    func read(
        _ request: HTTPRequest, _ responder: HTTPResponder, ranges: [KeyRange],
        changes: CatalogChangeFilter = .any, _ run: @escaping @Sendable () -> ConsulAnswer
    ) throws(ConsulError) {
        let options = try ConsulQueryOptions.parse(request)
        let keySpace = self.keySpace
        let answer: @Sendable () -> Void = {
            if options.index == 0 {
                run().respond(
                    responder, status: keySpace.status(), consistency: options.consistency)
                return
            }
            ConsulBlockingQuery(
                keySpace: keySpace, responder: responder, options: options, changes: changes,
                run: run
            ).start(ranges: ranges)
        }
        guard options.consistency != .stale else { return answer() }
        keySpace.readBarrier { result in
            responder.loop.execute {
                switch result {
                case .success: answer()
                case .failure(let error): ConsulError(error).respond(responder)
                }
            }
        }
    }

    /// Answers the JSON `true` or `false` (KV and session writes).
    static func respondBool(_ value: Bool, _ responder: HTTPResponder) {
        var headers = commonHeaders
        headers.add(name: "Content-Type", value: "application/json")
        responder.respond(.ok, headers: headers, body: Array((value ? "true" : "false").utf8))
    }

    static func respondJSON(_ body: [UInt8], _ responder: HTTPResponder) {
        var headers = commonHeaders
        headers.add(name: "Content-Type", value: "application/json")
        responder.respond(.ok, headers: headers, body: body)
    }
}
