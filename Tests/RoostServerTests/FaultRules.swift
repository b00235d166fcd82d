import Platform
import Synchronization

/// The faults every `FaultProxy` of a cluster applies, changed by tests while traffic flows.
///
/// Peer streams are one-way (dialer to acceptor, `PeerHandshake.swift`), so blocking the link
/// (i, j) drops exactly what i sends to j: a partition blocks both directions, an asymmetric
/// fault one. TCP cannot lose one packet, so "loss" closes a whole connection (the transport
/// redials), as etcd's `DropPeerNetwork` does at the proxy level (reliability.md §4.3).
final class FaultRules: Sendable {
    /// Largest latency a test may inject: past it, every Raft timeout fires and the test
    /// measures nothing but elections.
    static let latencyMillisecondsMax = 500

    private struct State {
        var blocked: Set<FaultLink> = []
        var latencyMilliseconds = 0
        /// Chance, in parts per million, that forwarding one chunk closes its connection.
        var dropPartsPerMillion: UInt64 = 0
        var generator: SeededGenerator
    }

    private let state: Mutex<State>

    init(seed: UInt64) {
        state = Mutex(State(generator: SeededGenerator(seed: seed)))
    }

    func isBlocked(_ link: FaultLink) -> Bool { state.withLock { $0.blocked.contains(link) } }

    func block(_ links: some Sequence<FaultLink>) {
        state.withLock { $0.blocked.formUnion(links) }
    }

    func setLatency(milliseconds: Int) {
        precondition((0...Self.latencyMillisecondsMax).contains(milliseconds), "bad latency")
        state.withLock { $0.latencyMilliseconds = milliseconds }
    }

    func setDropChance(partsPerMillion: UInt64) {
        precondition(partsPerMillion <= 1_000_000, "a chance is at most one million ppm")
        state.withLock { $0.dropPartsPerMillion = partsPerMillion }
    }

    /// Removes every fault: links unblocked, no latency, no drops.
    func heal() {
        state.withLock {
            $0.blocked = []
            $0.latencyMilliseconds = 0
            $0.dropPartsPerMillion = 0
        }
    }

    var latencyMilliseconds: Int { state.withLock { $0.latencyMilliseconds } }

    /// Draws whether to drop the connection now (seeded, so a schedule replays).
    func shouldDrop() -> Bool {
        state.withLock { state in
            guard state.dropPartsPerMillion > 0 else { return false }
            return state.generator.next() % 1_000_000 < state.dropPartsPerMillion
        }
    }
}
