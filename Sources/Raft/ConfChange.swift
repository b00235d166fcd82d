/// A single-server membership change (thesis §4.1), carried in an `Entry` of kind
/// `.configurationChange`. Promotion of a learner is `addVoter` of that learner.
public struct ConfChange: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, Equatable {
        case addVoter = 1
        case addLearner = 2
        case removeNode = 3
    }

    public var kind: Kind
    public var nodeID: UInt64

    public init(kind: Kind, nodeID: UInt64) {
        self.kind = kind
        self.nodeID = nodeID
    }

    /// One kind byte, then the node id as a varint.
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeByte(kind.rawValue)
        writer.writeVarint(nodeID)
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(RaftError) -> ConfChange {
        var reader = ByteReader(bytes)
        guard let kind = Kind(rawValue: try reader.readByte()) else {
            throw .malformed(.badConfChangeKind)
        }
        let nodeID = try reader.readVarint()
        guard reader.isAtEnd else { throw .malformed(.trailingBytes) }
        return ConfChange(kind: kind, nodeID: nodeID)
    }
}
