import KVStore
import Platform

/// etcd's v3 JSON gateway over a `KeySpace`: unary KV routes, the watch stream,
/// maintenance status and member list, `/version` and `/health`.
struct EtcdGateway: Sendable {
    /// etcd's `--max-request-bytes` default: 1.5 MiB of encoded request.
    static let requestBytesMax = 1_572_864
    /// The etcd API version we speak. etcd3gw picks `/v3/` for servers reporting ≥ 3.4.
    static let apiVersion = "3.5.0"
    static let clusterVersion = "3.5.0"

    let keySpace: any KeySpace

    init(keySpace: any KeySpace) {
        self.keySpace = keySpace
    }

    private var encoder: EtcdResponseEncoder { EtcdResponseEncoder(identity: keySpace.identity) }

    func handle(route: Substring, request: HTTPRequest, responder: HTTPResponder) {
        do throws(EtcdError) {
            switch route {
            case "kv/range": try range(request, responder)
            case "kv/put":
                try write(request, responder) { (object) throws(EtcdError) in
                    .put(try EtcdRequestDecoder.put(object))
                }
            case "kv/deleterange":
                try write(request, responder) { (object) throws(EtcdError) in
                    .deleteRange(try EtcdRequestDecoder.deleteRange(object))
                }
            case "kv/txn":
                try write(request, responder) { (object) throws(EtcdError) in
                    .txn(try EtcdRequestDecoder.txn(object))
                }
            case "kv/compaction":
                try write(request, responder) { (object) throws(EtcdError) in
                    .compact(revision: try object.int64("revision"))
                }
            case "watch": EtcdWatchStream.open(request, responder, keySpace: keySpace)
            case "maintenance/status": status(responder)
            case "maintenance/hash", "maintenance/hashkv": hash(route, responder)
            case "cluster/member/list": memberList(responder)
            case "maintenance/transfer-leadership": try transferLeadership(request, responder)
            case "cluster/member/add", "cluster/member/remove", "cluster/member/promote",
                "cluster/member/update":
                try changeMembership(route, request, responder)
            case _ where EtcdGateway.leaseRoutes.contains(route):
                try handleLease(route, request, responder)
            default:
                if EtcdGateway.knownRoutes.contains(String(route)) {
                    throw EtcdError.unimplemented(String(route))
                }
                responder.respondText(.notFound, "Not Found")
            }
        } catch {
            fail(error, responder)
        }
    }

    /// Routes etcd serves that Roost does not yet: answered with gRPC Unimplemented
    /// (501) instead of a bare 404, so clients see what is missing.
    static let knownRoutes: Set<String> = [
        "maintenance/alarm", "maintenance/defragment",
        "maintenance/snapshot",
        "maintenance/downgrade",
        "auth/enable", "auth/disable", "auth/status", "auth/authenticate",
        "auth/user/add", "auth/user/get", "auth/user/list", "auth/user/delete",
        "auth/user/changepw", "auth/user/grant", "auth/user/revoke", "auth/role/add",
        "auth/role/get", "auth/role/list", "auth/role/delete", "auth/role/grant",
        "auth/role/revoke", "lock/lock", "lock/unlock", "election/campaign",
        "election/proclaim", "election/leader", "election/observe", "election/resign",
    ]

    func fail(_ error: EtcdError, _ responder: HTTPResponder) {
        responder.respondJSON(error.httpStatus, error.unaryBody())
    }

    // MARK: KV

    private func range(_ request: HTTPRequest, _ responder: HTTPResponder) throws(EtcdError) {
        let rangeRequest = try EtcdRequestDecoder.range(ProtoObject.parse(request.body))
        guard !rangeRequest.key.isEmpty else { throw EtcdError(KVError.keyNotProvided) }
        let keySpace = self.keySpace
        let read: @Sendable () -> Void = {
            let encoder = EtcdResponseEncoder(identity: keySpace.identity)
            do throws(KVError) {
                let response = try keySpace.withStore { (store) throws(KVError) in
                    try store.range(rangeRequest)
                }
                var writer = JSONWriter(reservingCapacity: 256 + response.kvs.count * 128)
                encoder.range(&writer, response, inner: false)
                responder.respondJSON(.ok, writer.bytes)
            } catch {
                responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
            }
        }
        if rangeRequest.serializable {
            read()
            return
        }
        keySpace.readBarrier { result in
            switch result {
            case .success: read()
            case .failure(let error):
                responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
            }
        }
    }

