import Platform

/// The loop's UDP socket: receive a datagram, answer it, send the answer; no allocation
/// beyond the answer itself and no lock.
final class DNSUDPEndpoint: IOHandler {
    let socket: Socket
    unowned let owner: DNSLoopServer
    /// Large enough for any datagram, so a big EDNS query is never cut by the kernel.
    private let buffer: UnsafeMutableRawBufferPointer
    /// The answer being sent: our largest UDP response.
    private let reply: UnsafeMutableRawBufferPointer

    init(socket: Socket, owner: DNSLoopServer) {
        self.socket = socket
        self.owner = owner
        buffer = .allocate(byteCount: Socket.datagramBytesMax, alignment: 8)
        reply = .allocate(byteCount: owner.answerer.outputBytesMin(.udp), alignment: 8)
    }

    deinit {
        buffer.deallocate()
        reply.deallocate()
    }

    func handleIO(_ event: IOEvent) {
        for _ in 0..<owner.limits.datagramsPerWakeMax {
            guard !socket.isClosed else { return }
            let outcome: IOOutcome<(Int, SocketAddress)>
            do {
                outcome = try socket.receive(into: buffer)
            } catch {
                return  // a pending socket error: nothing to answer, try on the next event
            }
            guard case .done(let (count, sender)) = outcome else { return }
            let query = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            switch owner.answer(query, transport: .udp, into: reply) {
            case .answer(let count):
                _ = try? socket.send(
                    UnsafeRawBufferPointer(
                        UnsafeMutableRawBufferPointer(rebasing: reply[..<count])), to: sender)
            case .forward:
                owner.forwarder?.forward(Array(query), replyTo: .udp(sender))
            case .drop:
                continue
            }
        }
    }

    /// UDP is best effort: a full send buffer or an unreachable client loses the reply,
    /// and the client retries (RFC 1035 §4.2.1).
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
