import DiscoveryHTTP
import Raft

/// Membership changes one at a time through the log (thesis §4.1): the leader checks
/// the request against the member table, proposes a `ConfChange` whose context is the
/// member's peer URL, and answers once the change is applied. Every member applies the
/// same changes to its table, which then updates the peer transport and the `member`
/// file.
extension RaftDriver {
    typealias MembershipCompletion = @Sendable (Result<MemberInfo, MembershipError>) -> Void

    func changeMembership(
        _ request: MembershipRequest, _ completion: @escaping MembershipCompletion
    ) {
        guard !failed else { return completion(.failure(.service(.stopped))) }
        if case .update(let id, let url) = request {
            return updatePeerURL(id: id, url: url, completion)
        }
        guard core.status.role == .leader else { return completion(.failure(.notLeader)) }
        let change: ConfChange
        switch confChange(for: request) {
        case .success(let built): change = built
        case .failure(let error): return completion(.failure(error))
        }
        do {
            _ = try core.proposeConfChange(change)
        } catch {
            return completion(.failure(RaftDriver.membershipError(error)))
        }
        let deadline = clock.nowNanoseconds() + RaftDriver.requestTimeoutNanoseconds
        pendingMemberships.append((change.nodeID, change.kind, completion, deadline))
    }

    /// The configuration change an add, remove or promote asks for, checked against the
    /// member table.
    private func confChange(for request: MembershipRequest) -> Result<ConfChange, MembershipError> {
        switch request {
        case .add(let url, let learner):
            guard let peerURL = RaftDriver.validPeerURL(url) else {
                return .failure(.invalidPeerURL(url))
            }
            guard !members.contains(peerURL: peerURL) else { return .failure(.peerURLExists) }
            let id = ClusterConfiguration.memberID(
                peerURL: peerURL, token: configuration.initialClusterToken)
            return .success(
                ConfChange(
                    kind: learner ? .addLearner : .addVoter, nodeID: id,
                    context: Array(peerURL.utf8)))
        case .remove(let id):
            guard members.members[id] != nil else { return .failure(.memberNotFound) }
            return .success(ConfChange(kind: .removeNode, nodeID: id))
        case .promote(let id):
            guard let member = members.members[id] else { return .failure(.memberNotFound) }
            guard member.isLearner else { return .failure(.notLearner) }
            return .success(
                ConfChange(kind: .addVoter, nodeID: id, context: Array(member.peerURL.utf8)))
        case .update:
            preconditionFailure("member/update is not a configuration change")
        }
    }

    /// A peer URL normalized to `http://host:port`, short enough for the member table.
    static func validPeerURL(_ url: String) -> String? {
        guard let peerURL = RoostServer.normalizedPeerURL(url),
            peerURL.utf8.count <= MemberTableCodec.stringBytesMax
        else { return nil }
        return peerURL
    }

    static func membershipError(_ error: RaftError) -> MembershipError {
        switch error {
        case .proposalDropped(.notLeader), .proposalDropped(.noLeader): return .notLeader
        case .proposalDropped(.confChangePending):
            return .refused("a membership change is already in progress; retry when it is applied")
        case .proposalDropped(.leaderTermNotCommitted):
            return .refused("the new leader has not committed an entry of its term yet; retry")
        case .proposalDropped(.leadershipTransferInProgress):
            return .refused("leadership is being transferred; retry")
        case .proposalDropped(.confChangeInvalid):
            return .refused("the change would not change membership or would remove the last voter")
        case .proposalDropped(.tooManyMembers(let limit)):
            return .refused("the cluster already has \(limit) members")
        default:
            return .refused("membership change refused: \(error)")
        }
    }

    /// Applies a committed configuration change to the member table (the core applies
    /// it to its own configuration in `advance()`).
    func applyConfChange(_ entry: Entry) {
        let change: ConfChange
        do {
            change = try ConfChange.decode(entry.data)
        } catch {
            return fail("committed configuration change \(entry.index) does not decode: \(error)")
        }
        let member = members.apply(change)
        onMembershipChange(members, change.kind == .removeNode && change.nodeID == core.id)
        var remaining: [(UInt64, ConfChange.Kind, MembershipCompletion, UInt64)] = []
        for pending in pendingMemberships {
            guard pending.0 == change.nodeID && pending.1 == change.kind else {
                remaining.append(pending)
                continue
            }
            let info = MemberInfo(
                id: change.nodeID, name: member?.name ?? "",
                peerURLs: member.map { [$0.peerURL] } ?? [], clientURLs: member?.clientURLs ?? [],
                isLearner: member?.isLearner ?? false)
            pending.2(.success(info))
        }
        pendingMemberships = remaining
    }

    func expireMemberships(now: UInt64) {
        let expired = pendingMemberships.filter { $0.3 <= now }
        pendingMemberships.removeAll { $0.3 <= now }
        for pending in expired { pending.2(.failure(.service(.timedOut))) }
        let expiredCommands = pendingMemberCommands.filter { $0.value.deadline <= now }
        for (request, pending) in expiredCommands {
            pendingMemberCommands.removeValue(forKey: request)
            pending.completion(.failure(.service(.timedOut)))
        }
    }
}

