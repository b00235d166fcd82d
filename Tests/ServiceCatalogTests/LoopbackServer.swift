import Platform
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-connection loopback server for executor tests: accepts one client, reads the
/// request head, records it, then answers `response` (or, when nil, stays silent until the
/// client gives up) and closes.
final class LoopbackServer: Sendable {
    let port: UInt16
    private let listener: Socket
    private let recorded = Mutex<String>("")
    private let thread = Mutex<PlatformThread?>(nil)

    init(response: [UInt8]?) throws {
        listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        port = try listener.localAddress().port
        let started = PlatformThread.spawn(name: "test-http") { [self] in serve(response) }
        thread.withLock { $0 = started }
    }

    /// The request head the client sent.
    var request: String { recorded.withLock { $0 } }

    /// Waits for the server thread to finish.
    func finish() {
        let started = thread.withLock { value -> PlatformThread? in
            defer { value = nil }
            return value
        }
        started?.join()
        listener.close()
    }

    private func serve(_ response: [UInt8]?) {
        var poller = pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10_000) > 0,
            case .done(let client) = try? listener.accept()
        else { return }
        defer { client.close() }
        try? client.setBlocking(true)
        try? client.setReceiveTimeout(milliseconds: 10_000)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
            guard
                case .done(let count)? = try? buffer.withMutableBytes({ (raw) throws(Errno) in
                    try client.read(into: raw)
                }), count > 0
            else { break }
            head.append(contentsOf: buffer[..<count])
        }
        recorded.withLock { $0 = String(decoding: head, as: UTF8.self) }
        if let response {
            try? response.withBytes { (raw) throws(Errno) in try client.writeAll(raw) }
        } else {
            // Silent: wait for the client to time out and close.
            _ = try? buffer.withMutableBytes { (raw) throws(Errno) in try client.read(into: raw) }
        }
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() throws -> UInt16 {
        let socket = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let port = try socket.localAddress().port
        socket.close()
        return port
    }

    static func response(status: String, body: String) -> [UInt8] {
        let head = "HTTP/1.1 \(status)\r\nContent-Length: \(body.utf8.count)\r\n"
        return Array((head + "Connection: close\r\n\r\n\(body)").utf8)
    }
}

/// Parses test JSON text.
func json(_ text: String) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        preconditionFailure("bad test JSON: \(error)")
    }
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
