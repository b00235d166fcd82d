@testable import Raft

/// Text forms of cores, Readies, messages and entries, as the transcripts print them.
extension InteractionEnv {
    func name(of role: RaftRole) -> String {
        switch role {
        case .follower: return "follower"
        case .preCandidate: return "pre-candidate"
        case .candidate: return "candidate"
        case .leader: return "leader"
        }
    }

    func describe(_ core: RaftCore) -> String {
        let status = core.status
        return "\(status.id): \(name(of: status.role)) term=\(status.term) lead=\(status.lead)"
            + " commit=\(status.commit) applied=\(status.applied) last=\(status.lastIndex)"
            + " voters=\(list(status.confState.voters))"
            + " learners=\(list(status.confState.learners))"
    }

    func list(_ ids: [UInt64]) -> String {
        "(" + ids.map(String.init).joined(separator: ",") + ")"
    }

    func quoted(_ bytes: [UInt8]) -> String {
        "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }

    func describe(_ entry: Entry) -> String {
        let position = "\(entry.term)/\(entry.index)"
        guard entry.kind == .configurationChange else {
            return "\(position) EntryNormal \(quoted(entry.data))"
        }
        guard let change = try? ConfChange.decode(entry.data) else {
            return "\(position) EntryConfChange <malformed>"
        }
        let kind: String
        switch change.kind {
        case .addVoter: kind = "add-voter"
        case .addLearner: kind = "add-learner"
        case .removeNode: kind = "remove"
        }
        let context = change.context.isEmpty ? "" : " context=" + quoted(change.context)
        return "\(position) EntryConfChange \(kind) \(change.nodeID)" + context
    }

    func describe(_ ready: Ready) -> [String] {
        var lines = ["Ready:"]
        if let soft = ready.softState {
            lines.append("State: \(name(of: soft.role)) lead=\(soft.lead)")
        }
        if let hard = ready.hardState {
            lines.append("HardState Term:\(hard.term) Vote:\(hard.vote) Commit:\(hard.commit)")
        }
        if !ready.entries.isEmpty {
            lines.append("Entries:")
            lines += ready.entries.map { "  " + describe($0) }
        }
        if let snapshot = ready.snapshot {
            lines.append("Snapshot " + describe(snapshot.metadata)
                         + " Data:\(quoted(snapshot.data))")
        }
        if !ready.committedEntries.isEmpty {
            lines.append("CommittedEntries:")
            lines += ready.committedEntries.map { "  " + describe($0) }
        }
        if !ready.messages.isEmpty {
            lines.append("Messages:")
            lines += ready.messages.map { "  " + describe($0) }
        }
        if !ready.readStates.isEmpty {
            lines.append("ReadStates:")
            lines += ready.readStates.map { "  Index:\($0.index) Context:\(quoted($0.context))" }
        }
        return lines.map { "  " + $0 }
    }

    func describe(_ metadata: SnapshotMetadata) -> String {
        "\(metadata.term)/\(metadata.index) voters=\(list(metadata.confState.voters))"
            + " learners=\(list(metadata.confState.learners))"
    }

    func describe(_ message: Message) -> String {
        var text = "\(message.from)->\(message.to) \(kindName(message.kind)) Term:\(message.term)"
        switch message.kind {
        case .append:
            text += " Log:\(message.logTerm)/\(message.index) Commit:\(message.commit)"
            if !message.entries.isEmpty {
                text += " Entries:[" + message.entries.map(describe).joined(separator: ", ") + "]"
            }
        case .appendResponse:
            text += " Index:\(message.index)"
            if message.reject {
                text += " Rejected (Hint: \(message.rejectHint)/\(message.logTerm))"
            }
        case .vote, .preVote:
            text += " Log:\(message.logTerm)/\(message.index)"
            if message.isLeadershipTransfer { text += " Transfer" }
        case .voteResponse, .preVoteResponse:
            if message.reject { text += " Rejected" }
        case .heartbeat:
            text += " Commit:\(message.commit)"
        case .snapshot:
            if let metadata = message.snapshotMetadata { text += " Snapshot:" + describe(metadata) }
            text += " Offset:\(message.snapshotOffset) Chunk:\(quoted(message.snapshotChunk))"
            if message.snapshotDone { text += " Done" }
        case .snapshotResponse:
            text += " Index:\(message.index) Offset:\(message.snapshotOffset)"
            if message.reject { text += " Rejected" }
        case .readIndexResponse:
            text += " Index:\(message.index)"
        case .transferLeader:
            text += " Transferee:\(message.index)"
        case .propose:
            text += " Entries:[" + message.entries.map(describe).joined(separator: ", ") + "]"
        case .heartbeatResponse, .timeoutNow, .readIndex, .application:
            break
        }
        if !message.context.isEmpty { text += " Context:\(quoted(message.context))" }
        return text
    }

    func kindName(_ kind: Message.Kind) -> String {
        switch kind {
        case .append: return "MsgApp"
        case .appendResponse: return "MsgAppResp"
        case .vote: return "MsgVote"
        case .voteResponse: return "MsgVoteResp"
        case .preVote: return "MsgPreVote"
        case .preVoteResponse: return "MsgPreVoteResp"
        case .heartbeat: return "MsgHeartbeat"
        case .heartbeatResponse: return "MsgHeartbeatResp"
        case .snapshot: return "MsgSnap"
        case .snapshotResponse: return "MsgSnapResp"
        case .application: return "MsgApplication"
        case .timeoutNow: return "MsgTimeoutNow"
        case .readIndex: return "MsgReadIndex"
        case .readIndexResponse: return "MsgReadIndexResp"
        case .transferLeader: return "MsgTransferLeader"
        case .propose: return "MsgProp"
        }
    }

    func describeStatus(_ id: UInt64) -> [String] {
        guard let core = nodes[id]?.core else { return ["\(id) is down"] }
        var lines = [describe(core)]
        for peer in core.status.progress {
            var line = "  \(peer.id): \(peer.state) match=\(peer.match) next=\(peer.next)"
            if peer.isLearner { line += " learner" }
            if peer.inflightCount > 0 { line += " inflight=\(peer.inflightCount)" }
            if !peer.recentActive { line += " inactive" }
            lines.append(line)
        }
        return lines
    }

    func describeLog(_ id: UInt64) -> [String] {
        guard let storage = nodes[id]?.storage,
              let first = try? storage.firstIndex(), let last = try? storage.lastIndex()
        else { return ["no node \(id)"] }
        guard last >= first,
              let entries = try? storage.entries(first, last + 1, maxBytes: .max) else {
            return ["log is empty: first index=\(first), last index=\(last)"]
        }
        return entries.map(describe)
    }
}
