import Raft

/// The Raft safety properties (Figure 3 of the Raft paper), checked as the run goes.
struct SafetyChecker {
    /// The leader seen for each term. Looked up only (dictionary order is not stable).
    private var leaderOfTerm: [UInt64: UInt64] = [:]
    /// Every entry applied by some node, at index `i` stored at `i - 1`: what is committed.
    private(set) var appliedLog: [Entry] = []

    /// Election Safety: at most one leader per term.
    mutating func observeLeader(node: UInt64, term: UInt64, tick: UInt64) -> Violation? {
        if let known = leaderOfTerm[term], known != node {
            return Violation(kind: .electionSafety, tick: tick,
                             detail: "nodes \(known) and \(node) both lead term \(term)")
        }
        leaderOfTerm[term] = node
        return nil
    }

    /// State Machine Safety: a node applying `entry` must apply what every other node
    /// applied at that index.
    mutating func observeApply(node: UInt64, entry: Entry, tick: UInt64) -> Violation? {
        let slot = Int(entry.index) - 1
        if slot < appliedLog.count {
            let known = appliedLog[slot]
            guard known != entry else { return nil }
            return Violation(
                kind: .stateMachineSafety, tick: tick,
                detail: "node \(node) applies \(entry.index)@\(entry.term) "
                    + "(\(entry.data.count) bytes) but \(known.index)@\(known.term) "
                    + "(\(known.data.count) bytes) was applied there before")
        }
        precondition(slot == appliedLog.count, "nodes apply from index 1 without gaps")
        appliedLog.append(entry)
        return nil
    }

    /// Leader Completeness: a new leader's log holds every entry applied anywhere so far.
    func checkLeaderCompleteness(node: UInt64, term: UInt64, storage: MemoryStorage,
                                 tick: UInt64) -> Violation? {
        let lastIndex = (try? storage.lastIndex()) ?? 0
        for entry in appliedLog {
            let held = entry.index <= lastIndex ? try? storage.term(entry.index) : nil
            guard held != entry.term else { continue }
            let heldText = held.map { "term \($0)" } ?? "nothing"
            return Violation(
                kind: .leaderCompleteness, tick: tick,
                detail: "node \(node) leads term \(term) holding \(heldText) at index "
                    + "\(entry.index), where \(entry.index)@\(entry.term) was committed")
        }
        return nil
    }

    /// Log Matching: if two logs hold an entry with the same index and term, they are
    /// identical up to it. `logs` are (node, entries from index 1).
    static func checkLogMatching(_ logs: [(node: UInt64, entries: [Entry])],
                                 tick: UInt64) -> Violation? {
        for first in logs.indices {
            for second in logs.indices where second > first {
                if let violation = compare(logs[first], logs[second], tick: tick) {
                    return violation
                }
            }
        }
        return nil
    }

    private static func compare(_ a: (node: UInt64, entries: [Entry]),
                                _ b: (node: UInt64, entries: [Entry]),
                                tick: UInt64) -> Violation? {
        var slot = min(a.entries.count, b.entries.count) - 1
        while slot >= 0 && a.entries[slot].term != b.entries[slot].term { slot -= 1 }
        guard slot >= 0 else { return nil }
        for earlier in 0...slot where a.entries[earlier] != b.entries[earlier] {
            return Violation(
                kind: .logMatching, tick: tick,
                detail: "nodes \(a.node) and \(b.node) agree on \(slot + 1)@"
                    + "\(a.entries[slot].term) but differ at index \(earlier + 1) "
                    + "(terms \(a.entries[earlier].term) and \(b.entries[earlier].term))")
        }
        return nil
    }
}
