import DiscoveryHTTP
import Foundation

/// The member and cluster IDs, chosen once when a data directory is created and kept
/// in `<data-dir>/member` so a restart answers with the same IDs (etcd derives them
/// from the initial configuration and keeps them in its WAL metadata).
enum MemberIdentityFile {
    static func loadOrCreate(
        directory: String, name: String, peerURL: String
    ) throws(ServerError) -> MemberIdentity {
        let path = directory + "/member"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2, let cluster = UInt64(fields[0], radix: 16),
                let member = UInt64(fields[1], radix: 16)
            else {
                throw .recovery("\(path) is damaged: expected two hexadecimal IDs")
            }
            return MemberIdentity(clusterID: cluster, memberID: member, raftTerm: 1, name: name)
        }
        let member = fnv1a64("\(name)|\(peerURL)") | 1
        let cluster = fnv1a64("roost-cluster|\(member)") | 1
        let text = String(cluster, radix: 16) + " " + String(member, radix: 16) + "\n"
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .recovery("cannot write \(path): \(error)")
        }
        return MemberIdentity(clusterID: cluster, memberID: member, raftTerm: 1, name: name)
    }

    /// FNV-1a: a stable, well-spread 64-bit hash; IDs must survive restarts and builds.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
