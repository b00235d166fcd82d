import Platform

/// The members a cluster starts with (`--initial-cluster n1=http://h:2380,n2=…`) and the
/// IDs derived from them. Every member computes the same IDs from the same flags, as
/// etcd does, so no coordination is needed to bootstrap.
struct ClusterConfiguration: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var name: String
        var peerURL: String
        var peerAddress: SocketAddress
        var id: UInt64
    }

    /// Members in a bootstrap list: enough for any real cluster (etcd recommends at
    /// most 7 voters), small enough to keep quorum arithmetic cheap.
    static let membersMax = 64

    var members: [Member]
    var token: String

    /// The cluster ID guards peer links against members of another cluster. It comes
    /// from the token alone, so a member joining later (whose list includes itself)
    /// computes the same ID as the members that bootstrapped: give each cluster its own
    /// `--initial-cluster-token`.
    var clusterID: UInt64 {
        ClusterConfiguration.fnv1a64("roost-cluster|\(token)") | 1
    }

    /// A member's ID depends only on the token and its peer URL, so any member (and a
    /// member joining later) computes every other member's ID from its URL alone.
    static func memberID(peerURL: String, token: String) -> UInt64 {
        fnv1a64("roost-member|\(token)|\(peerURL)") | 1
    }

    /// Parses `name=URL[,name=URL…]`; a bare server gets a one-member list of itself.
    static func parse(_ text: String, token: String) throws(ServerError) -> ClusterConfiguration {
        var members: [Member] = []
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .badAddress(flag: "--initial-cluster", value: String(item))
            }
            guard let name = validName(parts[0]) else {
                throw .recovery("--initial-cluster: '\(parts[0])' is not a member name")
            }
            var address = Substring(parts[1])
            if address.hasPrefix("http://") { address = address.dropFirst("http://".count) }
            while address.hasSuffix("/") { address = address.dropLast() }
            guard let socketAddress = try? SocketAddress.parse(String(address)) else {
                throw .badAddress(flag: "--initial-cluster", value: parts[1])
            }
            let peerURL = "http://" + address
            let id = memberID(peerURL: peerURL, token: token)
            members.append(
                Member(name: name, peerURL: peerURL, peerAddress: socketAddress, id: id))
        }
        guard !members.isEmpty, members.count <= membersMax else {
            throw .recovery("--initial-cluster needs 1 to \(membersMax) members")
        }
        guard Set(members.map(\.name)).count == members.count,
            Set(members.map(\.peerURL)).count == members.count
        else {
            throw .recovery("--initial-cluster names and peer URLs must be unique")
        }
        return ClusterConfiguration(members: members, token: token)
    }

    /// A member name: no spaces (the `member` file separates fields with them), at most
    /// `MemberTableCodec.stringBytesMax` bytes.
    static func validName(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= MemberTableCodec.stringBytesMax,
            !name.contains(where: \.isWhitespace)
        else { return nil }
        return name
    }

    /// FNV-1a: stable across builds and machines, well spread; IDs must never change.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
