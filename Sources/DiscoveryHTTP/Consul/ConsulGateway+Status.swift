import KVStore
import Platform

/// `/v1/status/leader|peers` and `/v1/operator/raft/configuration`: who is in the
/// cluster, with Raft peer addresses where Consul shows its server RPC addresses.
extension ConsulGateway {
    func statusLeader(_ responder: HTTPResponder) {
        let status = keySpace.status()
        let leader = members(status).first { $0.id == status.leaderID }
        var writer = JSONWriter()
        writer.string(leader.map { ConsulGateway.address($0) } ?? "")
        ConsulGateway.respondJSON(writer.bytes, responder)
    }

    func statusPeers(_ responder: HTTPResponder) {
        var writer = JSONWriter()
        writer.beginArray()
        for member in members(keySpace.status()) where !member.isLearner {
            writer.string(ConsulGateway.address(member))
        }
        writer.endArray()
        ConsulGateway.respondJSON(writer.bytes, responder)
    }

    func raftConfiguration(_ responder: HTTPResponder) {
        let status = keySpace.status()
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Servers")
        writer.beginArray()
        for member in members(status) {
            writer.beginObject()
            writer.key("ID")
            writer.string(String(member.id, radix: 16))
            writer.key("Node")
            writer.string(member.name)
            writer.key("Address")
            writer.string(ConsulGateway.address(member))
            writer.key("Leader")
            writer.bool(member.id == status.leaderID)
            writer.key("Voter")
            writer.bool(!member.isLearner)
            writer.key("ProtocolVersion")
            writer.string("3")
            writer.endObject()
        }
        writer.endArray()
        writer.key("Index")
        writer.number(Int64(clamping: status.raftIndex))
        writer.endObject()
        ConsulGateway.respondJSON(writer.bytes, responder)
    }

    private func members(_ status: ServerStatus) -> [MemberInfo] {
        if !status.members.isEmpty { return status.members }
        let identity = keySpace.identity
        return [
            MemberInfo(
                id: identity.memberID, name: identity.name, peerURLs: status.peerURLs,
                clientURLs: status.clientURLs)
        ]
    }

    /// `host:port` of a member's first peer URL (`http://10.0.0.1:2380` → `10.0.0.1:2380`).
    static func address(_ member: MemberInfo) -> String {
        guard let url = member.peerURLs.first ?? member.clientURLs.first else { return "" }
        let parts = url.split(separator: "/", omittingEmptySubsequences: true)
        // ["http:", "host:port", ...] or a bare "host:port".
        guard parts.count >= 2, parts[0].hasSuffix(":") else { return url }
        return String(parts[1])
    }
}
