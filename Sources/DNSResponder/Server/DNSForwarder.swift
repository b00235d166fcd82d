import Platform

/// Relays queries for other domains to the recursor over UDP (consul.md §9.5) and the
/// answers back. Each forwarded query gets a fresh upstream ID so clients' IDs cannot
/// collide; the pending table is bounded and entries expire to SERVFAIL.
final class DNSForwarder: IOHandler {
    enum ReplyPath {
        case udp(SocketAddress)
        case tcp(DNSTCPConnection)
    }

    struct Pending {
        let clientID: UInt16
        let query: [UInt8]
        let replyPath: ReplyPath
        let deadlineNanoseconds: UInt64
    }

    let socket: Socket
    let recursor: SocketAddress
    unowned let owner: DNSLoopServer
    private var pending: [UInt16: Pending] = [:]
    private let buffer: UnsafeMutableRawBufferPointer

    init(socket: Socket, recursor: SocketAddress, owner: DNSLoopServer) {
        self.socket = socket
        self.recursor = recursor
        self.owner = owner
        buffer = .allocate(byteCount: Socket.datagramBytesMax, alignment: 8)
    }

    deinit {
        buffer.deallocate()
    }

    var pendingCount: Int { pending.count }

    /// Sends `query` upstream with a new ID; SERVFAIL at once when the table is full or
    /// the send fails.
    func forward(_ query: [UInt8], replyTo path: ReplyPath) {
        guard query.count >= DNSHeader.byteCount, !socket.isClosed else { return }
        guard pending.count < owner.limits.forwardsPendingMax else {
            fail(query, path: path)
            return
        }
        var upstreamID = UInt16.random(in: 0...UInt16.max, using: &owner.random)
        while pending[upstreamID] != nil { upstreamID &+= 1 }
        var rewritten = query
        rewritten[0] = UInt8(upstreamID >> 8)
        rewritten[1] = UInt8(upstreamID & 0xFF)
        let sent = rewritten.withUnsafeBytes { try? socket.send($0, to: recursor) }
        guard case .done? = sent else {
            fail(query, path: path)
            return
        }
        pending[upstreamID] = Pending(
            clientID: UInt16(query[0]) << 8 | UInt16(query[1]), query: query, replyPath: path,
            deadlineNanoseconds: owner.clock.nowNanoseconds()
                &+ owner.limits.recursorTimeoutNanoseconds)
    }

    /// Replies from the recursor: only from its address, only for IDs we sent.
    func handleIO(_ event: IOEvent) {
        for _ in 0..<owner.limits.datagramsPerWakeMax {
            guard !socket.isClosed else { return }
            guard case .done(let (count, sender))? = try? socket.receive(into: buffer) else {
                return
            }
            guard sender == recursor, count >= DNSHeader.byteCount else { continue }
            let upstreamID = UInt16(buffer[0]) << 8 | UInt16(buffer[1])
            guard let entry = pending.removeValue(forKey: upstreamID) else { continue }
            var reply = Array(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            reply[0] = UInt8(entry.clientID >> 8)
            reply[1] = UInt8(entry.clientID & 0xFF)
            deliver(reply, path: entry.replyPath)
        }
    }

    /// SERVFAIL for every forward older than the recursor timeout.
    func expire(now: UInt64) {
        let expired = pending.filter { $0.value.deadlineNanoseconds <= now }
        for (upstreamID, entry) in expired {
            pending[upstreamID] = nil
            fail(entry.query, path: entry.replyPath)
        }
    }

    private func fail(_ query: [UInt8], path: ReplyPath) {
        guard let reply = owner.answerer.failureResponse(to: query, code: .serverFailure) else {
            return
        }
        deliver(reply, path: path)
    }

    private func deliver(_ reply: [UInt8], path: ReplyPath) {
        switch path {
        case .udp(let client): owner.sendUDP(reply, to: client)
        case .tcp(let connection): connection.deliver(reply)
        }
    }

    func close() {
        guard !socket.isClosed else { return }
        owner.loop.deregister(socket.fileDescriptor)
        socket.close()
        pending.removeAll()
    }
}
