import Platform

/// A connection accepted past `connectionsMax`: it gets a `503`, then a lingering close.
/// Closing at once with the client's request still unread would make the kernel send a
/// reset that can destroy the `503` before the client reads it (RFC 9112 §9.6), so the
/// write side is shut and input is drained until the client closes or a short deadline.
final class RefusedConnection: IOHandler {
    /// Lingering refusals one loop keeps at a time; past this they close at once.
    static let lingeringMax = 64
    /// How long a refused client has to read the 503 and close.
    static let lingerNanoseconds: UInt64 = 2_000_000_000

    private let socket: Socket
    private let loop: EventLoop
    private let onClose: (RefusedConnection) -> Void
    private var closed = false

    init(socket: Socket, loop: EventLoop, onClose: @escaping (RefusedConnection) -> Void) {
        self.socket = socket
        self.loop = loop
        self.onClose = onClose
    }

    static func response() -> [UInt8] {
        var response: [UInt8] = []
        let body = Array("503 Service Unavailable: too many connections\n".utf8)
        HTTPResponseEncoder.head(
            .serviceUnavailable, headers: HTTPHeaders(), contentLength: body.count,
            keepAlive: false,
            into: &response)
        return response + body
    }

    /// Sends the 503 (small enough for an empty socket buffer) and starts lingering.
    func start() -> Bool {
        let sent =
            (try? RefusedConnection.response().withBytes { (bytes) throws(Errno) in
                try socket.write(bytes)
            }) != nil
        guard sent, (try? socket.shutdownWrite()) != nil,
            (try? loop.register(socket.fileDescriptor, interest: .readable, handler: self)) != nil
        else {
            socket.close()
            return false
        }
        loop.schedule(afterNanoseconds: RefusedConnection.lingerNanoseconds) { [weak self] in
            self?.close()
        }
        return true
    }

    func handleIO(_ event: IOEvent) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        let outcome = try? scratch.withMutableBytes { (buffer) throws(Errno) in
            try socket.read(into: buffer)
        }
        switch outcome {
        case .wouldBlock: return
        case .done(let count) where count > 0: return
        default: close()
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        loop.deregister(socket.fileDescriptor)
        socket.close()
        onClose(self)
    }
}
