import Platform

/// One generator event loop on its own thread, with the receive buffer its connections
/// share: the discovery modes' counterpart of `BenchWorker`, which they drive from the
/// main thread through `execute` and `executeAndWait`.
final class LoopThread: @unchecked Sendable {
    let loop: EventLoop
    let readBuffer = ReadBuffer()
    private var thread: PlatformThread?

    init(name: String) throws(Errno) {
        loop = try EventLoop(name: name)
    }

    func start() {
        let loop = self.loop
        thread = PlatformThread.spawn(name: loop.name) { loop.run() }
    }

    /// Stops the loop and waits for its thread.
    func stop() {
        loop.stop()
        thread?.join()
        thread = nil
    }

    /// Runs `body` on the loop and waits for its result; an error becomes a connect error.
    func run<Value: Sendable>(
        _ what: String, _ body: @escaping @Sendable () throws(Errno) -> Value
    ) throws(BenchError) -> Value {
        do {
            return try loop.executeAndWait(body)
        } catch {
            throw .connect("\(what): \(error)")
        }
    }
}
