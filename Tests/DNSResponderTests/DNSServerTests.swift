import DNSResponder
import Platform
import Testing

/// The server on real loopback sockets (ephemeral ports), two event loops.
@Suite("DNS server over UDP and TCP", .serialized)
struct DNSServerTests {
    static let receiveTimeoutMilliseconds = 5000

    private func withServer(
        recursor: SocketAddress? = nil, limits: DNSServerLimits = DNSServerLimits(),
        _ body: (DNSServer) throws -> Void
    ) throws {
        let group = try EventLoopGroup(loopCount: 2, namePrefix: "dns-test")
        let configuration = DNSServerConfiguration(
            listenAddress: .ipv4Loopback(port: 0), recursor: recursor, limits: limits,
            randomSeed: 1)
        let server = DNSServer(configuration: configuration, group: group, catalog: fixtureCatalog)
        try server.start()
        defer {
            server.stop()
            group.shutdown()
        }
        try body(server)
    }

    private func udpClient() throws -> Socket {
        let socket = try Socket.bindUDP(.ipv4Loopback(port: 0), reusePort: false)
        try socket.setBlocking(true)
        try socket.setReceiveTimeout(milliseconds: Self.receiveTimeoutMilliseconds)
        return socket
    }

    private func receive(_ socket: Socket) throws -> (bytes: [UInt8], from: SocketAddress)? {
        var buffer = [UInt8](repeating: 0, count: Socket.datagramBytesMax)
        let outcome = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
        guard case .done(let (count, sender)) = outcome else { return nil }
        return (Array(buffer[..<count]), sender)
    }

    private func exchangeUDP(_ query: [UInt8], with server: DNSServer) throws -> DNSMessage {
        let client = try udpClient()
        let address = try #require(server.boundAddress)
        _ = try query.withUnsafeBytes { try client.send($0, to: address) }
        let reply = try #require(try receive(client), "no UDP reply")
        return try DNSMessage(decoding: reply.bytes)
    }

    /// Reads `count` framed replies from a blocking TCP socket.
    private func readFrames(_ socket: Socket, count: Int) throws -> [[UInt8]] {
        var pending: [UInt8] = []
        var frames: [[UInt8]] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while frames.count < count {
            let outcome = try chunk.withUnsafeMutableBytes { try socket.read(into: $0) }
            guard case .done(let read) = outcome, read > 0 else { break }
            pending += chunk[..<read]
            while case .complete(let frame, let consumed) =
                pending.withUnsafeBytes({ DNSTCPFrameDecoder.decode($0) })
            {
                pending.removeFirst(consumed)
                frames.append(frame)
            }
        }
        return frames
    }

    private func connectTCP(_ server: DNSServer) throws -> Socket {
        let address = try #require(server.boundAddress)
        let socket = try Socket.connectTCP(address, timeoutMilliseconds: 5000)
        try socket.setReceiveTimeout(milliseconds: Self.receiveTimeoutMilliseconds)
        return socket
    }

    /// True if the server closed `socket` (end of stream) within the receive timeout.
    private func isClosedByPeer(_ socket: Socket) throws -> Bool {
        var byte = [UInt8](repeating: 0, count: 1)
        do {
            let outcome = try byte.withUnsafeMutableBytes { try socket.read(into: $0) }
            return outcome == .done(0)
        } catch let error as Errno {
            return error == .connectionReset
        }
    }

    @Test("UDP: a query is answered, garbage is survived, and big answers are truncated with TC")
    func udp() throws {
        try withServer { server in
            let client = try udpClient()
            let address = try #require(server.boundAddress)
            for garbage: [UInt8] in [[1, 2, 3], [UInt8](repeating: 0xC0, count: 40)] {
                _ = try garbage.withUnsafeBytes { try client.send($0, to: address) }
            }
            let reply = try exchangeUDP(makeQuery("web.service.roost", .a, id: 77), with: server)
            #expect(reply.header.id == 77 && reply.addresses == ["10.0.0.1", "192.0.2.10"])
            server.updateCatalog(bigCatalog(count: 100))
            let deadline = MonotonicClock().nowNanoseconds() + 5_000_000_000
            var big = try exchangeUDP(makeQuery("big.service.roost", .a), with: server)
            while big.responseCode != .noError && MonotonicClock().nowNanoseconds() < deadline {
                Sleep.nanoseconds(10_000_000)
                big = try exchangeUDP(makeQuery("big.service.roost", .a), with: server)
            }
            #expect(big.header.isTruncated && big.answers.count == 29)
        }
    }

