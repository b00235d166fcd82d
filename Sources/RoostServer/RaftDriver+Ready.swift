import DiscoveryHTTP
import KVStore
import Raft

extension RaftDriver {
    /// Handles every Ready the core has, in the contract's order.
    func processReady() {
        while !failed && core.hasReady {
            let ready = core.ready()
            // A leader sends its appends before its own write is durable (thesis §10.2.1):
            // the core counts the leader's entries toward commitment only once they are
            // persisted (`advance`), so its fsync overlaps the followers' instead of
            // preceding them. Everyone else persists first: a vote or an append
            // acknowledgement promises state that must survive a crash (§5.2, §5.3).
            let sendsFirst = (ready.softState?.role ?? core.status.role) == .leader
            if sendsFirst && !ready.messages.isEmpty { send(ready.messages) }
            let afterPersist = sendsFirst ? [] : sendPromiseFree(ready)
            // With clients waiting here, what is already committed AND durable in this log
            // is applied and answered before the next batch's fsync, not after it (etcd
            // applies while its Raft loop saves the next batch). A member nobody waits on
            // syncs and acknowledges first: commitment may wait for that acknowledgement.
            let early = clientsWaiting ? RaftDriver.durableCommittedCount(ready) : 0
            if early > 0 {
                apply(ready.committedEntries[..<early])
                serveReads()
                if failed { return }
            }
            do {
                try storage.persist(ready)
            } catch {
                // After a failed write or fsync the page cache can no longer be trusted
                // (fsyncgate): stop rather than acknowledge anything else.
                return fail("raft log: \(error)")
            }
            if !afterPersist.isEmpty { send(afterPersist) }
            if let snapshot = ready.snapshot { installLeaderSnapshot(snapshot) }
            apply(ready.committedEntries[early...])
            for state in ready.readStates { readIndexArrived(state) }
            core.advance()
            noteProgress(ready)
            serveReads()
        }
        snapshots.maybeStart(self)
    }

    /// Applies committed entries in order: configuration changes and member commands to
    /// the member table in log order, key-space commands in one batch under the write lock
    /// (the two touch disjoint state), then their events, then the answers to this
    /// member's proposals.
    private func apply(_ entries: ArraySlice<Entry>) {
        guard !failed, let last = entries.last else { return }
        var commands: [KVCommand] = []
        var owners: [UInt64?] = []
        commands.reserveCapacity(entries.count)
        for entry in entries {
            if entry.kind == .configurationChange {
                applyConfChange(entry)
                continue
            }
            guard entry.kind == .normal, !entry.data.isEmpty else { continue }
            let envelope = ProposalEnvelope.decode(entry.data)
            if MemberCommand.isMemberCommand(envelope.command) {
                applyMemberCommand(envelope, index: entry.index)
                continue
            }
            let command: KVCommand
            do {
                command = try KVCommand.decode(envelope.command)
            } catch {
                return fail("committed entry \(entry.index) does not decode: \(error)")
            }
            commands.append(command)
            owners.append(envelope.proposer == core.id ? envelope.request : nil)
        }
        let outcomes = commands.isEmpty ? [] : keySpace.applyBatch(commands)
        applied = last.index
        noteLeaseChanges(commands, outcomes)
        var events: [Event] = []
        for outcome in outcomes { events.append(contentsOf: outcome.events) }
        keySpace.watches.publish(events)
        for (owner, outcome) in zip(owners, outcomes) {
            guard let request = owner, let entry = pending.removeValue(forKey: request) else {
                continue
            }
            entry.completion(.success(outcome))
        }
        failOvertakenProposals(appliedTerm: last.term)
    }

    /// A proposal made in term T is appended, if ever, as an entry of term T (a leader
    /// appends what it receives in its own term, and a stale forward is dropped, never
    /// passed on). Terms never decrease along the log, so once an entry of a later term
    /// is applied, a proposal of T still unanswered can never commit: it is answered
    /// `leaderChanged` now, a definite failure the client may retry, instead of timing
    /// out ambiguously seconds later (the in-flight writes when a leader dies).
    private func failOvertakenProposals(appliedTerm: UInt64) {
        // Runs after every applied batch: look before building anything (the usual answer
        // is that nothing was overtaken).
        guard
            pending.values.contains(where: { $0.term < appliedTerm })
                || pendingMemberCommands.values.contains(where: { $0.term < appliedTerm })
        else { return }
        let overtaken = pending.filter { $0.value.term < appliedTerm }
        for (request, entry) in overtaken {
            pending.removeValue(forKey: request)
            entry.completion(.failure(.leaderChanged))
        }
        let overtakenCommands = pendingMemberCommands.filter { $0.value.term < appliedTerm }
        for (request, entry) in overtakenCommands {
            pendingMemberCommands.removeValue(forKey: request)
            entry.completion(.failure(.service(.leaderChanged)))
        }
    }

