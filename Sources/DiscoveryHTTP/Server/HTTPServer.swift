import Platform
import Synchronization

/// An HTTP/1.1 server spread over an event-loop group: one listening socket per loop
/// on the same port (`SO_REUSEPORT`, so the kernel balances accepts), connections kept
/// on the loop that accepted them.
public final class HTTPServer: Sendable {
    public let limits: HTTPServerLimits
    private let group: EventLoopGroup
    private let handler: any HTTPHandler
    private let clock: any Clock
    private let openConnections = Atomic<Int>(0)
    private let loopServers: Mutex<[HTTPLoopServer]> = Mutex([])
    private let bound: Mutex<SocketAddress?> = Mutex(nil)

    public init(
        group: EventLoopGroup, handler: any HTTPHandler,
        limits: HTTPServerLimits = HTTPServerLimits(),
        clock: any Clock = MonotonicClock()
    ) {
        self.group = group
        self.handler = handler
        self.limits = limits
        self.clock = clock
    }

    /// The address actually bound (the real port when asked for port 0).
    public var boundAddress: SocketAddress? { bound.withLock { $0 } }

    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Binds every loop's listener and starts accepting. Throws if the address is taken.
    public func start(address: SocketAddress) throws(Errno) {
        let first = try Socket.listenTCP(address, reusePort: true)
        let actual = try first.localAddress()
        var listeners = [first]
        for _ in 1..<max(1, group.loops.count) {
            listeners.append(try Socket.listenTCP(actual, reusePort: true))
        }
        bound.withLock { $0 = actual }
        let servers = group.loops.map {
            HTTPLoopServer(loop: $0, server: self, handler: handler, limits: limits, clock: clock)
        }
        loopServers.withLock { $0 = servers }
        for (server, listener) in zip(servers, listeners) {
            let box = UncheckedBox((server, listener))
            server.loop.execute {
                let (server, listener) = box.value
                do { try server.start(listener: listener) } catch { listener.close() }
            }
        }
    }

    func reserveConnection() -> Bool {
        let previous = openConnections.wrappingAdd(1, ordering: .relaxed).oldValue
        if previous < limits.connectionsMax { return true }
        openConnections.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func releaseConnection() {
        openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Graceful stop: no new connections, in-flight requests answered, streams ended,
    /// then every connection closed. Blocks the caller (never call it on a loop) until
    /// all are closed or the grace period ends.
    public func shutdown() {
        let servers = loopServers.withLock { $0 }
        for server in servers {
            let box = UncheckedBox(server)
            server.loop.execute { box.value.beginShutdown() }
        }
        let deadline = clock.nowNanoseconds() + limits.shutdownGraceNanoseconds
        while connectionCount > 0 && clock.nowNanoseconds() < deadline {
            Sleep.nanoseconds(5_000_000)
        }
        for server in servers {
            let box = UncheckedBox(server)
            server.loop.execute { box.value.forceClose() }
        }
        while connectionCount > 0 && clock.nowNanoseconds() < deadline + 1_000_000_000 {
            Sleep.nanoseconds(1_000_000)
        }
    }
}

/// Carries a loop-confined value to its own loop through `execute`.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
