import Platform
import Testing

@testable import Raft

/// Real transports, and raw sockets playing a dialer or an acceptor that knows (or does
/// not know) the secret, over loopback: protocol version 2 (`PeerHandshake`).
@Suite("PeerTransport: peer links authenticated with a shared secret")
struct PeerTransportAuthenticationTests {
    static let secretX = secret(0x58)
    static let secretY = secret(0x59)

    static func secret(_ byte: UInt8) -> PeerSecret? {
        try? PeerSecret(bytes: [UInt8](repeating: byte, count: 32))
    }

    @Test("two members with the same secret exchange messages both ways, in order (version 2)")
    func sameSecret() throws {
        let (a, inboxA, b, inboxB) = try TransportFixture.pair(
            secretA: Self.secretX, secretB: Self.secretX)
        defer { a.stop(); b.stop() }
        let heartbeats = (0..<300).map { TransportFixture.heartbeat(from: 1, to: 2, commit: $0) }
        let chunk = TransportFixture.snapshotChunk(from: 1, to: 2, offset: 0, bytes: 1 << 20)
        a.send(heartbeats + [chunk])
        b.send([Message(kind: .heartbeatResponse, from: 2, to: 1, term: 1)])
        #expect(eventually { inboxB.count == 301 && inboxA.count == 1 })
        #expect(inboxB.all.filter { $0.kind == .heartbeat } == heartbeats)
        #expect(inboxB.all.filter { $0.kind == .snapshot } == [chunk])
        #expect(eventually { b.stats.inboundAccepted == 2 && a.stats.inboundAccepted >= 1 })
        #expect(a.stats.peers[2]?.control.authenticationFailures == 0)
        #expect(b.stats.inboundAuthenticationFailures == 0 && b.stats.inboundBadFrameTags == 0)
    }

    @Test("members with different secrets refuse each other, both ends count it, nothing flows")
    func differentSecrets() throws {
        let (a, inboxA, b, inboxB) = try TransportFixture.pair(
            secretA: Self.secretX, secretB: Self.secretY)
        defer { a.stop(); b.stop() }
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 1)])
        b.send([TransportFixture.heartbeat(from: 2, to: 1, commit: 1)])
        // Each dialer finds the acceptor's proof wrong and says so; each acceptor hears it.
        #expect(eventually { (a.stats.peers[2]?.control.authenticationFailures ?? 0) >= 1 })
        #expect(eventually { (b.stats.peers[1]?.control.authenticationFailures ?? 0) >= 1 })
        #expect(eventually { b.stats.inboundAuthenticationFailures >= 1 })
        #expect(eventually { a.stats.inboundAuthenticationFailures >= 1 })
        #expect(a.stats.inboundAccepted == 0 && b.stats.inboundAccepted == 0)
        #expect(a.stats.peers[2]?.isConnected == false)
        #expect(inboxA.count == 0 && inboxB.count == 0)
    }

    @Test("a member without a secret is refused by one with it, and the reverse, reason logged")
    func secretOnOneSideOnly() throws {
        let (a, inboxA, b, inboxB) = try TransportFixture.pair(secretA: nil, secretB: Self.secretX)
        defer { a.stop(); b.stop() }
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 1)])
        b.send([TransportFixture.heartbeat(from: 2, to: 1, commit: 1)])
        #expect(eventually { (b.stats.inboundRefused[.authenticationRequired] ?? 0) >= 1 })
        #expect(eventually { a.stats.peers[2]?.lastRefusal == .authenticationRequired })
        #expect(eventually { (a.stats.inboundRefused[.authenticationNotConfigured] ?? 0) >= 1 })
        #expect(eventually { b.stats.peers[1]?.lastRefusal == .authenticationNotConfigured })
        #expect(a.stats.inboundAccepted == 0 && b.stats.inboundAccepted == 0)
        #expect(inboxA.count == 0 && inboxB.count == 0)
    }

    @Test("a frame whose tag has one bit flipped is rejected before decoding; connection closed")
    func flippedTag() throws {
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, secret: Self.secretX, inbox: inbox)
        defer { b.stop() }
        var dialer = try RawDialer(to: b, secret: try #require(Self.secretX))
        try dialer.confirm()
        try dialer.send(dialer.seal(TransportFixture.heartbeat(from: 7, to: 2, commit: 1)))
        var forged = dialer.seal(TransportFixture.heartbeat(from: 7, to: 2, commit: 2))
        forged[forged.count - 1] ^= 0x01
        try dialer.send(forged)
        #expect(PeerTransportHostileTests.readsEndOfStream(dialer.socket))
        #expect(eventually { b.stats.inboundBadFrameTags == 1 })
        #expect(b.stats.inboundProtocolErrors == 1)
        #expect(inbox.all.map(\.commit) == [1])
    }

    @Test("a frame replayed on a new connection (same bytes) is rejected: its tag was for another")
    func replayedFrame() throws {
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, secret: Self.secretX, inbox: inbox)
        defer { b.stop() }
        let secret = try #require(Self.secretX)
        var first = try RawDialer(to: b, secret: secret)
        try first.confirm()
        let recorded = first.seal(TransportFixture.heartbeat(from: 7, to: 2, commit: 5))
        try first.send(recorded)
        #expect(eventually { inbox.count == 1 })
        // An eavesdropper who recorded it opens its own connection; the secret gets it past
        // the handshake here, so only the frame tag stands between it and a second delivery.
        let second = try RawDialer(to: b, secret: secret, stream: .bulk)
        try second.confirm()
        try second.send(recorded)
        #expect(PeerTransportHostileTests.readsEndOfStream(second.socket))
        #expect(eventually { b.stats.inboundBadFrameTags == 1 })
        #expect(inbox.all.map(\.commit) == [5])
    }

    @Test("no frame is taken before the dialer's proof, and a wrong proof gets a late refusal")
    func proofBeforeFrames() throws {
        let inbox = MessageInbox()
        let b = try TransportFixture.transport(id: 2, secret: Self.secretX, inbox: inbox)
        defer { b.stop() }
        let secret = try #require(Self.secretX)
        // A frame in place of the confirmation: not even looked at as a message.
        let skipping = try RawDialer(to: b, secret: secret)
        try skipping.send(PeerFrame.encode(
            payload: TransportFixture.heartbeat(from: 7, to: 2, commit: 1).encode()))
        #expect(PeerTransportHostileTests.readsEndOfStream(skipping.socket))
        // A wrong MACd: "RSTP" 2 authenticationFailed, then close.
        let wrong = try RawDialer(to: b, secret: secret, stream: .bulk)
        var badProof = PeerHandshakeConfirmation(
            refusal: nil, proof: [UInt8](repeating: 0, count: 32)).encode()
        badProof += PeerFrame.encode(
            payload: TransportFixture.heartbeat(from: 7, to: 2, commit: 2).encode())
        try wrong.send(badProof)
        #expect(try wrong.read(8) == PeerHandshakeReply(
            version: 2, refusal: .authenticationFailed).encode())
        #expect(eventually { b.stats.inboundRefused[.authenticationFailed] == 1 })
        #expect(b.stats.inboundAuthenticationFailures == 1)
        #expect(b.stats.inboundAccepted == 0)
        #expect(inbox.count == 0)
    }

    @Test("an impostor acceptor without the secret gets no frame: the dialer checks MACa first")
    func impostorAcceptor() throws {
        let a = try TransportFixture.transport(id: 1, secret: Self.secretX, inbox: MessageInbox())
        defer { a.stop() }
        let impostor = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        defer { impostor.close() }
        a.setPeer(9, address: try impostor.localAddress())
        a.send([TransportFixture.heartbeat(from: 1, to: 9, commit: 1)])
        var accepted: Socket?
        #expect(eventually {
            if case .done(let socket)? = try? impostor.accept() { accepted = socket }
            return accepted != nil
        })
        let connection = try #require(accepted)
        try connection.setBlocking(true)
        try connection.setReceiveTimeout(milliseconds: 10_000)
        let hello = try RawDialer.read(connection, PeerHandshake.authenticatedByteCount)
        #expect(Array(hello[0..<5]) == PeerHandshake.magic + [2])
        let guess = PeerHandshakeReply(
            version: 2, refusal: nil, nonce: [UInt8](repeating: 1, count: 32),
            proof: [UInt8](repeating: 2, count: 32))
        try guess.encode().withUnsafeBytes { try connection.writeAll($0) }
        // All the impostor ever gets: the dialer's refusal of its proof, then the close.
        #expect(try RawDialer.read(connection, 8)
                == PeerHandshakeConfirmation(refusal: .authenticationFailed).encode())
        #expect(PeerTransportHostileTests.readsEndOfStream(connection))
        #expect(eventually { (a.stats.peers[9]?.control.authenticationFailures ?? 0) >= 1 })
    }
}

