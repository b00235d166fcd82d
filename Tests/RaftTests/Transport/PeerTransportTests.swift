import Platform
import Testing

@testable import Raft

/// Real transports on loopback with ephemeral ports.
@Suite("PeerTransport: Raft messages over TCP between members")
struct PeerTransportTests {
    @Test("messages between two members arrive complete and in order per stream")
    func twoMembersInOrder() throws {
        let (a, inboxA, b, inboxB) = try TransportFixture.pair()
        defer { a.stop(); b.stop() }
        #expect(eventually { a.stats.peers[2]?.isConnected == true })
        let heartbeats = (0..<500).map { TransportFixture.heartbeat(from: 1, to: 2, commit: $0) }
        let appends = (0..<200).map { index in
            Message(kind: .append, from: 1, to: 2, term: 1, index: UInt64(index),
                    entries: [Entry(term: 1, index: UInt64(index + 1), kind: .normal,
                                    data: [UInt8](repeating: 1, count: index))])
        }
        for (heartbeat, append) in zip(heartbeats, appends) {
            a.send([heartbeat, append])
        }
        a.send(Array(heartbeats[200...]))
        b.send([Message(kind: .heartbeatResponse, from: 2, to: 1, term: 1)])
        #expect(eventually { inboxB.count == 700 && inboxA.count == 1 })
        let received = inboxB.all
        #expect(received.filter { $0.kind == .heartbeat } == heartbeats)
        #expect(received.filter { $0.kind == .append } == appends)
        #expect(inboxA.all.first?.kind == .heartbeatResponse)
        let link = a.stats.peers[2]
        #expect(link?.control.messagesSent == 500)
        #expect(link?.bulk.messagesSent == 200)
        #expect(link?.messagesDropped == 0)
        #expect(b.stats.messagesReceived == 700)
    }

    @Test("three members each reach the other two")
    func threeMembers() throws {
        let inboxes = (0..<3).map { _ in MessageInbox() }
        let transports = try (0..<3).map { index in
            try TransportFixture.transport(id: UInt64(index + 1), inbox: inboxes[index])
        }
        defer { for transport in transports { transport.stop() } }
        for (index, transport) in transports.enumerated() {
            for (peer, other) in transports.enumerated() where peer != index {
                transport.setPeer(UInt64(peer + 1), address: other.boundAddress)
            }
        }
        for (index, transport) in transports.enumerated() {
            let from = UInt64(index + 1)
            let messages = (1...3).filter { $0 != from }.flatMap { to in
                (0..<50).map { TransportFixture.heartbeat(from: from, to: to, commit: $0) }
            }
            transport.send(messages)
        }
        #expect(eventually { inboxes.allSatisfy { $0.count == 100 } })
        for (index, inbox) in inboxes.enumerated() {
            for from in (1...3) where from != index + 1 {
                let commits = inbox.all.filter { $0.from == UInt64(from) }.map(\.commit)
                #expect(commits == Array(0..<50), "member \(index + 1) from \(from)")
            }
        }
    }

