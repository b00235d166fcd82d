import Platform

/// One closed-loop client on one connection: sends a request, waits for its answer,
/// records it, sends the next (etcd `benchmark`'s client model). Loop thread only.
final class LoadClient {
    private unowned let worker: BenchWorker
    private let connection: ClientConnection
    private var template: RequestTemplate?
    private var generator: SeededGenerator
    private var sentNanoseconds: UInt64 = 0
    private var status = 0
    private var body: [UInt8] = []
    /// Paced runs (watch): nanoseconds between sends, and when the next one is due.
    private let intervalNanoseconds: UInt64
    private var dueNanoseconds: UInt64 = 0
    private(set) var isDone = false
    /// A range answer that found its key has a `kvs` array (etcd omits an empty one).
    static let kvsLabel = Array(#""kvs":["#.utf8)

    init(worker: BenchWorker, connection: ClientConnection, index: Int) {
        self.worker = worker
        self.connection = connection
        let shared = worker.shared
        let options = shared.options
        generator = SeededGenerator(seed: options.seed &* 1_000_003 &+ UInt64(index))
        switch options.mode {
        case .put, .watch:
            template = .put(host: shared.host, keys: shared.keys, value: shared.value)
        case .range:
            template = .range(
                host: shared.host, keys: shared.keys, consistency: options.consistency)
        case .fill, .ready, .ttlServices, .blockingWakeup:
            template = nil
        }
        if options.mode == .watch, options.putRate > 0 {
            let perConnection = Double(options.connections) / Double(options.putRate)
            intervalNanoseconds = UInt64(1e9 * perConnection)
        } else {
            intervalNanoseconds = 0
        }
        connection.onEvent = { [unowned self] event in self.handle(event) }
        connection.onFailure = { [unowned self] reason in
            self.worker.stats.noteFailure(reason)
            self.finish()
        }
    }

    /// Sends the next request, waits for its due time, or finishes.
    func sendNext() {
        guard !isDone else { return }
        let now = worker.clock.nowNanoseconds()
        if now >= worker.window.endNanoseconds { return finish() }
        if intervalNanoseconds > 0 {
            dueNanoseconds = dueNanoseconds == 0 ? now : dueNanoseconds + intervalNanoseconds
            if dueNanoseconds > now {
                _ = worker.loop.schedule(afterNanoseconds: dueNanoseconds - now) { [self] in
                    send(at: worker.clock.nowNanoseconds())
                }
                return
            }
        }
        send(at: now)
    }

    private func send(at now: UInt64) {
        guard !isDone else { return }
        guard let request = nextRequest(now) else { return finish() }
        sentNanoseconds = now
        if now >= worker.window.startNanoseconds, now <= worker.window.endNanoseconds {
            worker.stats.sentInWindow += 1
        }
        connection.send(request)
    }

    private func nextRequest(_ now: UInt64) -> [UInt8]? {
        let shared = worker.shared
        let ticket: Int
        if shared.ticketLimit == nil, shared.options.mode != .fill {
            ticket = 0
        } else {
            guard let taken = shared.takeTicket() else { return nil }
            ticket = taken
        }
        guard template != nil else {
            let first = ticket * shared.options.batch
            let count = min(shared.options.batch, shared.options.keys - first)
            return RequestTemplate.fillTxn(
                host: shared.host, keys: shared.keys, value: shared.value, first: first,
                count: count)
        }
        // Mutated in place: the connection lets go of the last request once it is written.
        template?.setKey(Int.random(in: 0..<shared.options.keys, using: &generator))
        if shared.options.mode == .watch { template?.setStamp(now) }
        return template?.bytes
    }

    private func handle(_ event: HTTPResponseEvent) {
        switch event {
        case .head(let head):
            status = head.status
            body.removeAll(keepingCapacity: true)
        case .bodyChunk(let bytes):
            if worker.shared.options.mode == .range { body.append(contentsOf: bytes) }
        case .end:
            record(at: worker.clock.nowNanoseconds())
            sendNext()
        }
    }

    private func record(at now: UInt64) {
        guard worker.window.contains(sentAt: sentNanoseconds, answeredAt: now) else { return }
        worker.stats.lastAnswerNanoseconds = now
        guard status == 200 else {
            worker.stats.failedByStatus[status, default: 0] += 1
            return
        }
        worker.stats.succeeded += 1
        worker.stats.latency.record(now - sentNanoseconds)
        if worker.shared.options.mode == .range,
            RequestTemplate.find(Self.kvsLabel, in: body) == nil
        {
            worker.stats.missingKeys += 1
        }
    }

    /// Stops this client; the worker ends its loop once every client has.
    func finish() {
        guard !isDone else { return }
        isDone = true
        worker.clientFinished()
    }

    func close() {
        connection.close()
    }
}
