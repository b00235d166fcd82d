import KVStore
import Platform
import ServiceCatalog

/// `PUT` and `DELETE /v1/kv/<key>` (reference/consul.md §1.3, §1.4, §6.3). Each write is
/// one etcd transaction over the value key and its metadata key, guarded by compares on
/// what was read, and retried when another write got in between (optimistic concurrency,
/// as etcd's STM does).
extension ConsulGateway {
    /// Consul's `kv_max_value_size` default: 512 KiB.
    static let kvValueBytesMax = 512 * 1024
    /// Attempts of one write when concurrent writers keep changing its key's metadata.
    static let kvWriteAttemptsMax = 16

    enum KVWrite: Sendable, Equatable {
        case set(flags: UInt64, cas: Int64?)
        case acquire(session: String, flags: UInt64)
        case release(session: String, flags: UInt64)
    }

    func kvPut(
        _ key: [UInt8], _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        guard !key.isEmpty else { throw .missingKey }
        guard !ReservedKeys.contains(key) else { throw .permissionDenied }
        guard request.body.count <= ConsulGateway.kvValueBytesMax else {
            throw ConsulError(
                .payloadTooLarge,
                "Request body(\(request.body.count) bytes) too large, max size: "
                    + "\(ConsulGateway.kvValueBytesMax) bytes. See "
                    + "https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size."
            )
        }
        let mode = try ConsulGateway.kvWrite(request)
        write(key: key, value: request.body, mode, attempt: 1, responder)
    }

    static func kvWrite(_ request: HTTPRequest) throws(ConsulError) -> KVWrite {
        var flags: UInt64 = 0
        if let text = request.queryValue("flags") {
            guard let value = UInt64(text) else { throw .badRequest("Invalid flags: \(text)") }
            flags = value
        }
        let cas = request.queryValue("cas")
        let acquire = request.queryValue("acquire")
        let release = request.queryValue("release")
        guard [cas, acquire, release].compactMap({ $0 }).count <= 1 else {
            throw .badRequest(
                "Conflicting flags: " + String(decoding: request.query, as: UTF8.self))
        }
        if let cas {
            guard let index = UInt64(cas) else { throw .badRequest("Invalid cas index: \(cas)") }
            return .set(flags: flags, cas: Int64(clamping: index))
        }
        if let acquire { return .acquire(session: acquire, flags: flags) }
        if let release { return .release(session: release, flags: flags) }
        return .set(flags: flags, cas: nil)
    }

    private struct Observed {
        var value: KeyValue?
        var metadataModRevision: Int64 = 0
        var metadata = ConsulKVMetadata()
        /// The acquiring session's record and its key's revision (acquire only).
        var session: CatalogSession?
        var sessionModRevision: Int64 = 0
        /// The key's lock-delay deadline (0: none) and its record's revision (acquire only).
        var lockDelayUntil: UInt64 = 0
        var lockDelayModRevision: Int64 = 0
    }

    private func observe(_ key: [UInt8], session: String?) -> Observed? {
        try? keySpace.withStore { (store) throws(KVError) in
            var observed = Observed()
            observed.value = try store.range(RangeRequest(key: key)).kvs.first
            if let meta = try store.range(RangeRequest(key: ConsulKVMetadata.key(for: key))).kvs
                .first
            {
                observed.metadataModRevision = meta.modRevision
                observed.metadata = ConsulKVMetadata.decode(meta.value)
            }
            guard let session else { return observed }
            if let record = try store.range(RangeRequest(key: CatalogKeys.session(session))).kvs
                .first
            {
                observed.session = try? CatalogSession(storedValue: record.value)
                observed.sessionModRevision = record.modRevision
            }
            if let delay = try store.range(RangeRequest(key: ConsulLockDelay.key(for: key))).kvs
                .first
            {
                observed.lockDelayUntil = ConsulLockDelay.decode(delay.value)
                observed.lockDelayModRevision = delay.modRevision
            }
            return observed
        }
    }

