import DiscoveryHTTP
import Platform

/// An HTTP server on an ephemeral loopback port over an in-memory key space.
final class TestServer {
    let keySpace = InMemoryKeySpace()
    let group: EventLoopGroup
    let server: HTTPServer
    let address: SocketAddress

    /// `handler`: what answers; the router over `keySpace` when nil.
    init(
        limits: HTTPServerLimits = HTTPServerLimits(), loops: Int = 2,
        handler: (any HTTPHandler)? = nil
    ) throws {
        group = try EventLoopGroup(loopCount: loops, namePrefix: "test-http")
        server = HTTPServer(
            group: group, handler: handler ?? Router(keySpace: keySpace), limits: limits)
        try server.start(address: SocketAddress.parse("127.0.0.1:0"))
        guard let bound = server.boundAddress else { throw Errno(rawValue: 99) }
        address = bound
    }

    func stop() {
        server.shutdown()
        group.shutdown()
    }

    func client() -> HTTPClient {
        HTTPClient(address: address, timeoutMilliseconds: 10_000)
    }

    /// POSTs `json` to `path`; returns status and body text.
    func post(_ path: String, _ json: String) throws -> (status: Int, body: String) {
        let client = client()
        defer { client.close() }
        let response = try client.send(.post, path, body: Array(json.utf8))
        return (response.status, response.bodyText)
    }

    /// Sends raw bytes and reads until the server closes or `until` holds.
    func raw(_ request: String, until done: (String) -> Bool = { _ in false }) throws -> String {
        let socket = try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        defer { socket.close() }
        try socket.setReceiveTimeout(milliseconds: 10_000)
        try Array(request.utf8).withUnsafeBytes { try socket.writeAll($0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let outcome = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
            guard case .done(let count) = outcome, count > 0 else { break }
            received += buffer[..<count]
            if done(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// Base64 of UTF-8 text, for building requests.
func b64(_ text: String) -> String { Base64.encode(Array(text.utf8)) }
