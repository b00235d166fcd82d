import Platform

/// One accepted connection, owned by the transport's loop. It reads the handshake, judges
/// it (cluster id, target id, sender id, version), answers, and then only receives
/// frames, decoding each into a `Message` for `onMessage`. Any protocol error closes it.
final class PeerInboundConnection: IOHandler {
    private unowned let owner: PeerLoop
    let socket: Socket
    let acceptedNanoseconds: UInt64
    /// Set once the handshake is accepted.
    private(set) var handshake: PeerHandshake?
    private var buffer = ByteQueue()
    private let decoder: PeerFrameDecoder
    private var isClosed = false

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

    /// Consumes whatever whole handshake and frames are buffered.
    private func process() throws(PeerTransportError) {
        if handshake == nil {
            let step = try buffer.withUnsafeBytes { bytes throws(PeerTransportError) in
                try PeerHandshake.decode(bytes)
            }
            guard case .complete(let decoded, let consumed) = step else { return }
            buffer.removeFirst(consumed)
            try judge(decoded)
        }
        guard let handshake else { return }
        var delivered = 0
        defer {
            if delivered > 0 {
                owner.core.updateTotals { $0.messagesReceived += delivered }
            }
        }
        while true {
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

    /// Accepts or refuses the dialer, answering either way so it can log why.
    private func judge(_ candidate: PeerHandshake) throws(PeerTransportError) {
        let core = owner.core
        var refusal: PeerRefusal?
        if candidate.clusterID != core.clusterID {
            refusal = .clusterMismatch
        } else if candidate.toID != core.localID {
            refusal = .wrongTarget
        } else if candidate.fromID == 0 || candidate.fromID == core.localID {
            refusal = .badSender
        }
        let answer = PeerHandshakeReply(refusal: refusal).encode()
        // A fresh connection's send buffer always has room for the 8-byte reply.
        let written = answer.withUnsafeBytes { bytes in
            Result { () throws(Errno) in try socket.write(bytes) }
        }
        if let refusal {
            core.updateTotals { $0.inboundRefused[refusal, default: 0] += 1 }
            owner.log("refused peer connection from member \(candidate.fromID): \(refusal)")
            close()
            return
        }
        guard case .success(.done(let count)) = written, count == answer.count else {
            throw .socket(.brokenPipe)
        }
        handshake = candidate
        core.updateTotals { $0.inboundAccepted += 1 }
        owner.inboundAccepted(self, key: PeerLoop.InboundKey(
            peerID: candidate.fromID, stream: candidate.stream))
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
        let answer = PeerHandshakeReply(refusal: refusal).encode()
        _ = answer.withUnsafeBytes { bytes in
            Result { () throws(Errno) in try socket.write(bytes) }
        }
        owner.core.updateTotals { $0.inboundRefused[refusal, default: 0] += 1 }
        return true
    }

    /// Closes after a protocol error; a refused handshake counts as a refusal, anything
    /// else (garbage, oversized frames, bad messages) as a protocol error.
    private func protocolError(_ error: PeerTransportError) {
        if handshake != nil || !answerRefusal(for: error) {
            owner.core.updateTotals { $0.inboundProtocolErrors += 1 }
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
