import Platform

/// One client connection, owned by one event loop. Requests are answered strictly in
/// order (RFC 9112 §9.3.2): while a response is pending, later pipelined requests wait
/// in `inbound` unparsed.
final class HTTPConnection: IOHandler {
    enum Phase {
        case reading
        case awaiting(sequence: UInt64)
        case streaming(HTTPStream)
        /// Sending what is left, then closing.
        case closing
    }

    let socket: Socket
    let loop: EventLoop
    unowned let owner: HTTPLoopServer
    private var parser: HTTPRequestParser
    private var inbound = ByteQueue()
    private var outbound = ByteQueue()
    private(set) var phase = Phase.reading
    private var keepAlive = true
    private var sequence: UInt64 = 0
    /// The current request is HEAD: its response carries headers only (RFC 9110 §9.3.2).
    private var answeringHead = false
    private var interest: IOInterest = []
    private var processing = false
    private(set) var isClosed = false
    private var peerClosed = false
    /// The responder of the request being answered, told when its answer stops mattering.
    private var awaitingResponder: HTTPResponder?
    /// Whether this request's `100 Continue` went out (RFC 9110 §10.1.1).
    private var sentContinue = false
    /// The body being handed to the handler as it arrives, while the parser streams one.
    private var requestBody: HTTPRequestBody?
    /// Clock readings (monotonic ns) for the sweep's timeouts.
    private(set) var lastActivity: UInt64
    private(set) var requestStartedAt: UInt64?
    private(set) var lastWriteProgress: UInt64

    init(socket: Socket, loop: EventLoop, owner: HTTPLoopServer, now: UInt64) {
        self.socket = socket
        self.loop = loop
        self.owner = owner
        self.parser = HTTPRequestParser(limits: owner.limits.parser)
        self.lastActivity = now
        self.lastWriteProgress = now
    }

    var isIdle: Bool {
        if case .reading = phase {
            return inbound.isEmpty && requestStartedAt == nil && outbound.isEmpty
        }
        return false
    }

    var hasUnsentBytes: Bool { !outbound.isEmpty }

    var hasOutboundRoom: Bool { outbound.count < owner.limits.outboundBytesHighWater }

    func start() throws(Errno) {
        interest = .readable
        try loop.register(socket.fileDescriptor, interest: interest, handler: self)
    }

    func handleIO(_ event: IOEvent) {
        if event.writable { flush() }
        if event.readable && !isClosed { readAvailable() }
        // A half-close arrives as readable end-of-stream and is handled there; a hangup
        // without readable means both directions are gone (or an error): nothing more can
        // be sent.
        if (event.hangup || event.error) && !isClosed && !event.readable { close() }
    }

    // MARK: Reading

    private func readAvailable() {
        let now = owner.now()
        var reads = 0
        // A few reads per wake keep one busy client from starving the loop's others.
        while reads < 4 && !isClosed {
            reads += 1
            let read: Int?
            do {
                read = try socket.read(appendingTo: &inbound, scratch: &owner.scratch)
            } catch {
                close()
                return
            }
            guard let count = read else { break }
            if count == 0 {
                peerClosed = true
                break
            }
            if requestStartedAt == nil, case .reading = phase { requestStartedAt = now }
            lastActivity = now
            if count < owner.scratch.count { break }
        }
        processInbound()
        if peerClosed && !isClosed { peerDidClose() }
    }

    private func peerDidClose() {
        switch phase {
        case .reading:
            if outbound.isEmpty { close() } else { phase = .closing }
        case .streaming:
            // A streaming client cancels by closing its connection.
            close()
        case .awaiting:
            // A body still streaming can never end now: nothing can answer the request.
            if parser.isStreamingBody { return close() }
            keepAlive = false
            // A long poll for a client that left would hold the connection for minutes.
            awaitingResponder?.cancel()
        case .closing:
            break
        }
        updateInterest()
    }

