import DiscoveryHTTP
import Raft

/// Who is in the cluster, by ID: name, peer URL, learner or voter. The driver changes it
/// only when a configuration-change entry is applied, so every member's table follows
/// the same history; it is persisted in `<data-dir>/member` after each change.
struct MemberTable: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var id: UInt64
        var name: String
        var peerURL: String
        var isLearner: Bool
    }

    private(set) var members: [UInt64: Member] = [:]

    init(_ members: [Member]) {
        for member in members { self.members[member.id] = member }
    }

    var sorted: [Member] { members.values.sorted { $0.id < $1.id } }

    func contains(peerURL: String) -> Bool {
        members.values.contains { $0.peerURL == peerURL }
    }

    /// Applies a committed change; returns the member as it is afterwards (nil when
    /// removed). `context` of an add or promote is the member's peer URL.
    mutating func apply(_ change: ConfChange) -> Member? {
        let url = String(decoding: change.context, as: UTF8.self)
        switch change.kind {
        case .addLearner, .addVoter:
            let existing = members[change.nodeID]
            let member = Member(
                id: change.nodeID, name: existing?.name ?? "",
                peerURL: url.isEmpty ? existing?.peerURL ?? "" : url,
                isLearner: change.kind == .addLearner)
            members[change.nodeID] = member
            return member
        case .removeNode:
            members.removeValue(forKey: change.nodeID)
            return nil
        }
    }
}
