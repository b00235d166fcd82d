import Platform

/// The Consul clients of one generator loop and what drives them (a registrar, heartbeat
/// lanes). Made on the main thread; everything else happens on the loop, which the main
/// thread reaches through `LoopThread.run`.
final class ClientPool: @unchecked Sendable {
    let loopThread: LoopThread
    // Loop-confined.
    var clients: [ConsulClient] = []
    var registrar: ServiceRegistrar?
    var lanes: [HeartbeatLane] = []

    init(loopThread: LoopThread) {
        self.loopThread = loopThread
    }

    /// Runs `body` with a pool of `options.connections` clients on a loop thread of its
    /// own, then closes them and stops the thread.
    static func withConnected<Result>(
        _ options: BenchOptions, threadName: String,
        _ body: (ClientPool) throws(BenchError) -> Result
    ) throws(BenchError) -> Result {
        let loopThread: LoopThread
        do {
            loopThread = try LoopThread(name: threadName)
        } catch {
            throw .connect("event loop: \(error)")
        }
        loopThread.start()
        let pool = ClientPool(loopThread: loopThread)
        defer {
            _ = try? loopThread.run("close") { pool.closeAll() }
            loopThread.stop()
        }
        try pool.connect(options.connections, to: options.endpoint)
        return try body(pool)
    }

    /// Opens `count` connections to `address`.
    func connect(_ count: Int, to address: SocketAddress) throws(BenchError) {
        try loopThread.run("\(address)") { [self] () throws(Errno) in
            for _ in 0..<count {
                clients.append(try ConsulClient(to: address, on: loopThread))
            }
        }
    }

    /// Registers services `0..<count` over every client (closed loop) and waits; the
    /// counters and the seconds it took.
    func register(
        _ count: Int, timeLimitSeconds: Double,
        request: @escaping @Sendable (Int) -> [UInt8]
    ) throws(BenchError) -> (stats: WorkerStats, seconds: Double) {
        let clock = MonotonicClock()
        let started = clock.nowNanoseconds()
        let result = WorkQueue<WorkerStats>(capacity: 1)
        loopThread.loop.execute { [self] in
            let registrar = ServiceRegistrar(clients: clients, count: count, request: request) {
                _ = result.offer($0)
            }
            self.registrar = registrar
            registrar.start()
        }
        let limit = UInt64(timeLimitSeconds * 1e9)
        guard let stats = result.takeAll(max: 1, timeoutNanoseconds: limit).first else {
            throw .timedOut("registering \(count) services took over \(timeLimitSeconds) s")
        }
        return (stats, Double(clock.nowNanoseconds() - started) / 1e9)
    }

    /// Closes every connection (loop thread only).
    func closeAll() {
        for lane in lanes { lane.stop() }
        for client in clients { client.close() }
        lanes = []
        clients = []
        registrar = nil
    }
}