/// A raw socket playing an authenticated dialer, step by step.
struct RawDialer {
    let socket: Socket
    let hello: [UInt8]
    let reply: PeerHandshakeReply
    let secret: PeerSecret
    var session: PeerFrameAuthenticator

    /// Sends the hello (with a fresh nonce) and reads the 72-byte reply, whose proof it
    /// checks as the real dialer does.
    init(
        to transport: PeerTransport, secret: PeerSecret, stream: PeerStreamKind = .control
    ) throws {
        self.secret = secret
        socket = try PeerTransportHostileTests.connect(transport)
        let nonce = PeerAuthentication.freshNonce()
        hello = PeerHandshake(
            stream: stream, clusterID: transport.clusterID, fromID: 7, toID: transport.localID,
            nonce: nonce
        ).encode()
        try PeerTransportHostileTests.write(socket, hello)
        let bytes = try Self.read(socket, PeerHandshakeReply.authenticatedByteCount)
        guard case .complete(let reply, _) = try Wire.reply(bytes),
            let acceptorNonce = reply.nonce
        else { throw PeerTransportError.unexpectedBytes }
        #expect(reply.proof == PeerAuthentication.acceptorProof(
            secret, hello: hello, acceptorNonce: acceptorNonce))
        self.reply = reply
        session = PeerAuthentication.session(
            secret, dialerNonce: nonce, acceptorNonce: acceptorNonce)
    }

    func confirm() throws {
        let proof = PeerAuthentication.dialerProof(
            secret, hello: hello, acceptorNonce: reply.nonce ?? [])
        try send(PeerHandshakeConfirmation(refusal: nil, proof: proof).encode())
    }

    mutating func seal(_ message: Message) -> [UInt8] {
        var frame = PeerFrame.encode(payload: message.encode())
        session.seal(&frame)
        return frame
    }

    func send(_ bytes: [UInt8]) throws {
        try PeerTransportHostileTests.write(socket, bytes)
    }

    func read(_ count: Int) throws -> [UInt8] {
        try Self.read(socket, count)
    }

    /// Exactly `count` bytes, or throws on end of stream or timeout.
    static func read(_ socket: Socket, _ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let outcome = try bytes.withUnsafeMutableBytes { buffer in
                try socket.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            guard case .done(let got) = outcome, got > 0 else {
                throw PeerTransportError.socket(.connectionReset)
            }
            filled += got
        }
        return bytes
    }
}
