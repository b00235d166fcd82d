import Platform
import Synchronization

/// The TCP transport that carries Raft messages between members.
///
/// * **Wire.** Each connection starts with a handshake (`PeerHandshake`: magic, version,
///   stream kind, cluster id, sender and target ids) that the acceptor answers; then the
///   dialer sends length-framed messages (`[u32 length][Message.encode()]`, at most
///   `PeerTransportLimits.frameBytesMax`). A member of another cluster, or a dialer that
///   meant another member, is refused with a reason both sides log.
/// * **Authentication.** With a `PeerSecret` (`--peer-secret-file`), both ends prove they
///   hold it before anything flows and every frame carries a MAC (protocol version 2,
///   `PeerHandshake`), so only members can speak Raft to a member. Traffic is still in
///   clear: this is integrity and authenticity, not confidentiality.
/// * **Connections.** Per peer, two outbound connections (`PeerStreamKind`: control and
///   bulk) so heartbeats never wait behind snapshot chunks or large appends. Connections
///   are one-way: a member sends on the connections it dialed and receives on those it
///   accepted, like etcd's rafthttp streams. Messages are pipelined (no per-message ack).
/// * **Never blocks the Raft driver.** `send` encodes, appends to the peer's bounded queue
///   under a short lock and wakes the loop. A full queue drops the message and counts it;
///   Raft retransmits (etcd rafthttp drops in the same way when a stream's buffer is full).
/// * **Reconnects** with exponential backoff and jitter (`PeerBackoff`); messages still
///   queued go out once the peer is back, what a broken connection held is dropped.
///
/// Threading: every method may be called from any thread, except that `stop()` must not
/// be called from `onMessage`/`onUnreachable`, which run on the transport's loop thread
/// and must hand work off quickly (e.g. to the Raft driver's queue), never block. A
/// driver may share the loop (`loop:`); its `send` calls on the loop write at once.
public final class PeerTransport: @unchecked Sendable {
    public let localID: UInt64
    public let clusterID: UInt64
    public let limits: PeerTransportLimits
    /// The listening address; with port 0 in `listen`, the port the kernel chose.
    public let boundAddress: SocketAddress

    private let core: PeerTransportCore
    private let loop: EventLoop
    private let group: EventLoopGroup?
    private let peerLoop: PeerLoop

    private enum Lifecycle { case created, running, stopped }
    private let lifecycle = Mutex(Lifecycle.created)

    /// Binds `listen` now (so `boundAddress` is known before `start`). Runs on `loop`
    /// when given (it must be running), else on a loop thread of its own.
    ///
    /// - Parameters:
    ///   - secret: the cluster's shared secret; every member must have the same one (or
    ///     none). Nonces come from getrandom(2) whatever `seed` is.
    ///   - seed: seeds reconnect jitter; tests pass a fixed one to replay.
    ///   - logger: one line per notable event (refusals, protocol errors, redials).
    ///   - onUnreachable: a stream to the peer failed; the driver may tell RaftCore
    ///     (etcd `ReportUnreachable`) so it stops pipelining to it. Loop thread.
    ///   - onMessage: a message from a peer. Loop thread; must not block.
    public init(
        localID: UInt64, clusterID: UInt64, listen: SocketAddress,
        limits: PeerTransportLimits = PeerTransportLimits(), secret: PeerSecret? = nil,
        seed: UInt64 = Platform.SeededGenerator.entropySeed(), loop: EventLoop? = nil,
        logger: (@Sendable (String) -> Void)? = nil,
        onUnreachable: (@Sendable (UInt64) -> Void)? = nil,
        onMessage: @escaping @Sendable (Message) -> Void
    ) throws(PeerTransportError) {
        precondition(localID != 0, "member id 0 means no member")
        limits.check()
        self.localID = localID
        self.clusterID = clusterID
        self.limits = limits
        core = PeerTransportCore(
            localID: localID, clusterID: clusterID, limits: limits, secret: secret,
            onUnreachable: onUnreachable, onMessage: onMessage)
        let listener: Socket
        do {
            listener = try Socket.listenTCP(listen, reusePort: false)
            boundAddress = try listener.localAddress()
            if let loop {
                self.loop = loop
                group = nil
            } else {
                let group = try EventLoopGroup(loopCount: 1, namePrefix: "raft-peer")
                self.group = group
                self.loop = group.loops[0]
            }
        } catch {
            throw .socket(error)
        }
        peerLoop = PeerLoop(
            loop: self.loop, core: core, listener: listener, seed: seed, logger: logger)
    }

