import Platform

/// One outbound connection to one peer for one stream kind, owned by the transport's
/// loop. It dials, handshakes (in version 2 verifying the acceptor's proof and sending its
/// own), then writes frames taken from the peer's bounded queue, tagging each in version
/// 2; it never reads frames (inbound connections only receive). On any failure it drops
/// what it held, tells the driver the peer is unreachable, and redials after a backoff.
final class PeerOutboundStream: IOHandler {
    enum Phase: Equatable {
        /// No connection; a redial is scheduled (or the stream was just created).
        case waiting
        case connecting
        /// Handshake sent, waiting for the acceptor's reply.
        case awaitingReply
        case ready
        /// Removed or shut down: no more dials.
        case closed
    }

    let peerID: UInt64
    let stream: PeerStreamKind
    private unowned let owner: PeerLoop
    private(set) var address: SocketAddress
    private(set) var phase = Phase.waiting
    private var socket: Socket?
    private var interest: IOInterest = []
    private var registered = false
    private var reply: [UInt8] = []
    /// Version 2: the handshake bytes sent on this connection (header and Nd), for the
    /// proofs, which cover them.
    private var hello: [UInt8] = []
    /// Version 2, once the acceptor proved the secret: tags this connection's frames.
    private var authenticator: PeerFrameAuthenticator?
    private var phaseStartedNanoseconds: UInt64 = 0
    private var backoff: PeerBackoff
    /// Bumped per connection attempt so a stale redial timer does nothing.
    private var attempt: UInt64 = 0

    // Output: whole frames taken from the queue; `outputOffset` bytes of the first are sent.
    private var output: [[UInt8]] = []
    private var outputHead = 0
    private var outputOffset = 0
    private var lastWriteProgressNanoseconds: UInt64 = 0

    init(peerID: UInt64, stream: PeerStreamKind, address: SocketAddress, owner: PeerLoop) {
        self.peerID = peerID
        self.stream = stream
        self.address = address
        self.owner = owner
        backoff = PeerBackoff(
            minNanoseconds: owner.core.limits.reconnectBackoffMinNanoseconds,
            maxNanoseconds: owner.core.limits.reconnectBackoffMaxNanoseconds)
    }

    private var hasOutput: Bool { outputHead < output.count }

    /// Starts a connection attempt now.
    func dial() {
        guard phase == .waiting else { return }
        attempt &+= 1
        phaseStartedNanoseconds = owner.now()
        do {
            let (socket, _) = try PeerDialer.startConnect(address)
            self.socket = socket
            phase = .connecting
            // Writable reports the end of the connect, success or failure.
            try owner.loop.register(socket.fileDescriptor, interest: .writable, handler: self)
            interest = .writable
            registered = true
        } catch {
            fail(.socket(error))
        }
    }

    /// A new address (membership change or a restarted peer): reconnect there at once.
    func redirect(to newAddress: SocketAddress) {
        guard newAddress != address, phase != .closed else { return }
        address = newAddress
        disconnect()
        backoff.reset()
        phase = .waiting
        dial()
    }

    func handleIO(_ event: IOEvent) {
        switch phase {
        case .connecting: finishConnect()
        case .awaitingReply: readReply(event)
        case .ready:
            if event.readable || event.hangup || event.error { checkReadSide() }
            if phase == .ready && event.writable { flush() }
        case .waiting, .closed: break
        }
    }

    private func finishConnect() {
        guard let socket else { return }
        if let error = PeerDialer.pendingError(socket) {
            fail(.socket(error))
            return
        }
        try? socket.setNoDelay()
        // A fresh nonce per connection: what makes this connection's proofs and session key
        // its own (an old connection's bytes replayed here fail).
        let nonce = owner.core.secret == nil ? nil : PeerAuthentication.freshNonce()
        hello = PeerHandshake(
            stream: stream, clusterID: owner.core.clusterID, fromID: owner.core.localID,
            toID: peerID, nonce: nonce
        ).encode()
        guard writeWhole(hello) else { return }
        phase = .awaitingReply
        setInterest(.readable)
    }

    /// Writes handshake bytes in one call: a fresh connection's send buffer always has room
    /// for them (at most 64 bytes); anything short of a full write means the connection is
    /// already broken, and it is failed.
    private func writeWhole(_ bytes: [UInt8]) -> Bool {
        guard let socket else { return false }
        let written = bytes.withUnsafeBytes { buffer in Result { () throws(Errno) in
            try socket.write(buffer)
        } }
        guard case .success(.done(let count)) = written, count == bytes.count else {
            fail(.socket(.brokenPipe))
            return false
        }
        return true
    }

