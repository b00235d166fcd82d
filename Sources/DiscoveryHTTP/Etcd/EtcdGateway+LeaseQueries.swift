import KVStore
import Platform

/// Lease questions answered from the leader's deadlines (keep-alive, time-to-live) or
/// from the applied store (the lease list).
extension EtcdGateway {
    /// `lease/keepalive`: every request object in the body gets one answer line,
    /// `{"result":{header, ID, TTL}}` ended by a newline as grpc-gateway delimits stream
    /// messages, in order; an unknown or expired lease is not an
    /// error but TTL 0, which is omitted (etcd `leaseKeepAlive`).
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
