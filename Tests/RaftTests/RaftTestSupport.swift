@testable import Raft

/// Small builders shared by the paper tests.
extension InteractionEnv {
    /// `count` voters 1...count starting from a snapshot at index 2, term 1.
    static func cluster(
        _ count: Int, preVote: Bool = true, checkQuorum: Bool = true,
        configure: (inout RaftConfig) -> Void = { _ in }
    ) -> InteractionEnv {
        var env = InteractionEnv()
        _ = env.addNodes(count, voters: Array(1...UInt64(count)), index: 2) { config in
            config.preVote = preVote
            config.checkQuorum = checkQuorum
            configure(&config)
        }
        return env
    }

    mutating func campaign(_ id: UInt64) {
        _ = withCore(id) { core in
            core.campaign()
            return []
        }
    }

    /// `id` campaigns and everything settles.
    mutating func elect(_ id: UInt64) {
        campaign(id)
        _ = stabilize(quiet: true)
    }

    mutating func settle() { _ = stabilize(quiet: true) }

    func status(_ id: UInt64) -> RaftStatus { core(id).status }

    mutating func propose(_ id: UInt64, _ text: String) throws(RaftError) {
        guard var core = nodes[id]?.core else { return }
        defer { nodes[id]?.core = core }
        try core.propose(Array(text.utf8))
    }

    mutating func mutate(_ id: UInt64, _ body: (inout RaftCore) -> Void) {
        _ = withCore(id) { core in
            body(&core)
            return []
        }
    }

    func appliedData(_ id: UInt64) -> [String] {
        (nodes[id]?.applied ?? []).filter { !$0.data.isEmpty }.map {
            String(decoding: $0.data, as: UTF8.self)
        }
    }

    func storedTerms(_ id: UInt64) -> [UInt64] {
        guard let storage = nodes[id]?.storage, let first = try? storage.firstIndex(),
              let last = try? storage.lastIndex(), last >= first,
              let entries = try? storage.entries(first, last + 1, maxBytes: .max) else { return [] }
        return entries.map(\.term)
    }

    /// Messages queued in the network, by kind.
    func queued(_ kind: Message.Kind, to id: UInt64? = nil) -> [Message] {
        network.filter { $0.kind == kind && (id == nil || $0.to == id) }
    }
}

/// A lone core over a MemoryStorage whose log holds entries 1... with `logTerms`.
struct SoloNode {
    var core: RaftCore
    let storage: MemoryStorage

    init(
        id: UInt64 = 1, voters: [UInt64] = [1, 2, 3], learners: [UInt64] = [],
        logTerms: [UInt64] = [], term: UInt64 = 0, vote: UInt64 = 0, commit: UInt64 = 0,
        configure: (inout RaftConfig) -> Void = { _ in }
    ) throws {
        storage = MemoryStorage(confState: ConfState(voters: voters, learners: learners))
        storage.append(logTerms.enumerated().map { offset, term in
            Entry(term: term, index: UInt64(offset + 1), data: [UInt8(offset)])
        })
        storage.setHardState(HardState(
            term: max(term, logTerms.last ?? 0), vote: vote, commit: commit))
        var config = RaftConfig(id: id)
        config.preVote = false
        config.checkQuorum = false
        configure(&config)
        core = try RaftCore(config: config, storage: storage)
    }

    /// Persists and applies one Ready like a real node, returning it.
    @discardableResult
    mutating func handleReady() -> Ready {
        let ready = core.ready()
        if let snapshot = ready.snapshot { try? storage.applySnapshot(snapshot) }
        storage.append(ready.entries)
        if let hardState = ready.hardState { storage.setHardState(hardState) }
        core.advance()
        return ready
    }

    mutating func step(_ message: Message) { core.step(message) }

    /// Everything sent since the last Ready.
    mutating func sent() -> [Message] { handleReady().messages }
}