/// Member attributes that are not Raft configuration (peer URL updates, each member's
/// name and client URLs) travel as `MemberCommand` entries: any member may propose one
/// (a follower's is forwarded to the leader), and every member applies it in log order.
extension RaftDriver {
    /// `member/update`: checked against this member's table, answered when applied.
    func updatePeerURL(id: UInt64, url: String, _ completion: @escaping MembershipCompletion) {
        guard let peerURL = RaftDriver.validPeerURL(url) else {
            return completion(.failure(.invalidPeerURL(url)))
        }
        guard members.members[id] != nil else { return completion(.failure(.memberNotFound)) }
        guard !members.members.values.contains(where: { $0.peerURL == peerURL && $0.id != id })
        else { return completion(.failure(.peerURLExists)) }
        let request: UInt64
        let term = core.status.term
        do {
            request = try proposeMemberCommand(.peerURL(memberID: id, url: peerURL))
        } catch {
            return completion(.failure(RaftDriver.membershipError(error)))
        }
        let deadline = clock.nowNanoseconds() + RaftDriver.requestTimeoutNanoseconds
        pendingMemberCommands[request] = (completion, deadline, term)
    }

    private func proposeMemberCommand(_ command: MemberCommand) throws(RaftError) -> UInt64 {
        let request = nextRequest
        nextRequest += 1
        let envelope = ProposalEnvelope(
            proposer: core.id, request: request, command: command.encode())
        _ = try core.propose(batch: [envelope.encode()])
        return request
    }

    /// Once a leader is known, a member whose name or client URLs in the table differ
    /// from its own proposes its attributes (etcd's publish), retrying after the request
    /// timeout until the entry is applied.
    func publishAttributesIfNeeded(now: UInt64) {
        guard !failed, core.status.lead != 0, let me = members.members[core.id] else { return }
        if let inFlight = attributesInFlight, inFlight.deadline > now { return }
        let clientURLs = Array(keySpace.clientURLs.prefix(MemberTableCodec.clientURLsMax))
        guard me.name != configuration.name || me.clientURLs != clientURLs else {
            attributesInFlight = nil
            return
        }
        let command = MemberCommand.attributes(
            memberID: core.id, name: configuration.name, clientURLs: clientURLs)
        guard let request = try? proposeMemberCommand(command) else { return }
        attributesInFlight = (request, now + RaftDriver.requestTimeoutNanoseconds)
    }

    func applyMemberCommand(_ envelope: ProposalEnvelope, index: UInt64) {
        let command: MemberCommand
        do {
            command = try MemberCommand.decode(envelope.command)
        } catch {
            return fail("committed member command \(index) does not decode: \(error)")
        }
        let member = members.apply(command)
        if member != nil { onMembershipChange(members, false) }
        guard envelope.proposer == core.id else { return }
        if attributesInFlight?.request == envelope.request { attributesInFlight = nil }
        guard let pending = pendingMemberCommands.removeValue(forKey: envelope.request) else {
            return
        }
        guard let member else { return pending.completion(.failure(.memberNotFound)) }
        pending.completion(
            .success(
                MemberInfo(
                    id: member.id, name: member.name, peerURLs: [member.peerURL],
                    clientURLs: member.clientURLs, isLearner: member.isLearner)))
    }
}

/// Leadership transfer (thesis §3.10): the leader brings the target up to date and
/// tells it to campaign at once; the request is answered when the target leads, or
/// fails after two election timeouts.
extension RaftDriver {
    static let transferTimeoutNanoseconds: UInt64 = 2 * 2_000_000_000

    func transferLeadership(
        to target: UInt64, _ completion: @escaping @Sendable (Result<Void, MembershipError>) -> Void
    ) {
        guard !failed else { return completion(.failure(.service(.stopped))) }
        let status = core.status
        guard status.role == .leader else { return completion(.failure(.notLeader)) }
        guard status.confState.voters.contains(target) else {
            return completion(.failure(.badTransferee))
        }
        if target == core.id { return completion(.success(())) }
        guard pendingTransfer == nil else {
            return completion(.failure(.refused("a leadership transfer is already in progress")))
        }
        do {
            try core.transferLeadership(to: target)
        } catch {
            return completion(.failure(RaftDriver.membershipError(error)))
        }
        pendingTransfer = (
            target, completion, clock.nowNanoseconds() + RaftDriver.transferTimeoutNanoseconds
        )
    }

    /// Answers a pending transfer once its target leads (as far as this member knows).
    func checkTransfer(now: UInt64) {
        guard let (target, completion, deadline) = pendingTransfer else { return }
        if core.status.lead == target {
            pendingTransfer = nil
            completion(.success(()))
        } else if now >= deadline {
            pendingTransfer = nil
            completion(.failure(.refused("leader transfer timeout")))
        }
    }
}