    /// A snapshot from the leader replaces the whole state machine (§7): the key space
    /// and the member table.
    private func installLeaderSnapshot(_ snapshot: Snapshot) {
        let table: MemberTable?
        let store: MVCCStore
        do {
            (table, store) = try ServerSnapshotImage.decode(snapshot.data)
        } catch {
            return fail("snapshot \(snapshot.metadata.index) from the leader: \(error)")
        }
        keySpace.replaceStore(store)
        applied = snapshot.metadata.index
        snapshots.installed(index: snapshot.metadata.index, imageBytes: Int64(snapshot.data.count))
        if let table, table != members {
            members = table
            onMembershipChange(members, false)
        }
    }

    /// Sends at once the messages of a non-leader's `ready` that promise nothing about its
    /// own log or vote: proposals and ReadIndex requests forwarded to the leader (thesis
    /// §6.2, §6.4), so a client's write or read does not wait for this member's fsync of
    /// entries it did not ask for (etcd-io/raft `raft.send` lets everything but append and
    /// vote responses leave before the sync). Returns the rest, which wait for the persist;
    /// here all of them do when the Ready changes the term or the vote (Figure 2: persist
    /// currentTerm and votedFor before answering anyone).
    func sendPromiseFree(_ ready: Ready) -> [Message] {
        guard ready.messages.contains(where: RaftDriver.promisesNothing) else {
            return ready.messages
        }
        if let hardState = ready.hardState {
            let persisted: HardState
            do {
                persisted = try storage.initialState().0
            } catch {
                return ready.messages
            }
            guard persisted.term == hardState.term && persisted.vote == hardState.vote else {
                return ready.messages
            }
        }
        var now: [Message] = []
        var later: [Message] = []
        for message in ready.messages {
            if RaftDriver.promisesNothing(message) {
                now.append(message)
            } else {
                later.append(message)
            }
        }
        send(now)
        return later
    }

    static func promisesNothing(_ message: Message) -> Bool {
        message.kind == .propose || message.kind == .readIndex
    }

    /// Proposals or reads of this member's clients wait for entries to be applied.
    private var clientsWaiting: Bool { !pending.isEmpty || !readsWaitingForApply.isEmpty }

    /// How many of `ready`'s committed entries are durable in this member's log before
    /// `ready` is persisted: those before its first new entry (earlier Readys persisted
    /// them; committed entries are never overwritten). Entries committed in the Ready that
    /// brings them, and anything in a Ready with a snapshot, wait for the persist (`Ready`
    /// contract, step 3), so the state machine never runs ahead of this member's own log.
    static func durableCommittedCount(_ ready: Ready) -> Int {
        guard ready.snapshot == nil else { return 0 }
        guard let firstNew = ready.entries.first?.index else {
            return ready.committedEntries.count
        }
        return ready.committedEntries.prefix { $0.index < firstNew }.count
    }

    /// Updates what status endpoints, headers and local reads see.
    private func noteProgress(_ ready: Ready) {
        let status = core.status
        // A new leader's no-op is its last entry when the role changes: local reads wait
        // until it is applied (thesis §6.4).
        if let soft = ready.softState {
            termStartIndex = soft.role == .leader ? status.lastIndex : 0
            leadershipChanged(isLeader: soft.role == .leader)
            if soft.lead != knownLead {
                knownLead = soft.lead
                failReadRounds(.leaderChanged)
            }
        }
        let soleVoter = status.confState.voters == [core.id]
        let localReads =
            soleVoter && status.role == .leader && termStartIndex > 0 && applied >= termStartIndex
        keySpace.update {
            $0.lastIndex = status.lastIndex
            $0.appliedIndex = applied
            $0.leaderID = status.lead
            $0.raftTerm = status.term
            $0.healthy = status.lead != 0 && !failed
            $0.localReadsLinearizable = localReads
            $0.leaderContactNanoseconds = leaderContactNanoseconds
            $0.logBytes = Int64(storage.walSegmentCount * WALOptions().segmentBytes)
        }
    }
}