    /// Parses and dispatches buffered requests while the connection may take one, and
    /// hands a streamed body to its handler.
    func processInbound() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while !isClosed {
            if parser.isStreamingBody {
                guard feedRequestBody() else { break }
                continue
            }
            guard case .reading = phase, !inbound.isEmpty,
                outbound.count < owner.limits.outboundBytesHighWater
            else { break }
            let step: ParseStep<HTTPRequest>
            do {
                let handler = owner.handler
                step = try inbound.withUnsafeBytes { (bytes) throws(HTTPParseError) in
                    try parser.parse(bytes, streamsBody: handler.streamsBody)
                }
            } catch {
                reject(error)
                break
            }
            switch step {
            case .needMoreBytes(let consumed):
                inbound.removeFirst(consumed)
                if parser.expectsContinue && !sentContinue { sendContinue() }
                updateInterest()
                return
            case .complete(let request, let consumed):
                inbound.removeFirst(consumed)
                sentContinue = false
                requestBody = nil
                requestStartedAt = nil
                dispatch(request)
            }
        }
        updateInterest()
    }

    /// Hands the next piece of a streamed body to its handler. False when nothing more can
    /// be done now: more bytes are needed, the handler paused, or the request is over.
    private func feedRequestBody() -> Bool {
        switch phase {
        case .awaiting, .streaming: break
        case .reading, .closing: return false
        }
        if let requestBody, requestBody.isPaused { return false }
        let step: HTTPBodyStep
        do {
            step = try inbound.withUnsafeBytes { (bytes) throws(HTTPParseError) in
                try parser.parseBody(bytes)
            }
        } catch {
            failRequestBody(error)
            return false
        }
        switch step {
        case .needMoreBytes(let consumed):
            inbound.removeFirst(consumed)
            return false
        case .data(let range):
            let piece = inbound.withUnsafeBytes { Array($0[range]) }
            inbound.removeFirst(range.upperBound)
            requestBody?.deliver(piece[...])
        case .end(let consumed):
            inbound.removeFirst(consumed)
            let ended = requestBody
            requestBody = nil
            ended?.end()
        }
        return true
    }

    /// A streamed body broke its framing. Nothing after it can be parsed: a response not
    /// yet started gets the parser's error; a started one is cut off.
    private func failRequestBody(_ error: HTTPParseError) {
        requestBody?.abort()
        requestBody = nil
        if case .awaiting = phase {
            let responder = awaitingResponder
            reject(error)
            responder?.cancel()
        } else {
            close()
        }
    }

    /// A client that sent `Expect: 100-continue` waits for this before its body (curl
    /// waits a second without it); the limits were already checked against the head.
    private func sendContinue() {
        sentContinue = true
        outbound.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        flush()
    }

    private func dispatch(_ request: HTTPRequest) {
        sequence &+= 1
        keepAlive = request.keepAlive && !owner.isShuttingDown && !peerClosed
        answeringHead = request.method == .head
        phase = .awaiting(sequence: sequence)
        var body: HTTPRequestBody?
        if parser.isStreamingBody {
            // The handler answers while the body is still coming: the interim response
            // must go out before its final one (RFC 9110 §15.2).
            if parser.expectsContinue && !sentContinue { sendContinue() }
            body = HTTPRequestBody(connection: self, loop: loop)
            requestBody = body
        }
        let responder = HTTPResponder(
            connection: self, loop: loop, sequence: sequence, requestBody: body)
        awaitingResponder = responder
        owner.handler.handle(request, responder)
    }

    /// A response that ends while its request's body is still streaming leaves bytes
    /// nobody will read on the connection: it closes after the response.
    private func endRequestBody() {
        guard parser.isStreamingBody else { return }
        keepAlive = false
        requestBody?.detach()
        requestBody = nil
    }

    private func reject(_ error: HTTPParseError) {
        keepAlive = false
        sequence &+= 1
        phase = .awaiting(sequence: sequence)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        let body = Array("\(error.status.code) \(error.status.reason): \(error.reason)\n".utf8)
        finishResponse(sequence: sequence, status: error.status, headers: headers, body: body)
    }

    // MARK: Responding

    func finishResponse(sequence: UInt64, status: HTTPStatus, headers: HTTPHeaders, body: [UInt8]) {
        guard !isClosed, case .awaiting(let expected) = phase, expected == sequence else { return }
        awaitingResponder = nil
        endRequestBody()
        var head: [UInt8] = []
        HTTPResponseEncoder.head(
            status, headers: headers, contentLength: body.count, keepAlive: keepAlive, into: &head)
        head.withUnsafeBytes { outbound.append($0) }
        if !answeringHead { body.withUnsafeBytes { outbound.append($0) } }
        phase = keepAlive ? .reading : .closing
        resumeReading()
    }

    /// Back to reading after a response: a pipelined request already buffered starts
    /// its read timeout now, not when the previous one arrived.
    private func resumeReading() {
        let now = owner.now()
        lastActivity = now
        requestStartedAt = inbound.isEmpty ? nil : now
        flush()
        if case .reading = phase { processInbound() }
    }

    func startStream(sequence: UInt64, status: HTTPStatus, headers: HTTPHeaders) -> HTTPStream? {
        guard !isClosed, case .awaiting(let expected) = phase, expected == sequence else {
            return nil
        }
        var head: [UInt8] = []
        HTTPResponseEncoder.head(
            status, headers: headers, contentLength: nil, keepAlive: keepAlive, into: &head)
        head.withUnsafeBytes { outbound.append($0) }
        let stream = HTTPStream(connection: self, loop: loop)
        phase = .streaming(stream)
        flush()
        return isClosed ? nil : stream
    }

    func sendChunk(_ bytes: [UInt8]) -> Bool {
        guard !isClosed, case .streaming = phase else { return false }
        guard outbound.count <= owner.limits.outboundBytesHighWater else {
            // The reader is too slow: end the stream rather than buffer without bound.
            close()
            return false
        }
        var framed: [UInt8] = []
        framed.reserveCapacity(bytes.count + 16)
        bytes.withUnsafeBytes { HTTPResponseEncoder.chunk($0, into: &framed) }
        framed.withUnsafeBytes { outbound.append($0) }
        flush()
        return !isClosed
    }

    func finishStream() {
        guard !isClosed, case .streaming(let stream) = phase else { return }
        endRequestBody()
        var last: [UInt8] = []
        HTTPResponseEncoder.lastChunk(into: &last)
        last.withUnsafeBytes { outbound.append($0) }
        phase = keepAlive ? .reading : .closing
        stream.closed()
        resumeReading()
    }

    /// Ends whatever is in progress because the server is stopping.
    func beginShutdown() {
        keepAlive = false
        switch phase {
        case .reading:
            if isIdle {
                close()
            } else if inbound.isEmpty {
                phase = .closing
                flush()
            }
        case .streaming(let stream):
            stream.onFinishing?()
            finishStream()
        case .awaiting:
            awaitingResponder?.cancel()
        case .closing:
            break
        }
    }

    /// A request arrived too slowly: `408` (RFC 9110 §15.5.9), then close.
    func timeOutRequest() {
        guard case .reading = phase else { return }
        reject(HTTPParseError(status: .requestTimeout, reason: "request not received in time"))
    }

    // MARK: Writing

    private func flush() {
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
            lastWriteProgress = owner.now()
        }
        if outbound.isEmpty, case .closing = phase {
            close()
            return
        }
        if outbound.isEmpty, case .streaming(let stream) = phase, stream.waitingForRoom {
            stream.waitingForRoom = false
            // Later, not inline: the writer may be in the middle of a send right now.
            loop.execute { if stream.isOpen { stream.onDrained?() } }
        }
        updateInterest()
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: IOInterest = []
        if !outbound.isEmpty { wanted.insert(.writable) }
        let readable: Bool
        switch phase {
        case .closing: readable = false
        case .reading: readable = outbound.count < owner.limits.outboundBytesHighWater
        case .awaiting, .streaming: readable = inbound.count < owner.limits.parser.bodyBytesMax
        }
        if readable && !peerClosed { wanted.insert(.readable) }
        guard wanted != interest else { return }
        interest = wanted
        do {
            try loop.modify(socket.fileDescriptor, interest: wanted)
        } catch {
            close()
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        awaitingResponder = nil
        requestBody?.abort()
        requestBody = nil
        loop.deregister(socket.fileDescriptor)
        socket.close()
        if case .streaming(let stream) = phase { stream.closed() }
        phase = .closing
        owner.connectionClosed(self)
    }
}
