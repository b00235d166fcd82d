import Testing

@testable import KVStore

@Suite("KVCommand binary encoding (Raft log entries)")
struct CommandCodecTests {
    static let samples: [KVCommand] = [
        .put(PutRequest(key: bytes("k"), value: bytes("v"), lease: -5, prevKV: true,
            ignoreValue: false, ignoreLease: true)),
        .put(PutRequest(key: [0, 0xFF], value: [UInt8](repeating: 7, count: 300))),
        .deleteRange(DeleteRangeRequest(key: bytes("a"), rangeEnd: [0], prevKV: true)),
        .compact(revision: Int64.max),
        .leaseGrant(id: Int64.min, ttlSeconds: 60),
        .leaseRevoke(id: 12345),
        .txn(TxnRequest(
            compare: [
                Compare(result: .notEqual, target: .value, key: bytes("k"), rangeEnd: bytes("z"),
                    operand: .value(bytes("x"))),
                Compare(result: .less, target: .lease, key: bytes("k"), operand: .lease(3)),
                Compare(result: .greater, target: .mod, key: bytes("k"), operand: nil),
                Compare(result: .equal, target: .create, key: bytes("k"),
                    operand: .createRevision(0)),
                Compare(result: .equal, target: .version, key: bytes("k"), operand: .version(2)),
                Compare(result: .equal, target: .mod, key: bytes("k"), operand: .modRevision(9)),
            ],
            success: [
                .range(RangeRequest(key: bytes("a"), rangeEnd: bytes("b"), limit: 3,
                    revision: 7, sortOrder: .descend, sortTarget: .value, serializable: true,
                    keysOnly: true, countOnly: true, minModRevision: 1, maxModRevision: 2,
                    minCreateRevision: 3, maxCreateRevision: 4)),
                .txn(TxnRequest(success: [.put(PutRequest(key: bytes("n")))],
                    failure: [.deleteRange(DeleteRangeRequest(key: bytes("d")))])),
            ],
            failure: [.put(PutRequest(key: bytes("f"), value: bytes("g")))])),
    ]

    @Test("every command survives encode then decode unchanged")
    func roundTrip() throws {
        for command in Self.samples {
            #expect(try KVCommand.decode(command.encode()) == command)
        }
    }

    @Test("the encoding starts with the format version byte")
    func versionByte() {
        #expect(KVCommand.compact(revision: 1).encode().first == 1)
        #expect(throws: KVCodecError.unsupportedVersion(2)) { try KVCommand.decode([2, 4, 2]) }
    }

    @Test("every truncation of a valid encoding fails cleanly, at every split point")
    func truncations() {
        for command in Self.samples {
            let encoded = command.encode()
            for length in 0..<encoded.count {
                #expect(throws: KVCodecError.self) {
                    try KVCommand.decode(Array(encoded[0..<length]))
                }
            }
        }
    }

    @Test("trailing bytes after a complete command are rejected")
    func trailing() {
        #expect(throws: KVCodecError.trailingBytes) {
            try KVCommand.decode(KVCommand.leaseRevoke(id: 1).encode() + [0])
        }
    }

    @Test("unknown tags and flag bits are rejected so each command has one encoding")
    func invalidTags() {
        #expect(throws: KVCodecError.invalidTag(9)) { try KVCommand.decode([1, 9]) }
        var put = KVCommand.put(PutRequest(key: bytes("k"))).encode()
        put[put.count - 1] = 0x08
        #expect(throws: KVCodecError.invalidTag(0x08)) { try KVCommand.decode(put) }
    }

    @Test("an overlong varint is rejected")
    func overlongVarint() {
        let bytes: [UInt8] = [1, 4] + [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(throws: KVCodecError.invalidVarint) { try KVCommand.decode(bytes) }
    }

    @Test("a huge declared length or count fails without allocating")
    func hugeCounts() {
        let hugeKey: [UInt8] = [1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: KVCodecError.truncated) { try KVCommand.decode(hugeKey) }
        let hugeCompares: [UInt8] = [1, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: KVCodecError.truncated) { try KVCommand.decode(hugeCompares) }
    }

    @Test("txn nesting deeper than txnNestingDepthMax is rejected; the maximum decodes")
    func nestingDepth() throws {
        func nested(_ depth: Int) -> KVCommand {
            var request = TxnRequest()
            for _ in 1..<depth { request = TxnRequest(success: [.txn(request)]) }
            return .txn(request)
        }
        let deepest = nested(KVLimits.txnNestingDepthMax)
        #expect(try KVCommand.decode(deepest.encode()) == deepest)
        #expect(throws: Never.self) { try deepest.validate() }
        #expect(throws: KVCodecError.nestingTooDeep) {
            try KVCommand.decode(nested(KVLimits.txnNestingDepthMax + 1).encode())
        }
    }

    @Test("random garbage never crashes the decoder (seeded)")
    func garbage() {
        let seed: UInt64 = 0xC0FFEE
        var generator = SeededGenerator(seed: seed)
        var decoded = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            var input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !input.isEmpty && Bool.random(using: &generator) { input[0] = 1 }
            if let command = try? KVCommand.decode(input) {
                decoded += 1
                // Whatever decodes must re-encode to the same bytes (canonical encoding).
                #expect(command.encode() == input, "seed \(seed)")
            }
        }
        #expect(decoded < 20_000)
    }

    @Test("mutating single bytes of valid encodings never crashes the decoder")
    func bitFlips() {
        for command in Self.samples {
            let encoded = command.encode()
            for position in encoded.indices {
                for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF] {
                    var input = encoded
                    input[position] = value
                    if let decoded = try? KVCommand.decode(input) {
                        #expect(decoded.encode() == input)
                    }
                }
            }
        }
    }

    @Test("an encoded command of exactly requestBytesMax passes, one byte more fails")
    func requestSizeLimit() throws {
        func command(valueBytes: Int) -> KVCommand {
            .put(PutRequest(key: bytes("k"), value: [UInt8](repeating: 1, count: valueBytes)))
        }
        let overhead = command(valueBytes: 1_000_000).encode().count - 1_000_000
        let atLimit = command(valueBytes: KVLimits.requestBytesMax - overhead)
        #expect(atLimit.encode().count == KVLimits.requestBytesMax)
        #expect(throws: Never.self) { try atLimit.validate() }
        let overLimit = command(valueBytes: KVLimits.requestBytesMax - overhead + 1)
        #expect(throws: KVError.requestTooLarge) { try overLimit.validate() }
        #expect(try atLimit.validatedEncoding() == atLimit.encode())
    }
}