    /// Decides the write from what is stored now; nil answer means "propose `txn`".
    private func plan(
        _ key: [UInt8], _ value: [UInt8], _ write: KVWrite, _ observed: Observed,
        nowUnixNanoseconds: UInt64
    ) throws(ConsulError) -> (answer: Bool?, txn: TxnRequest) {
        var metadata = observed.metadata
        var compares = [
            Compare(
                result: .equal, target: .mod, key: ConsulKVMetadata.key(for: key),
                operand: .modRevision(observed.metadataModRevision))
        ]
        var ops: [RequestOp] = []
        switch write {
        case .set(let flags, let cas):
            if let cas {
                guard (observed.value?.modRevision ?? 0) == cas else {
                    return (false, TxnRequest())
                }
                compares.append(
                    Compare(result: .equal, target: .mod, key: key, operand: .modRevision(cas)))
            }
            metadata.flags = flags
            ops.append(.put(PutRequest(key: key, value: value)))
        case .acquire(let session, let flags):
            // Consul's KVS.Apply refuses a lock under lock-delay before it looks at the
            // session (reference/consul.md §6.2).
            if observed.lockDelayUntil > nowUnixNanoseconds { return (false, TxnRequest()) }
            guard let record = observed.session else {
                throw ConsulError(.internalServerError, "invalid session \"\(session)\"")
            }
            if !metadata.session.isEmpty && metadata.session != session {
                return (false, TxnRequest())
            }
            if metadata.session != session { metadata.lockIndex += 1 }
            metadata.session = session
            metadata.flags = flags
            // The session must still exist, and no lock delay may start, when this applies.
            compares.append(
                Compare(
                    result: .equal, target: .mod, key: CatalogKeys.session(session),
                    operand: .modRevision(observed.sessionModRevision)))
            compares.append(
                Compare(
                    result: .equal, target: .mod, key: ConsulLockDelay.key(for: key),
                    operand: .modRevision(observed.lockDelayModRevision)))
            ops.append(.put(PutRequest(key: key, value: value)))
            ops.append(
                .put(
                    PutRequest(
                        key: ConsulKVMetadata.lockKey(session: session, key: key),
                        value: ConsulLockMarker(session: record).encode())))
        case .release(let session, let flags):
            guard observed.value != nil, metadata.session == session else {
                return (false, TxnRequest())
            }
            metadata.session = ""
            metadata.flags = flags
            // The value stays; its mod_revision (ModifyIndex) still moves.
            ops.append(.put(PutRequest(key: key, ignoreValue: true)))
            ops.append(
                .deleteRange(
                    DeleteRangeRequest(key: ConsulKVMetadata.lockKey(session: session, key: key))))
        }
        ops.append(ConsulGateway.metadataOp(key, metadata))
        return (nil, TxnRequest(compare: compares, success: ops))
    }

    static func metadataOp(_ key: [UInt8], _ metadata: ConsulKVMetadata) -> RequestOp {
        let metaKey = ConsulKVMetadata.key(for: key)
        return metadata.isDefault
            ? .deleteRange(DeleteRangeRequest(key: metaKey))
            : .put(PutRequest(key: metaKey, value: metadata.encode()))
    }

    private func write(
        key: [UInt8], value: [UInt8], _ write: KVWrite, attempt: Int, _ responder: HTTPResponder
    ) {
        let session: String? =
            switch write {
            case .acquire(let session, _): session
            default: nil
            }
        guard let observed = observe(key, session: session) else {
            return ConsulError(.internalServerError, "the key space is unavailable")
                .respond(responder)
        }
        let planned: (answer: Bool?, txn: TxnRequest)
        do {
            planned = try plan(
                key, value, write, observed, nowUnixNanoseconds: WallClock().nowUnixNanoseconds())
        } catch {
            return error.respond(responder)
        }
        if let answer = planned.answer { return ConsulGateway.respondBool(answer, responder) }
        let gateway = self
        propose(.txn(planned.txn), responder) { succeeded in
            if succeeded { return ConsulGateway.respondBool(true, responder) }
            guard attempt < ConsulGateway.kvWriteAttemptsMax else {
                return ConsulError(.conflict, "too many concurrent writes to this key; retry")
                    .respond(responder)
            }
            gateway.write(key: key, value: value, write, attempt: attempt + 1, responder)
        }
    }

    /// Proposes a transaction and hands its `succeeded` to `then` on the request's loop.
    func propose(
        _ command: KVCommand, _ responder: HTTPResponder,
        then: @escaping @Sendable (Bool) -> Void
    ) {
        let encoded: [UInt8]
        do {
            encoded = try command.validatedEncoding()
        } catch {
            return ConsulError(.badRequest, error.message).respond(responder)
        }
        keySpace.propose(command, encoded: encoded) { result in
            responder.loop.execute {
                switch result {
                case .failure(let error):
                    ConsulError(error).respond(responder)
                case .success(let outcome):
                    switch outcome.result {
                    case .txn(let response): then(response.succeeded)
                    case .failed(let error):
                        ConsulError(.internalServerError, error.message).respond(responder)
                    default: then(true)
                    }
                }
            }
        }
    }
}
