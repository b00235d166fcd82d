import Platform

/// One accepted connection, owned by the transport's loop. It reads the handshake, judges
/// it (cluster id, target id, sender id, version, secret), answers, in version 2 waits for
/// the dialer's proof, and then only receives frames, decoding each into a `Message` for
/// `onMessage` (after checking its tag in version 2). Any protocol error closes it.
final class PeerInboundConnection: IOHandler {
    private unowned let owner: PeerLoop
    let socket: Socket
    let acceptedNanoseconds: UInt64
    /// Set once the handshake is accepted (in version 2, once the dialer's proof verified).
    private(set) var handshake: PeerHandshake?
    /// Version 2, between this member's reply and the dialer's confirmation.
    private var pending: PendingProof?
    private var buffer = ByteQueue()
    private var decoder: PeerFrameDecoder
    private var isClosed = false

    /// What the acceptor keeps between its reply and the dialer's confirmation.
    private struct PendingProof {
        var handshake: PeerHandshake
        /// MACd, as the dialer must send it.
        var expectedProof: [UInt8]
        /// Frame tags of this connection, keyed with Ks.
        var session: PeerFrameAuthenticator
    }

    init(socket: Socket, owner: PeerLoop, nowNanoseconds: UInt64) {
        self.socket = socket
        self.owner = owner
        acceptedNanoseconds = nowNanoseconds
        decoder = PeerFrameDecoder(frameBytesMax: owner.core.limits.frameBytesMax)
    }

