import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Echoes every byte back; queues what the kernel does not take and waits for writability.
private final class EchoConnection: IOHandler {
    let loop: EventLoop
    let socket: Socket
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(loop: EventLoop, socket: Socket) {
        self.loop = loop
        self.socket = socket
    }

    func handleIO(_ event: IOEvent) {
        do {
            if event.writable { try flush() }
            if event.readable || event.hangup, pending.isEmpty { try readOnce() }
        } catch {
            finish()
        }
    }

    private func readOnce() throws {
        let outcome = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
        guard case .done(let count) = outcome else { return }
        guard count > 0 else { return finish() }
        pending.append(contentsOf: buffer[0..<count])
        try flush()
    }

    private func flush() throws {
        while !pending.isEmpty {
            let outcome = try pending.withUnsafeBytes { try socket.write($0) }
            guard case .done(let count) = outcome else { break }
            pending.removeFirst(count)
        }
        // Stop reading while output is queued: backpressure on a slow reader.
        try loop.modify(socket.fileDescriptor,
                        interest: pending.isEmpty ? .readable : .writable)
    }

    private func finish() {
        loop.deregister(socket.fileDescriptor)
        socket.close()
    }
}

private final class EchoListener: IOHandler {
    let loop: EventLoop
    let listener: Socket

    init(loop: EventLoop, listener: Socket) {
        self.loop = loop
        self.listener = listener
    }

    func handleIO(_ event: IOEvent) {
        while case .done(let socket)? = try? listener.accept() {
            let connection = EchoConnection(loop: loop, socket: socket)
            do {
                try loop.register(socket.fileDescriptor, interest: .readable, handler: connection)
            } catch {
                Issue.record("register failed: \(error)")
            }
        }
    }
}

/// Reads exactly `count` bytes from a blocking client socket (receive timeout set).
private func readExactly(_ socket: Socket, _ count: Int) throws -> [UInt8] {
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while received.count < count {
        let outcome = try chunk.withUnsafeMutableBytes { try socket.read(into: $0) }
        guard case .done(let read) = outcome, read > 0 else { break }
        received += chunk[0..<read]
    }
    return received
}

private func startEchoServer(_ loop: EventLoop) throws -> SocketAddress {
    let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
    let address = try listener.localAddress()
    try loop.executeAndWait { () throws(Errno) in
        try loop.register(listener.fileDescriptor, interest: .readable,
                          handler: EchoListener(loop: loop, listener: listener))
    }
    return address
}