    @Test("UDP: a burst of 200 queries from 4 clients is answered whole, each to its sender")
    func udpBurst() throws {
        try withServer { server in
            let address = try #require(server.boundAddress)
            let clients = try (0..<4).map { _ in try udpClient() }
            for round in 0..<50 {
                for (index, client) in clients.enumerated() {
                    let query = makeQuery(
                        "web.service.roost", .srv, id: UInt16(index * 1000 + round))
                    _ = try query.withUnsafeBytes { try client.send($0, to: address) }
                }
            }
            for (index, client) in clients.enumerated() {
                var ids = Set<UInt16>()
                for _ in 0..<50 {
                    let reply = try #require(try receive(client), "client \(index): no reply")
                    let message = try DNSMessage(decoding: reply.bytes)
                    #expect(message.answers.count == 2 && message.additionals.count == 2)
                    ids.insert(message.header.id)
                }
                #expect(ids == Set((0..<50).map { UInt16(index * 1000 + $0) }))
            }
        }
    }

    @Test("UDP: a query of udpQueryBytesMax bytes is answered; one byte more gets FORMERR")
    func udpQueryLimit() throws {
        let limit = DNSServerLimits().udpQueryBytesMax
        func paddedQuery(bytes: Int, id: UInt16) -> [UInt8] {
            let unpadded = makeQuery(
                "web.service.roost", .a, id: id,
                edns: DNSEDNS(
                    udpPayloadBytes: 1232, options: [DNSEDNSOption(code: 12, data: [])])
            ).count
            let padding = [UInt8](repeating: 0, count: bytes - unpadded)
            return makeQuery(
                "web.service.roost", .a, id: id,
                edns: DNSEDNS(
                    udpPayloadBytes: 1232, options: [DNSEDNSOption(code: 12, data: padding)]))
        }
        try withServer { server in
            let atLimit = paddedQuery(bytes: limit, id: 1)
            #expect(atLimit.count == limit)
            let answered = try exchangeUDP(atLimit, with: server)
            #expect(answered.responseCode == .noError && answered.answers.count == 2)
            let over = paddedQuery(bytes: limit + 1, id: 2)
            let refused = try exchangeUDP(over, with: server)
            #expect(refused.responseCode == .formatError && refused.header.id == 2)
            #expect(refused.questions.isEmpty && refused.answers.isEmpty)
        }
    }

    @Test("TCP: pipelined queries on one connection, FORMERR for a bad frame (RFC 7766 §6.2.1)")
    func tcpPipelining() throws {
        try withServer { server in
            let socket = try connectTCP(server)
            var malformed = Wire.header(id: 5)
            malformed.raw([0xC0, 12, 0, 1, 0, 1])  // a self-pointing question name
            let queries = [
                makeQuery("web.service.roost", .srv, id: 1), malformed.bytes,
                makeQuery("roost", .soa, id: 3),
            ]
            var stream: [UInt8] = DNSTCPFrameDecoder.frame([1, 2, 3])  // no header: dropped
            for query in queries { stream += DNSTCPFrameDecoder.frame(query) }
            try stream.withUnsafeBytes { try socket.writeAll($0) }
            let replies = try readFrames(socket, count: 3).map { try DNSMessage(decoding: $0) }
            #expect(replies.map(\.header.id) == [1, 5, 3])
            #expect(replies.map(\.responseCode) == [.noError, .formatError, .noError])
            #expect(replies.first?.additionals.count == 2)
            let more = DNSTCPFrameDecoder.frame(makeQuery("alpha.node.roost", .a, id: 4))
            try more.withUnsafeBytes { try socket.writeAll($0) }
            let last = try readFrames(socket, count: 1).map { try DNSMessage(decoding: $0) }
            #expect(last.first?.addresses == ["10.0.0.1"])
        }
    }