    deinit {
        stop()
    }

    /// Starts accepting and dialing the configured peers. Idempotent.
    public func start() throws(PeerTransportError) {
        let shouldStart = lifecycle.withLock { state in
            guard state == .created else { return false }
            state = .running
            return true
        }
        guard shouldStart else { return }
        let peerLoop = peerLoop
        do {
            if loop.inEventLoop {
                try peerLoop.start()
            } else {
                try loop.executeAndWait { () throws(Errno) in try peerLoop.start() }
            }
        } catch {
            throw .socket(error)
        }
    }

    /// Adds a peer or changes its address (membership change, restarted peer). A changed
    /// address closes the old connections and dials the new one at once. Any thread.
    public func setPeer(_ id: UInt64, address: SocketAddress) {
        precondition(id != 0 && id != localID, "a peer is another member, id != 0")
        core.state.withLock { state in
            if state.peers[id] != nil {
                state.peers[id]?.address = address
                return
            }
            precondition(state.peers.count < limits.peersMax,
                         "more than peersMax (\(limits.peersMax)) peers")
            state.peers[id] = PeerTransportCore.Peer(
                address: address,
                control: PeerOutboundQueue(
                    messagesMax: limits.controlQueueMessagesMax,
                    bytesMax: limits.controlQueueBytesMax),
                bulk: PeerOutboundQueue(
                    messagesMax: limits.bulkQueueMessagesMax, bytesMax: limits.bulkQueueBytesMax))
        }
        wake()
    }

    /// Forgets a peer: its connections close and its queued messages are dropped. Any thread.
    public func removePeer(_ id: UInt64) {
        core.state.withLock { state in state.peers[id] = nil }
        wake()
    }

    /// Queues `messages` for their `to` peers and returns at once. Messages to unknown
    /// peers, over `frameBytesMax`, or beyond a full queue are dropped and counted. Any
    /// thread; never blocks on I/O.
    public func send(_ messages: [Message]) {
        guard !messages.isEmpty, core.enqueue(messages) else { return }
        // On the transport's own loop (a Raft driver sharing it) the messages are written
        // now: a leader's appends must leave before its fsync, not a loop tick after it.
        if loop.inEventLoop && peerLoop.serviceNowAllowed {
            peerLoop.flushQueued()
        } else {
            wake()
        }
    }

    /// Closes every connection and the listener; later sends are dropped. Idempotent.
    /// Not from the transport's own callbacks (it waits for the loop).
    public func stop() {
        let previous = lifecycle.withLock { state in
            let previous = state
            state = .stopped
            return previous
        }
        guard previous != .stopped else { return }
        core.state.withLock { $0.stopped = true }
        let peerLoop = peerLoop
        if previous == .running {
            if loop.inEventLoop {
                peerLoop.shutdown()
            } else {
                do {
                    try loop.executeAndWait { () throws(Errno) in peerLoop.shutdown() }
                } catch {
                    preconditionFailure("shutdown cannot throw: \(error)")
                }
            }
        } else {
            peerLoop.shutdown()  // Never registered: nothing on the loop to undo.
        }
        group?.shutdown()
    }

    /// A snapshot of the counters. Any thread.
    public var stats: PeerTransportStats { core.stats() }

    /// One `service` task per burst of calls: the flag is cleared by the task itself.
    private func wake() {
        guard !core.wakeScheduled.exchange(true, ordering: .sequentiallyConsistent) else {
            return
        }
        let peerLoop = peerLoop
        loop.execute { peerLoop.service() }
    }
}
