/// The shape of nearly every query, read in place without allocating, so that a cached
/// answer is served without decoding the message: QR=0, opcode QUERY, one question with an
/// uncompressed name of class IN or ANY and a type other than AXFR/IXFR, no answer or
/// authority records, and at most one additional record, an EDNS version 0 OPT record
/// whose options fill its RDATA exactly, with nothing after it.
///
/// Anything else is nil, and the answerer takes the full path (the decoder, RFC 8906's
/// order of checks), which decides the error. So this accepts only messages the full
/// decoder accepts, and which the full path would answer from the cache.
struct DNSQueryScan {
    let id: UInt16
    let recursionDesired: Bool
    /// The question name's wire bytes run from offset 12 to here (root label included).
    let nameEnd: Int
    /// The question section (name, type, class) ends here.
    let questionEnd: Int
    let type: DNSRecordType
    /// The OPT flags (DO is the one echoed), or nil when the query had no OPT record.
    let ednsFlags: UInt16?
    /// The client's advertised UDP payload size, if it sent an OPT record.
    let ednsPayloadBytes: UInt16?

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= DNSHeader.byteCount, bytes.count <= DNSLimits.messageBytesMax
        else { return nil }
        func word(_ offset: Int) -> UInt16 {
            UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }
        let flags = word(2)
        // QR clear and opcode 0; one question; no answer or authority records.
        guard flags & 0xF800 == 0, word(4) == 1, word(6) == 0, word(8) == 0 else { return nil }
        let additionalCount = word(10)
        guard additionalCount <= 1, let nameEnd = Self.nameEnd(bytes) else { return nil }
        guard nameEnd + 4 <= bytes.count else { return nil }
        let type = DNSRecordType(rawValue: word(nameEnd))
        let recordClass = DNSRecordClass(rawValue: word(nameEnd + 2))
        guard recordClass == .internet || recordClass == .any, type != .axfr, type != .ixfr
        else { return nil }
        let questionEnd = nameEnd + 4
        id = word(0)
        recursionDesired = flags & 0x0100 != 0
        self.nameEnd = nameEnd
        self.questionEnd = questionEnd
        self.type = type
        if additionalCount == 0 {
            guard questionEnd == bytes.count else { return nil }
            ednsFlags = nil
            ednsPayloadBytes = nil
            return
        }
        // OPT (RFC 6891 §6.1.2): root owner, type 41, CLASS = payload size, TTL = extended
        // RCODE, version, flags; RDLENGTH; then {code, length, data} options.
        let opt = questionEnd
        guard opt + 11 <= bytes.count, bytes[opt] == 0,
            word(opt + 1) == DNSRecordType.opt.rawValue, bytes[opt + 6] == 0,
            opt + 11 + Int(word(opt + 9)) == bytes.count
        else { return nil }
        var option = opt + 11
        while option < bytes.count {
            guard option + 4 <= bytes.count else { return nil }
            option += 4 + Int(word(option + 2))
        }
        guard option == bytes.count else { return nil }
        ednsPayloadBytes = word(opt + 3)
        ednsFlags = word(opt + 7)
    }

    /// The end of an uncompressed name at offset 12: labels of 1...63 bytes (so no
    /// pointer or reserved label type), at most 255 bytes with the root (RFC 1035 §2.3.4).
    private static func nameEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var position = DNSHeader.byteCount
        while position < bytes.count {
            let length = Int(bytes[position])
            if length == 0 { return position + 1 }
            guard length <= DNSLimits.labelBytesMax else { return nil }
            position += 1 + length
            guard position + 1 - DNSHeader.byteCount <= DNSLimits.nameBytesMax else {
                return nil
            }
        }
        return nil
    }
}
