import KVStore
import Platform

/// Moving events to the socket: live events from the broker through the pending queue,
/// history for catching-up watchers a step at a time, both only while the connection
/// has room (backpressure instead of unbounded buffers).
extension EtcdWatchStream {
    /// History events read per catch-up step (one response; a revision is never split).
    static let catchUpStepEventsMax = 1_000

    // MARK: WatchSink (any thread)

    func deliver(watcherID: Int64, events: [Event]) {
        let schedule = pending.withLock { pending -> Bool in
            guard !pending.overflowed.contains(watcherID) else { return false }
            let queued = pending.countByWatcher[watcherID, default: 0]
            if queued + events.count > EtcdWatchStream.backlogEventsMax {
                pending.overflowed.insert(watcherID)
            } else {
                pending.batches.append((watcherID, events))
                pending.countByWatcher[watcherID] = queued + events.count
            }
            defer { pending.drainScheduled = true }
            return !pending.drainScheduled
        }
        if schedule { stream.execute { self.drain() } }
    }

    /// An etcd watch promises every revision: one whose history was lost is canceled
    /// with the compaction point, after the events already queued for it.
    func historyLost(watcherID: Int64, compactRevision: Int64) {
        let schedule = pending.withLock { pending -> Bool in
            pending.lost[watcherID] = compactRevision
            defer { pending.drainScheduled = true }
            return !pending.drainScheduled
        }
        if schedule { stream.execute { self.drain() } }
    }

    // MARK: Loop thread

    /// Writes queued live events while the socket has room, cancels overflowed
    /// watchers, then lets catch-ups and progress notifications go on.
    func drain() {
        pending.withLock { $0.drainScheduled = false }
        while stream.isOpen && stream.hasRoom {
            guard let (id, events) = pending.withLock({ $0.popFirst() }) else { break }
            guard let watcher = watchers[id] else { continue }
            sendEvents(etcdID: watcher.etcdID, events: events)
            watchers[id]?.sentSinceProgress = true
        }
        cancelOverflowed()
        cancelLost()
        if !catchingUp.isEmpty { scheduleCatchUp() }
        sendProgressIfSynced()
        if stream.isOpen && stream.hasRoom { requests.resume() }
    }

    private func cancelOverflowed() {
        let overflowed = pending.withLock { pending -> Set<Int64> in
            defer { pending.overflowed.removeAll() }
            return pending.overflowed
        }
        for id in overflowed {
            guard let watcher = watchers[id] else { continue }
            cancel(
                etcdID: watcher.etcdID,
                reason: "roost: watch canceled: more than \(EtcdWatchStream.backlogEventsMax) "
                    + "events waiting; the client reads too slowly")
        }
    }

    private func cancelLost() {
        let lost = pending.withLock { pending -> [Int64: Int64] in
            guard pending.isEmpty else { return [:] }  // their events go first
            defer { pending.lost.removeAll() }
            return pending.lost
        }
        for (id, compactRevision) in lost {
            guard let watcher = watchers.removeValue(forKey: id) else { continue }
            brokerIDs.removeValue(forKey: watcher.etcdID)
            keySpace.watches.remove(id)
            sendCanceled(
                etcdID: watcher.etcdID, created: false, compactRevision: compactRevision,
                reason: nil)
        }
    }

    func scheduleCatchUp() {
        guard !catchUpScheduled else { return }
        catchUpScheduled = true
        // One step per loop turn, so a long history never stalls other connections.
        stream.execute { self.catchUpStep() }
    }

    /// One history step for each catching-up watcher while the socket has room.
    private func catchUpStep() {
        catchUpScheduled = false
        for etcdID in catchingUp.keys.sorted() {
            guard stream.isOpen, stream.hasRoom, pending.withLock({ $0.isEmpty }) else { return }
            guard let entry = catchingUp[etcdID] else { continue }
            let step: (events: [Event], next: Int64, current: Int64)
            do {
                step = try keySpace.withStore { (store) throws(KVError) in
                    let (events, next) = try store.events(
                        in: entry.spec.range, fromRevision: entry.next,
                        limit: EtcdWatchStream.catchUpStepEventsMax)
                    return (events, next, store.revision)
                }
            } catch {
                catchingUp.removeValue(forKey: etcdID)
                let compactRevision = keySpace.withCompactRevision()
                sendCanceled(
                    etcdID: etcdID, created: false, compactRevision: compactRevision, reason: nil)
                continue
            }
            let matched = WatchBroker.matching(step.events, for: entry.spec)
            if !matched.isEmpty { sendEvents(etcdID: etcdID, events: matched) }
            if step.next > step.current {
                catchingUp.removeValue(forKey: etcdID)
                join(
                    etcdID: etcdID, spec: entry.spec, from: step.next,
                    progressNotify: entry.progressNotify, announce: false)
            } else {
                catchingUp[etcdID]?.next = step.next
            }
        }
        if !catchingUp.isEmpty && stream.isOpen && stream.hasRoom { scheduleCatchUp() }
        sendProgressIfSynced()
    }

    /// A progress notification promises that every event up to its revision was sent
    /// (etcd's Bookmarkable guarantee), so it waits until no watcher is catching up and
    /// the queue is empty. The revision is read BEFORE the queue is checked: the broker
    /// queues a revision's events before it publishes that revision as done.
    func sendProgressIfSynced() {
        guard !progressRequested.isEmpty, catchingUp.isEmpty, stream.isOpen else { return }
        let published = keySpace.watches.publishedRevision
        guard pending.withLock({ $0.isEmpty }) else { return }
        let revision = max(published, highestSentRevision)
        for watchID in progressRequested {
            respond { writer, encoder in
                encoder.header(&writer, revision: revision)
                encoder.nonZero(&writer, "watch_id", watchID)
            }
        }
        progressRequested.removeAll()
    }
}

extension KeySpace {
    /// The current compaction point, for a cancel response.
    func withCompactRevision() -> Int64 {
        (try? withStore { (store) throws(KVError) in store.compactRevision }) ?? 0
    }

    /// The store's current revision.
    func withCurrentRevision() -> Int64 {
        (try? withStore { (store) throws(KVError) in store.revision }) ?? 0
    }
}
