/// One WAL record, decoded. On disk every record is a frame (see `WALFrame`).
enum WALRecord: Equatable {
    /// First record of every segment: ties the segment to its name and to the chain.
    case segmentHeader(WALSegmentHeader)
    /// A Raft log entry.
    case entry(Entry)
    /// Raft's persistent term/vote/commit (Figure 2).
    case hardState(HardState)
    /// "A snapshot up to here exists": replay keeps only entries after it.
    case snapshot(SnapshotMetadata)

    enum Kind: UInt8 {
        case segmentHeader = 1
        case entry = 2
        case hardState = 3
        case snapshot = 4
    }

    var kind: Kind {
        switch self {
        case .segmentHeader: .segmentHeader
        case .entry: .entry
        case .hardState: .hardState
        case .snapshot: .snapshot
        }
    }

    /// Payload bytes of an entry record besides its data: term, index, kind.
    static let entryFixedBytes = 17

    var payloadBytes: Int {
        switch self {
        case .segmentHeader: WALSegmentHeader.payloadBytes
        case .entry(let entry): WALRecord.entryFixedBytes + entry.data.count
        case .hardState: 24
        case .snapshot(let metadata): 16 + metadata.confState.storedBytes
        }
    }

    func appendPayload(to buffer: inout [UInt8]) {
        switch self {
        case .segmentHeader(let header):
            header.appendPayload(to: &buffer)
        case .entry(let entry):
            StorageBytes.append(entry.term, to: &buffer)
            StorageBytes.append(entry.index, to: &buffer)
            buffer.append(entry.kind.rawValue)
            buffer.append(contentsOf: entry.data)
        case .hardState(let state):
            StorageBytes.append(state.term, to: &buffer)
            StorageBytes.append(state.vote, to: &buffer)
            StorageBytes.append(state.commit, to: &buffer)
        case .snapshot(let metadata):
            StorageBytes.append(metadata.index, to: &buffer)
            StorageBytes.append(metadata.term, to: &buffer)
            metadata.confState.appendStored(to: &buffer)
        }
    }

    /// Decodes a payload whose frame checksum already matched; nil if it is malformed.
    static func decodePayload(kind: Kind, _ payload: UnsafeRawBufferPointer) -> WALRecord? {
        switch kind {
        case .segmentHeader:
            return WALSegmentHeader(payload: payload).map { .segmentHeader($0) }
        case .entry:
            guard payload.count >= entryFixedBytes,
                let entryKind = Entry.Kind(rawValue: payload[16])
            else { return nil }
            return .entry(
                Entry(
                    term: StorageBytes.load(UInt64.self, from: payload, at: 0),
                    index: StorageBytes.load(UInt64.self, from: payload, at: 8),
                    kind: entryKind,
                    data: Array(UnsafeRawBufferPointer(rebasing: payload[entryFixedBytes...]))))
        case .hardState:
            guard payload.count == 24 else { return nil }
            return .hardState(
                HardState(
                    term: StorageBytes.load(UInt64.self, from: payload, at: 0),
                    vote: StorageBytes.load(UInt64.self, from: payload, at: 8),
                    commit: StorageBytes.load(UInt64.self, from: payload, at: 16)))
        case .snapshot:
            guard payload.count >= 16,
                let (confState, used) = ConfState.loadStored(from: payload, at: 16),
                16 + used == payload.count
            else { return nil }
            return .snapshot(
                SnapshotMetadata(
                    index: StorageBytes.load(UInt64.self, from: payload, at: 0),
                    term: StorageBytes.load(UInt64.self, from: payload, at: 8),
                    confState: confState))
        }
    }
}

/// The payload of a segment's first record. Carrying the previous segment's final CRC makes
/// the checksum chain cross segment boundaries, like etcd's crc record (`wal.go: cut`).
struct WALSegmentHeader: Equatable {
    /// "ROOSTWAL": tells a WAL segment from any other file.
    static let magic: [UInt8] = Array("ROOSTWAL".utf8)
    static let version: UInt32 = 1
    /// magic 8, version 4, previousCRC 4, sequence 8, firstIndex 8.
    static let payloadBytes = 32

    var sequence: UInt64
    /// The index the first entry written to this segment was expected to have.
    var firstIndex: UInt64
    /// The chain value at the end of the previous segment (0 for the very first).
    var previousCRC: UInt32

    init(sequence: UInt64, firstIndex: UInt64, previousCRC: UInt32) {
        self.sequence = sequence
        self.firstIndex = firstIndex
        self.previousCRC = previousCRC
    }

    init?(payload: UnsafeRawBufferPointer) {
        guard payload.count == WALSegmentHeader.payloadBytes,
            payload.prefix(8).elementsEqual(WALSegmentHeader.magic),
            StorageBytes.load(UInt32.self, from: payload, at: 8) == WALSegmentHeader.version
        else { return nil }
        previousCRC = StorageBytes.load(UInt32.self, from: payload, at: 12)
        sequence = StorageBytes.load(UInt64.self, from: payload, at: 16)
        firstIndex = StorageBytes.load(UInt64.self, from: payload, at: 24)
    }

    func appendPayload(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: WALSegmentHeader.magic)
        StorageBytes.append(WALSegmentHeader.version, to: &buffer)
        StorageBytes.append(previousCRC, to: &buffer)
        StorageBytes.append(sequence, to: &buffer)
        StorageBytes.append(firstIndex, to: &buffer)
    }
}
