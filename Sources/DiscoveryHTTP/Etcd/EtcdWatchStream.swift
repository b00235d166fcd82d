import KVStore
import Platform
import Synchronization

/// One `POST /v3/watch` stream: the create/cancel/progress requests found in the body,
/// then newline-delimited `{"result":…}` objects, each in its own HTTP chunk (etcd3gw
/// parses chunk by chunk), until the client closes the connection.
final class EtcdWatchStream: WatchSink, @unchecked Sendable {
    /// Live events queued for one watcher. Above this its reader is too slow: the watcher
    /// is canceled with a reason instead of holding memory without bound. (History is
    /// not queued: it is read in steps only while the socket has room.)
    static let backlogEventsMax = 10_000
    /// Watchers one stream may hold.
    static let watchersPerStreamMax = 1_000
    /// etcd's progress-notify interval (10 minutes, `progressReportInterval`).
    static let progressIntervalNanoseconds: UInt64 = 600 * 1_000_000_000

    /// Live events handed over by the broker (any thread), waiting for the socket.
    struct Pending {
        var batches: [(watcherID: Int64, events: [Event])] = []
        var head = 0
        var countByWatcher: [Int64: Int] = [:]
        var drainScheduled = false
        var overflowed: Set<Int64> = []
        /// Watchers whose history a store replacement lost, with the compaction point.
        var lost: [Int64: Int64] = [:]

        var isEmpty: Bool { head == batches.count }

        mutating func popFirst() -> (watcherID: Int64, events: [Event])? {
            guard head < batches.count else { return nil }
            let batch = batches[head]
            head += 1
            if head == batches.count {
                batches.removeAll(keepingCapacity: true)
                head = 0
            }
            countByWatcher[batch.watcherID, default: 0] -= batch.events.count
            return batch
        }
    }

    struct WatcherState {
        var etcdID: Int64
        var progressNotify: Bool
        var sentSinceProgress = false
    }

    /// A watcher that started in the past and is still reading history, a step at a
    /// time while the socket has room; it joins the broker when it reaches the present.
    struct CatchUp {
        var spec: WatchHub.Watcher
        var next: Int64
        var progressNotify: Bool
    }

    let stream: HTTPStream
    let keySpace: any KeySpace
    /// The body's requests; paused while the stream has no room (see `drain`).
    let requests: EtcdStreamRequests
    let pending = Mutex(Pending())
    // Loop-confined state.
    var watchers: [Int64: WatcherState] = [:]
    var brokerIDs: [Int64: Int64] = [:]
    var catchingUp: [Int64: CatchUp] = [:]
    var nextEtcdID: Int64 = 0
    var catchUpScheduled = false
    var progressScheduled = false
    /// Progress notifications (by watch_id; -1 for a stream-wide request) waiting until
    /// every watcher is synced and the queue is empty.
    var progressRequested: [Int64] = []
    /// The newest revision this stream has sent events for.
    var highestSentRevision: Int64 = 0

    private init(stream: HTTPStream, keySpace: any KeySpace, requests: EtcdStreamRequests) {
        self.stream = stream
        self.keySpace = keySpace
        self.requests = requests
    }

    /// Handles the body's requests as they arrive. The response starts with the first, so
    /// a first request that is not JSON is a 400, as from grpc-gateway; the stream then
    /// outlives the body, as etcd's `recvLoop` returns on EOF without closing it.
    static func open(
        _ request: HTTPRequest, _ responder: HTTPResponder, keySpace: any KeySpace
    ) {
        let requests = EtcdStreamRequests(responder, requestBytesMax: EtcdGateway.requestBytesMax)
        var watch: EtcdWatchStream?
        requests.onRequest = { object in
            if watch == nil { watch = start(responder, keySpace: keySpace, requests: requests) }
            guard let watch, watch.stream.isOpen else {
                requests.stop()
                return false
            }
            watch.handle(object)
            // A client flooding requests while its answers back up waits for `drain`.
            return watch.stream.hasRoom
        }
        requests.onEnd = {
            if watch == nil { watch = start(responder, keySpace: keySpace, requests: requests) }
        }
        requests.onError = { error in
            // After the first request the gateway only stops sending; the watchers go on.
            if watch == nil { responder.respondJSON(error.httpStatus, error.unaryBody()) }
        }
        requests.start(wholeBody: request.body)
    }

    private static func start(
        _ responder: HTTPResponder, keySpace: any KeySpace, requests: EtcdStreamRequests
    ) -> EtcdWatchStream? {
        guard let stream = responder.startStream(.ok, headers: jsonHeaders()) else { return nil }
        let watch = EtcdWatchStream(stream: stream, keySpace: keySpace, requests: requests)
        stream.onClose = { watch.closed() }
        stream.onDrained = { watch.drain() }
        stream.onFinishing = { watch.drain() }
        return watch
    }