    private func readReply(_ event: IOEvent) {
        guard let socket else { return }
        // Never more than the longest reply: the acceptor sends nothing after it before our
        // confirmation, so this cannot swallow a late refusal.
        let replyBytesMax = owner.core.secret == nil
            ? PeerHandshakeReply.byteCount : PeerHandshakeReply.authenticatedByteCount
        var chunk = [UInt8](repeating: 0, count: replyBytesMax - reply.count)
        let outcome = chunk.withUnsafeMutableBytes { bytes in Result { () throws(Errno) in
            try socket.read(into: bytes)
        } }
        switch outcome {
        case .failure(let error): fail(.socket(error))
        case .success(.wouldBlock): return
        case .success(.done(0)): fail(.socket(.connectionReset))
        case .success(.done(let count)):
            reply.append(contentsOf: chunk[0..<count])
            decodeReply()
        }
    }

    private func decodeReply() {
        let step = reply.withUnsafeBytes { bytes in Result { () throws(PeerTransportError) in
            try PeerHandshakeReply.decode(bytes)
        } }
        switch step {
        case .failure(let error): fail(error)
        case .success(.needMoreBytes): return
        case .success(.complete(let decoded, _)):
            if let refusal = decoded.refusal {
                owner.core.recordRefusal(peer: peerID, refusal)
                fail(.refused(refusal))
                return
            }
            guard authenticate(decoded) else { return }
            phase = .ready
            reply = []
            backoff.reset()
            lastWriteProgressNanoseconds = owner.now()
            owner.core.updateStats(peer: peerID, stream: stream) { $0.isConnected = true }
            flush()
        }
    }

    /// Version 2: verifies the acceptor's proof MACa, then sends ours (MACd) and keys the
    /// frame tags. On a wrong proof it tells the acceptor why (so both ends log it) and
    /// closes without sending anything else: the acceptor may be an impostor. False when
    /// the connection was failed.
    private func authenticate(_ decoded: PeerHandshakeReply) -> Bool {
        guard let secret = owner.core.secret else {
            guard decoded.version == PeerHandshake.version else {
                fail(.unsupportedVersion(decoded.version))
                return false
            }
            return true
        }
        guard decoded.version == PeerHandshake.authenticatedVersion,
              let acceptorNonce = decoded.nonce, let proof = decoded.proof,
              let dialerNonce = hello.count == PeerHandshake.authenticatedByteCount
                ? Array(hello[PeerHandshake.byteCount...]) : nil
        else {
            fail(.authenticationDowngraded)
            return false
        }
        let expected = PeerAuthentication.acceptorProof(
            secret, hello: hello, acceptorNonce: acceptorNonce)
        guard HMACSHA256.constantTimeEquals(proof, expected) else {
            // Best effort, and not a second failure if it does not get through: the close
            // that follows tells the acceptor enough.
            let refusal = PeerHandshakeConfirmation(refusal: .authenticationFailed).encode()
            _ = refusal.withUnsafeBytes { bytes in Result { () throws(Errno) in
                try socket?.write(bytes)
            } }
            owner.core.updateStats(peer: peerID, stream: stream) { $0.authenticationFailures += 1 }
            fail(.authenticationFailed)
            return false
        }
        let proofOfOurs = PeerAuthentication.dialerProof(
            secret, hello: hello, acceptorNonce: acceptorNonce)
        let confirmation = PeerHandshakeConfirmation(refusal: nil, proof: proofOfOurs)
        guard writeWhole(confirmation.encode()) else { return false }
        authenticator = PeerAuthentication.session(
            secret, dialerNonce: dialerNonce, acceptorNonce: acceptorNonce)
        return true
    }

    /// The acceptor never writes after its reply, except a version 2 acceptor refusing our
    /// proof (8 bytes, then close): that refusal is recorded, other bytes are a protocol
    /// error, end of stream means it closed (restart, refusal, shutdown).
    private func checkReadSide() {
        guard let socket else { return }
        var chunk = [UInt8](repeating: 0, count: PeerHandshakeReply.byteCount - reply.count)
        let outcome = chunk.withUnsafeMutableBytes { bytes in Result { () throws(Errno) in
            try socket.read(into: bytes)
        } }
        switch outcome {
        case .failure(let error): fail(.socket(error))
        case .success(.wouldBlock): return
        case .success(.done(0)): fail(.socket(.connectionReset))
        case .success(.done(let count)):
            guard authenticator != nil else {
                fail(.unexpectedBytes)
                return
            }
            reply.append(contentsOf: chunk[0..<count])
            let step = reply.withUnsafeBytes { bytes in Result { () throws(PeerTransportError) in
                try PeerHandshakeReply.decode(bytes)
            } }
            switch step {
            case .success(.needMoreBytes): return
            case .success(.complete(let late, _)) where late.refusal != nil:
                if let refusal = late.refusal { owner.core.recordRefusal(peer: peerID, refusal) }
                fail(.refused(late.refusal ?? .authenticationFailed))
            case .success, .failure: fail(.unexpectedBytes)
            }
        }
    }

