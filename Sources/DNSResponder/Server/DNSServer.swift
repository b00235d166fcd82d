import Platform
import Synchronization

/// The DNS responder's network shell: per event loop a UDP socket and a TCP listener on
/// the same port (SO_REUSEPORT: the kernel spreads datagrams and connections), plus a UDP
/// socket towards the recursor when one is configured. Each loop answers from its own copy
/// of the catalog view with its own cache and generator, so the query path takes no lock.
///
/// Lifecycle: `init`, `start()`, any number of `updateCatalog`, `stop()` — all from
/// outside the group's loops, and `stop()` before the group shuts down.
public final class DNSServer: Sendable {
    public let configuration: DNSServerConfiguration
    private let group: EventLoopGroup
    private let answerer: DNSAnswerer
    private let latestCatalog: Mutex<DNSCatalogView>
    private let loopServers: Mutex<[DNSLoopServer]> = Mutex([])
    private let bound: Mutex<SocketAddress?> = Mutex(nil)
    private let openConnections = Atomic<Int>(0)

    public init(configuration: DNSServerConfiguration, group: EventLoopGroup,
                catalog: DNSCatalogView = .empty) {
        var configuration = configuration
        configuration.answerer.hasRecursor = configuration.recursor != nil
        self.configuration = configuration
        self.group = group
        self.answerer = DNSAnswerer(configuration: configuration.answerer)
        self.latestCatalog = Mutex(catalog)
    }

    /// The address UDP and TCP are bound to (the real port when 0 was asked for); nil
    /// before `start()`.
    public var boundAddress: SocketAddress? { bound.withLock { $0 } }

    /// TCP connections open across all loops.
    public var tcpConnectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Binds every loop's sockets and registers them; throws if the address is taken.
    public func start() throws(Errno) {
        precondition(!group.inAnyLoop, "DNSServer.start() from one of its loops deadlocks")
        precondition(boundAddress == nil, "a DNSServer starts once")
        let sockets = try bindSockets()
        let seed = configuration.randomSeed ?? SeededGenerator.entropySeed()
        let catalog = latestCatalog.withLock { $0 }
        var servers: [DNSLoopServer] = []
        for (index, loop) in group.loops.enumerated() {
            servers.append(DNSLoopServer(
                loop: loop, server: self, answerer: answerer, limits: configuration.limits,
                catalog: catalog, seed: seed &+ UInt64(index)))
        }
        loopServers.withLock { $0 = servers }
        let recursor = configuration.recursor
        for (server, loopSockets) in zip(servers, sockets) {
            let box = DNSLoopBox((server, loopSockets))
            try server.loop.executeAndWait { () throws(Errno) in
                let (server, sockets) = box.value
                try server.start(
                    udpSocket: sockets.udp, listenerSocket: sockets.tcp,
                    forwardSocket: sockets.forward, recursor: recursor)
            }
        }
    }

    /// Replaces the catalog every loop answers from. Any thread; cheap (one reference per
    /// loop is swapped on that loop, answers in flight finish with the old view). Each
    /// loop's answer cache notices the new `generation` and empties itself.
    public func updateCatalog(_ view: DNSCatalogView) {
        latestCatalog.withLock { $0 = view }
        for server in loopServers.withLock({ $0 }) {
            let box = DNSLoopBox(server)
            server.loop.execute { box.value.catalog = view }
        }
    }

    /// Closes every socket and waits until each running loop has done so. Idempotent.
    public func stop() {
        precondition(!group.inAnyLoop, "DNSServer.stop() from one of its loops deadlocks")
        let servers = loopServers.withLock { servers in
            let taken = servers
            servers = []
            return taken
        }
        for server in servers where server.loop.isRunning {
            let box = DNSLoopBox(server)
            _ = try? server.loop.executeAndWait { () throws(Errno) in box.value.shutdown() }
        }
    }

    struct LoopSockets {
        let udp: Socket
        let tcp: Socket
        let forward: Socket?
    }

    /// Attempts at finding a port free for both UDP and TCP when port 0 is asked for: the
    /// kernel picks the UDP port, and that number may already be taken for TCP.
    static let ephemeralBindAttemptsMax = 16

    /// The first UDP socket takes the configured port (or gets one); every other socket
    /// binds that same port.
    private func bindSockets() throws(Errno) -> [LoopSockets] {
        var attempt = 1
        while true {
            do {
                let sockets = try bindSocketsOnce()
                return sockets
            } catch {
                let retry = configuration.listenAddress.port == 0
                    && error == .addressInUse && attempt < Self.ephemeralBindAttemptsMax
                guard retry else { throw error }
                attempt += 1
            }
        }
    }

    private func bindSocketsOnce() throws(Errno) -> [LoopSockets] {
        let limits = configuration.limits
        let first = try Socket.bindUDP(configuration.listenAddress, reusePort: true)
        let actual = try first.localAddress()
        var result: [LoopSockets] = []
        for index in group.loops.indices {
            let udp = index == 0 ? first : try Socket.bindUDP(actual, reusePort: true)
            try udp.setReceiveBufferBytes(limits.udpReceiveBufferBytes)
            let tcp = try Socket.listenTCP(actual, reusePort: true)
            var forward: Socket?
            if let recursor = configuration.recursor {
                forward = try Socket.bindUDP(Self.anyAddress(like: recursor), reusePort: false)
            }
            result.append(LoopSockets(udp: udp, tcp: tcp, forward: forward))
        }
        bound.withLock { $0 = actual }
        return result
    }

    /// The wildcard address of `address`'s family, port 0.
    private static func anyAddress(like address: SocketAddress) -> SocketAddress {
        switch address.family {
        case .ipv4: return .ipv4Any(port: 0)
        case .ipv6:
            guard let any = try? SocketAddress(host: "::", port: 0) else {
                preconditionFailure("\"::\" is a valid IPv6 address")
            }
            return any
        }
    }

    func reserveConnection() -> Bool {
        let previous = openConnections.wrappingAdd(1, ordering: .relaxed).oldValue
        if previous < configuration.limits.tcpConnectionsMax { return true }
        openConnections.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func releaseConnection() {
        openConnections.wrappingSubtract(1, ordering: .relaxed)
    }
}

/// Carries a loop-confined value to its own loop through `execute`.
struct DNSLoopBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
