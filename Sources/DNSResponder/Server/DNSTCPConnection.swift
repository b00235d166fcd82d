import Platform

/// One DNS-over-TCP client (RFC 7766): length-prefixed queries, several per connection
/// and pipelined; answers are written in the order they are ready (forwarded ones may
/// overtake or trail, matched by ID as §6.2.1.1 allows).
final class DNSTCPConnection: IOHandler {
    let socket: Socket
    unowned let owner: DNSLoopServer
    private var inbound = ByteQueue()
    private var outbound = ByteQueue()
    private var interest: IOInterest = .readable
    private var peerClosed = false
    private(set) var isClosed = false
    /// Last read or write progress (monotonic ns), for the idle and stall timeout.
    private(set) var lastActivity: UInt64

    init(socket: Socket, owner: DNSLoopServer, now: UInt64) {
        self.socket = socket
        self.owner = owner
        self.lastActivity = now
    }

    func handleIO(_ event: IOEvent) {
        if event.writable { flush() }
        if event.readable && !isClosed { readAvailable() }
        if (event.hangup || event.error) && !isClosed && !event.readable { close() }
    }

    /// Bounded reads per wake; inbound never holds more than one chunk beyond a frame.
    private func readAvailable() {
        for _ in 0..<4 where !isClosed && !peerClosed {
            guard inbound.count < DNSTCPFrameDecoder.frameBytesMax else { break }
            let read: Int?
            do {
                read = try socket.read(appendingTo: &inbound, scratch: &owner.tcpScratch)
            } catch {
                close()
                return
            }
            guard let count = read else { break }
            if count == 0 {
                peerClosed = true
                break
            }
            lastActivity = owner.clock.nowNanoseconds()
            if count < owner.tcpScratch.count { break }
        }
        processFrames()
    }

    /// Answers whole frames while the reply backlog is under its high-water mark,
    /// writing between batches; leaves the rest for when the client reads.
    private func processFrames() {
        while !isClosed {
            while outbound.count < owner.limits.tcpOutboundBytesHighWater {
                let step = inbound.withUnsafeBytes { DNSTCPFrameDecoder.decode($0) }
                guard case .complete(let query, let consumed) = step else { break }
                inbound.removeFirst(consumed)
                answer(query)
            }
            writeOut()
            if outbound.count >= owner.limits.tcpOutboundBytesHighWater || !hasWholeFrame {
                break
            }
        }
        finishIO()
    }

    /// Answers one query: the reply is written behind its 2-byte length prefix
    /// (RFC 1035 §4.2.2) in the loop's reply buffer and queued in one piece.
    private func answer(_ query: [UInt8]) {
        let framed = owner.tcpReplyBuffer
        let reply = query.withUnsafeBytes {
            owner.answer(
                $0, transport: .tcp, into: UnsafeMutableRawBufferPointer(rebasing: framed[2...]))
        }
        switch reply {
        case .answer(let count):
            framed.storeBytes(of: UInt16(count).bigEndian, toByteOffset: 0, as: UInt16.self)
            let frame = UnsafeMutableRawBufferPointer(rebasing: framed[..<(2 + count)])
            outbound.append(UnsafeRawBufferPointer(frame))
        case .forward: owner.forwarder?.forward(query, replyTo: .tcp(self))
        case .drop: break
        }
    }

    /// A reply that came back from the recursor.
    func deliver(_ reply: [UInt8]) {
        guard !isClosed, reply.count <= DNSLimits.messageBytesMax else { return }
        outbound.append(DNSTCPFrameDecoder.frame(reply))
        writeOut()
        finishIO()
    }

    /// The socket became writable: send, then answer frames held back by the backlog.
    private func flush() {
        writeOut()
        if outbound.count < owner.limits.tcpOutboundBytesHighWater && hasWholeFrame {
            processFrames()
        } else {
            finishIO()
        }
    }

    private func writeOut() {
        while !outbound.isEmpty && !isClosed {
            let outcome: IOOutcome<Int>
            do {
                outcome = try outbound.withUnsafeBytes { (bytes) throws(Errno) in
                    try socket.write(bytes)
                }
            } catch {
                close()
                return
            }
            guard case .done(let written) = outcome else { break }
            outbound.removeFirst(written)
            lastActivity = owner.clock.nowNanoseconds()
        }
    }

    /// Closes after the last reply to a client that closed its side; else updates what
    /// the loop watches for.
    private func finishIO() {
        guard !isClosed else { return }
        if peerClosed && outbound.isEmpty {
            close()
            return
        }
        updateInterest()
    }

    private var hasWholeFrame: Bool {
        inbound.withUnsafeBytes { DNSTCPFrameDecoder.hasWholeFrame($0) }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: IOInterest = []
        if !outbound.isEmpty { wanted.insert(.writable) }
        if !peerClosed && outbound.count < owner.limits.tcpOutboundBytesHighWater
            && inbound.count < DNSTCPFrameDecoder.frameBytesMax
        {
            wanted.insert(.readable)
        }
        guard wanted != interest else { return }
        interest = wanted
        do {
            try owner.loop.modify(socket.fileDescriptor, interest: wanted)
        } catch {
            close()
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        owner.loop.deregister(socket.fileDescriptor)
        socket.close()
        owner.connectionClosed(self)
    }
}
