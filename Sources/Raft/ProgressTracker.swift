/// Membership, per-member progress and election votes, kept in small arrays sorted by id:
/// clusters hold at most `RaftLimits.membersMax` members, so a linear scan beats hashing
/// and nothing is allocated per message.
struct ProgressTracker: Sendable {
    private(set) var voters: [UInt64]
    private(set) var learners: [UInt64]
    var progress: [Progress] = []
    private var votes: [(id: UInt64, granted: Bool)] = []
    let inflightCapacity: Int
    let inflightBytesMax: UInt64

    init(confState: ConfState, inflightCapacity: Int, inflightBytesMax: UInt64) {
        voters = confState.voters.sorted()
        learners = confState.learners.sorted()
        self.inflightCapacity = inflightCapacity
        self.inflightBytesMax = inflightBytesMax
        for id in voters { insertProgress(id: id, next: 1, isLearner: false) }
        for id in learners { insertProgress(id: id, next: 1, isLearner: true) }
    }

    var confState: ConfState { ConfState(voters: voters, learners: learners) }
    var memberCount: Int { progress.count }

    func slot(of id: UInt64) -> Int? { progress.firstIndex { $0.id == id } }

    func isVoter(_ id: UInt64) -> Bool { voters.contains(id) }

    func isMember(_ id: UInt64) -> Bool { slot(of: id) != nil }

    private mutating func insertProgress(id: UInt64, next: UInt64, isLearner: Bool) {
        let inflights = Inflights(capacity: inflightCapacity, bytesMax: inflightBytesMax)
        var fresh = Progress(id: id, next: next, isLearner: isLearner, inflights: inflights)
        // A new member counts as active so CheckQuorum does not fire before it can answer.
        fresh.recentActive = true
        let position = progress.firstIndex { $0.id > id } ?? progress.count
        progress.insert(fresh, at: position)
    }

    /// Forgets all progress; every member restarts probing at `next`.
    mutating func resetProgress(next: UInt64) {
        for slot in progress.indices {
            let old = progress[slot]
            let inflights = Inflights(capacity: inflightCapacity, bytesMax: inflightBytesMax)
            progress[slot] = Progress(
                id: old.id, next: next, isLearner: old.isLearner, inflights: inflights)
        }
    }

    mutating func addVoter(_ id: UInt64, next: UInt64) {
        learners.removeAll { $0 == id }
        if !voters.contains(id) {
            voters.append(id)
            voters.sort()
        }
        if let slot = slot(of: id) {
            progress[slot].isLearner = false
        } else {
            insertProgress(id: id, next: next, isLearner: false)
        }
    }

    mutating func addLearner(_ id: UInt64, next: UInt64) {
        guard !isMember(id) else { return }
        learners.append(id)
        learners.sort()
        insertProgress(id: id, next: next, isLearner: true)
    }

    mutating func remove(_ id: UInt64) {
        voters.removeAll { $0 == id }
        learners.removeAll { $0 == id }
        progress.removeAll { $0.id == id }
    }

    func committedIndex() -> UInt64 {
        Quorum.committedIndex(voters: voters) { id in
            progress.first { $0.id == id }?.match ?? 0
        }
    }

    /// Whether a quorum of voters was heard from recently (`self` counts as active).
    func isQuorumActive(selfID: UInt64) -> Bool {
        Quorum.voteResult(voters: voters) { id in
            id == selfID || (progress.first { $0.id == id }?.recentActive ?? false)
        } == .won
    }

    mutating func resetVotes() { votes.removeAll(keepingCapacity: true) }

    /// Records `id`'s first answer in this election and returns the outcome so far.
    mutating func recordVote(from id: UInt64, granted: Bool) -> Quorum.VoteResult {
        if !votes.contains(where: { $0.id == id }) { votes.append((id, granted)) }
        return Quorum.voteResult(voters: voters) { voter in
            votes.first { $0.id == voter }?.granted
        }
    }
}