    /// `Content-Type: application/json`, for the etcd stream responses.
    static func jsonHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return headers
    }

    func handle(_ object: ProtoObject) {
        do throws(EtcdError) {
            if let create = try object.child("create_request") {
                try self.create(create)
                scheduleProgress()
            } else if let cancel = try object.child("cancel_request") {
                self.cancel(etcdID: try cancel.int64("watch_id"), reason: nil)
            } else if try object.child("progress_request") != nil {
                progressRequested.append(-1)
                drain()
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
        guard watchers.count + catchingUp.count < EtcdWatchStream.watchersPerStreamMax else {
            return refuse(
                reason: "roost: too many watchers on one stream "
                    + "(limit \(EtcdWatchStream.watchersPerStreamMax))")
        }
        var etcdID = try object.int64("watch_id")
        if etcdID == 0 {
            while isInUse(nextEtcdID) { nextEtcdID += 1 }
            etcdID = nextEtcdID
            nextEtcdID += 1
        } else if isInUse(etcdID) {
            return refuse(reason: "mvcc: duplicate watch ID provided on the WatchStream")
        }
        let spec = WatchHub.Watcher(
            id: 0, range: KeyRange(key: key, rangeEnd: rangeEnd), noPut: filters.contains(0),
            noDelete: filters.contains(1), prevKV: try object.bool("prev_kv"))
        let progressNotify = try object.bool("progress_notify")
        let current = storeRevision()
        if start > 0 && start <= current {
            // History first, in steps; `created` carries the revision at creation.
            sendCreated(etcdID: etcdID, revision: current)
            catchingUp[etcdID] = CatchUp(spec: spec, next: start, progressNotify: progressNotify)
            scheduleCatchUp()
        } else {
            join(
                etcdID: etcdID, spec: spec, from: start, progressNotify: progressNotify,
                announce: true)
        }
    }

    private func isInUse(_ etcdID: Int64) -> Bool {
        brokerIDs[etcdID] != nil || catchingUp[etcdID] != nil
    }

    /// Registers with the broker from `start`; with `announce`, the `created` response
    /// carries the revision the watcher joined at, so no event after it is missed.
    func join(
        etcdID: Int64, spec: WatchHub.Watcher, from start: Int64, progressNotify: Bool,
        announce: Bool
    ) {
        switch keySpace.watches.register(spec, startRevision: start, sink: self, keySpace: keySpace)
        {
        case .registered(let id, let revision):
            if announce { sendCreated(etcdID: etcdID, revision: revision) }
            guard stream.isOpen else {
                keySpace.watches.remove(id)
                return
            }
            watchers[id] = WatcherState(etcdID: etcdID, progressNotify: progressNotify)
            brokerIDs[etcdID] = id
        case .compacted(let compactRevision):
            if announce { sendCreated(etcdID: etcdID, revision: storeRevision()) }
            sendCanceled(
                etcdID: etcdID, created: false, compactRevision: compactRevision, reason: nil)
        case .tooManyWatchers:
            if announce { sendCreated(etcdID: etcdID, revision: storeRevision()) }
            sendCanceled(
                etcdID: etcdID, created: false, compactRevision: 0,
                reason: "roost: the server's watcher limit is reached")
        }
    }

    func cancel(etcdID: Int64, reason: String?) {
        if catchingUp.removeValue(forKey: etcdID) != nil {
            sendCanceled(etcdID: etcdID, created: false, compactRevision: 0, reason: reason)
            return
        }
        guard let id = brokerIDs.removeValue(forKey: etcdID) else { return }
        watchers.removeValue(forKey: id)
        keySpace.watches.remove(id)
        sendCanceled(etcdID: etcdID, created: false, compactRevision: 0, reason: reason)
    }

    private func scheduleProgress() {
        guard !progressScheduled,
            watchers.values.contains(where: { $0.progressNotify })
                || catchingUp.values.contains(where: { $0.progressNotify })
        else { return }
        progressScheduled = true
        stream.loop.schedule(afterNanoseconds: EtcdWatchStream.progressIntervalNanoseconds) {
            [weak self] in
            guard let self, self.stream.isOpen else { return }
            self.progressScheduled = false
            for (id, watcher) in self.watchers where watcher.progressNotify {
                if !watcher.sentSinceProgress { self.progressRequested.append(watcher.etcdID) }
                self.watchers[id]?.sentSinceProgress = false
            }
            self.drain()
            self.scheduleProgress()
        }
    }

    private func closed() {
        requests.stop()
        for id in watchers.keys { keySpace.watches.remove(id) }
        watchers.removeAll()
        brokerIDs.removeAll()
        catchingUp.removeAll()
    }
}