    @Test("TCP: an idle connection is closed, and connections past the limit are refused")
    func tcpLimits() throws {
        var limits = DNSServerLimits()
        limits.tcpConnectionsMax = 1
        limits.tcpIdleTimeoutNanoseconds = 300_000_000
        limits.sweepIntervalNanoseconds = 50_000_000
        try withServer(limits: limits) { server in
            let first = try connectTCP(server)
            let query = DNSTCPFrameDecoder.frame(makeQuery("web.service.roost", .a))
            try query.withUnsafeBytes { try first.writeAll($0) }
            #expect(try readFrames(first, count: 1).count == 1)
            let second = try connectTCP(server)
            #expect(try isClosedByPeer(second))
            #expect(try isClosedByPeer(first))  // idle for 300 ms
            // The count drops just after the close the client saw.
            let deadline = MonotonicClock().nowNanoseconds() + 5_000_000_000
            while server.tcpConnectionCount > 0 && MonotonicClock().nowNanoseconds() < deadline {
                Sleep.nanoseconds(1_000_000)
            }
            #expect(server.tcpConnectionCount == 0)
        }
    }

    @Test("other domains go to the recursor and its answer comes back with the client's ID")
    func recursor() throws {
        let upstream = try udpClient()
        let upstreamAddress = try upstream.localAddress()
        var limits = DNSServerLimits()
        limits.recursorTimeoutNanoseconds = 200_000_000
        limits.sweepIntervalNanoseconds = 50_000_000
        try withServer(recursor: upstreamAddress, limits: limits) { server in
            let client = try udpClient()
            let address = try #require(server.boundAddress)
            let query = makeQuery("example.com", .a, id: 0x0A0B)
            _ = try query.withUnsafeBytes { try client.send($0, to: address) }
            let forwarded = try #require(try receive(upstream), "nothing forwarded")
            let asked = try DNSMessage(decoding: forwarded.bytes)
            #expect(asked.questions == (try DNSMessage(decoding: query)).questions)
            var answer = asked
            answer.header.isResponse = true
            answer.answers = [
                DNSRecord(
                    name: asked.questions[0].name, ttlSeconds: 60,
                    data: .a(DNSIPv4Address(93, 184, 216, 34)))
            ]
            let answerBytes = answer.encode().bytes
            _ = try answerBytes.withUnsafeBytes { try upstream.send($0, to: forwarded.from) }
            let reply = try DNSMessage(decoding: try #require(try receive(client)).bytes)
            #expect(reply.header.id == 0x0A0B && reply.addresses == ["93.184.216.34"])

            // No answer from the recursor: SERVFAIL after the timeout.
            _ = try query.withUnsafeBytes { try client.send($0, to: address) }
            _ = try receive(upstream)
            let failed = try DNSMessage(decoding: try #require(try receive(client)).bytes)
            #expect(failed.responseCode == .serverFailure && failed.header.id == 0x0A0B)
        }
    }

    @Test("past forwardsPendingMax a forward gets SERVFAIL at once, not after the timeout")
    func forwardsPendingLimit() throws {
        let upstream = try udpClient()
        var limits = DNSServerLimits()
        limits.forwardsPendingMax = 1
        limits.recursorTimeoutNanoseconds = 30 * 1_000_000_000
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "dns-test")
        let server = DNSServer(
            configuration: DNSServerConfiguration(
                listenAddress: .ipv4Loopback(port: 0), recursor: try upstream.localAddress(),
                limits: limits),
            group: group)
        try server.start()
        defer {
            server.stop()
            group.shutdown()
        }
        let client = try udpClient()
        let address = try #require(server.boundAddress)
        for id: UInt16 in [1, 2] {
            let query = makeQuery("example.com", .a, id: id)
            _ = try query.withUnsafeBytes { try client.send($0, to: address) }
        }
        #expect(try receive(upstream) != nil)  // the first is pending upstream
        let reply = try DNSMessage(decoding: try #require(try receive(client)).bytes)
        #expect(reply.header.id == 2 && reply.responseCode == .serverFailure)
    }
}
