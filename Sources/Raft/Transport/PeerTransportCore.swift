import Platform
import Synchronization

/// The state a `PeerTransport` shares between the threads calling `send`/`setPeer` and its
/// event loop: per-peer bounded queues and counters under one mutex. Critical sections
/// are a few appends or pops, so `send` never waits long and never waits on I/O.
final class PeerTransportCore: Sendable {
    let localID: UInt64
    let clusterID: UInt64
    let limits: PeerTransportLimits
    /// The cluster's shared secret: set, every connection speaks protocol version 2
    /// (authenticated, `PeerHandshake`); nil, version 1.
    let secret: PeerSecret?
    let onMessage: @Sendable (Message) -> Void
    let onUnreachable: (@Sendable (UInt64) -> Void)?

    struct Peer {
        var address: SocketAddress
        var control: PeerOutboundQueue
        var bulk: PeerOutboundQueue
        var stats = PeerLinkStats()

        subscript(stream: PeerStreamKind) -> PeerOutboundQueue {
            get { stream == .control ? control : bulk }
            set {
                if stream == .control { control = newValue } else { bulk = newValue }
            }
        }
    }

    struct State {
        var peers: [UInt64: Peer] = [:]
        /// Inbound counters; `peers` of this value is filled in only by `stats`.
        var totals = PeerTransportStats()
        var stopped = false
    }

    let state = Mutex(State())
    /// True while a `service` task is queued on the loop: many `send` calls, one wake-up.
    let wakeScheduled = Atomic<Bool>(false)

    init(
        localID: UInt64, clusterID: UInt64, limits: PeerTransportLimits, secret: PeerSecret?,
        onUnreachable: (@Sendable (UInt64) -> Void)?,
        onMessage: @escaping @Sendable (Message) -> Void
    ) {
        self.localID = localID
        self.clusterID = clusterID
        self.limits = limits
        self.secret = secret
        self.onUnreachable = onUnreachable
        self.onMessage = onMessage
    }

    /// Frames and queues `messages`; true if any was queued (the loop must be woken).
    func enqueue(_ messages: [Message]) -> Bool {
        let frameBytesMax = limits.frameBytesMax
        // Encoding happens outside the lock: it is the costly part.
        let framed = messages.map { message -> (UInt64, PeerStreamKind, [UInt8]?) in
            let payload = message.encode()
            let frame = payload.count <= frameBytesMax ? PeerFrame.encode(payload: payload) : nil
            return (message.to, PeerStreamKind.of(message), frame)
        }
        return state.withLock { state in
            var queued = false
            for (to, stream, frame) in framed {
                guard !state.stopped, state.peers[to] != nil else {
                    state.totals.messagesToUnknownPeers += 1
                    continue
                }
                guard let frame else {
                    state.peers[to]?.stats[stream].messagesDropped += 1
                    state.peers[to]?.stats[stream].messagesOversized += 1
                    continue
                }
                if state.peers[to]?[stream].push(frame) == true {
                    queued = true
                } else {
                    state.peers[to]?.stats[stream].messagesDropped += 1
                }
            }
            return queued
        }
    }

    /// Pops frames for one stream until about `byteBudget` bytes (at least one frame).
    func takeFrames(peer: UInt64, stream: PeerStreamKind, byteBudget: Int) -> [[UInt8]] {
        state.withLock { state in
            var frames: [[UInt8]] = []
            var bytes = 0
            while bytes < byteBudget, let frame = state.peers[peer]?[stream].pop() {
                bytes += frame.count
                frames.append(frame)
            }
            return frames
        }
    }

    func updateStats(
        peer: UInt64, stream: PeerStreamKind, _ body: (inout PeerStreamStats) -> Void
    ) {
        state.withLock { state in
            guard var stats = state.peers[peer]?.stats[stream] else { return }
            body(&stats)
            state.peers[peer]?.stats[stream] = stats
        }
    }

    func recordRefusal(peer: UInt64, _ refusal: PeerRefusal) {
        state.withLock { $0.peers[peer]?.stats.lastRefusal = refusal }
    }

    func updateTotals(_ body: (inout PeerTransportStats) -> Void) {
        state.withLock { body(&$0.totals) }
    }

    /// The configured peers and their addresses (the loop reconciles its streams to it).
    func peerAddresses() -> [UInt64: SocketAddress] {
        state.withLock { $0.peers.mapValues(\.address) }
    }

    func stats() -> PeerTransportStats {
        state.withLock { state in
            var snapshot = state.totals
            for (id, peer) in state.peers {
                var link = peer.stats
                link.control.messagesQueued = peer.control.count
                link.bulk.messagesQueued = peer.bulk.count
                snapshot.peers[id] = link
            }
            return snapshot
        }
    }
}
