/// Why bytes are not a well-formed DNS message, or a name is not a valid DNS name.
/// Every case is an operating error from untrusted input (a query off the network or a
/// name from the catalog), never a programmer error.
public enum DNSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer than the 12 header bytes (RFC 1035 §4.1.1).
    case messageTooShort(byteCount: Int)
    /// More than `DNSLimits.messageBytesMax`: no DNS transport can carry it.
    case messageTooLong(byteCount: Int)
    /// A field or a count promised bytes past the end of the message.
    case truncated(offset: Int)
    /// A label of more than `DNSLimits.labelBytesMax` bytes (RFC 1035 §2.3.4).
    case labelTooLong(byteCount: Int)
    /// An empty label inside a name ("a..b"): only the root label is empty.
    case emptyLabel
    /// A name of more than `DNSLimits.nameBytesMax` bytes in wire form (RFC 1035 §2.3.4).
    case nameTooLong
    /// A label length byte with the reserved top bits 01 or 10 (RFC 1035 §4.1.4, RFC 6891
    /// §5 retired the extended label types).
    case reservedLabelType(UInt8, offset: Int)
    /// A compression pointer that does not point strictly before the names it continues:
    /// forward, self, or out-of-bounds pointers (RFC 9267 §2, the pointer-loop defence).
    case pointerNotBackward(offset: Int, target: Int)
    /// More pointer hops in one name than `DNSLimits.pointerHopsMax`.
    case tooManyPointers(offset: Int)
    /// RDATA whose length does not match its type's layout (RFC 9267 §6).
    case rdataLengthMismatch(type: UInt16, offset: Int)
    /// An OPT record outside the additional section or with a non-root owner
    /// (RFC 6891 §6.1.1).
    case optMisplaced(offset: Int)
    /// More than one OPT record (RFC 6891 §6.1.1: FORMERR).
    case multipleOPT(offset: Int)
    /// Bytes left after the last record the counts announced.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .messageTooShort(let count): "message of \(count) bytes is shorter than a header"
        case .messageTooLong(let count): "message of \(count) bytes exceeds 65535"
        case .truncated(let offset): "message ends inside a field at offset \(offset)"
        case .labelTooLong(let count): "label of \(count) bytes exceeds 63"
        case .emptyLabel: "empty label inside a name"
        case .nameTooLong: "name exceeds 255 bytes"
        case .reservedLabelType(let byte, let offset):
            "reserved label type 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .pointerNotBackward(let offset, let target):
            "compression pointer at \(offset) to \(target) does not point backward"
        case .tooManyPointers(let offset): "too many compression pointers at offset \(offset)"
        case .rdataLengthMismatch(let type, let offset):
            "RDATA of type \(type) at offset \(offset) has the wrong length"
        case .optMisplaced(let offset): "OPT record misplaced at offset \(offset)"
        case .multipleOPT(let offset): "second OPT record at offset \(offset)"
        case .trailingBytes(let count): "\(count) bytes after the last record"
        }
    }
}
