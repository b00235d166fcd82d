/// A bounds-checked cursor over one message. Every read throws instead of trapping: the
/// bytes come off the network (RFC 9267: every parser bug is a remote crash otherwise).
struct DNSReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt8() throws(DNSError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(offset: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(offset: offset) }
        var value: UInt32 = 0
        for index in offset..<offset + 4 { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    mutating func readBytes(_ count: Int) throws(DNSError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4).
    ///
    /// Pointer rules (RFC 9267 §2): a pointer must point strictly before the start of the
    /// label run that contains it, so every hop moves backward and no loop is possible; the
    /// hop count is capped as well. The decompressed length is checked against 255 before
    /// each label is copied, and the cursor ends after the first pointer.
    mutating func readName() throws(DNSError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var runStart = offset
        var hops = 0
        var resume: Int?
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let lengthByte = bytes[position]
            switch lengthByte & 0xC0 {
            case 0x00:
                let length = Int(lengthByte)
                if length == 0 {
                    offset = resume ?? position + 1
                    return DNSName(uncheckedLabels: labels)
                }
                guard position + 1 + length <= bytes.count else {
                    throw .truncated(offset: position)
                }
                wireLength += 1 + length
                guard wireLength <= DNSLimits.nameBytesMax else { throw .nameTooLong }
                labels.append(Array(bytes[position + 1..<position + 1 + length]))
                position += 1 + length
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(lengthByte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < runStart else {
                    throw .pointerNotBackward(offset: position, target: target)
                }
                hops += 1
                guard hops <= DNSLimits.pointerHopsMax else {
                    throw .tooManyPointers(offset: position)
                }
                if resume == nil { resume = position + 2 }
                position = target
                runStart = target
            default:
                throw .reservedLabelType(lengthByte, offset: position)
            }
        }
    }
}
