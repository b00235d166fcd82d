import DiscoveryHTTP
import Raft

/// Who is in the cluster, by ID: name, peer URL, client URLs, learner or voter. The driver
/// changes it only when a configuration change or a `MemberCommand` entry is applied, in
/// log order, so every member's table follows the same history. It travels in snapshot
/// images and is persisted in `<data-dir>/member` after each change.
struct MemberTable: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var id: UInt64
        var name: String
        var peerURL: String
        var isLearner: Bool
        var clientURLs: [String] = []
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
                isLearner: change.kind == .addLearner, clientURLs: existing?.clientURLs ?? [])
            members[change.nodeID] = member
            return member
        case .removeNode:
            members.removeValue(forKey: change.nodeID)
            return nil
        }
    }

    /// Applies a committed attribute change; returns the member afterwards, or nil when
    /// it is not (or no longer) a member: then the command changes nothing. The command
    /// sets values outright, so applying the same suffix of the log again (a restart
    /// replaying onto the table saved in the `member` file) ends in the same table.
    mutating func apply(_ command: MemberCommand) -> Member? {
        guard var member = members[command.memberID] else { return nil }
        switch command {
        case .attributes(_, let name, let urls):
            member.name = name
            member.clientURLs = urls
        case .peerURL(_, let url):
            member.peerURL = url
        }
        members[command.memberID] = member
        return member
    }
}
