import KVStore
import Platform
import Synchronization

/// One `POST /v3/watch` stream: the create/cancel/progress requests found in the body,
/// then newline-delimited `{"result":…}` objects, each in its own HTTP chunk (etcd3gw
/// parses chunk by chunk), until the client closes the connection.
final class EtcdWatchStream: WatchSink, @unchecked Sendable {
    /// Events queued for the socket per stream. Above this the reader is too slow: the
    /// watcher is canceled with a reason instead of holding memory without bound.
    static let backlogEventsMax = 10_000
    /// Watchers one stream may hold.
    static let watchersPerStreamMax = 1_000
    /// etcd's progress-notify interval (10 minutes, `progressReportInterval`).
    static let progressIntervalNanoseconds: UInt64 = 600 * 1_000_000_000

    private struct Pending {
        var batches: [(watcherID: Int64, events: [Event])] = []
        var eventCount = 0
        var drainScheduled = false
        var overflowed: Set<Int64> = []
    }

    private struct WatcherState {
        var etcdID: Int64
        var progressNotify: Bool
        var sentSinceProgress = false
    }

    private let stream: HTTPStream
    private let keySpace: any KeySpace
    private let pending = Mutex(Pending())
    // Loop-confined state.
    private var watchers: [Int64: WatcherState] = [:]
    private var brokerIDs: [Int64: Int64] = [:]
    private var nextEtcdID: Int64 = 0

    private init(stream: HTTPStream, keySpace: any KeySpace) {
        self.stream = stream
        self.keySpace = keySpace
    }

    /// Starts the stream and handles every request object in the body.
    static func open(
        _ request: HTTPRequest, _ responder: HTTPResponder, keySpace: any KeySpace
    ) throws(EtcdError) {
        let objects = try requestObjects(request.body)
        guard let stream = responder.startStream(.ok, headers: jsonHeaders()) else { return }
        let watch = EtcdWatchStream(stream: stream, keySpace: keySpace)
        stream.onClose = { watch.closed() }
        for object in objects where stream.isOpen {
            watch.handle(object)
        }
        watch.scheduleProgress()
    }

