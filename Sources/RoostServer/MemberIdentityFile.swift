import DiscoveryHTTP
import Foundation

/// The cluster ID, this member's ID and the bootstrap member list, chosen when a data
/// directory is created and kept in `<data-dir>/member`, so a restart answers with the
/// same IDs and the same initial voters whatever flags it is given later (etcd keeps
/// them in its WAL metadata).
///
/// Format: the first line holds the cluster ID and member ID in hex; each further line
/// one bootstrap member: ID in hex, name, peer URL.
struct MemberIdentityFile: Equatable, Sendable {
    var clusterID: UInt64
    var memberID: UInt64
    var members: [MemberTable.Member]

    static func loadOrCreate(
        directory: String, name: String, cluster: ClusterConfiguration
    ) throws(ServerError) -> MemberIdentityFile {
        let path = directory + "/member"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try parse(text, path: path)
        }
        guard let me = cluster.members.first(where: { $0.name == name }) else {
            throw .recovery("--name '\(name)' is not in --initial-cluster")
        }
        let file = MemberIdentityFile(
            clusterID: cluster.clusterID, memberID: me.id,
            members: cluster.members.map {
                MemberTable.Member(id: $0.id, name: $0.name, peerURL: $0.peerURL, isLearner: false)
            })
        try file.save(directory: directory)
        return file
    }

    /// Rewrites the file atomically (temp file and rename).
    func save(directory: String) throws(ServerError) {
        let path = directory + "/member"
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .recovery("cannot write \(path): \(error)")
        }
    }

    var text: String {
        var lines = [String(clusterID, radix: 16) + " " + String(memberID, radix: 16)]
        for member in members {
            let name = member.name.isEmpty ? "-" : member.name
            let role = member.isLearner ? " learner" : ""
            lines.append(String(member.id, radix: 16) + " " + name + " " + member.peerURL + role)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func parse(_ text: String, path: String) throws(ServerError) -> MemberIdentityFile {
        let lines = text.split(separator: "\n")
        guard let first = lines.first else { throw .recovery("\(path) is empty") }
        let ids = first.split(separator: " ")
        guard ids.count == 2, let cluster = UInt64(ids[0], radix: 16),
            let member = UInt64(ids[1], radix: 16)
        else {
            throw .recovery("\(path) is damaged: expected two hexadecimal IDs on its first line")
        }
        var members: [MemberTable.Member] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3 || fields.count == 4, let id = UInt64(fields[0], radix: 16)
            else {
                throw .recovery("\(path) is damaged: bad member line '\(line)'")
            }
            members.append(
                MemberTable.Member(
                    id: id, name: fields[1] == "-" ? "" : fields[1], peerURL: fields[2],
                    isLearner: fields.count == 4 && fields[3] == "learner"))
        }
        // A directory from the one-member format has no member lines: itself only.
        if members.isEmpty {
            members = [
                MemberTable.Member(id: member, name: "default", peerURL: "", isLearner: false)
            ]
        }
        return MemberIdentityFile(clusterID: cluster, memberID: member, members: members)
    }
}
