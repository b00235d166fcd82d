import Platform
import Testing

/// recvmmsg/sendmmsg through `DatagramBatch`, on loopback.
@Suite("Datagram batches (recvmmsg/sendmmsg)", .serialized)
struct DatagramBatchTests {
    private func socket(blocking: Bool) throws -> Socket {
        let socket = try Socket.bindUDP(.ipv4Loopback(port: 0), reusePort: false)
        if blocking {
            try socket.setBlocking(true)
            try socket.setReceiveTimeout(milliseconds: 5000)
        }
        return socket
    }

    private func send(_ bytes: [UInt8], from client: Socket, to address: SocketAddress) throws {
        _ = try bytes.withUnsafeBytes { try client.send($0, to: address) }
    }

    /// Receives until `count` datagrams are in the batch or a receive finds none waiting
    /// (loopback delivery is synchronous, so everything sent is already queued).
    private func receiveAll(_ server: Socket, into batch: DatagramBatch) throws -> Int {
        guard case .done(let count) = try server.receive(into: batch) else { return 0 }
        return count
    }

    @Test("one receive takes every waiting datagram up to capacity; the rest wait for the next")
    func capacity() throws {
        let server = try socket(blocking: false)
        let address = try server.localAddress()
        let client = try socket(blocking: true)
        let batch = DatagramBatch(capacity: 4, datagramBytesMax: 64, replyBytesMax: 64)
        #expect(try server.receive(into: batch) == .wouldBlock)
        for index: UInt8 in 0..<5 { try send([index, index], from: client, to: address) }
        #expect(try receiveAll(server, into: batch) == 4)
        #expect((0..<4).map { Array(batch.datagram($0)) } == [[0, 0], [1, 1], [2, 2], [3, 3]])
        #expect(try batch.sender(0) == client.localAddress())
        #expect(try receiveAll(server, into: batch) == 1)
        #expect(Array(batch.datagram(0)) == [4, 4])
        #expect(try server.receive(into: batch) == .wouldBlock)
    }

    @Test("a datagram of datagramBytesMax bytes is whole; one byte more is cut and flagged")
    func cutAtLimit() throws {
        let server = try socket(blocking: false)
        let address = try server.localAddress()
        let client = try socket(blocking: true)
        let batch = DatagramBatch(capacity: 2, datagramBytesMax: 100, replyBytesMax: 8)
        try send([UInt8](repeating: 7, count: 100), from: client, to: address)
        try send([UInt8](repeating: 8, count: 101), from: client, to: address)
        #expect(try receiveAll(server, into: batch) == 2)
        #expect(batch.datagram(0).count == 100 && !batch.isCut(0))
        #expect(batch.datagram(1).count == 100 && batch.isCut(1))
    }

    @Test("replies go back to each sender with one sendmmsg, skipping the unanswered")
    func replies() throws {
        let server = try socket(blocking: false)
        let address = try server.localAddress()
        let clients = try (0..<3).map { _ in try socket(blocking: true) }
        let batch = DatagramBatch(capacity: 8, datagramBytesMax: 16, replyBytesMax: 16)
        for (index, client) in clients.enumerated() {
            try send([UInt8(index)], from: client, to: address)
        }
        #expect(try receiveAll(server, into: batch) == 3)
        for index in [0, 2] {
            let reply = batch.replyBuffer(index)
            for offset in 0..<3 { reply[offset] = batch.datagram(index)[0] &+ 100 }
            batch.queueReply(to: index, byteCount: 3)
        }
        #expect(batch.queuedCount == 2)
        #expect(server.sendReplies(of: batch) == 2)
        #expect(batch.queuedCount == 0)
        for index in [0, 2] {
            var buffer = [UInt8](repeating: 0, count: 16)
            let outcome = try buffer.withUnsafeMutableBytes { try clients[index].receive(into: $0) }
            guard case .done(let (count, sender)) = outcome else {
                Issue.record("client \(index) got no reply")
                continue
            }
            #expect(Array(buffer[..<count]) == [UInt8](repeating: UInt8(index) + 100, count: 3))
            #expect(sender == address)
        }
        try clients[1].setReceiveTimeout(milliseconds: 100)
        var buffer = [UInt8](repeating: 0, count: 16)
        let nothing = try buffer.withUnsafeMutableBytes { try clients[1].receive(into: $0) }
        guard case .wouldBlock = nothing else {
            Issue.record("client 1 got a reply it was never sent")
            return
        }
    }

    /// Containers often have no ::1; the IPv6 test needs one.
    static let hasIPv6Loopback: Bool = {
        guard let address = try? SocketAddress(host: "::1", port: 0) else { return false }
        return (try? Socket.bindUDP(address, reusePort: false)) != nil
    }()

    @Test("IPv6 senders are answered at their address too", .enabled(if: hasIPv6Loopback))
    func ipv6() throws {
        let loopback6 = try SocketAddress(host: "::1", port: 0)
        let server = try Socket.bindUDP(loopback6, reusePort: false)
        let client = try Socket.bindUDP(loopback6, reusePort: false)
        try client.setBlocking(true)
        try client.setReceiveTimeout(milliseconds: 5000)
        let batch = DatagramBatch(capacity: 2, datagramBytesMax: 16, replyBytesMax: 16)
        try send([42], from: client, to: try server.localAddress())
        #expect(try receiveAll(server, into: batch) == 1)
        #expect(try batch.sender(0) == client.localAddress())
        batch.replyBuffer(0)[0] = 43
        batch.queueReply(to: 0, byteCount: 1)
        #expect(server.sendReplies(of: batch) == 1)
        var buffer = [UInt8](repeating: 0, count: 4)
        let outcome = try buffer.withUnsafeMutableBytes { try client.receive(into: $0) }
        guard case .done(let (count, sender)) = outcome else {
            Issue.record("no reply over IPv6")
            return
        }
        let serverAddress = try server.localAddress()
        #expect(count == 1 && buffer[0] == 43 && sender == serverAddress)
    }
}