@Suite("Socket")
struct SocketTests {
    @Test("a listener bound to port 0 reports the port the kernel chose")
    func ephemeralPort() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: true)
        let address = try listener.localAddress()
        #expect(address.port != 0)
        #expect(address.host == "127.0.0.1")
    }

    @Test("accept with no pending connection would block instead of failing")
    func acceptWouldBlock() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        guard case .wouldBlock = try listener.accept() else {
            Issue.record("expected wouldBlock")
            return
        }
    }

    @Test("every socket is opened close-on-exec (no descriptor leaks into children)")
    func closeOnExec() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let client = try Socket.connectTCP(listener.localAddress(), timeoutMilliseconds: 5_000)
        let udp = try Socket.bindUDP(.ipv4Loopback(port: 0), reusePort: false)
        for socket in [listener, client, udp] {
            #expect(fcntl(socket.fileDescriptor, F_GETFD) & FD_CLOEXEC != 0)
        }
    }

    @Test("bytes sent to a loopback listener come back through an event loop echo handler")
    func echoThroughEventLoop() throws {
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "echo")
        defer { group.shutdown() }
        let address = try startEchoServer(group.next())
        let client = try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        try client.setReceiveTimeout(milliseconds: 10_000)
        let message = Array("hello, roost".utf8)
        try message.withUnsafeBytes { try client.writeAll($0) }
        #expect(try readExactly(client, message.count) == message)
        try client.shutdownWrite()
        var byte: UInt8 = 0
        let end = try withUnsafeMutableBytes(of: &byte) { try client.read(into: $0) }
        #expect(end == .done(0))
    }

    @Test("a 1 MiB echo exercises partial writes and writable interest without loss")
    func largeEcho() throws {
        let group = try EventLoopGroup(loopCount: 2, namePrefix: "bulk")
        defer { group.shutdown() }
        let address = try startEchoServer(group.next())
        let client = try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        try client.setReceiveTimeout(milliseconds: 10_000)
        var generator = SeededGenerator(seed: 11)
        let payload = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let writer = PlatformThread.spawn(name: "bulk-writer") {
            do {
                try payload.withUnsafeBytes { try client.writeAll($0) }
            } catch {
                Issue.record("write failed: \(error)")
            }
        }
        let echoed = try readExactly(client, payload.count)
        writer.join()
        #expect(echoed.count == payload.count)
        #expect(echoed == payload)
    }

    @Test("connecting to a closed port fails with ECONNREFUSED")
    func connectionRefused() throws {
        let probe = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let address = try probe.localAddress()
        probe.close()
        #expect(throws: Errno.connectionRefused) {
            try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        }
    }

    @Test("writing to a peer that closed raises EPIPE or ECONNRESET, never SIGPIPE")
    func noSigpipe() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let client = try Socket.connectTCP(listener.localAddress(), timeoutMilliseconds: 5_000)
        var accepted: Socket?
        var poller = pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 10_000) == 1)
        if case .done(let socket) = try listener.accept() { accepted = socket }
        accepted?.close()
        let chunk = [UInt8](repeating: 7, count: 64 * 1024)
        var failure: Errno?
        for _ in 0..<100 where failure == nil {
            do {
                _ = try chunk.withUnsafeBytes { try client.write($0) }
            } catch {
                failure = error as? Errno
            }
        }
        #expect(failure == .brokenPipe || failure == .connectionReset)
    }

    @Test("a blocking read past the receive timeout reports wouldBlock")
    func receiveTimeout() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let client = try Socket.connectTCP(listener.localAddress(), timeoutMilliseconds: 5_000)
        try client.setReceiveTimeout(milliseconds: 20)
        var byte: UInt8 = 0
        let outcome = try withUnsafeMutableBytes(of: &byte) { try client.read(into: $0) }
        #expect(outcome == .wouldBlock)
    }

    @Test("two listeners can share a port with reusePort (one per event loop)")
    func reusePort() throws {
        let first = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: true)
        let address = try first.localAddress()
        let second = try Socket.listenTCP(address, reusePort: true)
        #expect(try second.localAddress() == address)
        #expect(throws: Errno.addressInUse) {
            try Socket.listenTCP(address, reusePort: false)
        }
    }

    @Test("a UDP datagram sent on loopback arrives whole with its sender's address")
    func udpRoundTrip() throws {
        let server = try Socket.bindUDP(.ipv4Loopback(port: 0), reusePort: false)
        try server.setReceiveBufferBytes(256 * 1024)
        let client = try Socket.bindUDP(.ipv4Loopback(port: 0), reusePort: false)
        var buffer = [UInt8](repeating: 0, count: 512)
        let empty = try buffer.withUnsafeMutableBytes { try server.receive(into: $0) }
        guard case .wouldBlock = empty else {
            Issue.record("an idle UDP socket should would-block")
            return
        }
        let query = Array("dns?".utf8)
        let sent = try query.withUnsafeBytes { try client.send($0, to: server.localAddress()) }
        #expect(sent == .done(query.count))
        var poller = pollfd(fd: server.fileDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 10_000) == 1)
        let received = try buffer.withUnsafeMutableBytes { try server.receive(into: $0) }
        guard case .done(let (count, sender)) = received else {
            Issue.record("expected a datagram")
            return
        }
        #expect(Array(buffer[0..<count]) == query)
        #expect(sender == (try client.localAddress()))
    }
}
