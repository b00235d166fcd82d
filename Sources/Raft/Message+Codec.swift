/// Compact binary encoding of `Message`: a version byte, the kind, a flag byte, LEB128
/// varints for the numbers, and length-prefixed byte strings. The transport frames one
/// encoded message; `decode` must consume it exactly. Decoding is bounded by
/// `RaftLimits` and throws `RaftError.malformed` on any garbage, never traps.
extension Message {
    static let encodingVersion: UInt8 = 1

    private struct Flags: OptionSet {
        let rawValue: UInt8
        static let reject = Flags(rawValue: 1 << 0)
        static let transfer = Flags(rawValue: 1 << 1)
        static let snapshotDone = Flags(rawValue: 1 << 2)
        static let hasSnapshot = Flags(rawValue: 1 << 3)
        static let known: Flags = [.reject, .transfer, .snapshotDone, .hasSnapshot]
    }

    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(48 + entries.count * 16 + snapshotChunk.count)
        writer.writeByte(Message.encodingVersion)
        writer.writeByte(kind.rawValue)
        var flags: Flags = []
        if reject { flags.insert(.reject) }
        if isLeadershipTransfer { flags.insert(.transfer) }
        if snapshotDone { flags.insert(.snapshotDone) }
        if snapshotMetadata != nil { flags.insert(.hasSnapshot) }
        writer.writeByte(flags.rawValue)
        for number in [from, to, term, logTerm, index, commit, rejectHint, snapshotOffset] {
            writer.writeVarint(number)
        }
        writer.writeVarint(UInt64(entries.count))
        for entry in entries {
            writer.writeVarint(entry.term)
            writer.writeVarint(entry.index)
            writer.writeByte(entry.kind.rawValue)
            writer.writeBytes(entry.data)
        }
        writer.writeBytes(context)
        if let metadata = snapshotMetadata {
            Message.encode(metadata, into: &writer)
        }
        writer.writeBytes(snapshotChunk)
        return writer.bytes
    }

    private static func encode(_ metadata: SnapshotMetadata, into writer: inout ByteWriter) {
        writer.writeVarint(metadata.index)
        writer.writeVarint(metadata.term)
        for ids in [metadata.confState.voters, metadata.confState.learners] {
            writer.writeVarint(UInt64(ids.count))
            for id in ids { writer.writeVarint(id) }
        }
    }

    /// Decodes exactly one message occupying all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(RaftError) -> Message {
        guard bytes.count <= RaftLimits.messageBytesMax else { throw .malformed(.tooLarge) }
        var reader = ByteReader(bytes)
        guard try reader.readByte() == encodingVersion else { throw .malformed(.badVersion) }
        guard let kind = Kind(rawValue: try reader.readByte()) else {
            throw .malformed(.badMessageType)
        }
        let flags = Flags(rawValue: try reader.readByte())
        guard Flags.known.isSuperset(of: flags) else { throw .malformed(.badVersion) }
        var message = Message(kind: kind, from: 0, to: 0, term: 0)
        message.from = try reader.readVarint()
        message.to = try reader.readVarint()
        message.term = try reader.readVarint()
        message.logTerm = try reader.readVarint()
        message.index = try reader.readVarint()
        message.commit = try reader.readVarint()
        message.rejectHint = try reader.readVarint()
        message.snapshotOffset = try reader.readVarint()
        message.reject = flags.contains(.reject)
        message.isLeadershipTransfer = flags.contains(.transfer)
        message.snapshotDone = flags.contains(.snapshotDone)
        message.entries = try decodeEntries(&reader)
        message.context = try reader.readBytes(limit: RaftLimits.contextBytesMax)
        if flags.contains(.hasSnapshot) {
            message.snapshotMetadata = try decodeMetadata(&reader)
        }
        message.snapshotChunk = try reader.readBytes(limit: RaftLimits.messageBytesMax)
        guard reader.isAtEnd else { throw .malformed(.trailingBytes) }
        return message
    }

    private static func decodeEntries(_ reader: inout ByteReader) throws(RaftError) -> [Entry] {
        let count = try reader.readCount(limit: RaftLimits.entriesPerMessageMax)
        // Every entry takes at least 4 bytes, so a count the buffer cannot hold is garbage;
        // checking first keeps a 5-byte input from reserving a large array.
        guard count <= (reader.bytes.count - reader.offset) / 4 else {
            throw .malformed(.truncated)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let term = try reader.readVarint()
            let index = try reader.readVarint()
            guard let kind = Entry.Kind(rawValue: try reader.readByte()) else {
                throw .malformed(.badEntryKind)
            }
            let data = try reader.readBytes(limit: RaftLimits.messageBytesMax)
            entries.append(Entry(term: term, index: index, kind: kind, data: data))
        }
        return entries
    }

    private static func decodeMetadata(
        _ reader: inout ByteReader
    ) throws(RaftError) -> SnapshotMetadata {
        let index = try reader.readVarint()
        let term = try reader.readVarint()
        var lists: [[UInt64]] = []
        for _ in 0..<2 {
            let count = try reader.readCount(limit: RaftLimits.membersMax)
            var ids: [UInt64] = []
            ids.reserveCapacity(count)
            for _ in 0..<count { ids.append(try reader.readVarint()) }
            lists.append(ids)
        }
        return SnapshotMetadata(
            index: index, term: term,
            confState: ConfState(voters: lists[0], learners: lists[1]))
    }
}
