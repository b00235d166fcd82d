/// The fixed 12-byte message header (RFC 1035 §4.1.1, flags as extended by RFC 4035 §3.2).
public struct DNSHeader: Sendable, Hashable {
    public static let byteCount = 12

    /// The standard query opcode; every other opcode is answered NOTIMP (RFC 8906 §3.1.4).
    public static let opcodeQuery: UInt8 = 0

    public var id: UInt16
    public var isResponse: Bool
    /// 4 bits.
    public var opcode: UInt8
    public var isAuthoritative: Bool
    public var isTruncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    public var authenticData: Bool
    public var checkingDisabled: Bool
    /// The low 4 bits of the response code; EDNS carries the high 8 (RFC 6891 §6.1.3).
    public var rcodeLow: UInt8
    public var questionCount: UInt16
    public var answerCount: UInt16
    public var authorityCount: UInt16
    public var additionalCount: UInt16

    public init(
        id: UInt16 = 0, isResponse: Bool = false, opcode: UInt8 = DNSHeader.opcodeQuery,
        isAuthoritative: Bool = false, isTruncated: Bool = false,
        recursionDesired: Bool = false, recursionAvailable: Bool = false,
        authenticData: Bool = false, checkingDisabled: Bool = false, rcodeLow: UInt8 = 0,
        questionCount: UInt16 = 0, answerCount: UInt16 = 0, authorityCount: UInt16 = 0,
        additionalCount: UInt16 = 0
    ) {
        precondition(opcode < 16 && rcodeLow < 16, "opcode and rcode are 4-bit fields")
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.rcodeLow = rcodeLow
        self.questionCount = questionCount
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    /// Reads the header from the first 12 bytes; the rest is not looked at.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(DNSError) {
        guard bytes.count >= Self.byteCount else {
            throw .messageTooShort(byteCount: bytes.count)
        }
        func word(_ offset: Int) -> UInt16 {
            UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }
        let flags = word(2)
        self.init(
            id: word(0), isResponse: flags & 0x8000 != 0, opcode: UInt8(flags >> 11 & 0xF),
            isAuthoritative: flags & 0x0400 != 0, isTruncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            authenticData: flags & 0x0020 != 0, checkingDisabled: flags & 0x0010 != 0,
            rcodeLow: UInt8(flags & 0xF), questionCount: word(4), answerCount: word(6),
            authorityCount: word(8), additionalCount: word(10))
    }

    /// The 16 flag bits; the reserved Z bit (0x0040) is always written as zero.
    public var flags: UInt16 {
        var flags = UInt16(opcode) << 11 | UInt16(rcodeLow)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        if authenticData { flags |= 0x0020 }
        if checkingDisabled { flags |= 0x0010 }
        return flags
    }
}
