/// Little helpers for the compact binary encodings: LEB128 varints and length-prefixed
/// byte strings, with a bounded, never-trapping reader for untrusted input.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeByte(_ value: UInt8) { bytes.append(value) }

    mutating func writeBytes(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
}

/// Reads from a borrowed buffer; every read checks the remaining length first.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readByte() throws(RaftError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed(.truncated) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A LEB128 varint of at most 10 bytes that fits in 64 bits.
    mutating func readVarint() throws(RaftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 { throw .malformed(.varintOverflow) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformed(.varintOverflow) }
        }
    }

    /// A count that must not exceed `limit` (checked before anything is allocated).
    mutating func readCount(limit: Int) throws(RaftError) -> Int {
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw .malformed(.countOverLimit) }
        return Int(value)
    }

    mutating func readBytes(limit: Int) throws(RaftError) -> [UInt8] {
        let count = try readCount(limit: limit)
        guard bytes.count - offset >= count else { throw .malformed(.truncated) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}