    /// Writes queued frames until the socket would block or the queue is empty.
    func flush() {
        guard phase == .ready, let socket else { return }
        var sent = 0
        while true {
            if !hasOutput {
                output = owner.core.takeFrames(
                    peer: peerID, stream: stream, byteBudget: owner.core.limits.writeBatchBytes)
                // Tagged in the order they will be written: the tag's sequence number is the
                // frame's position on this connection.
                if authenticator != nil {
                    for index in output.indices { authenticator?.seal(&output[index]) }
                }
                outputHead = 0
                outputOffset = 0
                if output.isEmpty { break }
            }
            let frame = output[outputHead]
            let outcome = frame.withUnsafeBytes { bytes in Result { () throws(Errno) in
                try socket.write(UnsafeRawBufferPointer(rebasing: bytes[outputOffset...]))
            } }
            guard case .success(let written) = outcome else {
                if case .failure(let error) = outcome { recordSent(sent); fail(.socket(error)) }
                return
            }
            guard case .done(let count) = written else { break }
            lastWriteProgressNanoseconds = owner.now()
            outputOffset += count
            if outputOffset == frame.count {
                output[outputHead] = []
                outputHead += 1
                outputOffset = 0
                sent += 1
            }
        }
        recordSent(sent)
        setInterest(hasOutput ? [.readable, .writable] : .readable)
    }

    private func recordSent(_ count: Int) {
        guard count > 0 else { return }
        owner.core.updateStats(peer: peerID, stream: stream) { $0.messagesSent += count }
    }

    /// Handshake and write-stall deadlines (called by the loop's sweep).
    func checkTimeouts(nowNanoseconds now: UInt64) {
        let limits = owner.core.limits
        switch phase {
        case .connecting, .awaitingReply:
            if now &- phaseStartedNanoseconds > limits.handshakeTimeoutNanoseconds {
                fail(.socket(.timedOut))
            }
        case .ready:
            let stalledNanoseconds = now &- lastWriteProgressNanoseconds
            if hasOutput, stalledNanoseconds > limits.writeStallTimeoutNanoseconds {
                fail(.socket(.timedOut))
            }
        case .waiting, .closed: break
        }
    }

    /// Closes the connection, drops what it held, reports the peer unreachable and
    /// schedules a redial.
    private func fail(_ error: PeerTransportError) {
        disconnect()
        owner.core.updateStats(peer: peerID, stream: stream) { $0.connectFailures += 1 }
        owner.core.onUnreachable?(peerID)
        phase = .waiting
        let delay = backoff.nextDelay(using: &owner.generator)
        let expected = attempt
        owner.loop.schedule(afterNanoseconds: delay) { [weak self] in
            guard let self, self.attempt == expected else { return }
            self.dial()
        }
        owner.log("peer \(peerID) \(stream) stream: \(error); redial in \(delay / 1_000_000) ms")
    }

    /// Stops for good (peer removed, transport stopped).
    func close() {
        disconnect()
        phase = .closed
        attempt &+= 1
    }

    private func disconnect() {
        if let socket {
            if registered { owner.loop.deregister(socket.fileDescriptor) }
            socket.close()
        }
        socket = nil
        registered = false
        interest = []
        reply = []
        hello = []
        authenticator = nil
        let dropped = output.count - outputHead
        output = []
        outputHead = 0
        outputOffset = 0
        let wasReady = phase == .ready
        owner.core.updateStats(peer: peerID, stream: stream) { stats in
            stats.messagesDropped += dropped
            if wasReady { stats.isConnected = false }
        }
    }

    private func setInterest(_ wanted: IOInterest) {
        guard let socket, wanted != interest else { return }
        do {
            try owner.loop.modify(socket.fileDescriptor, interest: wanted)
            interest = wanted
        } catch {
            fail(.socket(error))
        }
    }
}
