import Platform

/// The client port's front door: etcd's gateway under `/v3/` (and the `/v3beta/`
/// alias), Consul's HTTP API under `/v1/`, and etcd's plain `/version` and `/health`.
public struct Router: HTTPHandler {
    private let etcd: EtcdGateway
    private let consul: ConsulGateway

    /// `scriptChecksEnabled`: the agent accepts script checks (`--enable-script-checks`).
    public init(keySpace: any KeySpace, scriptChecksEnabled: Bool = false) {
        self.etcd = EtcdGateway(keySpace: keySpace)
        self.consul = ConsulGateway(keySpace: keySpace, scriptChecksEnabled: scriptChecksEnabled)
    }

    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let path = request.pathString
        if let route = Router.etcdRoute(path) {
            guard request.method == .post else {
                if request.method == .options {
                    responder.respond(.ok, body: [])
                } else {
                    responder.respondText(.methodNotAllowed, "Method Not Allowed")
                }
                return
            }
            etcd.handle(route: route, request: request, responder: responder)
            return
        }
        if path.hasPrefix("/v1/") {
            consul.handle(route: path.dropFirst(4), request: request, responder: responder)
            return
        }
        switch path {
        case "/version":
            guard request.method == .get || request.method == .head else {
                return responder.respondText(.methodNotAllowed, "Method Not Allowed")
            }
            etcd.version(responder)
        case "/health":
            guard request.method == .get || request.method == .head else {
                return responder.respondText(.methodNotAllowed, "Method Not Allowed")
            }
            etcd.health(responder)
        default:
            responder.respondText(.notFound, "404 page not found")
        }
    }

    /// etcd's bidi streams read their request bodies as they arrive: a client can hold one
    /// keep-alive or watch request open and write to it.
    public func streamsBody(_ head: HTTPRequest) -> Bool {
        guard head.method == .post, let route = Router.etcdRoute(head.pathString) else {
            return false
        }
        return route == "lease/keepalive" || route == "watch"
    }

    /// `/v3/kv/range` → `kv/range`; `/v3beta/…` is rewritten to `/v3/…` as etcd 3.4 and
    /// 3.5 still do (`accessController.ServeHTTP`).
    static func etcdRoute(_ path: String) -> Substring? {
        for prefix in ["/v3/", "/v3beta/"] where path.hasPrefix(prefix) {
            return path.dropFirst(prefix.count)
        }
        return nil
    }
}
