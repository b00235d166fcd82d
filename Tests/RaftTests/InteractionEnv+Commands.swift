@testable import Raft

/// The transcript language: one command per line, `name positional... key=value...`,
/// where a value or positional may be an id list `(1,2,3)`.
extension InteractionEnv {
    struct Command {
        var name: String
        var positional: [String] = []
        var keyed: [String: String] = [:]

        init(_ line: String) {
            let tokens = line.split(separator: " ").map(String.init)
            name = tokens.first ?? ""
            for token in tokens.dropFirst() {
                if let equals = token.firstIndex(of: "="), !token.hasPrefix("(") {
                    keyed[String(token[..<equals])] = String(token[token.index(after: equals)...])
                } else {
                    positional.append(token)
                }
            }
        }

        /// Ids from positionals like `1` `2` or `(1,2)`.
        var ids: [UInt64] { positional.flatMap(Command.idList) }

        static func idList(_ text: String) -> [UInt64] {
            text.trimmingCharacters(in: ["(", ")"]).split(separator: ",").compactMap {
                UInt64($0)
            }
        }

        func int(_ key: String) -> Int? { keyed[key].flatMap { Int($0) } }
        func bool(_ key: String) -> Bool? { keyed[key].map { $0 == "true" } }
    }

    /// Runs one transcript command and returns its output lines.
    mutating func run(_ line: String) -> [String] {
        let command = Command(line)
        let ids = command.ids
        switch command.name {
        // add-nodes 3 voters=(1,2,3) learners=(4) index=2 prevote=false checkquorum=false
        //   chunk=4 inflight=2 max-msg=1000 max-uncommitted=10 faults=commit-without-quorum
        //   forwarding=false
        case "add-nodes":
            return addNodes(command)
        // campaign 1
        case "campaign":
            return ids.flatMap { id in withCore(id) { core in core.campaign(); return [] } }
        case "tick-election":
            return ids.flatMap { tickElection($0) }
        case "tick-heartbeat":
            return ids.flatMap { tickHeartbeat($0) }
        // tick 1 n=3
        case "tick":
            return ids.flatMap { tick($0, times: command.int("n") ?? 1) }
        case "process-ready":
            return ids.flatMap { id in ["> \(id) handling Ready"] + processReady(id) }
        // deliver-msgs 2 drop=(3): deliver everything queued for 2, drop what is queued for 3
        case "deliver-msgs":
            let dropped = Command.idList(command.keyed["drop"] ?? "").flatMap { drop(to: $0) }
            return dropped + ids.flatMap { deliver(to: $0) }
        case "stabilize":
            return stabilize(ids.isEmpty ? nil : ids)
        // propose 1 data [more data...]: several values become one batched proposal
        case "propose":
            return propose(command)
        case "partition":
            partition = command.positional.map(Command.idList)
            return []
        case "heal":
            partition = nil
            return []
        case "crash":
            return ids.flatMap { crash($0) }
        case "restart":
            return ids.flatMap { restart($0) }
        // read-index 1 ctx
        case "read-index":
            return readIndex(command)
        // propose-conf-change 1 add-learner 4 | add-voter 4 | remove 2 [context=text]
        case "propose-conf-change":
            return proposeConfChange(command)
        // forget-leader 2 3
        case "forget-leader":
            return ids.flatMap { id in withCore(id) { core in core.forgetLeader(); return [] } }
        // transfer-leadership from=1 to=2
        case "transfer-leadership":
            return transferLeadership(command)
        // compact 1 5: snapshot node 1's state at index 5 and drop the entries it covers
        case "compact":
            return compact(command)
        case "status":
            return ids.flatMap { describeStatus($0) }
        case "raft-log":
            return ids.flatMap { describeLog($0) }
        case "raft-state":
            return self.ids.map { id in nodes[id]?.core.map(describe) ?? "\(id): down" }
        // applied 1: the state machine's entries, as applied
        case "applied":
            return ids.flatMap { id in (nodes[id]?.applied ?? []).map(describe) }
        default:
            return ["unknown command \(command.name)"]
        }
    }

