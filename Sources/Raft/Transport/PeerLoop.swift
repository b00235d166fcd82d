import Platform

/// The part of a `PeerTransport` that lives on its event loop: the listener, the inbound
/// connections and the outbound streams. Touched only on that loop; other threads reach
/// it through `EventLoop.execute`.
final class PeerLoop: IOHandler, @unchecked Sendable {
    struct InboundKey: Hashable {
        var peerID: UInt64
        var stream: PeerStreamKind
    }

    let loop: EventLoop
    let core: PeerTransportCore
    private var listener: Socket?
    private let clock = MonotonicClock()
    private let logger: (@Sendable (String) -> Void)?
    var generator: SeededGenerator
    /// Scratch space for inbound reads, shared by the loop's connections.
    var scratch: [UInt8]
    private var outbound: [UInt64: [PeerOutboundStream]] = [:]
    private var inbound: [ObjectIdentifier: PeerInboundConnection] = [:]
    private var inboundByKey: [InboundKey: PeerInboundConnection] = [:]
    private var isRunning = false
    private var listenerRegistered = false
    /// True inside `service()`/`flushQueued()`: a send from within them (a callback) waits
    /// for the next one.
    private var servicing = false

    /// Loop thread: whether `send` may run `service()` right away.
    var serviceNowAllowed: Bool { !servicing }

    init(
        loop: EventLoop, core: PeerTransportCore, listener: Socket, seed: UInt64,
        logger: (@Sendable (String) -> Void)?
    ) {
        self.loop = loop
        self.core = core
        self.listener = listener
        self.logger = logger
        generator = SeededGenerator(seed: seed)
        scratch = [UInt8](repeating: 0, count: core.limits.readChunkBytes)
    }

    func now() -> UInt64 { clock.nowNanoseconds() }

    func log(_ line: @autoclosure () -> String) {
        logger?("peer transport \(core.localID): \(line())")
    }

    /// Loop thread: starts accepting, sweeping for timeouts and dialing peers.
    func start() throws(Errno) {
        guard let listener, !isRunning else { return }
        try loop.register(listener.fileDescriptor, interest: .readable, handler: self)
        listenerRegistered = true
        isRunning = true
        scheduleSweep()
        service()
    }

    /// Loop thread: reconciles streams with the configured peers and writes what is
    /// queued. Runs after every `send`/`setPeer`/`removePeer` (coalesced).
    func service() {
        core.wakeScheduled.store(false, ordering: .sequentiallyConsistent)
        guard isRunning else { return }
        servicing = true
        defer { servicing = false }
        let peers = core.peerAddresses()
        for (id, streams) in outbound where peers[id] == nil {
            for stream in streams { stream.close() }
            outbound[id] = nil
        }
        for (id, address) in peers {
            if let streams = outbound[id] {
                for stream in streams { stream.redirect(to: address) }
            } else {
                let streams = PeerStreamKind.allCases.map { kind in
                    PeerOutboundStream(peerID: id, stream: kind, address: address, owner: self)
                }
                outbound[id] = streams
                for stream in streams { stream.dial() }
            }
        }
        flushQueued()
    }

    /// Loop thread: writes what is queued on the streams that exist, control first
    /// (heartbeats and votes leave before bulk data of the same tick). What `send` needs
    /// on the loop; peers are reconciled by `service`, which every peer change schedules.
    func flushQueued() {
        guard isRunning else { return }
        let outer = servicing
        servicing = true
        defer { servicing = outer }
        for kind in PeerStreamKind.allCases {
            for streams in outbound.values {
                for stream in streams where stream.stream == kind { stream.flush() }
            }
        }
    }

    /// The listener is readable: accept what is pending (bounded per tick).
    func handleIO(_ event: IOEvent) {
        guard let listener, isRunning else { return }
        for _ in 0..<64 {
            let outcome: IOOutcome<Socket>
            do {
                outcome = try listener.accept()
            } catch {
                pauseAccepting(error)
                return
            }
            guard case .done(let socket) = outcome else { return }
            admit(socket)
        }
    }

    /// How long accepting pauses when the process is out of descriptors (EMFILE): the
    /// listener stays readable, so retrying at once would spin the loop.
    static let acceptPauseNanoseconds: UInt64 = 100_000_000

    private func pauseAccepting(_ error: Errno) {
        guard let listener else { return }
        log("accept failed: \(error); pausing accepts")
        loop.deregister(listener.fileDescriptor)
        loop.schedule(afterNanoseconds: Self.acceptPauseNanoseconds) { [weak self] in
            guard let self, self.isRunning, let current = self.listener, current === listener
            else { return }
            do throws(Errno) {
                try self.loop.register(listener.fileDescriptor, interest: .readable, handler: self)
                self.listenerRegistered = true
            } catch {
                self.pauseAccepting(error)
            }
        }
        listenerRegistered = false
    }

    private func admit(_ socket: Socket) {
        guard inbound.count < core.limits.inboundConnectionsMax else {
            core.updateTotals { $0.inboundOverLimit += 1 }
            socket.close()
            return
        }
        let connection = PeerInboundConnection(socket: socket, owner: self, nowNanoseconds: now())
        do {
            try loop.register(socket.fileDescriptor, interest: .readable, handler: connection)
        } catch {
            socket.close()
            return
        }
        inbound[ObjectIdentifier(connection)] = connection
        core.updateTotals { $0.inboundConnections = inbound.count }
    }

    /// A handshake was accepted: an older connection of the same peer and stream (from
    /// before the peer restarted or redialed) is closed, so each direction has one.
    func inboundAccepted(_ connection: PeerInboundConnection, key: InboundKey) {
        if let older = inboundByKey[key], older !== connection { older.close() }
        inboundByKey[key] = connection
    }

    func inboundClosed(_ connection: PeerInboundConnection) {
        inbound[ObjectIdentifier(connection)] = nil
        if let handshake = connection.handshake {
            let key = InboundKey(peerID: handshake.fromID, stream: handshake.stream)
            if inboundByKey[key] === connection { inboundByKey[key] = nil }
        }
        core.updateTotals { $0.inboundConnections = inbound.count }
    }

    private func scheduleSweep() {
        loop.schedule(afterNanoseconds: core.limits.sweepIntervalNanoseconds) { [weak self] in
            guard let self, self.isRunning else { return }
            self.sweep()
            self.scheduleSweep()
        }
    }

    /// Handshake and write-stall timeouts.
    private func sweep() {
        let now = now()
        for connection in Array(inbound.values) { connection.checkTimeout(nowNanoseconds: now) }
        for streams in outbound.values {
            for stream in streams { stream.checkTimeouts(nowNanoseconds: now) }
        }
    }

    /// Loop thread: closes the listener and every connection. Final.
    func shutdown() {
        if let listener {
            if listenerRegistered { loop.deregister(listener.fileDescriptor) }
            listenerRegistered = false
            listener.close()
        }
        listener = nil
        isRunning = false
        for streams in outbound.values {
            for stream in streams { stream.close() }
        }
        outbound = [:]
        for connection in Array(inbound.values) { connection.close() }
    }
}
