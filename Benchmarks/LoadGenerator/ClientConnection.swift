import Platform

/// One keep-alive HTTP/1.1 client connection on an event loop: writes whole requests
/// (waiting for writability after a short write) and feeds what it reads to a push-style
/// response parser, reporting each response event. Loop thread only.
final class ClientConnection: IOHandler {
    /// Reads per readiness event before yielding to other connections (level-triggered
    /// epoll calls again if bytes remain).
    static let readsPerEventMax = 8

    let socket: Socket
    let loop: EventLoop
    private let readBuffer: ReadBuffer
    private var parser = HTTPResponseParser()
    /// Bytes the parser has not consumed yet, kept for the next read.
    private var leftover: [UInt8] = []
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var watchingWritable = false
    private(set) var isOpen = true
    var onEvent: (HTTPResponseEvent) -> Void = { _ in }
    /// Called once, when the connection fails or the server closes it (not on `close()`).
    var onFailure: (String) -> Void = { _ in }

    init(to address: SocketAddress, loop: EventLoop, readBuffer: ReadBuffer) throws(Errno) {
        precondition(loop.inEventLoop, "connections are made on their loop")
        socket = try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        try socket.setBlocking(false)
        self.loop = loop
        self.readBuffer = readBuffer
        try loop.register(socket.fileDescriptor, interest: .readable, handler: self)
    }

    /// Sends one whole request; the response arrives through `onEvent`.
    func send(_ request: [UInt8]) {
        guard isOpen else { return }
        precondition(outboundOffset == outbound.count, "one request in flight per connection")
        outbound = request
        outboundOffset = 0
        flush()
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        loop.deregister(socket.fileDescriptor)
        socket.close()
    }

    func handleIO(_ event: IOEvent) {
        if event.writable { flush() }
        if isOpen, event.readable || event.hangup || event.error { readAvailable() }
    }

    private func flush() {
        while isOpen, outboundOffset < outbound.count {
            let outcome: IOOutcome<Int>
            do {
                outcome = try outbound.withUnsafeBytes { (bytes) throws(Errno) in
                    try socket.write(UnsafeRawBufferPointer(rebasing: bytes[outboundOffset...]))
                }
            } catch {
                return fail("write: \(error)")
            }
            switch outcome {
            case .done(let count): outboundOffset += count
            case .wouldBlock:
                if !watchingWritable {
                    watchingWritable = true
                    watch([.readable, .writable])
                }
                return
            }
        }
        // Let go of the request so its owner can reuse the buffer without a copy.
        outbound = []
        outboundOffset = 0
        if watchingWritable, isOpen {
            watchingWritable = false
            watch(.readable)
        }
    }

    private func watch(_ interest: IOInterest) {
        do {
            try loop.modify(socket.fileDescriptor, interest: interest)
        } catch {
            fail("epoll: \(error)")
        }
    }

    private func readAvailable() {
        for _ in 0..<Self.readsPerEventMax where isOpen {
            let outcome: IOOutcome<Int>
            do {
                outcome = try socket.read(into: readBuffer.memory)
            } catch {
                return fail("read: \(error)")
            }
            switch outcome {
            case .wouldBlock: return
            case .done(0): return fail("the server closed the connection")
            case .done(let count):
                parse(UnsafeRawBufferPointer(rebasing: readBuffer.memory[..<count]))
            }
        }
    }

    private func parse(_ received: UnsafeRawBufferPointer) {
        if leftover.isEmpty {
            consume(received)
        } else {
            var joined = leftover
            leftover.removeAll()
            joined.append(contentsOf: received)
            joined.withUnsafeBytes { consume($0) }
        }
    }

    /// Feeds the parser until it needs more bytes; events go out as they complete (the
    /// end of a Content-Length body is reported on the call after its last byte).
    private func consume(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while isOpen {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let step: ParseStep<HTTPResponseEvent>
            do {
                step = try parser.parse(rest)
            } catch {
                return fail("response: \(error)")
            }
            switch step {
            case .complete(let event, let consumed):
                offset += consumed
                onEvent(event)
            case .needMoreBytes(let consumed):
                offset += consumed
                if offset < bytes.count { leftover = Array(bytes[offset...]) }
                return
            }
        }
    }

    private func fail(_ reason: String) {
        guard isOpen else { return }
        close()
        onFailure(reason)
    }
}