    private mutating func addNodes(_ command: Command) -> [String] {
        let count = Int(command.positional.first ?? "1") ?? 1
        let voters = Command.idList(command.keyed["voters"] ?? "")
        let learners = Command.idList(command.keyed["learners"] ?? "")
        let index = UInt64(command.keyed["index"] ?? "0") ?? 0
        return addNodes(count, voters: voters, learners: learners, index: index) { config in
            if let preVote = command.bool("prevote") { config.preVote = preVote }
            if let checkQuorum = command.bool("checkquorum") { config.checkQuorum = checkQuorum }
            if let chunk = command.int("chunk") { config.snapshotChunkBytes = chunk }
            if let inflight = command.int("inflight") { config.maxInflightMsgs = inflight }
            if let bytes = command.int("max-msg") { config.maxSizePerMsgBytes = UInt64(bytes) }
            if let bytes = command.int("max-uncommitted") {
                config.uncommittedEntriesBytesMax = UInt64(bytes)
            }
            if let election = command.int("election") { config.electionTicks = election }
            if let forwarding = command.bool("forwarding") {
                config.disableProposalForwarding = !forwarding
            }
            switch command.keyed["faults"] {
            case "commit-without-quorum": config.testingFaults = .commitWithoutQuorum
            case "forget-vote-on-restart": config.testingFaults = .forgetVoteOnRestart
            case "read-before-noop": config.testingFaults = .serveReadIndexBeforeNoOpCommit
            default: break
            }
        }
    }

    private mutating func propose(_ command: Command) -> [String] {
        guard let id = command.positional.first.flatMap({ UInt64($0) }) else {
            return ["usage: propose <id> <data>..."]
        }
        let batch = command.positional.dropFirst().map { Array($0.utf8) }
        return withCore(id) { core in
            do throws(RaftError) {
                try core.propose(batch: Array(batch))
                return []
            } catch {
                return ["error: \(error)"]
            }
        }
    }

    private mutating func readIndex(_ command: Command) -> [String] {
        guard command.positional.count == 2, let id = UInt64(command.positional[0]) else {
            return ["usage: read-index <id> <context>"]
        }
        let context = Array(command.positional[1].utf8)
        return withCore(id) { core in
            do throws(RaftError) {
                try core.readIndex(context: context)
                return []
            } catch {
                return ["error: \(error)"]
            }
        }
    }

    private mutating func proposeConfChange(_ command: Command) -> [String] {
        let kinds: [String: ConfChange.Kind] = [
            "add-voter": .addVoter, "add-learner": .addLearner, "remove": .removeNode,
        ]
        guard command.positional.count == 3, let id = UInt64(command.positional[0]),
              let kind = kinds[command.positional[1]],
              let node = UInt64(command.positional[2]) else {
            return ["usage: propose-conf-change <id> add-voter|add-learner|remove <node>"]
        }
        return withCore(id) { core in
            do throws(RaftError) {
                let context = Array((command.keyed["context"] ?? "").utf8)
                try core.proposeConfChange(
                    ConfChange(kind: kind, nodeID: node, context: context))
                return []
            } catch {
                return ["error: \(error)"]
            }
        }
    }

    private mutating func transferLeadership(_ command: Command) -> [String] {
        guard let from = command.keyed["from"].flatMap({ UInt64($0) }),
              let to = command.keyed["to"].flatMap({ UInt64($0) }) else {
            return ["usage: transfer-leadership from=<id> to=<id>"]
        }
        return withCore(from) { core in
            do throws(RaftError) {
                try core.transferLeadership(to: to)
                return []
            } catch {
                return ["error: \(error)"]
            }
        }
    }

    private mutating func compact(_ command: Command) -> [String] {
        guard command.positional.count == 2, let id = UInt64(command.positional[0]),
              let index = UInt64(command.positional[1]), let node = nodes[id],
              let core = node.core else {
            return ["usage: compact <id> <index>"]
        }
        let data = Array("snap@\(index)".utf8)
        do throws(RaftError) {
            try node.storage.createSnapshot(
                index: index, confState: core.status.confState, data: data)
            try node.storage.compact(index)
        } catch {
            return ["error: \(error)"]
        }
        return describeLog(id)
    }
}
