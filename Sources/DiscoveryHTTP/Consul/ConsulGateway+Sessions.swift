import KVStore
import Platform
import ServiceCatalog
import Synchronization

/// `/v1/session/*` (reference/consul.md §6; Consul `agent/session_endpoint.go`). A session
/// is a record at `_roost/session/<uuid>`; one with a TTL is attached to a lease of twice
/// the TTL (Consul expires a session between TTL and 2×TTL), so renewing is a lease
/// keep-alive and writes nothing to the log. Destroying releases or deletes the session's
/// locks in the same transaction (`SessionInvalidation`).
extension ConsulGateway {
    /// Fresh IDs tried when a new session's ID is already taken (Consul also loops until
    /// its UUID is unused); with 122 random bits a second try is already a curiosity.
    static let sessionCreateAttemptsMax = 4
    /// Session IDs come from one seeded generator per process, seeded from the kernel.
    static let sessionIDs = Mutex(SeededGenerator(seed: SeededGenerator.entropySeed()))

    func session(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let parts = route.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let argument = parts.count == 2 ? String(parts[1]) : nil
        switch (parts.first.map(String.init) ?? "", argument) {
        case ("create", nil):
            try ConsulGateway.only(.put, request)
            try createSession(request, responder)
        case ("destroy", let id?):
            try ConsulGateway.only(.put, request)
            guard !id.isEmpty else { throw .badRequest("Missing session") }
            destroySession(id, lease: 0, failures: 0, responder)
        case ("renew", let id?):
            try ConsulGateway.only(.put, request)
            guard !id.isEmpty else { throw .badRequest("Missing session") }
            try renewSession(id, responder)
        case ("info", let id?):
            try ConsulGateway.only(.get, request)
            guard !id.isEmpty else { throw .badRequest("Missing session") }
            try readSessions(request, responder, ranges: [KeyRange(key: CatalogKeys.session(id))]) {
                $0.record.id == id
            }
        case ("list", nil):
            try ConsulGateway.only(.get, request)
            try readSessions(request, responder) { _ in true }
        case ("node", let node?):
            try ConsulGateway.only(.get, request)
            guard !node.isEmpty else { throw .badRequest("Missing node name") }
            let lowered = node.lowercased()
            try readSessions(request, responder) { $0.record.node.lowercased() == lowered }
        default:
            throw .unknownPath
        }
    }

    /// The lease a TTL session is attached to: 2×TTL, in whole seconds rounded up.
    static func sessionLeaseSeconds(ttlNanoseconds: Int64) -> Int64 {
        (2 * ttlNanoseconds + 999_999_999) / 1_000_000_000
    }

    private func createSession(
        _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let definition: SessionDefinition
        do {
            definition = try SessionDefinition(
                body: request.body, agentNode: keySpace.identity.name)
        } catch {
            throw ConsulError(error)
        }
        // Sessions first, then the catalog: the node count is never judged against a
        // catalog older than the sessions. Only the records the session names are read.
        let sessions = SessionState.read(keySpace, .sessions)?.sessions ?? []
        guard let health = SessionDependencies(definition: definition).read(keySpace) else {
            throw ConsulError(.internalServerError, "the key space is unavailable")
        }
        let node = definition.node.lowercased()
        do {
            try SessionValidity.admit(
                definition, health: health,
                sessionsOnNode: sessions.filter { $0.record.node.lowercased() == node }.count)
        } catch {
            throw ConsulError(error)
        }
        let ttlNanoseconds = (try? GoDuration.parseNanoseconds(definition.ttl)) ?? 0
        guard ttlNanoseconds > 0 else {
            return insertSession(definition, lease: 0, attempt: 1, responder)
        }
        let lease = keySpace.newLeaseID()
        let seconds = ConsulGateway.sessionLeaseSeconds(ttlNanoseconds: ttlNanoseconds)
        let gateway = self
        propose(.leaseGrant(id: lease, ttlSeconds: seconds), responder) { _ in
            gateway.insertSession(definition, lease: lease, attempt: 1, responder)
        }
    }

