import Platform
import Synchronization
import Testing

@testable import Raft

/// Collects delivered messages across threads.
final class MessageInbox: Sendable {
    private let messages = Mutex<[Message]>([])

    func append(_ message: Message) {
        messages.withLock { $0.append(message) }
    }

    var all: [Message] { messages.withLock { $0 } }
    var count: Int { messages.withLock { $0.count } }

    func count(of kind: Message.Kind) -> Int {
        messages.withLock { list in list.filter { $0.kind == kind }.count }
    }
}

enum TransportFixture {
    static let clusterID: UInt64 = 0xC1A5_7E00

    /// Limits with short timeouts and backoff so failure paths finish in milliseconds.
    static var fastLimits: PeerTransportLimits {
        var limits = PeerTransportLimits()
        limits.reconnectBackoffMinNanoseconds = 5_000_000
        limits.reconnectBackoffMaxNanoseconds = 50_000_000
        limits.handshakeTimeoutNanoseconds = 200_000_000
        return limits
    }

    static func transport(
        id: UInt64, clusterID: UInt64 = clusterID, port: UInt16 = 0,
        limits: PeerTransportLimits = fastLimits, secret: PeerSecret? = nil, inbox: MessageInbox
    ) throws -> PeerTransport {
        let transport = try PeerTransport(
            localID: id, clusterID: clusterID, listen: .ipv4Loopback(port: port),
            limits: limits, secret: secret, seed: id, onMessage: { inbox.append($0) })
        try transport.start()
        return transport
    }

    /// Two connected transports (members 1 and 2), each knowing the other.
    static func pair(
        limitsA: PeerTransportLimits = fastLimits, limitsB: PeerTransportLimits = fastLimits,
        secretA: PeerSecret? = nil, secretB: PeerSecret? = nil
    ) throws -> (PeerTransport, MessageInbox, PeerTransport, MessageInbox) {
        let inboxA = MessageInbox()
        let inboxB = MessageInbox()
        let a = try transport(id: 1, limits: limitsA, secret: secretA, inbox: inboxA)
        let b = try transport(id: 2, limits: limitsB, secret: secretB, inbox: inboxB)
        a.setPeer(2, address: b.boundAddress)
        b.setPeer(1, address: a.boundAddress)
        return (a, inboxA, b, inboxB)
    }

    static func heartbeat(from: UInt64, to: UInt64, commit: UInt64) -> Message {
        Message(kind: .heartbeat, from: from, to: to, term: 1, commit: commit)
    }

    static func snapshotChunk(from: UInt64, to: UInt64, offset: UInt64, bytes: Int) -> Message {
        Message(
            kind: .snapshot, from: from, to: to, term: 1,
            snapshotMetadata: SnapshotMetadata(
                index: 10, term: 1, confState: ConfState(voters: [from, to])),
            snapshotOffset: offset, snapshotChunk: [UInt8](repeating: 0xAB, count: bytes))
    }

    /// A port that was free a moment ago (nothing listens on it now).
    static func closedPort() throws -> UInt16 {
        let socket = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        let port = try socket.localAddress().port
        socket.close()
        return port
    }
}

/// Polls `condition` until it holds or `timeoutSeconds` pass (generous: CI machines are
/// shared). Polling is the synchronization; the short pause only avoids a busy spin.
func eventually(timeoutSeconds: UInt64 = 10, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock().nowNanoseconds() + timeoutSeconds * 1_000_000_000
    while MonotonicClock().nowNanoseconds() < deadline {
        if condition() { return true }
        Sleep.nanoseconds(2_000_000)
    }
    return condition()
}
