import Platform

/// A computed read: what to send and the index that goes into `X-Consul-Index`.
struct ConsulAnswer: Sendable {
    var status: HTTPStatus = .ok
    var body: [UInt8]
    /// The highest modify index of what the answer covers (§1.5); forced to ≥ 1 on the wire.
    var index: Int64
    var contentType = "application/json"
    var extraHeaders: [(String, String)] = []

    static func json(_ body: [UInt8], index: Int64) -> ConsulAnswer {
        ConsulAnswer(body: body, index: index)
    }

    /// 404 with an empty body: the index headers are still set (py-consul needs them).
    static func notFound(index: Int64) -> ConsulAnswer {
        ConsulAnswer(status: .notFound, body: [], index: index, contentType: "")
    }

    func respond(
        _ responder: HTTPResponder, status serverStatus: ServerStatus,
        consistency: ConsulQueryOptions.Consistency, index reported: Int64? = nil
    ) {
        var headers = ConsulGateway.commonHeaders
        headers.add(name: "X-Consul-Index", value: String(max(reported ?? index, 1)))
        headers.add(
            name: "X-Consul-KnownLeader", value: serverStatus.leaderID != 0 ? "true" : "false")
        headers.add(
            name: "X-Consul-LastContact", value: String(serverStatus.lastContactMilliseconds))
        headers.add(name: "X-Consul-Effective-Consistency", value: consistency.rawValue)
        if !contentType.isEmpty { headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        responder.respond(status, headers: headers, body: body)
    }
}
