import Foundation
import Platform
import Synchronization

/// A TCP proxy in front of one member's peer port: every other member dials it instead of the
/// member. It reads the 32-byte transport handshake to learn which member is dialing, then
/// forwards bytes both ways while `FaultRules` allow it, cutting the connection as soon as its
/// link is blocked or a drop is drawn.
final class FaultProxy: @unchecked Sendable {
    /// Connections one proxy carries at once: a cluster of up to 7 members opens a few per
    /// peer; more means a reconnect storm, which the proxy refuses rather than spawning threads.
    static let connectionsMax = 64
    /// Bytes read and forwarded per step: one poll cycle's worth, bounding proxy memory to
    /// `connectionsMax * chunkBytesMax`.
    static let chunkBytesMax = 64 * 1024
    /// How often blocked links and `stop()` are noticed: a cut takes effect within this.
    static let pollIntervalMilliseconds: Int32 = 20
    /// A dialer that does not finish its handshake in this time is dropped.
    static let handshakeTimeoutMilliseconds = 2_000
    /// `PeerHandshake.byteCount`: "RSTP", version, stream, reserved, cluster, from, to.
    static let handshakeBytes = 32

    let port: UInt16
    let target: SocketAddress
    let rules: FaultRules
    private let listener: Socket
    private let stopping = Atomic<Bool>(false)
    /// Threads running: the accept loop plus one per connection.
    private let running = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)

    init(target: SocketAddress, rules: FaultRules) throws {
        self.target = target
        self.rules = rules
        listener = try Socket.listenTCP(SocketAddress.parse("127.0.0.1:0"), reusePort: false)
        port = try listener.localAddress().port
        running.add(1, ordering: .acquiringAndReleasing)
        Thread.detachNewThread { [self] in
            acceptLoop()
            running.subtract(1, ordering: .acquiringAndReleasing)
        }
    }

    /// Stops accepting, closes every connection and waits (bounded) for the threads to end.
    func stop() {
        stopping.store(true, ordering: .releasing)
        let deadline = Date().addingTimeInterval(5)
        while running.load(ordering: .acquiring) > 0, Date() < deadline { usleep(5_000) }
        listener.close()
    }

    deinit { stop() }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func acceptLoop() {
        var poller = pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while !isStopping {
            guard poll(&poller, 1, Self.pollIntervalMilliseconds) > 0 else { continue }
            guard case .done(let socket)? = try? listener.accept() else { continue }
            guard connections.load(ordering: .acquiring) < Self.connectionsMax else {
                socket.close()
                continue
            }
            connections.add(1, ordering: .acquiringAndReleasing)
            running.add(1, ordering: .acquiringAndReleasing)
            Thread.detachNewThread { [self] in
                serve(socket)
                socket.close()
                connections.subtract(1, ordering: .acquiringAndReleasing)
                running.subtract(1, ordering: .acquiringAndReleasing)
            }
        }
    }

    private func serve(_ dialer: Socket) {
        guard (try? dialer.setBlocking(true)) != nil,
            (try? dialer.setReceiveTimeout(milliseconds: Self.handshakeTimeoutMilliseconds))
                != nil,
            let handshake = readHandshake(dialer), let link = FaultProxy.link(in: handshake),
            !rules.isBlocked(link),
            let upstream = try? Socket.connectTCP(target, timeoutMilliseconds: 1_000)
        else { return }
        defer { upstream.close() }
        guard (try? upstream.setSendTimeout(milliseconds: 2_000)) != nil,
            (try? dialer.setSendTimeout(milliseconds: 2_000)) != nil,
            (try? handshake.withUnsafeBytes { try upstream.writeAll($0) }) != nil
        else { return }
        pump(dialer, upstream, link: link)
    }

    private func readHandshake(_ socket: Socket) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: Self.handshakeBytes)
        var filled = 0
        while filled < bytes.count {
            let outcome = bytes.withUnsafeMutableBytes { buffer in
                try? socket.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            guard case .done(let count)? = outcome, count > 0 else { return nil }
            filled += count
        }
        return bytes
    }

    /// The (from, to) member IDs of a handshake, nil when it is not one.
    static func link(in handshake: [UInt8]) -> FaultLink? {
        guard handshake.count == handshakeBytes, Array(handshake[0..<4]) == Array("RSTP".utf8)
        else { return nil }
        func load(_ offset: Int) -> UInt64 {
            handshake[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        return FaultLink(from: load(16), to: load(24))
    }

    /// Forwards both ways until either side closes, the link is blocked, a drop is drawn or
    /// the proxy stops.
    private func pump(_ dialer: Socket, _ upstream: Socket, link: FaultLink) {
        var pollers = [
            pollfd(fd: dialer.fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: upstream.fileDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytesMax)
        while !isStopping, !rules.isBlocked(link) {
            let ready = poll(&pollers, 2, Self.pollIntervalMilliseconds)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            for (index, poller) in pollers.enumerated() where poller.revents != 0 {
                let (source, sink) = index == 0 ? (dialer, upstream) : (upstream, dialer)
                guard forward(from: source, to: sink, buffer: &buffer, link: link) else { return }
            }
        }
    }

    private func forward(
        from source: Socket, to sink: Socket, buffer: inout [UInt8], link: FaultLink
    ) -> Bool {
        let outcome = buffer.withUnsafeMutableBytes { try? source.read(into: $0) }
        guard case .done(let count)? = outcome, count > 0 else { return false }
        guard !rules.shouldDrop() else { return false }
        let latency = rules.latencyMilliseconds
        if latency > 0 { usleep(UInt32(latency) * 1_000) }
        guard !rules.isBlocked(link) else { return false }
        return (try? buffer.withUnsafeBytes {
            try sink.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
        }) != nil
    }
}
