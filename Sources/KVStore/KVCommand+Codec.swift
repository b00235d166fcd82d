/// Binary encoding of commands for the Raft log / WAL:
/// `version(1) tag(1) body`, integers as zigzag varints, byte strings length-prefixed,
/// booleans packed into one flags byte. Decoding consumes the input exactly.
extension KVCommand {
    static let formatVersion: UInt8 = 1

    enum Tag: UInt8 {
        case put = 1, deleteRange, txn, compact, leaseGrant, leaseRevoke
    }

    enum OpTag: UInt8 {
        case range = 1, put, deleteRange, txn
    }

    public func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: 32)
        writer.byte(Self.formatVersion)
        switch self {
        case .put(let request):
            writer.byte(Tag.put.rawValue)
            Self.write(request, to: &writer)
        case .deleteRange(let request):
            writer.byte(Tag.deleteRange.rawValue)
            Self.write(request, to: &writer)
        case .txn(let request):
            writer.byte(Tag.txn.rawValue)
            Self.write(request, to: &writer)
        case .compact(let revision):
            writer.byte(Tag.compact.rawValue)
            writer.varint(revision)
        case .leaseGrant(let id, let ttlSeconds):
            writer.byte(Tag.leaseGrant.rawValue)
            writer.varint(id)
            writer.varint(ttlSeconds)
        case .leaseRevoke(let id):
            writer.byte(Tag.leaseRevoke.rawValue)
            writer.varint(id)
        }
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(KVCodecError) -> KVCommand {
        var reader = ByteReader(bytes)
        let version = try reader.byte()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let rawTag = try reader.byte()
        guard let tag = Tag(rawValue: rawTag) else { throw .invalidTag(rawTag) }
        let command: KVCommand
        switch tag {
        case .put: command = .put(try readPut(&reader))
        case .deleteRange: command = .deleteRange(try readDeleteRange(&reader))
        case .txn: command = .txn(try readTxn(&reader, depth: 1))
        case .compact: command = .compact(revision: try reader.varint())
        case .leaseGrant:
            let id = try reader.varint()
            command = .leaseGrant(id: id, ttlSeconds: try reader.varint())
        case .leaseRevoke: command = .leaseRevoke(id: try reader.varint())
        }
        guard reader.isAtEnd else { throw .trailingBytes }
        return command
    }

    // MARK: Writing

    static func write(_ request: PutRequest, to writer: inout ByteWriter) {
        writer.lengthPrefixed(request.key)
        writer.lengthPrefixed(request.value)
        writer.varint(request.lease)
        writer.byte(flags(request.prevKV, request.ignoreValue, request.ignoreLease))
    }

    static func write(_ request: DeleteRangeRequest, to writer: inout ByteWriter) {
        writer.lengthPrefixed(request.key)
        writer.lengthPrefixed(request.rangeEnd)
        writer.byte(flags(request.prevKV))
    }

    static func write(_ request: RangeRequest, to writer: inout ByteWriter) {
        writer.lengthPrefixed(request.key)
        writer.lengthPrefixed(request.rangeEnd)
        writer.varint(request.limit)
        writer.varint(request.revision)
        writer.byte(UInt8(request.sortOrder.rawValue))
        writer.byte(UInt8(request.sortTarget.rawValue))
        writer.byte(flags(request.serializable, request.keysOnly, request.countOnly))
        writer.varint(request.minModRevision)
        writer.varint(request.maxModRevision)
        writer.varint(request.minCreateRevision)
        writer.varint(request.maxCreateRevision)
    }

    static func write(_ request: TxnRequest, to writer: inout ByteWriter) {
        writer.uvarint(UInt64(request.compare.count))
        for compare in request.compare { write(compare, to: &writer) }
        for branch in [request.success, request.failure] {
            writer.uvarint(UInt64(branch.count))
            for op in branch { write(op, to: &writer) }
        }
    }

    static func write(_ op: RequestOp, to writer: inout ByteWriter) {
        switch op {
        case .range(let request):
            writer.byte(OpTag.range.rawValue)
            write(request, to: &writer)
        case .put(let request):
            writer.byte(OpTag.put.rawValue)
            write(request, to: &writer)
        case .deleteRange(let request):
            writer.byte(OpTag.deleteRange.rawValue)
            write(request, to: &writer)
        case .txn(let request):
            writer.byte(OpTag.txn.rawValue)
            write(request, to: &writer)
        }
    }

    static func write(_ compare: Compare, to writer: inout ByteWriter) {
        writer.byte(UInt8(compare.result.rawValue))
        writer.byte(UInt8(compare.target.rawValue))
        writer.lengthPrefixed(compare.key)
        writer.lengthPrefixed(compare.rangeEnd)
        switch compare.operand {
        case nil: writer.byte(0)
        case .version(let value): writer.byte(1); writer.varint(value)
        case .createRevision(let value): writer.byte(2); writer.varint(value)
        case .modRevision(let value): writer.byte(3); writer.varint(value)
        case .value(let value): writer.byte(4); writer.lengthPrefixed(value)
        case .lease(let value): writer.byte(5); writer.varint(value)
        }
    }

    static func flags(_ bits: Bool...) -> UInt8 {
        var result: UInt8 = 0
        for (index, bit) in bits.enumerated() where bit {
            result |= 1 << UInt8(index)
        }
        return result
    }

    // MARK: Reading

    /// Reads a flags byte with `count` meaningful bits; any other bit set is an error so
    /// that every command has exactly one encoding.
    static func readFlags(_ reader: inout ByteReader, count: Int) throws(KVCodecError) -> [Bool] {
        let raw = try reader.byte()
        guard raw >> UInt8(count) == 0 else { throw .invalidTag(raw) }
        return (0..<count).map { raw & (1 << UInt8($0)) != 0 }
    }

    static func readPut(_ reader: inout ByteReader) throws(KVCodecError) -> PutRequest {
        let key = try reader.lengthPrefixed()
        let value = try reader.lengthPrefixed()
        let lease = try reader.varint()
        let bits = try readFlags(&reader, count: 3)
        return PutRequest(
            key: key, value: value, lease: lease, prevKV: bits[0], ignoreValue: bits[1],
            ignoreLease: bits[2])
    }

    static func readDeleteRange(
        _ reader: inout ByteReader
    ) throws(KVCodecError) -> DeleteRangeRequest {
        let key = try reader.lengthPrefixed()
        let rangeEnd = try reader.lengthPrefixed()
        let bits = try readFlags(&reader, count: 1)
        return DeleteRangeRequest(key: key, rangeEnd: rangeEnd, prevKV: bits[0])
    }

    static func readRange(_ reader: inout ByteReader) throws(KVCodecError) -> RangeRequest {
        var request = RangeRequest(key: try reader.lengthPrefixed())
        request.rangeEnd = try reader.lengthPrefixed()
        request.limit = try reader.varint()
        request.revision = try reader.varint()
        let rawOrder = try reader.byte()
        guard let order = SortOrder(rawValue: Int(rawOrder)) else { throw .invalidTag(rawOrder) }
        let rawTarget = try reader.byte()
        guard let target = SortTarget(rawValue: Int(rawTarget)) else {
            throw .invalidTag(rawTarget)
        }
        request.sortOrder = order
        request.sortTarget = target
        let bits = try readFlags(&reader, count: 3)
        request.serializable = bits[0]
        request.keysOnly = bits[1]
        request.countOnly = bits[2]
        request.minModRevision = try reader.varint()
        request.maxModRevision = try reader.varint()
        request.minCreateRevision = try reader.varint()
        request.maxCreateRevision = try reader.varint()
        return request
    }

    static func readTxn(_ reader: inout ByteReader, depth: Int) throws(KVCodecError) -> TxnRequest {
        guard depth <= KVLimits.txnNestingDepthMax else { throw .nestingTooDeep }
        var request = TxnRequest()
        // A compare takes at least 5 bytes, an op at least 2: counts are bounded by the input.
        let compareCount = try reader.count(bytesPerItemMin: 5)
        request.compare.reserveCapacity(compareCount)
        for _ in 0..<compareCount { request.compare.append(try readCompare(&reader)) }
        request.success = try readBranch(&reader, depth: depth)
        request.failure = try readBranch(&reader, depth: depth)
        return request
    }

    static func readBranch(
        _ reader: inout ByteReader, depth: Int
    ) throws(KVCodecError) -> [RequestOp] {
        let opCount = try reader.count(bytesPerItemMin: 2)
        var ops: [RequestOp] = []
        ops.reserveCapacity(opCount)
        for _ in 0..<opCount { ops.append(try readOp(&reader, depth: depth)) }
        return ops
    }

    static func readOp(_ reader: inout ByteReader, depth: Int) throws(KVCodecError) -> RequestOp {
        let rawTag = try reader.byte()
        guard let tag = OpTag(rawValue: rawTag) else { throw .invalidTag(rawTag) }
        switch tag {
        case .range: return .range(try readRange(&reader))
        case .put: return .put(try readPut(&reader))
        case .deleteRange: return .deleteRange(try readDeleteRange(&reader))
        case .txn: return .txn(try readTxn(&reader, depth: depth + 1))
        }
    }

    static func readCompare(_ reader: inout ByteReader) throws(KVCodecError) -> Compare {
        let rawResult = try reader.byte()
        guard let result = Compare.Result(rawValue: Int(rawResult)) else {
            throw .invalidTag(rawResult)
        }
        let rawTarget = try reader.byte()
        guard let target = Compare.Target(rawValue: Int(rawTarget)) else {
            throw .invalidTag(rawTarget)
        }
        let key = try reader.lengthPrefixed()
        let rangeEnd = try reader.lengthPrefixed()
        let operand: Compare.Operand?
        let operandTag = try reader.byte()
        switch operandTag {
        case 0: operand = nil
        case 1: operand = .version(try reader.varint())
        case 2: operand = .createRevision(try reader.varint())
        case 3: operand = .modRevision(try reader.varint())
        case 4: operand = .value(try reader.lengthPrefixed())
        case 5: operand = .lease(try reader.varint())
        default: throw .invalidTag(operandTag)
        }
        return Compare(
            result: result, target: target, key: key, rangeEnd: rangeEnd, operand: operand)
    }
}
