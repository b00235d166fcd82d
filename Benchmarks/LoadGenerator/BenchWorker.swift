import Platform

/// One generator thread: an epoll event loop serving its share of the connections, with
/// its own counters (no locks on the request path). Everything but `init`, `startThread`
/// and `join` runs on the loop.
final class BenchWorker: @unchecked Sendable {
    /// Watch runs: how long watchers keep reading after the puts stop, so events of puts
    /// sent at the end of the window still arrive.
    static let watchGraceNanoseconds: UInt64 = 2_000_000_000

    let shared: RunShared
    let loop: EventLoop
    let clock = MonotonicClock()
    private let readBuffer = ReadBuffer()
    private var thread: PlatformThread?
    // Loop-confined.
    var stats = WorkerStats()
    private(set) var window = MeasureWindow(startNanoseconds: .max, endNanoseconds: .max)
    private var clients: [LoadClient] = []
    private var watchClients: [WatchClient] = []
    private var finishedClients = 0
    private var isFinished = false

    init(shared: RunShared, index: Int) throws(Errno) {
        self.shared = shared
        loop = try EventLoop(name: "bench-\(index)")
    }

    func startThread() {
        let loop = self.loop
        thread = PlatformThread.spawn(name: loop.name) { loop.run() }
    }

    /// Waits for the loop to stop; returns the counters.
    func join() -> WorkerStats {
        thread?.join()
        thread = nil
        return stats
    }

    /// Opens `clientCount` request connections and `watchStreamCount` watch streams.
    func connect(clientCount: Int, watchStreamCount: Int, firstIndex: Int) throws(Errno) {
        for index in 0..<clientCount {
            let connection = try ClientConnection(
                to: shared.options.endpoint, loop: loop, readBuffer: readBuffer)
            clients.append(
                LoadClient(worker: self, connection: connection, index: firstIndex + index))
        }
        for _ in 0..<watchStreamCount {
            let connection = try ClientConnection(
                to: shared.options.endpoint, loop: loop, readBuffer: readBuffer)
            let client = WatchClient(worker: self, connection: connection)
            watchClients.append(client)
            client.start()
        }
    }

    /// Starts the load. In a duration run everything stops at the window's end (watchers
    /// a grace period later); otherwise when the tickets run out or at the time limit.
    func begin(_ window: MeasureWindow, timeLimitNanoseconds: UInt64) {
        self.window = window
        let now = clock.nowNanoseconds()
        let stopAt: UInt64
        if window.endNanoseconds == .max {
            stopAt = now + timeLimitNanoseconds
        } else {
            stopAt = window.endNanoseconds + (watchClients.isEmpty ? 0 : Self.watchGraceNanoseconds)
        }
        _ = loop.schedule(afterNanoseconds: stopAt > now ? stopAt - now : 0) { [self] in
            if window.endNanoseconds == .max, !isFinished {
                stats.noteFailure("time limit reached")
            }
            finishAll()
        }
        if clients.isEmpty, watchClients.isEmpty { return finishAll() }
        for client in clients { client.sendNext() }
    }

    /// A client sent its last request; once all have and no watcher waits, stop.
    func clientFinished() {
        finishedClients += 1
        if finishedClients == clients.count, watchClients.isEmpty { finishAll() }
    }

    private func finishAll() {
        guard !isFinished else { return }
        isFinished = true
        for client in clients { client.close() }
        for client in watchClients { client.close() }
        loop.stop()
    }
}
