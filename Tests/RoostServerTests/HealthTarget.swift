import Platform
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny loopback HTTP server for health checks to probe: every request is answered with
/// the current status code and `body`, then the connection is closed. Also a TCP target:
/// connects succeed while it runs and are refused once it is stopped.
final class HealthTarget: Sendable {
    let port: UInt16
    private let listener: Socket
    private let statusCode = Atomic<Int>(200)
    private let running = Atomic<Bool>(true)
    private let answered = Atomic<Int>(0)
    private let thread = Mutex<PlatformThread?>(nil)
    /// How long the accept loop sleeps in poll(2) before looking at `running` again.
    static let acceptPollMilliseconds: Int32 = 20

    init(status: Int = 200) throws {
        listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        port = try listener.localAddress().port
        statusCode.store(status, ordering: .relaxed)
        let started = PlatformThread.spawn(name: "health-target") { [self] in serve() }
        thread.withLock { $0 = started }
    }

    var url: String { "http://127.0.0.1:\(port)/health" }
    var address: String { "127.0.0.1:\(port)" }

    /// Requests answered so far.
    var requests: Int { answered.load(ordering: .relaxed) }

    func answer(_ status: Int) {
        statusCode.store(status, ordering: .relaxed)
    }

    /// Stops answering and closes the port: later connects are refused.
    func stop() {
        running.store(false, ordering: .relaxed)
        let started = thread.withLock { value -> PlatformThread? in
            defer { value = nil }
            return value
        }
        started?.join()
        listener.close()
    }

    private func serve() {
        while running.load(ordering: .relaxed) {
            var poller = pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, HealthTarget.acceptPollMilliseconds) > 0,
                case .done(let client)? = try? listener.accept()
            else { continue }
            respond(client)
            client.close()
        }
    }

    private func respond(_ client: Socket) {
        try? client.setBlocking(true)
        try? client.setReceiveTimeout(milliseconds: 2_000)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            guard
                case .done(let count)? = try? buffer.withMutableBytes({ (raw) throws(Errno) in
                    try client.read(into: raw)
                }), count > 0
            else { return }  // A TCP check connects and closes without a request.
            head.append(contentsOf: buffer[..<count])
            if String(decoding: head, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let status = statusCode.load(ordering: .relaxed)
        let body = "status \(status)"
        let text =
            "HTTP/1.1 \(status) \(HTTPStatus.code(status).reason)\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        try? Array(text.utf8).withBytes { (raw) throws(Errno) in try client.writeAll(raw) }
        answered.add(1, ordering: .relaxed)
    }
}
