import Linearizability

/// A client write as carried in a log entry: the request id (client, seq) travels with the
/// operation so that every state machine can drop the duplicates a retry creates (Raft
/// thesis §6.3, client sessions).
struct SimCommand: Equatable {
    var clientID: Int
    var seq: UInt64
    var input: KVInput

    /// Byte layout: kind, client (4 bytes LE), seq (8 bytes LE), then length-prefixed fields.
    func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        switch input {
        case .put(let key, let value):
            bytes.append(1)
            appendHeader(to: &bytes)
            SimCommand.appendField(key.bytes, to: &bytes)
            SimCommand.appendField(value.bytes, to: &bytes)
        case .compareAndSwap(let key, let expected, let new):
            bytes.append(2)
            appendHeader(to: &bytes)
            SimCommand.appendField(key.bytes, to: &bytes)
            bytes.append(expected == nil ? 0 : 1)
            SimCommand.appendField(expected?.bytes ?? [], to: &bytes)
            SimCommand.appendField(new.bytes, to: &bytes)
        case .delete(let key):
            bytes.append(3)
            appendHeader(to: &bytes)
            SimCommand.appendField(key.bytes, to: &bytes)
        case .get:
            preconditionFailure("reads go through ReadIndex, never the log")
        }
        return bytes
    }

    private func appendHeader(to bytes: inout [UInt8]) {
        let client = UInt32(clientID)
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: client >> shift))
        }
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: seq >> shift))
        }
    }

    private static func appendField(_ field: [UInt8], to bytes: inout [UInt8]) {
        precondition(field.count <= Int(UInt16.max), "simulator keys and values are small")
        bytes.append(UInt8(field.count & 0xFF))
        bytes.append(UInt8(field.count >> 8))
        bytes.append(contentsOf: field)
    }

    /// Decodes what `encode` wrote; nil for anything else (the caller treats that as a
    /// broken invariant: only the simulator writes entries).
    static func decode(_ bytes: [UInt8]) -> SimCommand? {
        var reader = FieldReader(bytes: bytes)
        guard let kind = reader.byte(), let client = reader.integer(byteCount: 4),
              let seq = reader.integer(byteCount: 8), let key = reader.field() else { return nil }
        let input: KVInput
        switch kind {
        case 1:
            guard let value = reader.field() else { return nil }
            input = .put(key: KVBytes(key), value: KVBytes(value))
        case 2:
            guard let hasExpected = reader.byte(), let expected = reader.field(),
                  let new = reader.field() else { return nil }
            input = .compareAndSwap(
                key: KVBytes(key), expected: hasExpected == 1 ? KVBytes(expected) : nil,
                new: KVBytes(new))
        case 3:
            input = .delete(key: KVBytes(key))
        default:
            return nil
        }
        guard reader.isAtEnd else { return nil }
        return SimCommand(clientID: Int(client), seq: seq, input: input)
    }
}

/// A bounds-checked cursor over an encoded `SimCommand`.
private struct FieldReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        offset += 1
        return bytes[offset - 1]
    }

    mutating func integer(byteCount: Int) -> UInt64? {
        guard bytes.count - offset >= byteCount else { return nil }
        var value: UInt64 = 0
        for position in 0..<byteCount {
            value |= UInt64(bytes[offset + position]) << (8 * UInt64(position))
        }
        offset += byteCount
        return value
    }

    mutating func field() -> [UInt8]? {
        guard let length = integer(byteCount: 2), bytes.count - offset >= Int(length)
        else { return nil }
        offset += Int(length)
        return Array(bytes[(offset - Int(length))..<offset])
    }
}