    /// Decodes, validates and proposes one write; answers when it is applied.
    private func write(
        _ request: HTTPRequest, _ responder: HTTPResponder,
        _ decode: (ProtoObject) throws(EtcdError) -> KVCommand
    ) throws(EtcdError) {
        let command = try decode(ProtoObject.parse(request.body))
        guard !ReservedKeys.isTouched(by: command) else { throw .permissionDenied }
        let encoded: [UInt8]
        do {
            encoded = try command.validatedEncoding()
        } catch {
            throw EtcdError(error)
        }
        guard encoded.count <= EtcdGateway.requestBytesMax else { throw .requestTooLarge }
        let keySpace = self.keySpace
        keySpace.propose(command, encoded: encoded) { result in
            // Encode on the connection's loop, not on the apply thread.
            responder.loop.execute {
                EtcdGateway.answer(result, keySpace: keySpace, responder: responder)
            }
        }
    }

    private static func answer(
        _ result: Result<ApplyOutcome, ServiceError>, keySpace: any KeySpace,
        responder: HTTPResponder
    ) {
        let encoder = EtcdResponseEncoder(identity: keySpace.identity)
        let outcome: ApplyOutcome
        switch result {
        case .failure(let error):
            return responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
        case .success(let applied):
            outcome = applied
        }
        var writer = JSONWriter()
        switch outcome.result {
        case .put(let response): encoder.put(&writer, response, inner: false)
        case .deleteRange(let response): encoder.deleteRange(&writer, response, inner: false)
        case .txn(let response): encoder.txn(&writer, response, inner: false)
        case .compact:
            // etcd's Compact answers with the store's current revision, not the compaction
            // target (`resp.Header.Revision = s.kv.Rev()`, etcdserver/v3_server.go).
            return responder.respondJSON(.ok, encoder.headerOnly(revision: outcome.revision))
        case .failed(let error):
            return responder.respondJSON(EtcdError(error).httpStatus, EtcdError(error).unaryBody())
        case .leaseGranted, .leaseRevoked:
            return responder.respondJSON(.ok, encoder.headerOnly(revision: outcome.revision))
        }
        responder.respondJSON(.ok, writer.bytes)
    }

    // MARK: Maintenance and cluster

    private func currentRevision() -> Int64 {
        EtcdGateway.revision(of: keySpace)
    }

    private func status(_ responder: HTTPResponder) {
        let status = keySpace.status()
        var writer = JSONWriter()
        writer.beginObject()
        encoder.header(&writer, revision: currentRevision())
        writer.key("version")
        writer.string(EtcdGateway.apiVersion)
        encoder.nonZero(&writer, "dbSize", status.databaseBytes)
        encoder.nonZero(&writer, "leader", status.leaderID)
        encoder.nonZero(&writer, "raftIndex", status.raftIndex)
        encoder.nonZero(&writer, "raftTerm", status.raftTerm)
        encoder.nonZero(&writer, "raftAppliedIndex", status.raftAppliedIndex)
        encoder.nonZero(&writer, "dbSizeInUse", status.databaseBytes)
        writer.endObject()
        responder.respondJSON(.ok, writer.bytes)
    }

    /// `maintenance/hash` and `hashkv`: a CRC32C of this member's applied MVCC state, to
    /// compare replicas at one revision. Roost's hash covers every record since the
    /// compaction point plus the leases, so it is not numerically equal to etcd's.
    private func hash(_ route: Substring, _ responder: HTTPResponder) {
        let state = try? keySpace.withStore { (store) throws(KVError) in
            (store.hash(), store.revision, store.compactRevision)
        }
        guard let (hash, revision, compacted) = state else {
            return fail(EtcdError(.stopped), responder)
        }
        var writer = JSONWriter()
        writer.beginObject()
        encoder.header(&writer, revision: revision)
        if hash != 0 {
            writer.key("hash")
            writer.number(UInt64(hash))  // uint32: a JSON number, not a string (jsonpb)
        }
        if route == "maintenance/hashkv" {
            encoder.nonZero(&writer, "compact_revision", compacted)
            encoder.nonZero(&writer, "hash_revision", revision)
        }
        writer.endObject()
        responder.respondJSON(.ok, writer.bytes)
    }

