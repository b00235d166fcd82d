import Platform

/// The loop's UDP socket: each wake receives the waiting queries with one recvmmsg(2),
/// answers each into its own reply buffer and sends the answers with one sendmmsg(2), to
/// the addresses as the kernel gave them. No allocation and no lock per query.
final class DNSUDPEndpoint: IOHandler {
    let socket: Socket
    unowned let owner: DNSLoopServer
    /// `datagramsPerWakeMax` slots of `udpQueryBytesMax` bytes in, our largest UDP
    /// answer out.
    private let batch: DatagramBatch

    init(socket: Socket, owner: DNSLoopServer) {
        self.socket = socket
        self.owner = owner
        batch = DatagramBatch(
            capacity: owner.limits.datagramsPerWakeMax,
            datagramBytesMax: owner.limits.udpQueryBytesMax,
            replyBytesMax: owner.answerer.outputBytesMin(.udp))
    }

    func handleIO(_ event: IOEvent) {
        guard !socket.isClosed else { return }
        let received: Int
        do {
            guard case .done(let count) = try socket.receive(into: batch) else { return }
            received = count
        } catch {
            return  // a pending socket error: nothing to answer, try on the next event
        }
        for index in 0..<received {
            let query = batch.datagram(index)
            let output = batch.replyBuffer(index)
            let reply =
                batch.isCut(index)
                ? owner.answerer.respond(toCutQuery: query, into: output)
                : owner.answer(query, transport: .udp, into: output)
            switch reply {
            case .answer(let count):
                batch.queueReply(to: index, byteCount: count)
            case .forward:
                guard let sender = batch.sender(index) else { continue }
                owner.forwarder?.forward(Array(query), replyTo: .udp(sender))
            case .drop:
                continue
            }
        }
        socket.sendReplies(of: batch)
    }

    /// One reply outside a batch (from the recursor, or its SERVFAIL). UDP is best
    /// effort: a full send buffer or an unreachable client loses it, and the client
    /// retries (RFC 1035 §4.2.1).
    func send(_ bytes: [UInt8], to address: SocketAddress) {
        guard !socket.isClosed else { return }
        _ = bytes.withUnsafeBytes { try? socket.send($0, to: address) }
    }

    func close() {
        guard !socket.isClosed else { return }
        owner.loop.deregister(socket.fileDescriptor)
        socket.close()
    }
}