    /// Writes the record under a fresh ID, only if that ID is unused.
    private func insertSession(
        _ definition: SessionDefinition, lease: Int64, attempt: Int, _ responder: HTTPResponder
    ) {
        let id = ConsulGateway.sessionIDs.withLock { SessionID.random(using: &$0) }
        let key = CatalogKeys.session(id)
        let txn = TxnRequest(
            compare: [Compare(result: .equal, target: .version, key: key, operand: .version(0))],
            success: [
                .put(
                    PutRequest(
                        key: key,
                        value: CatalogSession(id: id, definition: definition).storedValue(),
                        lease: lease))
            ])
        let gateway = self
        propose(.txn(txn), responder) { succeeded in
            if succeeded {
                return ConsulGateway.respondJSON(ConsulJSON.sessionCreated(id: id), responder)
            }
            guard attempt < ConsulGateway.sessionCreateAttemptsMax else {
                gateway.revokeQuietly(lease)
                return ConsulError(.internalServerError, "could not pick an unused session ID")
                    .respond(responder)
            }
            gateway.insertSession(definition, lease: lease, attempt: attempt + 1, responder)
        }
    }

    /// Invalidates the session one transaction at a time, re-reading after each: a success
    /// always makes progress (the record or some markers are gone), a failed compare means
    /// another write got in and the plan is made again. Unknown sessions answer `true`.
    private func destroySession(
        _ id: String, lease: Int64, failures: Int, _ responder: HTTPResponder
    ) {
        guard
            let plan = SessionInvalidation.read(
                keySpace, sessionID: id, reason: .destroyed,
                nowUnixNanoseconds: WallClock().nowUnixNanoseconds())
        else {
            return ConsulError(.internalServerError, "the key space is unavailable")
                .respond(responder)
        }
        let lease = plan.leaseID != 0 ? plan.leaseID : lease
        guard let txn = plan.transactions.first else {
            revokeQuietly(lease)
            return ConsulGateway.respondBool(true, responder)
        }
        let gateway = self
        propose(.txn(txn), responder) { succeeded in
            let failures = succeeded ? failures : failures + 1
            guard failures < ConsulGateway.kvWriteAttemptsMax else {
                return ConsulError(.conflict, "too many concurrent writes to this session; retry")
                    .respond(responder)
            }
            gateway.destroySession(id, lease: lease, failures: failures, responder)
        }
    }

    /// Revokes a session's lease once nothing is attached to it any more. A lost revoke
    /// costs nothing: the lease expires on its own, with no keys left to delete.
    private func revokeQuietly(_ lease: Int64) {
        guard lease != 0 else { return }
        let command = KVCommand.leaseRevoke(id: lease)
        guard let encoded = try? command.validatedEncoding() else { return }
        keySpace.propose(command, encoded: encoded) { _ in }
    }

    /// A keep-alive of the session's lease (no log write); the answer is the session, as
    /// an array of one. Consul sends no index headers here.
    private func renewSession(_ id: String, _ responder: HTTPResponder) throws(ConsulError) {
        let notFound = ConsulError(.notFound, "Session id '\(id)' not found")
        guard let session = SessionState.read(keySpace, .record(id))?.sessions.first else {
            throw notFound
        }
        let body = ConsulJSON.sessions([session.revisioned])
        guard session.lease != 0 else { return ConsulGateway.respondJSON(body, responder) }
        keySpace.queryLease(.renew(session.lease)) { result in
            responder.loop.execute {
                switch result {
                case .success(.some): ConsulGateway.respondJSON(body, responder)
                // Expired: the revoke that deletes the record is on its way.
                case .success(.none): notFound.respond(responder)
                case .failure(let error): ConsulError(error).respond(responder)
                }
            }
        }
    }

    /// `info`, `list` and `node`: blocking reads over the session records. Consul answers
    /// `[]`, never null or 404, when nothing matches. The index is the newest record's, or
    /// the store's revision when there is none (so a blocking query waits for the next
    /// session change instead of replaying history).
    private func readSessions(
        _ request: HTTPRequest, _ responder: HTTPResponder,
        ranges: [KeyRange] = [KeyRange.prefix(CatalogKeys.sessionsPrefix)],
        _ include: @escaping @Sendable (SessionState.Session) -> Bool
    ) throws(ConsulError) {
        let keySpace = self.keySpace
        try read(request, responder, ranges: ranges) {
            let state = SessionState.read(keySpace, .sessions) ?? SessionState()
            let index = state.sessions.map(\.modRevision).max() ?? state.revision
            let selected = state.sessions.filter(include).map(\.revisioned)
            return .json(ConsulJSON.sessions(selected), index: index)
        }
    }
}