    func memberList(_ responder: HTTPResponder, added: MemberInfo? = nil) {
        let status = keySpace.status()
        let identity = keySpace.identity
        let members =
            status.members.isEmpty
            ? [
                MemberInfo(
                    id: identity.memberID, name: identity.name, peerURLs: status.peerURLs,
                    clientURLs: status.clientURLs)
            ]
            : status.members
        var writer = JSONWriter()
        writer.beginObject()
        encoder.header(&writer, revision: currentRevision())
        if let added {
            writer.key("member")
            member(&writer, added)
        }
        writer.key("members")
        writer.beginArray()
        for member in members { self.member(&writer, member) }
        writer.endArray()
        writer.endObject()
        responder.respondJSON(.ok, writer.bytes)
    }

    private func member(_ writer: inout JSONWriter, _ member: MemberInfo) {
        writer.beginObject()
        encoder.nonZero(&writer, "ID", member.id)
        if !member.name.isEmpty {
            writer.key("name")
            writer.string(member.name)
        }
        stringArray(&writer, "peerURLs", member.peerURLs)
        stringArray(&writer, "clientURLs", member.clientURLs)
        if member.isLearner {
            writer.key("isLearner")
            writer.bool(true)
        }
        writer.endObject()
    }

    /// `maintenance/transfer-leadership {targetID}` (etcd MoveLeader): answered `{header}`
    /// once the target leads.
    private func transferLeadership(
        _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(EtcdError) {
        let target = try ProtoObject.parse(request.body).uint64("targetID")
        let gateway = self
        keySpace.transferLeadership(to: target) { result in
            responder.loop.execute {
                switch result {
                case .success:
                    responder.respondJSON(
                        .ok, gateway.encoder.headerOnly(revision: gateway.currentRevision()))
                case .failure(let error):
                    gateway.fail(error.etcdError, responder)
                }
            }
        }
    }

    /// `member/add {peerURLs, isLearner}`, `member/remove {ID}`, `member/promote {ID}`,
    /// `member/update {ID, peerURLs}`: one change at a time through the log, answered with
    /// the new member list.
    private func changeMembership(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(EtcdError) {
        let object = try ProtoObject.parse(request.body)
        let change: MembershipRequest
        switch route {
        case "cluster/member/add":
            let urls = try object.array("peerURLs").compactMap(\.stringValue)
            guard urls.count == 1, let url = urls.first else {
                throw .badRequest("peerURLs: give exactly one peer URL")
            }
            change = .add(peerURL: url, learner: try object.bool("isLearner"))
        case "cluster/member/remove":
            change = .remove(id: try object.uint64("ID"))
        case "cluster/member/update":
            let urls = try object.array("peerURLs").compactMap(\.stringValue)
            guard urls.count == 1, let url = urls.first else {
                throw .badRequest("peerURLs: give exactly one peer URL")
            }
            change = .update(id: try object.uint64("ID"), peerURL: url)
        default:
            change = .promote(id: try object.uint64("ID"))
        }
        let gateway = self
        keySpace.changeMembership(change) { result in
            responder.loop.execute {
                switch result {
                case .success(let member):
                    if case .add = change {
                        gateway.memberList(responder, added: member)
                    } else {
                        gateway.memberList(responder)
                    }
                case .failure(let error):
                    gateway.fail(error.etcdError, responder)
                }
            }
        }
    }

    private func stringArray(_ writer: inout JSONWriter, _ name: StaticString, _ values: [String]) {
        guard !values.isEmpty else { return }
        writer.key(name)
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }

    func version(_ responder: HTTPResponder) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("etcdserver")
        writer.string(EtcdGateway.apiVersion)
        writer.key("etcdcluster")
        writer.string(EtcdGateway.clusterVersion)
        writer.key("roost")
        writer.string(RoostVersion.current)
        writer.endObject()
        responder.respondJSON(.ok, writer.bytes)
    }

    func health(_ responder: HTTPResponder) {
        let healthy = keySpace.status().healthy
        let body =
            healthy
            ? #"{"health":"true","reason":""}"# : #"{"health":"false","reason":"unavailable"}"#
        responder.respondJSON(healthy ? .ok : .serviceUnavailable, Array(body.utf8))
    }
}

/// The Roost release, reported by `/version` and `roost --version`.
public enum RoostVersion {
    public static let current = "0.1.0"
}
