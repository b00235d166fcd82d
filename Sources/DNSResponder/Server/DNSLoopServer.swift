import Platform

/// Everything the DNS server keeps on one event loop: its UDP socket, TCP listener and
/// connections, the recursor forwarder, a copy of the catalog, the answer cache and the
/// shuffling generator. Touched only on that loop, so the query path takes no lock
/// (`@unchecked Sendable` only so the server can hold the list and hand each to its loop).
final class DNSLoopServer: @unchecked Sendable {
    let loop: EventLoop
    let limits: DNSServerLimits
    let answerer: DNSAnswerer
    let clock = MonotonicClock()
    unowned let server: DNSServer
    /// Replaced (a reference swap of the view's storage) when the catalog changes.
    var catalog: DNSCatalogView
    var cache: DNSAnswerCache
    var random: SeededGenerator
    /// One read buffer per loop, shared by the TCP connections.
    var tcpScratch: [UInt8]
    /// One reply buffer per loop, shared by the TCP connections: a length prefix and the
    /// largest message, so an answer is framed where it is written.
    let tcpReplyBuffer: UnsafeMutableRawBufferPointer
    private var udp: DNSUDPEndpoint?
    private var listener: DNSTCPListener?
    private(set) var forwarder: DNSForwarder?
    private var connections: [ObjectIdentifier: DNSTCPConnection] = [:]
    private(set) var isShuttingDown = false

    init(
        loop: EventLoop, server: DNSServer, answerer: DNSAnswerer, limits: DNSServerLimits,
        catalog: DNSCatalogView, seed: UInt64
    ) {
        self.loop = loop
        self.server = server
        self.answerer = answerer
        self.limits = limits
        self.catalog = catalog
        self.cache = DNSAnswerCache(
            entriesMax: limits.answerCacheEntriesMax, bytesMax: limits.answerCacheBytesMax)
        self.random = SeededGenerator(seed: seed)
        self.tcpScratch = [UInt8](repeating: 0, count: limits.tcpReadChunkBytes)
        self.tcpReplyBuffer = .allocate(byteCount: DNSTCPFrameDecoder.frameBytesMax, alignment: 8)
    }

    deinit {
        tcpReplyBuffer.deallocate()
    }

    /// Loop thread: registers the sockets and starts the sweep timer.
    func start(
        udpSocket: Socket, listenerSocket: Socket, forwardSocket: Socket?,
        recursor: SocketAddress?
    ) throws(Errno) {
        let udp = DNSUDPEndpoint(socket: udpSocket, owner: self)
        try loop.register(udpSocket.fileDescriptor, interest: .readable, handler: udp)
        self.udp = udp
        let listener = DNSTCPListener(socket: listenerSocket, owner: self)
        try loop.register(listenerSocket.fileDescriptor, interest: .readable, handler: listener)
        self.listener = listener
        if let forwardSocket, let recursor {
            let forwarder = DNSForwarder(socket: forwardSocket, recursor: recursor, owner: self)
            try loop.register(forwardSocket.fileDescriptor, interest: .readable, handler: forwarder)
            self.forwarder = forwarder
        }
        scheduleSweep()
    }

    /// Answers one query into `output` (at least `answerer.outputBytesMin(transport)`
    /// bytes). `.forward` without a forwarder cannot happen (the answerer forwards only
    /// when a recursor is configured).
    func answer(
        _ query: UnsafeRawBufferPointer, transport: DNSTransport,
        into output: UnsafeMutableRawBufferPointer
    ) -> DNSReply {
        answerer.respond(
            to: query, transport: transport, catalog: catalog, cache: &cache, random: &random,
            into: output)
    }

    func sendUDP(_ bytes: [UInt8], to address: SocketAddress) {
        udp?.send(bytes, to: address)
    }

    // MARK: TCP connections

    func admit(_ socket: Socket) {
        guard !isShuttingDown, server.reserveConnection() else {
            socket.close()
            return
        }
        let connection = DNSTCPConnection(socket: socket, owner: self, now: clock.nowNanoseconds())
        do {
            try loop.register(socket.fileDescriptor, interest: .readable, handler: connection)
        } catch {
            server.releaseConnection()
            socket.close()
            return
        }
        connections[ObjectIdentifier(connection)] = connection
    }

    func connectionClosed(_ connection: DNSTCPConnection) {
        guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        server.releaseConnection()
    }

    private func scheduleSweep() {
        loop.schedule(afterNanoseconds: limits.sweepIntervalNanoseconds) { [weak self] in
            guard let self, !self.isShuttingDown else { return }
            self.sweep()
            self.scheduleSweep()
        }
    }

    /// Closes idle or stalled TCP connections and fails forwards the recursor never
    /// answered.
    func sweep() {
        let now = clock.nowNanoseconds()
        for connection in Array(connections.values)
        where now &- connection.lastActivity > limits.tcpIdleTimeoutNanoseconds {
            connection.close()
        }
        forwarder?.expire(now: now)
    }

    /// Loop thread: closes every socket. Nothing runs for this server afterwards.
    func shutdown() {
        isShuttingDown = true
        udp?.close()
        udp = nil
        listener?.close()
        listener = nil
        forwarder?.close()
        forwarder = nil
        for connection in Array(connections.values) { connection.close() }
    }
}