    func handleIO(_ event: IOEvent) {
        guard !isClosed else { return }
        let limits = owner.core.limits
        for _ in 0..<limits.readsPerEventMax {
            let outcome = owner.scratch.withUnsafeMutableBytes { bytes in
                Result { () throws(Errno) in try socket.read(into: bytes) }
            }
            switch outcome {
            case .failure:
                close()
                return
            case .success(.wouldBlock):
                return
            case .success(.done(0)):
                close()  // End of stream: the dialer went away; it will redial.
                return
            case .success(.done(let count)):
                owner.scratch.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(
                    rebasing: $0[0..<count])) }
                do {
                    try process()
                } catch {
                    protocolError(error)
                    return
                }
                if isClosed { return }
            }
        }
    }

    /// Consumes whatever whole handshake, confirmation and frames are buffered.
    private func process() throws(PeerTransportError) {
        if handshake == nil {
            if pending == nil {
                let step = try buffer.withUnsafeBytes { bytes throws(PeerTransportError) in
                    try PeerHandshake.decode(bytes)
                }
                guard case .complete(let decoded, let consumed) = step else { return }
                buffer.removeFirst(consumed)
                try judge(decoded)
            }
            if pending != nil { try confirm() }
        }
        guard let handshake, !isClosed else { return }
        var delivered = 0
        defer {
            if delivered > 0 {
                owner.core.updateTotals { $0.messagesReceived += delivered }
            }
        }
        while true {
            // The tag (version 2) is checked inside decode, before Message.decode sees a byte.
            let step = try buffer.withUnsafeBytes { bytes throws(PeerTransportError) in
                try decoder.decode(bytes)
            }
            guard case .complete(let payload, let consumed) = step else { return }
            buffer.removeFirst(consumed)
            let message: Message
            do {
                message = try Message.decode(payload)
            } catch {
                throw .malformedMessage(error)
            }
            guard message.from == handshake.fromID, message.to == owner.core.localID else {
                throw .misaddressedMessage(from: message.from, to: message.to)
            }
            delivered += 1
            owner.core.onMessage(message)
        }
    }

    /// Accepts or refuses the dialer, answering either way so it can log why. In version 2
    /// acceptance is provisional: the reply carries this member's proof, and the dialer's
    /// must follow (`confirm`) before any frame is taken.
    private func judge(_ candidate: PeerHandshake) throws(PeerTransportError) {
        let core = owner.core
        if let refusal = refusal(of: candidate) {
            // A refusal is answered in the dialer's own version, which it can always read.
            let answer = PeerHandshakeReply(version: candidate.version, refusal: refusal)
            writeBestEffort(answer.encode())
            core.updateTotals { $0.inboundRefused[refusal, default: 0] += 1 }
            owner.log("refused peer connection from member \(candidate.fromID): \(refusal)")
            close()
            return
        }
        guard let secret = core.secret, let dialerNonce = candidate.nonce else {
            try reply(PeerHandshakeReply(version: PeerHandshake.version).encode())
            accept(candidate)
            return
        }
        let hello = candidate.encode()
        let nonce = PeerAuthentication.freshNonce()
        let proof = PeerAuthentication.acceptorProof(secret, hello: hello, acceptorNonce: nonce)
        try reply(PeerHandshakeReply(
            version: PeerHandshake.authenticatedVersion, refusal: nil, nonce: nonce, proof: proof
        ).encode())
        let expectedProof = PeerAuthentication.dialerProof(
            secret, hello: hello, acceptorNonce: nonce)
        pending = PendingProof(
            handshake: candidate, expectedProof: expectedProof,
            session: PeerAuthentication.session(
                secret, dialerNonce: dialerNonce, acceptorNonce: nonce))
    }

    /// Why `candidate` is refused, nil if it is not.
    private func refusal(of candidate: PeerHandshake) -> PeerRefusal? {
        let core = owner.core
        if candidate.clusterID != core.clusterID { return .clusterMismatch }
        if candidate.toID != core.localID { return .wrongTarget }
        if candidate.fromID == 0 || candidate.fromID == core.localID { return .badSender }
        // Both ends must agree on authentication: a dialer without the secret must not get
        // in, and one with it must learn at once that this member would not check its MACs.
        if core.secret != nil && candidate.nonce == nil { return .authenticationRequired }
        if core.secret == nil && candidate.nonce != nil { return .authenticationNotConfigured }
        return nil
    }

    /// Version 2: the dialer's proof MACd, or its refusal of this member's proof.
    private func confirm() throws(PeerTransportError) {
        guard let pending else { return }
        let step = try buffer.withUnsafeBytes { bytes throws(PeerTransportError) in
            try PeerHandshakeConfirmation.decode(bytes)
        }
        guard case .complete(let confirmation, let consumed) = step else { return }
        buffer.removeFirst(consumed)
        let core = owner.core
        let from = pending.handshake.fromID
        guard let proof = confirmation.proof else {
            core.updateTotals { $0.inboundAuthenticationFailures += 1 }
            let reason = confirmation.refusal.map { "\($0)" } ?? "refused"
            owner.log("member \(from) could not verify this member's proof of the peer secret "
                      + "(\(reason)): the secrets differ")
            close()
            return
        }
        guard HMACSHA256.constantTimeEquals(proof, pending.expectedProof) else {
            // A late refusal, same bytes as a version 2 refusal reply, so the dialer logs why.
            writeBestEffort(PeerHandshakeConfirmation(refusal: .authenticationFailed).encode())
            core.updateTotals {
                $0.inboundRefused[.authenticationFailed, default: 0] += 1
                $0.inboundAuthenticationFailures += 1
            }
            owner.log("refused peer connection from member \(from): "
                      + "\(PeerRefusal.authenticationFailed)")
            close()
            return
        }
        self.pending = nil
        decoder.authenticator = pending.session
        accept(pending.handshake)
    }

    private func accept(_ candidate: PeerHandshake) {
        handshake = candidate
        owner.core.updateTotals { $0.inboundAccepted += 1 }
        owner.inboundAccepted(self, key: PeerLoop.InboundKey(
            peerID: candidate.fromID, stream: candidate.stream))
    }

    /// Writes a handshake answer whole: a fresh connection's send buffer always has room
    /// for it (at most 72 bytes), so anything short means the connection is broken.
    private func reply(_ answer: [UInt8]) throws(PeerTransportError) {
        let written = answer.withUnsafeBytes { bytes in
            Result { () throws(Errno) in try socket.write(bytes) }
        }
        guard case .success(.done(let count)) = written, count == answer.count else {
            throw .socket(.brokenPipe)
        }
    }

    /// Writes a refusal about to be followed by a close: if it does not get through, the
    /// dialer sees the close and redials, which is all a refusal can make it do anyway.
    private func writeBestEffort(_ answer: [UInt8]) {
        _ = answer.withUnsafeBytes { bytes in
            Result { () throws(Errno) in try socket.write(bytes) }
        }
    }

    /// A refusal reason for a handshake the decoder rejected, so the dialer learns why.
    /// Returns false when the bytes are not worth an answer.
    private func answerRefusal(for error: PeerTransportError) -> Bool {
        let refusal: PeerRefusal
        switch error {
        case .unsupportedVersion, .badReservedBytes: refusal = .unsupportedVersion
        case .badStreamKind: refusal = .badStreamKind
        default: return false  // Not a Roost peer (bad magic): just close.
        }
        writeBestEffort(PeerHandshakeReply(refusal: refusal).encode())
        owner.core.updateTotals { $0.inboundRefused[refusal, default: 0] += 1 }
        return true
    }

    /// Closes after a protocol error; a refused handshake counts as a refusal, anything
    /// else (garbage, oversized frames, bad tags, bad messages) as a protocol error.
    private func protocolError(_ error: PeerTransportError) {
        let awaitingHandshake = handshake == nil && pending == nil
        if !awaitingHandshake || !answerRefusal(for: error) {
            owner.core.updateTotals {
                $0.inboundProtocolErrors += 1
                if error == .badFrameTag { $0.inboundBadFrameTags += 1 }
            }
        }
        owner.log("closing peer connection: \(error)")
        close()
    }

    /// Handshake deadline (called by the loop's sweep).
    func checkTimeout(nowNanoseconds now: UInt64) {
        guard !isClosed, handshake == nil,
              now &- acceptedNanoseconds > owner.core.limits.handshakeTimeoutNanoseconds
        else { return }
        owner.core.updateTotals {
            $0.inboundHandshakeTimeouts += 1
            $0.inboundProtocolErrors += 1
        }
        owner.log("closing peer connection: no handshake within the timeout")
        close()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        owner.loop.deregister(socket.fileDescriptor)
        socket.close()
        owner.inboundClosed(self)
    }
}
