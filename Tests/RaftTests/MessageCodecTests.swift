import Testing
@testable import Raft

/// The binary Message codec: round trips, every truncation point, garbage, and limits.
@Suite("Message and ConfChange binary encoding")
struct MessageCodecTests {
    static let sample = Message(
        kind: .snapshot, from: 1, to: 300, term: 1 << 40, logTerm: 7, index: 12_345,
        entries: [
            Entry(term: 3, index: 4, kind: .normal, data: [1, 2, 3]),
            Entry(term: 3, index: 5, kind: .configurationChange,
                  data: ConfChange(kind: .addLearner, nodeID: 9).encode()),
        ],
        commit: 99, reject: true, rejectHint: .max, isLeadershipTransfer: true,
        snapshotMetadata: SnapshotMetadata(
            index: 77, term: 6, confState: ConfState(voters: [1, 2, 3], learners: [4])),
        snapshotOffset: 4096, snapshotChunk: [9, 8, 7], snapshotDone: true,
        context: Array("ctx".utf8))

    @Test("every message kind round-trips through encode and decode")
    func roundTrip() throws {
        for kind in Message.Kind.allCases {
            var message = Self.sample
            message.kind = kind
            #expect(try Message.decode(message.encode()) == message)
        }
        let bare = Message(kind: .heartbeat, from: 1, to: 2, term: 3)
        #expect(try Message.decode(bare.encode()) == bare)
    }

    @Test("decoding any strict prefix of an encoding throws .malformed, never traps")
    func everyTruncation() {
        let bytes = Self.sample.encode()
        for cut in 0..<bytes.count {
            #expect(throws: RaftError.self, "cut at \(cut)") {
                try Message.decode(Array(bytes[..<cut]))
            }
        }
    }

    @Test("trailing bytes after a message are refused")
    func trailingBytes() {
        #expect(throws: RaftError.malformed(.trailingBytes)) {
            try Message.decode(Self.sample.encode() + [0])
        }
    }

    @Test("unknown version, kind, flags and entry kind are refused")
    func badHeaderBytes() {
        let bytes = Self.sample.encode()
        var badVersion = bytes
        badVersion[0] = 9
        #expect(throws: RaftError.malformed(.badVersion)) { try Message.decode(badVersion) }
        var badKind = bytes
        badKind[1] = 200
        #expect(throws: RaftError.malformed(.badMessageType)) { try Message.decode(badKind) }
        var badFlags = bytes
        badFlags[2] = 0xF0
        #expect(throws: RaftError.self) { try Message.decode(badFlags) }
    }

    @Test("a varint longer than 64 bits is refused")
    func varintOverflow() {
        let bytes: [UInt8] = [1, 7, 0] + Array(repeating: 0xFF, count: 10) + [0x01]
        #expect(throws: RaftError.malformed(.varintOverflow)) { try Message.decode(bytes) }
    }

    @Test("random garbage never traps the decoder (seeded, replayable)")
    func garbage() {
        let seed: UInt64 = 0x5EED_0001
        var generator = SeededGenerator(seed: seed)
        let valid = Self.sample.encode()
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = valid
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            // Either outcome is fine; reaching here without a trap is the property.
            _ = try? Message.decode(bytes)
        }
        #expect(Bool(true), "seed \(seed)")
    }

    @Test("entriesPerMessageMax entries decode; one more is refused")
    func entryCountLimit() throws {
        let limit = RaftLimits.entriesPerMessageMax
        var message = Message(kind: .append, from: 1, to: 2, term: 1)
        message.entries = Array(repeating: Entry(term: 1, index: 1), count: limit)
        #expect(try Message.decode(message.encode()).entries.count == limit)
        message.entries.append(Entry(term: 1, index: 1))
        #expect(throws: RaftError.malformed(.countOverLimit)) {
            try Message.decode(message.encode())
        }
    }

    @Test("a context of contextBytesMax decodes; one byte more is refused")
    func contextLimit() throws {
        var message = Message(kind: .heartbeat, from: 1, to: 2, term: 1)
        message.context = Array(repeating: 1, count: RaftLimits.contextBytesMax)
        #expect(try Message.decode(message.encode()) == message)
        message.context.append(1)
        #expect(throws: RaftError.malformed(.countOverLimit)) {
            try Message.decode(message.encode())
        }
    }

    @Test("an input larger than messageBytesMax is refused before parsing")
    func sizeLimit() {
        let bytes = [UInt8](repeating: 0, count: RaftLimits.messageBytesMax + 1)
        #expect(throws: RaftError.malformed(.tooLarge)) { try Message.decode(bytes) }
    }

    @Test("ConfChange round-trips and refuses unknown kinds and trailing bytes")
    func confChangeCodec() throws {
        let change = ConfChange(kind: .removeNode, nodeID: 1 << 50)
        #expect(try ConfChange.decode(change.encode()) == change)
        #expect(throws: RaftError.malformed(.badConfChangeKind)) {
            try ConfChange.decode([0, 1])
        }
        #expect(throws: RaftError.malformed(.trailingBytes)) {
            try ConfChange.decode(change.encode() + [0])
        }
        #expect(throws: RaftError.malformed(.truncated)) { try ConfChange.decode([]) }
    }
}
