import KVStore
import Platform

/// `/v3/lease/*` and the `/v3/kv/lease/*` aliases (reference/etcd.md §1.7). Grant and
/// revoke go through the log; keep-alive and time-to-live ask the leader, which owns the
/// deadlines.
extension EtcdGateway {
    func handleLease(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(EtcdError)
    {
        switch route {
        case "lease/grant": try grantLease(request, responder)
        case "lease/revoke", "kv/lease/revoke": try revokeLease(request, responder)
        case "lease/keepalive": EtcdKeepAliveStream.open(request, responder, keySpace: keySpace)
        case "lease/timetolive", "kv/lease/timetolive": try timeToLive(request, responder)
        default: listLeases(responder)
        }
    }

    static let leaseRoutes: Set<Substring> = [
        "lease/grant", "lease/revoke", "kv/lease/revoke", "lease/keepalive",
        "lease/timetolive", "kv/lease/timetolive", "lease/leases", "kv/lease/leases",
    ]

    private func grantLease(_ request: HTTPRequest, _ responder: HTTPResponder) throws(EtcdError) {
        let object = try ProtoObject.parse(request.body)
        let ttlSeconds = try object.int64("TTL")
        var id = try object.int64("ID")
        if id == 0 { id = keySpace.newLeaseID() }
        try proposeLease(.leaseGrant(id: id, ttlSeconds: ttlSeconds), responder) {
            (encoder, outcome) in
            guard case .leaseGranted(let id, let ttlSeconds) = outcome.result else { return nil }
            var writer = JSONWriter()
            writer.beginObject()
            encoder.header(&writer, revision: outcome.revision)
            encoder.nonZero(&writer, "ID", id)
            encoder.nonZero(&writer, "TTL", ttlSeconds)
            writer.endObject()
            return writer.bytes
        }
    }

    private func revokeLease(_ request: HTTPRequest, _ responder: HTTPResponder) throws(EtcdError) {
        let id = try ProtoObject.parse(request.body).int64("ID")
        try proposeLease(.leaseRevoke(id: id), responder) { (encoder, outcome) in
            encoder.headerOnly(revision: outcome.revision)
        }
    }

    /// Proposes a grant or revoke; `body` encodes the success (nil: the store's failure).
    private func proposeLease(
        _ command: KVCommand, _ responder: HTTPResponder,
        _ body: @escaping @Sendable (EtcdResponseEncoder, ApplyOutcome) -> [UInt8]?
    ) throws(EtcdError) {
        let encoded: [UInt8]
        do {
            encoded = try command.validatedEncoding()
        } catch {
            throw EtcdError(error)
        }
        let keySpace = self.keySpace
        keySpace.propose(command, encoded: encoded) { result in
            responder.loop.execute {
                let encoder = EtcdResponseEncoder(identity: keySpace.identity)
                switch result {
                case .failure(let error):
                    responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
                case .success(let outcome):
                    if case .failed(let error) = outcome.result {
                        return responder.respondJSON(
                            EtcdError(error).httpStatus, EtcdError(error).unaryBody())
                    }
                    guard let bytes = body(encoder, outcome) else {
                        let error = EtcdError(
                            grpcCode: 13, message: "roost: unexpected lease outcome")
                        return responder.respondJSON(error.httpStatus, error.unaryBody())
                    }
                    responder.respondJSON(.ok, bytes)
                }
            }
        }
    }
}
