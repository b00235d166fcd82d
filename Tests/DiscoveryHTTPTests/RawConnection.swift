import Foundation
import Platform

/// One client socket for tests that write a request in pieces and read the answer as it
/// comes, without an HTTP client between.
final class RawConnection {
    private let socket: Socket
    private(set) var received: [UInt8] = []
    private(set) var peerClosed = false

    init(_ address: SocketAddress) throws {
        socket = try Socket.connectTCP(address, timeoutMilliseconds: 5_000)
        // Short reads, so a wait can check its deadline between them.
        try socket.setReceiveTimeout(milliseconds: 100)
    }

    deinit { socket.close() }

    var text: String { String(decoding: received, as: UTF8.self) }

    func send(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try socket.writeAll($0) }
    }

    /// One HTTP chunk (RFC 9112 §7.1) holding `text`.
    func sendChunk(_ text: String) throws {
        try send(String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n")
    }

    /// Reads until `done` holds for everything received so far; throws `timedOut` when it
    /// does not within `seconds` (generous: the machine may be loaded).
    @discardableResult
    func read(seconds: Double = 30, until done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(text) {
            guard !peerClosed, Date() < deadline else { throw Errno.timedOut }
            let outcome = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
            guard case .done(let count) = outcome else { continue }
            if count == 0 { peerClosed = true }
            received += buffer[..<count]
        }
        return text
    }

    /// Waits for the server to close the connection.
    func readUntilClosed(seconds: Double = 30) throws {
        try read(seconds: seconds) { _ in self.peerClosed }
    }
}