    @Test("a heartbeat queued behind megabytes of snapshot chunks overtakes them (control stream)")
    func heartbeatsOvertakeSnapshots() throws {
        let (a, _, b, inboxB) = try TransportFixture.pair()
        defer { a.stop(); b.stop() }
        #expect(eventually { a.stats.peers[2]?.isConnected == true })
        let chunkCount = 8
        let chunks = (0..<chunkCount).map { index in
            TransportFixture.snapshotChunk(
                from: 1, to: 2, offset: UInt64(index) << 22, bytes: 4 << 20)
        }
        a.send(chunks + [TransportFixture.heartbeat(from: 1, to: 2, commit: 9)])
        // 32 MiB over loopback: generous on a loaded 2-core machine.
        #expect(eventually(timeoutSeconds: 60) { inboxB.count == chunkCount + 1 })
        let kinds = inboxB.all.map(\.kind)
        let heartbeatAt = kinds.firstIndex(of: .heartbeat) ?? Int.max
        // On one stream the heartbeat would arrive last, after 32 MiB.
        #expect(heartbeatAt < chunkCount)
        #expect(inboxB.all.filter { $0.kind == .snapshot }.map(\.snapshotOffset)
                == chunks.map(\.snapshotOffset))
        // The sender counts a message once its last byte is written, which can be after
        // the receiver has it: wait for the counters instead of reading them once.
        #expect(eventually { a.stats.peers[2]?.bulk.messagesSent == chunkCount })
        #expect(eventually { a.stats.peers[2]?.control.messagesSent == 1 })
    }

    @Test(
        "a send on the transport's own loop is written before the caller's task returns (a leader's appends leave before its fsync, thesis §10.2.1)"
    )
    func sendOnOwnLoopWritesAtOnce() throws {
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "shared-loop")
        defer { group.shutdown() }
        let loop = group.loops[0]
        let inboxB = MessageInbox()
        let a = try PeerTransport(
            localID: 1, clusterID: TransportFixture.clusterID, listen: .ipv4Loopback(port: 0),
            limits: TransportFixture.fastLimits, seed: 1, loop: loop, onMessage: { _ in })
        try a.start()
        let b = try TransportFixture.transport(id: 2, inbox: inboxB)
        defer { a.stop(); b.stop() }
        a.setPeer(2, address: b.boundAddress)
        b.setPeer(1, address: a.boundAddress)
        #expect(eventually { a.stats.peers[2]?.isConnected == true })
        // The task keeps the loop busy, as a Raft driver's fsync does: the message can only
        // arrive meanwhile if `send` wrote it itself.
        let arrivedWhileBusy = try loop.executeAndWait { () throws(Errno) -> Bool in
            a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 7)])
            return eventually(timeoutSeconds: 5) { inboxB.count == 1 }
        }
        #expect(arrivedWhileBusy)
        #expect(inboxB.all.first?.commit == 7)
    }

    @Test("a full queue drops the message past its limit and counts it; send never blocks")
    func queueOverflow() throws {
        var limits = TransportFixture.fastLimits
        limits.controlQueueMessagesMax = 5
        limits.frameBytesMax = 1000
        limits.bulkQueueBytesMax = 1000
        let a = try TransportFixture.transport(id: 1, limits: limits, inbox: MessageInbox())
        defer { a.stop() }
        // Nobody listens there: the queue can only fill.
        a.setPeer(2, address: .ipv4Loopback(port: try TransportFixture.closedPort()))
        a.send((0..<5).map { TransportFixture.heartbeat(from: 1, to: 2, commit: $0) })
        #expect(a.stats.peers[2]?.control.messagesQueued == 5)
        #expect(a.stats.peers[2]?.control.messagesDropped == 0)
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 5)])
        #expect(a.stats.peers[2]?.control.messagesQueued == 5)
        #expect(a.stats.peers[2]?.control.messagesDropped == 1)
        // Bulk bytes: a chunk filling the 1000-byte budget, then one that cannot fit.
        let fitting = Self.messageEncoding(toBytes: 1000)
        a.send([fitting, fitting])
        #expect(a.stats.peers[2]?.bulk.messagesQueued == 1)
        #expect(a.stats.peers[2]?.bulk.messagesDropped == 1)
        a.send([Message(kind: .heartbeat, from: 1, to: 99, term: 1)])
        #expect(a.stats.messagesToUnknownPeers == 1)
        #expect(eventually { (a.stats.peers[2]?.control.connectFailures ?? 0) >= 2 })
    }

    /// A snapshot chunk whose encoding is exactly `bytes` long.
    static func messageEncoding(toBytes bytes: Int) -> Message {
        var message = TransportFixture.snapshotChunk(from: 1, to: 2, offset: 0, bytes: 0)
        var size = 0
        while true {
            size = message.encode().count
            if size >= bytes { break }
            message.snapshotChunk.append(0xCD)
        }
        precondition(size == bytes, "varint growth skipped \(bytes)")
        return message
    }

    @Test("a message of exactly frameBytesMax is delivered; one byte more is dropped at send")
    func frameLimitAtSend() throws {
        var limits = TransportFixture.fastLimits
        limits.frameBytesMax = 4096
        let (a, _, b, inboxB) = try TransportFixture.pair(limitsA: limits, limitsB: limits)
        defer { a.stop(); b.stop() }
        let atLimit = Self.messageEncoding(toBytes: 4096)
        let overLimit = Self.messageEncoding(toBytes: 4097)
        a.send([atLimit, overLimit])
        #expect(eventually { inboxB.count == 1 })
        #expect(inboxB.all == [atLimit])
        #expect(a.stats.peers[2]?.bulk.messagesOversized == 1)
    }

    @Test("a member restarted on the same port is redialed and delivery resumes")
    func restartSamePort() throws {
        let (a, _, b, inboxB) = try TransportFixture.pair()
        defer { a.stop() }
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 1)])
        #expect(eventually { inboxB.count == 1 })
        let port = b.boundAddress.port
        b.stop()
        #expect(eventually { a.stats.peers[2]?.isConnected == false })
        let inboxNew = MessageInbox()
        let restarted = try TransportFixture.transport(id: 2, port: port, inbox: inboxNew)
        defer { restarted.stop() }
        #expect(eventually {
            a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 2)])
            return inboxNew.count > 0
        })
        #expect(inboxNew.all.allSatisfy { $0.commit == 2 && $0.from == 1 })
        #expect((a.stats.peers[2]?.control.connectFailures ?? 0) >= 1)
    }

    @Test("setPeer with a new address moves the link to the member's new listener")
    func readdress() throws {
        let (a, _, b, inboxB) = try TransportFixture.pair()
        defer { a.stop() }
        #expect(eventually { a.stats.peers[2]?.isConnected == true })
        b.stop()
        let inboxNew = MessageInbox()
        let moved = try TransportFixture.transport(id: 2, inbox: inboxNew)
        defer { moved.stop() }
        a.setPeer(2, address: moved.boundAddress)
        #expect(eventually {
            a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 3)])
            return inboxNew.count > 0
        })
        #expect(inboxB.count == 0)
    }

    @Test("a member of another cluster is refused with the reason on both ends, nothing delivered")
    func clusterMismatch() throws {
        let inboxA = MessageInbox()
        let inboxB = MessageInbox()
        let a = try TransportFixture.transport(id: 1, clusterID: 111, inbox: inboxA)
        let b = try TransportFixture.transport(id: 2, clusterID: 222, inbox: inboxB)
        defer { a.stop(); b.stop() }
        a.setPeer(2, address: b.boundAddress)
        a.send([TransportFixture.heartbeat(from: 1, to: 2, commit: 1)])
        #expect(eventually { (b.stats.inboundRefused[.clusterMismatch] ?? 0) >= 2 })
        #expect(eventually { a.stats.peers[2]?.lastRefusal == .clusterMismatch })
        #expect(b.stats.inboundAccepted == 0)
        #expect(a.stats.peers[2]?.isConnected == false)
        #expect(inboxB.count == 0)
    }

    @Test("a dialer that meant another member id is refused as a wrong target")
    func wrongTarget() throws {
        let inboxB = MessageInbox()
        let a = try TransportFixture.transport(id: 1, inbox: MessageInbox())
        let b = try TransportFixture.transport(id: 2, inbox: inboxB)
        defer { a.stop(); b.stop() }
        a.setPeer(3, address: b.boundAddress)
        a.send([TransportFixture.heartbeat(from: 1, to: 3, commit: 1)])
        #expect(eventually { a.stats.peers[3]?.lastRefusal == .wrongTarget })
        #expect(inboxB.count == 0)
    }
}
