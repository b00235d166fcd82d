import Platform

/// The part of the HTTP server that lives on one event loop: its listener, its
/// connections and a scratch read buffer. Touched only on that loop.
final class HTTPLoopServer: IOHandler, @unchecked Sendable {
    let loop: EventLoop
    let handler: any HTTPHandler
    let limits: HTTPServerLimits
    private let clock: any Clock
    private unowned let server: HTTPServer
    private var listener: Socket?
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var refused: [ObjectIdentifier: RefusedConnection] = [:]
    var scratch: [UInt8]
    private(set) var isShuttingDown = false

    init(
        loop: EventLoop, server: HTTPServer, handler: any HTTPHandler, limits: HTTPServerLimits,
        clock: any Clock
    ) {
        self.loop = loop
        self.server = server
        self.handler = handler
        self.limits = limits
        self.clock = clock
        self.scratch = [UInt8](repeating: 0, count: limits.readChunkBytes)
    }

    func now() -> UInt64 { clock.nowNanoseconds() }

    var connectionCount: Int { connections.count }

    /// Loop thread: starts accepting on `listener` and sweeping for timeouts.
    func start(listener: Socket) throws(Errno) {
        self.listener = listener
        try loop.register(listener.fileDescriptor, interest: .readable, handler: self)
        scheduleSweep()
    }

    /// How long accepting pauses when the process is out of descriptors. The listener
    /// stays readable while connections wait, so retrying at once would spin the loop.
    static let acceptPauseNanoseconds: UInt64 = 100_000_000

    func handleIO(_ event: IOEvent) {
        guard let listener, !isShuttingDown else { return }
        // Bounded accepts per wake so a connection storm cannot starve the loop.
        for _ in 0..<64 {
            let outcome: IOOutcome<Socket>
            do {
                outcome = try listener.accept()
            } catch {
                pauseAccepting(listener)  // EMFILE, ENFILE, ENOBUFS: back off, then retry.
                return
            }
            guard case .done(let socket) = outcome else { return }
            admit(socket)
        }
    }

    private func pauseAccepting(_ listener: Socket) {
        loop.deregister(listener.fileDescriptor)
        loop.schedule(afterNanoseconds: HTTPLoopServer.acceptPauseNanoseconds) { [weak self] in
            guard let self, !self.isShuttingDown, let current = self.listener, current === listener
            else { return }
            do {
                try self.loop.register(listener.fileDescriptor, interest: .readable, handler: self)
            } catch {
                self.pauseAccepting(listener)
            }
        }
    }

    private func admit(_ socket: Socket) {
        guard server.reserveConnection() else {
            refuseBusy(socket)
            return
        }
        try? socket.setNoDelay()
        let connection = HTTPConnection(socket: socket, loop: loop, owner: self, now: now())
        do {
            try connection.start()
        } catch {
            server.releaseConnection()
            socket.close()
            return
        }
        connections[ObjectIdentifier(connection)] = connection
    }

    /// Over `connectionsMax`: a `503` and a lingering close, or a plain close when even
    /// the lingering refusals are at their limit.
    private func refuseBusy(_ socket: Socket) {
        guard refused.count < RefusedConnection.lingeringMax else {
            socket.close()
            return
        }
        let refusal = RefusedConnection(socket: socket, loop: loop) { [weak self] done in
            self?.refused.removeValue(forKey: ObjectIdentifier(done))
        }
        if refusal.start() { refused[ObjectIdentifier(refusal)] = refusal }
    }

    func connectionClosed(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        server.releaseConnection()
    }

    private func scheduleSweep() {
        loop.schedule(afterNanoseconds: limits.sweepIntervalNanoseconds) { [weak self] in
            guard let self else { return }
            self.sweep()
            self.scheduleSweep()
        }
    }

    /// Closes idle connections and ends stalled reads and writes.
    func sweep() {
        let now = now()
        for connection in Array(connections.values) {
            if connection.hasUnsentBytes,
                now &- connection.lastWriteProgress > limits.writeStallTimeoutNanoseconds
            {
                connection.close()
            } else if let started = connection.requestStartedAt,
                now &- started > limits.requestReadTimeoutNanoseconds
            {
                connection.timeOutRequest()
            } else if connection.isIdle,
                now &- connection.lastActivity > limits.idleTimeoutNanoseconds
            {
                connection.close()
            }
        }
    }

    /// Stops accepting and winds down every connection (loop thread).
    func beginShutdown() {
        isShuttingDown = true
        if let listener {
            loop.deregister(listener.fileDescriptor)
            listener.close()
            self.listener = nil
        }
        for connection in Array(connections.values) { connection.beginShutdown() }
    }

    /// Closes whatever is still open after the grace period (loop thread).
    func forceClose() {
        for connection in Array(connections.values) { connection.close() }
    }
}