    private static func jsonHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return headers
    }

    /// The body holds zero or more concatenated JSON objects (grpc-gateway keeps
    /// decoding until EOF).
    static func requestObjects(_ body: [UInt8]) throws(EtcdError) -> [ProtoObject] {
        var objects: [ProtoObject] = []
        var offset = 0
        while offset < body.count {
            let rest = body[offset...]
            if rest.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { break }
            let step: ParseStep<JSONValue>
            do {
                step = try body.withBytes { (whole) throws(JSONError) in
                    try JSONParser.parsePrefix(UnsafeRawBufferPointer(rebasing: whole[offset...]))
                }
            } catch {
                throw .badRequest("invalid JSON at byte \(offset + error.offset): \(error.message)")
            }
            guard case .complete(let value, let consumed) = step, consumed > 0 else {
                throw .badRequest("incomplete JSON watch request")
            }
            objects.append(try ProtoObject.from(value, field: "watch request"))
            offset += consumed
        }
        return objects
    }

    private func handle(_ object: ProtoObject) {
        do throws(EtcdError) {
            if let create = try object.child("create_request") {
                try self.create(create)
            } else if let cancel = try object.child("cancel_request") {
                self.cancel(etcdID: try cancel.int64("watch_id"), reason: nil)
            } else if try object.child("progress_request") != nil {
                progress(watchID: -1)
            }
        } catch {
            stream.send(Array(error.streamBody()) + [0x0A])
            stream.finish()
        }
    }

    private func create(_ object: ProtoObject) throws(EtcdError) {
        var key = try object.bytes("key")
        if key.isEmpty { key = [0] }  // etcd's recvLoop: an empty key means "\0".
        let rangeEnd = try object.bytes("range_end")
        let start = try object.int64("start_revision")
        var filters = Set<Int>()
        for item in try object.array("filters") {
            let wrapper = ProtoObject(JSONObject([("f", item)]))
            filters.insert(try wrapper.enumeration("f", names: EtcdRequestDecoder.filterNames))
        }
        // Refusals keep the stream and its other watchers alive, as etcd's recvLoop does.
        guard start >= 0 else { return refuse(reason: KVError.compacted.message) }
        // `range_end` "\0" means "every key >= key"; any other end must lie above the key
        // (mvcc `watchStream.Watch`: ErrEmptyWatcherRange).
        if !rangeEnd.isEmpty, rangeEnd != [0], !key.lexicographicallyPrecedes(rangeEnd) {
            return refuse(reason: "mvcc: watcher range is empty")
        }
        guard watchers.count < EtcdWatchStream.watchersPerStreamMax else {
            return refuse(
                reason: "roost: too many watchers on one stream "
                    + "(limit \(EtcdWatchStream.watchersPerStreamMax))")
        }
        var etcdID = try object.int64("watch_id")
        if etcdID == 0 {
            while watchers.values.contains(where: { $0.etcdID == nextEtcdID }) { nextEtcdID += 1 }
            etcdID = nextEtcdID
            nextEtcdID += 1
        } else if watchers.values.contains(where: { $0.etcdID == etcdID }) {
            return refuse(reason: "mvcc: duplicate watch ID provided on the WatchStream")
        }
        let spec = WatchHub.Watcher(
            id: 0, range: KeyRange(key: key, rangeEnd: rangeEnd), noPut: filters.contains(0),
            noDelete: filters.contains(1), prevKV: try object.bool("prev_kv"))
        let progressNotify = try object.bool("progress_notify")
        sendCreated(etcdID: etcdID)
        switch keySpace.watches.register(spec, startRevision: start, sink: self, keySpace: keySpace)
        {
        case .registered(let id):
            watchers[id] = WatcherState(etcdID: etcdID, progressNotify: progressNotify)
            brokerIDs[etcdID] = id
        case .compacted(let compactRevision):
            sendCanceled(
                etcdID: etcdID, created: false, compactRevision: compactRevision, reason: nil)
        case .tooManyWatchers:
            sendCanceled(
                etcdID: etcdID, created: false, compactRevision: 0,
                reason: "roost: the server's watcher limit is reached")
        }
    }

    private func cancel(etcdID: Int64, reason: String?) {
        guard let id = brokerIDs.removeValue(forKey: etcdID) else { return }
        watchers.removeValue(forKey: id)
        keySpace.watches.remove(id)
        sendCanceled(etcdID: etcdID, created: false, compactRevision: 0, reason: reason)
    }

    // MARK: WatchSink

    func deliver(watcherID: Int64, events: [Event]) {
        let schedule = pending.withLock { pending -> Bool in
            guard !pending.overflowed.contains(watcherID) else { return false }
            if pending.eventCount + events.count > EtcdWatchStream.backlogEventsMax {
                pending.overflowed.insert(watcherID)
            } else {
                pending.batches.append((watcherID, events))
                pending.eventCount += events.count
            }
            defer { pending.drainScheduled = true }
            return !pending.drainScheduled
        }
        if schedule { stream.execute { self.drain() } }
    }

    /// Loop thread: writes queued events, one response per batch.
    private func drain() {
        let (batches, overflowed) = pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.batches, pending.overflowed)
        }
        for (id, events) in batches {
            guard let watcher = watchers[id], !overflowed.contains(id) else { continue }
            sendEvents(etcdID: watcher.etcdID, events: events)
            watchers[id]?.sentSinceProgress = true
        }
        for id in overflowed {
            guard let watcher = watchers[id] else { continue }
            cancel(
                etcdID: watcher.etcdID,
                reason: "roost: watch canceled: more than \(EtcdWatchStream.backlogEventsMax) "
                    + "events waiting; the client reads too slowly")
        }
    }

    // MARK: Responses

    private func respond(_ build: (inout JSONWriter, EtcdResponseEncoder) -> Void) {
        var writer = JSONWriter(reservingCapacity: 512)
        let encoder = EtcdResponseEncoder(identity: keySpace.identity)
        writer.beginObject()
        writer.key("result")
        writer.beginObject()
        build(&writer, encoder)
        writer.endObject()
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(0x0A)
        stream.send(bytes)
    }

    private func storeRevision() -> Int64 {
        (try? keySpace.withStore { (store) throws(KVError) in store.revision }) ?? 0
    }

    private func sendCreated(etcdID: Int64) {
        let revision = storeRevision()
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            writer.key("created")
            writer.bool(true)
        }
    }

    private func sendEvents(etcdID: Int64, events: [Event]) {
        let revision = events.last?.kv.modRevision ?? storeRevision()
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            writer.key("events")
            writer.beginArray()
            for event in events { encoder.event(&writer, event) }
            writer.endArray()
        }
    }

    /// A create request etcd refuses before registering a watcher: one response that is
    /// both `created` and `canceled`, with watch_id -1 (`clientv3.InvalidWatchID`).
    private func refuse(reason: String) {
        sendCanceled(etcdID: -1, created: true, compactRevision: 0, reason: reason)
    }

    private func sendCanceled(etcdID: Int64, created: Bool, compactRevision: Int64, reason: String?)
    {
        // A compaction cancel comes from the mvcc store with revision 0, so etcd's header
        // has no revision (`chooseAll` in watchable_store.go, `newResponseHeader`).
        let revision = compactRevision != 0 ? 0 : storeRevision()
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            if created {
                writer.key("created")
                writer.bool(true)
            }
            writer.key("canceled")
            writer.bool(true)
            encoder.nonZero(&writer, "compact_revision", compactRevision)
            if let reason {
                writer.key("cancel_reason")
                writer.string(reason)
            }
        }
    }

    /// A progress notification: every event up to `revision` has been sent (the
    /// watchers are synced and the queue just drained).
    private func progress(watchID: Int64) {
        drain()
        let revision = keySpace.watches.publishedRevision
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", watchID)
        }
    }

    private func scheduleProgress() {
        guard watchers.values.contains(where: { $0.progressNotify }) else { return }
        stream.loop.schedule(afterNanoseconds: EtcdWatchStream.progressIntervalNanoseconds) {
            [weak self] in
            guard let self, self.stream.isOpen else { return }
            for (id, watcher) in self.watchers where watcher.progressNotify {
                if !watcher.sentSinceProgress { self.progress(watchID: watcher.etcdID) }
                self.watchers[id]?.sentSinceProgress = false
            }
            self.scheduleProgress()
        }
    }

    private func closed() {
        for id in watchers.keys { keySpace.watches.remove(id) }
        watchers.removeAll()
        brokerIDs.removeAll()
    }
}
