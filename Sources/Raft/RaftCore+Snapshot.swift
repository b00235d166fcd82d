/// InstallSnapshot in chunks (Figure 13: offset, data, done) for followers behind the
/// log's first index (§7). The leader sends one chunk at a time and the next only when
/// the follower acknowledges; a lost chunk is resent on the next heartbeat response.
extension RaftCore {
    /// Moves `slot` into the snapshot state and sends the first chunk.
    mutating func sendSnapshot(to slot: Int) -> Bool {
        // Do not start a snapshot towards a member we have not heard from (etcd).
        guard tracker.progress[slot].recentActive else { return false }
        let snapshot: Snapshot
        do throws(RaftError) {
            snapshot = try raftLog.snapshot()
        } catch .snapshotTemporarilyUnavailable {
            return false
        } catch {
            preconditionFailure("raft storage failed to produce a snapshot: \(error)")
        }
        precondition(snapshot.metadata.index > 0, "need a snapshot but storage has none")
        tracker.progress[slot].becomeSnapshot(index: snapshot.metadata.index)
        sendSnapshotChunk(to: slot, snapshot: snapshot)
        return true
    }

    private mutating func sendSnapshotChunk(to slot: Int, snapshot: Snapshot) {
        let progress = tracker.progress[slot]
        let start = Int(min(progress.snapshotOffsetBytes, UInt64(snapshot.data.count)))
        let end = min(start + config.snapshotChunkBytes, snapshot.data.count)
        send(Message(
            kind: .snapshot, from: id, to: progress.id, term: term,
            snapshotMetadata: snapshot.metadata, snapshotOffset: UInt64(start),
            snapshotChunk: Array(snapshot.data[start..<end]),
            snapshotDone: end == snapshot.data.count))
    }

    /// Resends the chunk the follower has not acknowledged, restarting if the storage
    /// has moved on to a newer snapshot.
    mutating func resendSnapshotChunk(to slot: Int) {
        guard let snapshot = try? raftLog.snapshot() else { return }
        if snapshot.metadata.index != tracker.progress[slot].pendingSnapshotIndex {
            tracker.progress[slot].becomeProbe()
            maybeSendAppend(to: slot, sendIfEmpty: true)
            return
        }
        sendSnapshotChunk(to: slot, snapshot: snapshot)
    }

    /// The follower holds `snapshotOffset` bytes of the snapshot at `index`.
    mutating func handleSnapshotResponse(_ message: Message) {
        guard let slot = tracker.slot(of: message.from) else { return }
        tracker.progress[slot].recentActive = true
        let progress = tracker.progress[slot]
        guard progress.state == .snapshot, message.index == progress.pendingSnapshotIndex
        else { return }
        tracker.progress[slot].snapshotOffsetBytes = message.snapshotOffset
        resendSnapshotChunk(to: slot)
    }

    // MARK: - Follower side

    mutating func handleSnapshotChunk(_ message: Message) {
        guard let metadata = message.snapshotMetadata else { return }
        if message.snapshotOffset == 0 {
            incomingSnapshot = IncomingSnapshot(metadata: metadata, data: [])
        }
        guard var incoming = incomingSnapshot, incoming.metadata == metadata,
              UInt64(incoming.data.count) == message.snapshotOffset else {
            // Out of order or for another snapshot: say where we are; the leader resumes.
            let held = incomingSnapshot?.metadata == metadata ? incomingSnapshot?.data.count : 0
            respondToChunk(message, heldBytes: held ?? 0, reject: true)
            return
        }
        guard incoming.data.count + message.snapshotChunk.count <= RaftLimits.snapshotBytesMax
        else {
            incomingSnapshot = nil
            respondToChunk(message, heldBytes: 0, reject: true)
            return
        }
        incoming.data.append(contentsOf: message.snapshotChunk)
        guard message.snapshotDone else {
            incomingSnapshot = incoming
            respondToChunk(message, heldBytes: incoming.data.count, reject: false)
            return
        }
        incomingSnapshot = nil
        let snapshot = Snapshot(metadata: metadata, data: incoming.data)
        let index = restore(snapshot) ? raftLog.lastIndex : raftLog.committed
        send(Message(kind: .appendResponse, from: id, to: message.from, term: term, index: index))
    }

    private mutating func respondToChunk(_ message: Message, heldBytes: Int, reject: Bool) {
        send(Message(
            kind: .snapshotResponse, from: id, to: message.from, term: term,
            index: message.snapshotMetadata?.index ?? 0, reject: reject,
            snapshotOffset: UInt64(heldBytes)))
    }

    /// Installs `snapshot` unless the log already covers it (§7: "If existing log entry has
    /// same index and term as snapshot's last included entry, retain log entries following
    /// it"). Returns whether the log was replaced.
    mutating func restore(_ snapshot: Snapshot) -> Bool {
        let metadata = snapshot.metadata
        guard metadata.index > raftLog.committed else { return false }
        // The snapshot's membership may not include this node yet: a member added after
        // the snapshot was taken learns of itself by applying the entries that follow.
        let conf = metadata.confState
        if raftLog.matchTerm(metadata.index, metadata.term) {
            raftLog.commitTo(metadata.index)
            return false
        }
        raftLog.restore(snapshot)
        tracker = ProgressTracker(
            confState: conf, inflightCapacity: config.maxInflightMsgs,
            inflightBytesMax: config.maxInflightBytes)
        return true
    }
}
