/// A change to a member's attributes that does not change Raft's configuration, carried
/// in an ordinary log entry so every member applies it at the same point of the history
/// (etcd publishes a member's name and client URLs, and updates peer URLs, the same way).
///
/// Encoding (inside a `ProposalEnvelope`): `tag(1) kind(1) memberID(8)` then the fields
/// as `MemberTableCodec` strings. The tag is never a `KVCommand` version byte, so one
/// look at the first byte tells the two apart.
enum MemberCommand: Equatable, Sendable {
    /// The member's own name and client URLs, proposed by that member once it has joined.
    case attributes(memberID: UInt64, name: String, clientURLs: [String])
    /// `member/update`: where the other members reach it.
    case peerURL(memberID: UInt64, url: String)

    static let tag: UInt8 = 0xE8

    var memberID: UInt64 {
        switch self {
        case .attributes(let id, _, _), .peerURL(let id, _): return id
        }
    }

    static func isMemberCommand(_ command: [UInt8]) -> Bool {
        command.first == tag
    }

    func encode() -> [UInt8] {
        var writer = MemberTableCodec.Writer()
        writer.bytes.append(MemberCommand.tag)
        switch self {
        case .attributes(let id, let name, let urls):
            writer.bytes.append(1)
            writer.uint64(id)
            writer.string(name)
            writer.strings(urls)
        case .peerURL(let id, let url):
            writer.bytes.append(2)
            writer.uint64(id)
            writer.string(url)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(MemberTableCodec.Error) -> MemberCommand {
        var reader = MemberTableCodec.Reader(bytes)
        guard try reader.byte() == tag else { throw .malformed("not a member command") }
        let kind = try reader.byte()
        let id = try reader.uint64()
        let command: MemberCommand
        switch kind {
        case 1:
            let name = try reader.string()
            command = .attributes(memberID: id, name: name, clientURLs: try reader.strings())
        case 2:
            command = .peerURL(memberID: id, url: try reader.string())
        default:
            throw .malformed("unknown member command kind \(kind)")
        }
        guard reader.isAtEnd else { throw .malformed("trailing bytes after a member command") }
        return command
    }
}
