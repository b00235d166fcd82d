/// Reads what `ByteWriter` wrote. Every read checks the bytes that remain, so truncated or
/// garbage input throws instead of trapping; counts are checked against the remaining bytes
/// before anything is allocated; varints must be minimal, so each value has one encoding.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    /// Reads `bytes[start..<end]` (the whole array by default).
    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        let end = min(end ?? bytes.count, bytes.count)
        self.bytes = bytes
        self.offset = min(max(start, 0), end)
        self.end = end
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset == end }

    @inline(__always)
    mutating func byte() throws(KVCodecError) -> UInt8 {
        guard offset < end else { throw .truncated }
        let value = bytes[offset]
        offset += 1
        return value
    }

    @inline(__always)
    mutating func uvarint() throws(KVCodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw .invalidVarint }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 {
                // A zero final byte after the first is a padded, non-minimal encoding.
                if next == 0 && shift > 0 { throw .invalidVarint }
                return result
            }
            shift += 7
            if shift > 63 { throw .invalidVarint }
        }
    }

    @inline(__always)
    mutating func varint() throws(KVCodecError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A count of items that each take at least `bytesPerItemMin` bytes.
    mutating func count(bytesPerItemMin: Int = 1) throws(KVCodecError) -> Int {
        let raw = try uvarint()
        guard raw <= UInt64(remaining / max(bytesPerItemMin, 1)) else { throw .truncated }
        return Int(raw)
    }

    @inline(__always)
    mutating func lengthPrefixed() throws(KVCodecError) -> [UInt8] {
        let length = try uvarint()
        guard length <= UInt64(remaining) else { throw .truncated }
        let start = offset
        offset += Int(length)
        return Array(bytes[start..<offset])
    }

    mutating func uint32LittleEndian() throws(KVCodecError) -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) {
            value |= UInt32(try byte()) << UInt32(shift)
        }
        return value
    }
}
