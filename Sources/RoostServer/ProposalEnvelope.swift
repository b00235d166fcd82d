import KVStore

/// What a Raft entry of the key space holds: who proposed it, that member's request
/// number, and the encoded command. A member recognises its own proposals when they are
/// applied by (proposer, request) rather than by log index, because a proposal can be
/// forwarded to a leader, or lost and replaced when leadership changes (etcd keeps a
/// request ID in every internal request for the same reason).
struct ProposalEnvelope: Equatable {
    /// Marks the envelope format; a bare `KVCommand` (the first one-member format)
    /// starts with its own version byte, which is never this value.
    static let tag: UInt8 = 0xE7
    static let headerBytes = 17

    var proposer: UInt64
    var request: UInt64
    var command: [UInt8]

    func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ProposalEnvelope.headerBytes + command.count)
        bytes.append(ProposalEnvelope.tag)
        BigEndian.append(proposer, to: &bytes)
        BigEndian.append(request, to: &bytes)
        bytes.append(contentsOf: command)
        return bytes
    }

    /// Decodes an entry's data. Data without the tag is a bare command written by the
    /// one-member format, with no proposer.
    static func decode(_ data: [UInt8]) -> ProposalEnvelope {
        guard data.count >= headerBytes, data[0] == tag else {
            return ProposalEnvelope(proposer: 0, request: 0, command: data)
        }
        return ProposalEnvelope(
            proposer: BigEndian.read(data, at: 1), request: BigEndian.read(data, at: 9),
            command: Array(data[headerBytes...]))
    }
}
