import Platform
import Synchronization

/// The blocking queries of one generator loop: each client parks one request per round
/// (`GET /v1/health/service/<name>?index=N&wait=5m`) and notes when and how it was
/// answered. Made on the main thread, which reaches the loop through `LoopThread.run`
/// and watches `settled` while it waits.
final class WakeupWaiters: @unchecked Sendable {
    struct Answer: Sendable {
        var nanoseconds: UInt64
        var status: Int
        var index: Int64
    }

    let loopThread: LoopThread
    /// Queries of this round answered or lost so far.
    let settled = Atomic<Int>(0)
    private let clock = MonotonicClock()
    // Loop-confined.
    private var clients: [ConsulClient] = []
    private var answers: [Answer?] = []
    private var failures = WorkerStats()

    init(loopThread: LoopThread) {
        self.loopThread = loopThread
    }

    func connect(_ count: Int, to address: SocketAddress) throws(BenchError) {
        try loopThread.run("\(address)") { [self] () throws(Errno) in
            for _ in 0..<count {
                let client = try ConsulClient(to: address, on: loopThread)
                client.onFailure = { [unowned self] reason, lostRequest in
                    failures.noteFailure(reason)
                    if lostRequest { settled.add(1, ordering: .relaxed) }
                }
                clients.append(client)
                answers.append(nil)
            }
        }
    }

    /// Sends `request` on every connection (reconnecting closed ones) and returns at
    /// once; answers arrive on the loop.
    func park(_ request: [UInt8]) throws(BenchError) {
        settled.store(0, ordering: .relaxed)
        try loopThread.run("park") { [self] () throws(Errno) in
            for (slot, client) in clients.enumerated() {
                answers[slot] = nil
                if !client.isOpen || client.isWaiting { try client.reconnect() }
                client.send(request) { [unowned self] answer in
                    answers[slot] = Answer(
                        nanoseconds: clock.nowNanoseconds(), status: answer.status,
                        index: answer.index)
                    settled.add(1, ordering: .relaxed)
                }
            }
        }
    }

    /// This round's answers, nil where none came.
    func collect() throws(BenchError) -> [Answer?] {
        try loopThread.run("collect") { [self] in answers }
    }

    /// Connection failures so far, with the first reason.
    func failureStats() throws(BenchError) -> WorkerStats {
        try loopThread.run("failures") { [self] in failures }
    }

    func closeAll() {
        _ = try? loopThread.run("close") { [self] in
            for client in clients { client.close() }
            clients = []
        }
    }
}
