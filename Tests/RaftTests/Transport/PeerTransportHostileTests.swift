import Platform
import Testing

@testable import Raft

/// Raw sockets playing a broken or hostile peer against a real transport.
@Suite("PeerTransport: hostile and broken peers are cut off")
struct PeerTransportHostileTests {
    static func connect(_ transport: PeerTransport) throws -> Socket {
        let socket = try Socket.connectTCP(transport.boundAddress, timeoutMilliseconds: 2000)
        try socket.setReceiveTimeout(milliseconds: 10_000)
        return socket
    }

    static func write(_ socket: Socket, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try socket.writeAll($0) }
    }

    /// Reads until end of stream (true) or the receive timeout (false).
    static func readsEndOfStream(_ socket: Socket) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let outcome = buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(Errno) in try socket.read(into: bytes) }
            }
            switch outcome {
            case .success(.done(0)): return true
            case .success(.done): continue
            case .success(.wouldBlock): return false
            case .failure(let error): return error == .connectionReset
            }
        }
    }

    static func validHandshake(to transport: PeerTransport) -> [UInt8] {
        PeerHandshake(stream: .control, clusterID: transport.clusterID, fromID: 7,
                      toID: transport.localID).encode()
    }

    @Test("garbage instead of a handshake closes the connection and the transport lives on")
    func garbage() throws {
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, inbox: inbox)
        defer { b.stop() }
        let socket = try Self.connect(b)
        try Self.write(socket, Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(Self.readsEndOfStream(socket))
        #expect(eventually { b.stats.inboundProtocolErrors == 1 })
        // Still serving real peers.
        let a = try TransportFixture.transport(id: 1, inbox: MessageInbox())
        defer { a.stop() }
        a.setPeer(2, address: b.boundAddress)
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 4)])
        #expect(eventually { inbox.count == 1 })
    }

    @Test("random bytes after a valid handshake close the connection, deliver nothing, never trap")
    func garbageFrames() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var generator = Raft.SeededGenerator(seed: seed)
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, inbox: inbox)
        defer { b.stop() }
        for round in 0..<5 {
            let socket = try Self.connect(b)
            // Small length prefixes so the payloads reach Message.decode.
            var junk: [UInt8] = [0, 0, 0, 40]
            junk += (0..<40).map { _ in UInt8.random(in: 0...255, using: &generator) }
            junk[4] = 9  // Not the codec's version byte: a certain decode failure.
            try Self.write(socket, Self.validHandshake(to: b) + junk)
            #expect(Self.readsEndOfStream(socket), "seed \(seed) round \(round)")
        }
        #expect(eventually { b.stats.inboundProtocolErrors == 5 })
        #expect(inbox.count == 0)
    }

    @Test("a frame header announcing frameBytesMax + 1 closes the connection at once")
    func oversizedFrame() throws {
        var limits = TransportFixture.fastLimits
        limits.frameBytesMax = 1000
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, limits: limits, inbox: inbox)
        defer { b.stop() }
        let socket = try Self.connect(b)
        let valid = PeerFrame.encode(
            payload: TransportFixture.heartbeat(from: 7, to: 2, commit: 1).encode())
        try Self.write(socket, Self.validHandshake(to: b) + valid + [0, 0, 0x03, 0xE9])
        #expect(Self.readsEndOfStream(socket))
        #expect(eventually { b.stats.inboundProtocolErrors == 1 })
        #expect(inbox.all.map(\.commit) == [1])
    }

    @Test("a message whose from differs from its handshake closes the connection")
    func misaddressed() throws {
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, inbox: inbox)
        defer { b.stop() }
        let socket = try Self.connect(b)
        let forged = PeerFrame.encode(
            payload: TransportFixture.heartbeat(from: 8, to: 2, commit: 1).encode())
        try Self.write(socket, Self.validHandshake(to: b) + forged)
        #expect(Self.readsEndOfStream(socket))
        #expect(inbox.count == 0)
    }

    @Test("a peer that sends nothing, or half a handshake, is dropped after the handshake timeout")
    func handshakeTimeout() throws {
        let b = try TransportFixture.transport(id: 2, inbox: MessageInbox())
        defer { b.stop() }
        let silent = try Self.connect(b)
        let partial = try Self.connect(b)
        try Self.write(partial, Array(Self.validHandshake(to: b).prefix(31)))
        #expect(Self.readsEndOfStream(silent))
        #expect(Self.readsEndOfStream(partial))
        #expect(eventually { b.stats.inboundHandshakeTimeouts == 2 })
        // The timeout is counted before the connection closes and leaves the open count.
        #expect(eventually { b.stats.inboundConnections == 0 })
    }

    @Test("connections beyond inboundConnectionsMax are closed at accept")
    func inboundLimit() throws {
        var limits = TransportFixture.fastLimits
        limits.inboundConnectionsMax = 2
        limits.handshakeTimeoutNanoseconds = 10_000_000_000
        let b = try TransportFixture.transport(id: 2, limits: limits, inbox: MessageInbox())
        defer { b.stop() }
        let held = try (0..<2).map { _ in try Self.connect(b) }
        #expect(eventually { b.stats.inboundConnections == 2 })
        let third = try Self.connect(b)
        #expect(Self.readsEndOfStream(third))
        #expect(b.stats.inboundOverLimit == 1)
        #expect(b.stats.inboundConnections == 2)
        _ = held
    }
}
