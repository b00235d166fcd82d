import Platform

/// One outbound connection to one peer for one stream kind, owned by the transport's
/// loop. It dials, handshakes, then writes frames taken from the peer's bounded queue;
/// it never reads frames (inbound connections only receive). On any failure it drops
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
        let handshake = PeerHandshake(
            stream: stream, clusterID: owner.core.clusterID, fromID: owner.core.localID,
            toID: peerID
        ).encode()
        // A fresh connection's send buffer always has room for 32 bytes; anything short of
        // a full write means the connection is already broken.
        let written = handshake.withUnsafeBytes { bytes in Result { () throws(Errno) in
            try socket.write(bytes)
        } }
        guard case .success(.done(let count)) = written, count == handshake.count else {
            fail(.socket(.brokenPipe))
            return
        }
        phase = .awaitingReply
        setInterest(.readable)
    }

    private func readReply(_ event: IOEvent) {
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
            phase = .ready
            reply = []
            backoff.reset()
            lastWriteProgressNanoseconds = owner.now()
            owner.core.updateStats(peer: peerID, stream: stream) { $0.isConnected = true }
            flush()
        }
    }

    /// The acceptor never writes after its reply: bytes are a protocol error, end of
    /// stream means it closed (restart, refusal, shutdown).
    private func checkReadSide() {
        guard let socket else { return }
        var byte: UInt8 = 0
        let outcome = withUnsafeMutableBytes(of: &byte) { bytes in Result { () throws(Errno) in
            try socket.read(into: bytes)
        } }
        switch outcome {
        case .failure(let error): fail(.socket(error))
        case .success(.wouldBlock): return
        case .success(.done(0)): fail(.socket(.connectionReset))
        case .success(.done(_)): fail(.unexpectedBytes)
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
