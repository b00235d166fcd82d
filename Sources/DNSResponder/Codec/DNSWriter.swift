/// Appends wire bytes and remembers where names were written, for compression
/// (RFC 1035 §4.1.4). A mark taken before a record can undo it completely, compression
/// entries included, so a record that overflows the budget is dropped whole.
struct DNSWriter {
    struct Mark {
        let byteCount: Int
        let entryCount: Int
    }

    private(set) var bytes: [UInt8] = []
    /// Every name suffix written so far (compared case-insensitively) and its offset.
    private var offsets: [DNSName: UInt16] = [:]
    /// Suffixes in the order they were added, to undo back to a mark.
    private var added: [DNSName] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    var mark: Mark { Mark(byteCount: bytes.count, entryCount: added.count) }

    mutating func rollBack(to mark: Mark) {
        bytes.removeSubrange(mark.byteCount...)
        while added.count > mark.entryCount {
            offsets[added.removeLast()] = nil
        }
    }

    mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(value & 0xFFFF))
    }

    mutating func writeBytes(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Writes `name`, replacing its longest already-written suffix by a pointer when
    /// `compress` is true. Every suffix written here becomes a target for later names (if
    /// its offset fits in 14 bits), compressed or not.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for index in labels.indices {
            let suffix = DNSName(uncheckedLabels: Array(labels[index...]))
            if compress, let target = offsets[suffix] {
                writeUInt16(0xC000 | target)
                return
            }
            if bytes.count <= DNSLimits.compressionOffsetMax, offsets[suffix] == nil {
                offsets[suffix] = UInt16(bytes.count)
                added.append(suffix)
            }
            writeUInt8(UInt8(labels[index].count))
            writeBytes(labels[index])
        }
        writeUInt8(0)
    }
}
