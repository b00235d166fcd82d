import Platform

/// One connection's share of the TTL heartbeats: services `lane`, `lane + lanes`, …, each
/// passed once per interval at its own phase (service i at `start + i × interval / N`),
/// so all N are spread evenly over the interval. A heartbeat whose time comes while the
/// previous answer is outstanding goes out when that answer arrives, late; the lateness
/// is recorded, so a server that cannot keep up shows as growing lag (then as TTLs
/// expiring) rather than as a lower rate. Loop thread only.
final class HeartbeatLane {
    struct Stats: Sendable {
        /// Answers to heartbeats sent in the window (latency, statuses, failures).
        var requests = WorkerStats()
        /// How long after its due time each heartbeat of the window went out.
        var lag = LatencyHistogram()

        mutating func merge(_ other: Stats) {
            requests.merge(other.requests)
            lag.merge(other.lag)
        }
    }

    struct Schedule {
        var services: Int
        var lanes: Int
        var intervalNanoseconds: UInt64
        var startNanoseconds: UInt64
        var window: MeasureWindow

        /// Services this lane passes: `lane`, `lane + lanes`, … below `services`.
        func count(lane: Int) -> Int {
            lane < services ? (services - lane + lanes - 1) / lanes : 0
        }

        /// When the lane's `sequence`th heartbeat is due, and which service it passes.
        func due(lane: Int, sequence: Int) -> (service: Int, nanoseconds: UInt64) {
            let perRound = count(lane: lane)
            let round = UInt64(sequence / perRound)
            let service = lane + (sequence % perRound) * lanes
            let phase = UInt64(service) * intervalNanoseconds / UInt64(services)
            return (service, startNanoseconds + round * intervalNanoseconds + phase)
        }
    }

    private let client: ConsulClient
    private let loop: EventLoop
    private let lane: Int
    private let schedule: Schedule
    private let request: (Int) -> [UInt8]
    private let clock = MonotonicClock()
    private var sequence = 0
    private var stopped = false
    private(set) var stats = Stats()

    init(
        client: ConsulClient, loop: EventLoop, lane: Int, schedule: Schedule,
        request: @escaping (Int) -> [UInt8]
    ) {
        self.client = client
        self.loop = loop
        self.lane = lane
        self.schedule = schedule
        self.request = request
    }

    func start() {
        client.onFailure = { [unowned self] reason, _ in
            if clock.nowNanoseconds() <= schedule.window.endNanoseconds {
                stats.requests.noteFailure(reason)
            }
            do {
                try client.reconnect()
            } catch {
                stats.requests.noteFailure("reconnect: \(error)")
                return
            }
            sendNext()
        }
        guard schedule.count(lane: lane) > 0 else { return }
        sendNext()
    }

    /// No heartbeat is sent after this; one in flight is not counted.
    func stop() {
        stopped = true
        client.close()
    }

    private func sendNext() {
        guard !stopped else { return }
        let now = clock.nowNanoseconds()
        let due = schedule.due(lane: lane, sequence: sequence).nanoseconds
        if due > now {
            _ = loop.schedule(afterNanoseconds: due - now) { [self] in send() }
        } else {
            send()
        }
    }

    private func send() {
        guard !stopped, client.isOpen else { return }
        let (service, due) = schedule.due(lane: lane, sequence: sequence)
        sequence += 1
        let sent = clock.nowNanoseconds()
        let window = schedule.window
        let inWindow = sent >= window.startNanoseconds && sent <= window.endNanoseconds
        if inWindow {
            stats.requests.sentInWindow += 1
            stats.lag.record(sent > due ? sent - due : 0)
        }
        client.send(request(service)) { [unowned self] answer in
            let now = clock.nowNanoseconds()
            if window.contains(sentAt: sent, answeredAt: now) {
                if answer.status == 200 {
                    stats.requests.succeeded += 1
                    stats.requests.latency.record(now - sent)
                } else {
                    stats.requests.failedByStatus[answer.status, default: 0] += 1
                }
            }
            sendNext()
        }
    }
}
