import Platform

/// The answer side of one request. A handler calls exactly one of `respond` or
/// `startStream`. `respond` may be called from any thread (it hops to the connection's
/// loop); `startStream` only on the loop, during `handle`.
public final class HTTPResponder: @unchecked Sendable {
    // Touched only on `loop`, except for the immutable fields.
    private weak var connection: HTTPConnection?
    public let loop: EventLoop
    let sequence: UInt64
    private var answered = false
    /// Called once, on the loop, when the answer stops being worth waiting for: the server
    /// is stopping or the client hung up. A long poll (a Consul blocking query) answers
    /// now instead of holding the connection until its wait ends. Set on the loop.
    public var onCancel: (() -> Void)?
    /// The request's body as it arrives, when the handler's `streamsBody` asked for it;
    /// the request itself then carries an empty body.
    public let requestBody: HTTPRequestBody?

    init(
        connection: HTTPConnection, loop: EventLoop, sequence: UInt64,
        requestBody: HTTPRequestBody? = nil
    ) {
        self.connection = connection
        self.loop = loop
        self.sequence = sequence
        self.requestBody = requestBody
    }

    /// Sends a complete response. Safe from any thread; a second call is ignored.
    public func respond(_ status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) {
        guard loop.inEventLoop else {
            loop.execute { self.respond(status, headers: headers, body: body) }
            return
        }
        guard !answered else { return }
        answered = true
        connection?.finishResponse(sequence: sequence, status: status, headers: headers, body: body)
    }

    /// Runs `onCancel` once. Loop thread only.
    func cancel() {
        precondition(loop.inEventLoop, "cancellation runs on the connection's loop")
        let callback = onCancel
        onCancel = nil
        if !answered { callback?() }
    }

    /// Sends a JSON body with `Content-Type: application/json`.
    public func respondJSON(
        _ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()
    ) {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        respond(status, headers: headers, body: body)
    }

    /// Sends a plain-text body (Go's `http.Error` shape: text and a newline).
    public func respondText(
        _ status: HTTPStatus, _ text: String, headers: HTTPHeaders = HTTPHeaders()
    ) {
        var headers = headers
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        respond(status, headers: headers, body: Array((text + "\n").utf8))
    }

    /// Starts a chunked streaming response. Loop thread only. Returns nil when the
    /// client is already gone.
    public func startStream(
        _ status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPStream? {
        precondition(loop.inEventLoop, "streams start on their connection's loop")
        guard !answered, let connection else { return nil }
        answered = true
        return connection.startStream(sequence: sequence, status: status, headers: headers)
    }
}

/// A chunked response that stays open: the etcd watch and lease keep-alive streams.
/// Loop thread only, except `execute`.
public final class HTTPStream: @unchecked Sendable {
    private weak var connection: HTTPConnection?
    public let loop: EventLoop
    /// Called once when the stream ends for any reason (finished, client gone, shutdown).
    public var onClose: (() -> Void)?
    /// Called (on the loop, later) once the unsent bytes have been written after a
    /// `hasRoom` of false: the writer resumes instead of buffering without bound.
    public var onDrained: (() -> Void)?
    /// Called when the server is about to end the stream (graceful shutdown), so the
    /// writer can flush what it holds first.
    public var onFinishing: (() -> Void)?
    public private(set) var isOpen = true
    /// Set when a writer found no room; cleared when `onDrained` is scheduled.
    var waitingForRoom = false

    init(connection: HTTPConnection, loop: EventLoop) {
        self.connection = connection
        self.loop = loop
    }

    /// Sends `bytes` as one HTTP chunk. Returns false when the stream is closed or the
    /// reader is so far behind that the stream was ended (see `outboundBytesHighWater`).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        precondition(loop.inEventLoop, "streams write on their connection's loop")
        guard isOpen, let connection else { return false }
        return connection.sendChunk(bytes)
    }

    /// Whether another chunk may be queued now: the unsent bytes are below the
    /// connection's high-water mark. When false, wait for `onDrained`.
    public var hasRoom: Bool {
        precondition(loop.inEventLoop, "streams write on their connection's loop")
        guard isOpen, let connection else { return false }
        let room = connection.hasOutboundRoom
        if !room { waitingForRoom = true }
        return room
    }

    /// Ends the stream with the last chunk; the connection goes on if keep-alive.
    public func finish() {
        precondition(loop.inEventLoop, "streams finish on their connection's loop")
        guard isOpen, let connection else { return }
        connection.finishStream()
    }

    /// Runs `task` on the stream's loop.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        loop.execute(task)
    }

    /// Called by the connection when the stream ends.
    func closed() {
        guard isOpen else { return }
        isOpen = false
        let callback = onClose
        // The writer holds the stream and these hold the writer: let the pair go.
        onClose = nil
        onDrained = nil
        onFinishing = nil
        callback?()
    }
}
