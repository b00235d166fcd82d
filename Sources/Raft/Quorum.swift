/// Majority arithmetic over small voter sets (etcd `quorum/majority.go`).
enum Quorum {
    enum VoteResult: Sendable, Equatable { case pending, lost, won }

    /// The largest index that a majority of `voters` has matched: sort the match indexes in
    /// a stack buffer (no heap allocation for any cluster size) and take the quorum-th
    /// highest.
    static func committedIndex(voters: [UInt64], match: (UInt64) -> UInt64) -> UInt64 {
        let count = voters.count
        guard count > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { buffer in
            for (slot, voter) in voters.enumerated() {
                // Insertion sort, ascending: clusters are small, so this beats a full sort.
                let value = match(voter)
                var position = slot
                while position > 0 && buffer[position - 1] > value {
                    buffer[position] = buffer[position - 1]
                    position -= 1
                }
                buffer[position] = value
            }
            return buffer[count - (count / 2 + 1)]
        }
    }

    /// Whether the granted and rejected votes among `voters` decide an election.
    static func voteResult(voters: [UInt64], granted: (UInt64) -> Bool?) -> VoteResult {
        guard !voters.isEmpty else { return .won }
        let quorum = voters.count / 2 + 1
        var yes = 0
        var missing = 0
        for voter in voters {
            switch granted(voter) {
            case .some(true): yes += 1
            case .some(false): break
            case .none: missing += 1
            }
        }
        if yes >= quorum { return .won }
        if yes + missing >= quorum { return .pending }
        return .lost
    }
}
