import Testing

@testable import Raft

@Suite("WAL frame codec")
struct WALFrameDecoderTests {
    static let records: [WALRecord] = [
        .segmentHeader(WALSegmentHeader(sequence: 7, firstIndex: 42, previousCRC: 0xDEAD_BEEF)),
        .entry(Entry(term: 3, index: 42, kind: .configurationChange, data: [1, 2, 3])),
        .hardState(HardState(term: 3, vote: 2, commit: 41)),
        .snapshot(
            SnapshotMetadata(
                index: 40, term: 2, confState: ConfState(voters: [1, 2], learners: [9]))),
        .entry(Entry(term: 3, index: 43, data: [])),
    ]

    static func encode(_ records: [WALRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        var crc: UInt32 = 0
        for (position, record) in records.enumerated() {
            WALFrame.append(record, batchEnd: position % 2 == 1, to: &bytes, chainCRC: &crc)
        }
        return bytes
    }

    /// Decodes as a reader would if the bytes arrived in two pieces split at `split`.
    static func decodeAll(_ bytes: [UInt8], split: Int) -> [WALRecord] {
        var decoder = WALFrameDecoder(chainCRC: 0, payloadBytesMax: 1 << 20)
        var available = split
        var offset = 0
        var decoded: [WALRecord] = []
        while offset < bytes.count {
            let step = bytes[offset..<available].withUnsafeBytes { decoder.decode($0) }
            switch step {
            case .record(let record, _, let consumedBytes):
                decoded.append(record)
                offset += consumedBytes
            case .needMore(let totalBytes):
                #expect(available - offset < totalBytes)
                guard available < bytes.count else { return decoded }
                available = bytes.count
            case .endOfRecords, .invalid:
                return decoded
            }
        }
        return decoded
    }

    @Test("every record kind round-trips, with the input split at every byte (push parser)")
    func everySplit() {
        let bytes = Self.encode(Self.records)
        #expect(bytes.count % WALFrame.alignmentBytes == 0)
        for split in 0...bytes.count {
            #expect(Self.decodeAll(bytes, split: split) == Self.records, "split \(split)")
        }
    }

    @Test("a zero header is the end of the records (preallocated space, etcd decoder.go)")
    func zeroHeaderEnds() {
        var decoder = WALFrameDecoder(chainCRC: 0, payloadBytesMax: 100)
        let zeros = [UInt8](repeating: 0, count: 64)
        #expect(zeros.withUnsafeBytes { decoder.decode($0) } == .endOfRecords)
    }

    @Test("the CRC is chained: a record decoded with the wrong predecessor fails its check")
    func chained() {
        let bytes = Self.encode(Array(Self.records.prefix(3)))
        let second = WALFrame.frameBytes(payloadBytes: 32)
        var decoder = WALFrameDecoder(chainCRC: 0, payloadBytesMax: 1 << 20)
        let step = bytes[second...].withUnsafeBytes { decoder.decode($0) }
        guard case .invalid(let reason) = step else {
            Issue.record("expected a checksum failure, got \(step)")
            return
        }
        #expect(reason.contains("checksum mismatch"))
    }

    @Test("a payload of exactly recordPayloadBytesMax decodes; one byte more is refused")
    func payloadLimit() {
        let limit = 200
        for (dataBytes, accepted) in [
            (limit - WALRecord.entryFixedBytes, true),
            (limit - WALRecord.entryFixedBytes + 1, false),
        ] {
            var crc: UInt32 = 0
            var bytes: [UInt8] = []
            let entry = Entry(term: 1, index: 1, data: [UInt8](repeating: 7, count: dataBytes))
            WALFrame.append(.entry(entry), batchEnd: true, to: &bytes, chainCRC: &crc)
            var decoder = WALFrameDecoder(chainCRC: 0, payloadBytesMax: limit)
            let step = bytes.withUnsafeBytes { decoder.decode($0) }
            if accepted {
                #expect(step == .record(.entry(entry), batchEnd: true, consumedBytes: bytes.count))
            } else {
                #expect(
                    step
                        == .invalid(
                            "record length \(limit + 1) exceeds recordPayloadBytesMax \(limit)"))
            }
        }
    }

    @Test("segment names are 16 hex digits, sequence then first index (etcd walName)")
    func names() {
        let name = WALSegmentName(sequence: 1, firstIndex: 0x1F)
        #expect(name.fileName == "0000000000000001-000000000000001f.wal")
        #expect(WALSegmentName(fileName: name.fileName) == name)
        #expect(WALSegmentName(fileName: "0000000000000001-000000000000001F.wal") == nil)
        #expect(WALSegmentName(fileName: "1-1.wal") == nil)
    }
}
