import Platform

/// The body of a request whose route reads it as it arrives (`HTTPHandler.streamsBody`):
/// etcd's lease keep-alive and watch streams, where a client keeps one request open and
/// writes a message whenever it has one. Loop thread only.
///
/// The handler sets `onData` and `onEnd` during `handle`; pieces arriving later are
/// delivered in order on the loop. A handler that cannot keep up calls `pause()`: the
/// connection then stops delivering, its buffer fills to the parser's body limit and it
/// stops reading the socket, so a fast writer meets TCP flow control, not unbounded memory.
public final class HTTPRequestBody: @unchecked Sendable {
    private weak var connection: HTTPConnection?
    public let loop: EventLoop
    /// Called with each piece of the body as it arrives.
    public var onData: ((ArraySlice<UInt8>) -> Void)?
    /// Called once when the body ended normally (the last chunk, or Content-Length bytes).
    public var onEnd: (() -> Void)?
    /// Called once when the connection closed before the body ended (the client went away
    /// or broke the framing): nothing more will arrive and no answer can be sent.
    public var onAbort: (() -> Void)?
    public private(set) var isPaused = false
    public private(set) var hasEnded = false

    init(connection: HTTPConnection, loop: EventLoop) {
        self.connection = connection
        self.loop = loop
    }

    /// Stops delivery until `resume`.
    public func pause() {
        precondition(loop.inEventLoop, "request bodies are read on their connection's loop")
        isPaused = true
    }

    /// Delivers what arrived meanwhile: later, not inline, as the caller may be in the
    /// middle of handling a piece.
    public func resume() {
        precondition(loop.inEventLoop, "request bodies are read on their connection's loop")
        guard isPaused else { return }
        isPaused = false
        loop.execute { [weak self] in self?.connection?.processInbound() }
    }

    func deliver(_ bytes: ArraySlice<UInt8>) {
        onData?(bytes)
    }

    func end() {
        guard !hasEnded else { return }
        hasEnded = true
        let callback = onEnd
        detach()
        callback?()
    }

    /// The connection closed with the body unfinished.
    func abort() {
        let callback = hasEnded ? nil : onAbort
        detach()
        callback?()
    }

    /// The response finished first: later pieces are not wanted.
    func detach() {
        onData = nil
        onEnd = nil
        onAbort = nil
    }
}
