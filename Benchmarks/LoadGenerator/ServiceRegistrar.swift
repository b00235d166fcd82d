import Platform

/// Registers services `0..<count` over every client at once, one request in flight per
/// client (closed loop), and hands the counters to `done` on the loop when every
/// registration has been answered or its connection lost. Loop thread only.
final class ServiceRegistrar {
    private let clients: [ConsulClient]
    private let count: Int
    private let request: (Int) -> [UInt8]
    private let done: (WorkerStats) -> Void
    private let clock = MonotonicClock()
    private var next = 0
    private var outstanding = 0
    private var reported = false
    private var stats = WorkerStats()

    init(
        clients: [ConsulClient], count: Int, request: @escaping (Int) -> [UInt8],
        done: @escaping (WorkerStats) -> Void
    ) {
        self.clients = clients
        self.count = count
        self.request = request
        self.done = done
    }

    func start() {
        for client in clients {
            client.onFailure = { [unowned self] reason, lostRequest in
                stats.noteFailure(reason)
                if lostRequest { outstanding -= 1 }
                finishIfDone()
            }
            sendNext(client)
        }
        finishIfDone()
    }

    private func sendNext(_ client: ConsulClient) {
        guard next < count, client.isOpen else { return }
        let number = next
        next += 1
        outstanding += 1
        let sent = clock.nowNanoseconds()
        client.send(request(number)) { [unowned self, unowned client] answer in
            outstanding -= 1
            if answer.status == 200 {
                stats.succeeded += 1
                stats.latency.record(clock.nowNanoseconds() - sent)
            } else {
                stats.failedByStatus[answer.status, default: 0] += 1
            }
            sendNext(client)
            finishIfDone()
        }
    }

    private func finishIfDone() {
        guard !reported, outstanding == 0,
            next == count || clients.allSatisfy({ !$0.isOpen })
        else { return }
        reported = true
        done(stats)
    }
}
