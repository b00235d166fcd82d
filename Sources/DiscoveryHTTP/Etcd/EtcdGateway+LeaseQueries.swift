import KVStore
import Platform

/// Lease questions answered from the leader's deadlines (keep-alive, time-to-live) or
/// from the applied store (the lease list).
extension EtcdGateway {
    /// `lease/keepalive`: every request object in the body gets one answer line,
    /// `{"result":{header, ID, TTL}}` ended by a newline as grpc-gateway delimits stream
    /// messages, in order; an unknown or expired lease is not an
    /// error but TTL 0, which is omitted (etcd `leaseKeepAlive`).
    func keepAlive(_ request: HTTPRequest, _ responder: HTTPResponder) throws(EtcdError) {
        let ids = try EtcdGateway.keepAliveIDs(request.body)
        let keySpace = self.keySpace
        EtcdGateway.renew(ids[...], keySpace: keySpace, lines: []) { result in
            responder.loop.execute {
                switch result {
                case .success(let lines):
                    responder.respondJSON(.ok, Array(lines.joined()))
                case .failure(let error):
                    responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
                }
            }
        }
    }

    /// The lease IDs of a body holding zero or more JSON objects back to back.
    static func keepAliveIDs(_ body: [UInt8]) throws(EtcdError) -> [Int64] {
        var ids: [Int64] = []
        var offset = 0
        while offset < body.count {
            let step: ParseStep<JSONValue>
            do {
                step = try body.withBytes { (all) throws(JSONError) in
                    try JSONParser.parsePrefix(UnsafeRawBufferPointer(rebasing: all[offset...]))
                }
            } catch {
                throw .badRequest("invalid JSON at byte \(offset + error.offset): \(error.message)")
            }
            switch step {
            case .needMoreBytes(let consumed):
                // Only whitespace is left, or a value is cut short.
                if offset + consumed == body.count { return ids.isEmpty ? [0] : ids }
                throw .badRequest("invalid JSON: the request body ends inside a value")
            case .complete(let value, let consumed):
                guard ids.count < keepAliveRequestsMax else {
                    throw .badRequest(
                        "at most \(keepAliveRequestsMax) keep-alive requests per body")
                }
                ids.append(try ProtoObject.from(value, field: "request").int64("ID"))
                offset += consumed
            }
        }
        return ids.isEmpty ? [0] : ids
    }

    private static func renew(
        _ ids: ArraySlice<Int64>, keySpace: any KeySpace, lines: [[UInt8]],
        _ done: @escaping @Sendable (Result<[[UInt8]], ServiceError>) -> Void
    ) {
        guard let id = ids.first else { return done(.success(lines)) }
        keySpace.queryLease(.renew(id)) { result in
            switch result {
            case .failure(let error): done(.failure(error))
            case .success(let status):
                let encoder = EtcdResponseEncoder(identity: keySpace.identity)
                var writer = JSONWriter()
                writer.beginObject()
                writer.key("result")
                writer.beginObject()
                encoder.header(&writer, revision: EtcdGateway.revision(of: keySpace))
                encoder.nonZero(&writer, "ID", id)
                encoder.nonZero(&writer, "TTL", status?.remainingSeconds ?? 0)
                writer.endObject()
                writer.endObject()
                let line = writer.bytes + [0x0A]
                renew(ids.dropFirst(), keySpace: keySpace, lines: lines + [line], done)
            }
        }
    }

    /// `lease/timetolive {ID, keys}`: an unknown lease is 200 with TTL -1 (etcd
    /// `LeaseTimeToLive`), not an error. Keys come from this member's store after a read
    /// barrier, so they include every attach acknowledged before the question.
    func timeToLive(_ request: HTTPRequest, _ responder: HTTPResponder) throws(EtcdError) {
        let object = try ProtoObject.parse(request.body)
        let id = try object.int64("ID")
        let wantsKeys = try object.bool("keys")
        let keySpace = self.keySpace
        keySpace.queryLease(.timeToLive(id)) { result in
            guard case .success(let status) = result else {
                return EtcdGateway.answerFailure(result, responder)
            }
            keySpace.readBarrier { barrier in
                let keys = EtcdGateway.leaseKeys(id, wanted: wantsKeys, keySpace: keySpace)
                responder.loop.execute {
                    if case .failure(let error) = barrier {
                        let etcd = EtcdError(error)
                        return responder.respondJSON(etcd.httpStatus, etcd.unaryBody())
                    }
                    let encoder = EtcdResponseEncoder(identity: keySpace.identity)
                    var writer = JSONWriter()
                    writer.beginObject()
                    encoder.header(&writer, revision: EtcdGateway.revision(of: keySpace))
                    encoder.nonZero(&writer, "ID", id)
                    writer.key("TTL")
                    writer.numberAsString(status?.remainingSeconds ?? -1)
                    encoder.nonZero(&writer, "grantedTTL", status?.grantedSeconds ?? 0)
                    if status != nil && !keys.isEmpty {
                        writer.key("keys")
                        writer.beginArray()
                        for key in keys { writer.base64(key) }
                        writer.endArray()
                    }
                    writer.endObject()
                    responder.respondJSON(.ok, writer.bytes)
                }
            }
        }
    }

    private static func leaseKeys(_ id: Int64, wanted: Bool, keySpace: any KeySpace) -> [[UInt8]] {
        guard wanted else { return [] }
        let keys = try? keySpace.withStore { (store) throws(KVError) in store.leaseInfo(id)?.keys }
        return (keys ?? nil) ?? []
    }

    private static func answerFailure(
        _ result: Result<LeaseStatus?, ServiceError>, _ responder: HTTPResponder
    ) {
        guard case .failure(let error) = result else { return }
        responder.loop.execute {
            responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
        }
    }

    /// `lease/leases`: every granted lease, linearizable like a range.
    func listLeases(_ responder: HTTPResponder) {
        let keySpace = self.keySpace
        keySpace.readBarrier { barrier in
            let ids = (try? keySpace.withStore { (store) throws(KVError) in store.leases() }) ?? []
            responder.loop.execute {
                if case .failure(let error) = barrier {
                    return responder.respondJSON(
                        EtcdError(error).httpStatus, EtcdError(error).unaryBody())
                }
                let encoder = EtcdResponseEncoder(identity: keySpace.identity)
                var writer = JSONWriter()
                writer.beginObject()
                encoder.header(&writer, revision: EtcdGateway.revision(of: keySpace))
                writer.key("leases")
                writer.beginArray()
                for id in ids {
                    writer.beginObject()
                    encoder.nonZero(&writer, "ID", id)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
                responder.respondJSON(.ok, writer.bytes)
            }
        }
    }

    static func revision(of keySpace: any KeySpace) -> Int64 {
        (try? keySpace.withStore { (store) throws(KVError) in store.revision }) ?? 0
    }
}
