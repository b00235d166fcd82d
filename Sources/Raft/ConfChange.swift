/// A single-server membership change (thesis §4.1), carried in an `Entry` of kind
/// `.configurationChange`. Promotion of a learner is `addVoter` of that learner.
///
/// The core applies a change to its own membership in `advance()`, after handing the entry
/// out in `Ready.committedEntries`. The application decodes the same entry
/// (`ConfChange.decode(entry.data)`) to learn the member's metadata from `context`
/// (etcd puts the member's name and peer/client URLs there) and keeps its member table
/// in its replicated state and snapshots: `SnapshotMetadata.confState` holds ids only.
public struct ConfChange: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, Equatable {
        case addVoter = 1
        case addLearner = 2
        case removeNode = 3
    }

    public var kind: Kind
    public var nodeID: UInt64
    /// Opaque to the core, at most `RaftLimits.confChangeContextBytesMax` bytes
    /// (`proposeConfChange` refuses more, `decode` too).
    public var context: [UInt8]

    public init(kind: Kind, nodeID: UInt64, context: [UInt8] = []) {
        self.kind = kind
        self.nodeID = nodeID
        self.context = context
    }

    /// One kind byte, the node id as a varint, then the context as a varint length and
    /// the bytes.
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(12 + context.count)
        writer.writeByte(kind.rawValue)
        writer.writeVarint(nodeID)
        writer.writeBytes(context)
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(RaftError) -> ConfChange {
        var reader = ByteReader(bytes)
        guard let kind = Kind(rawValue: try reader.readByte()) else {
            throw .malformed(.badConfChangeKind)
        }
        let nodeID = try reader.readVarint()
        let context = try reader.readBytes(limit: RaftLimits.confChangeContextBytesMax)
        guard reader.isAtEnd else { throw .malformed(.trailingBytes) }
        return ConfChange(kind: kind, nodeID: nodeID, context: context)
    }
}
