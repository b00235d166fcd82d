/// Decoding (RFC 1035 §4.1). Counts are never trusted for allocation: records are read one
/// at a time until a count is reached or the bytes run out (RFC 9267 §6).
extension DNSMessage {
    public init(decoding bytes: [UInt8]) throws(DNSError) {
        // Array.withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DNSError) in try DNSMessage(decoding: raw) }
        }
        self = try result.get()
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(DNSError) {
        guard bytes.count <= DNSLimits.messageBytesMax else {
            throw .messageTooLong(byteCount: bytes.count)
        }
        let header = try DNSHeader(decoding: bytes)
        var reader = DNSReader(bytes, offset: DNSHeader.byteCount)
        var questions: [DNSQuestion] = []
        for _ in 0..<header.questionCount {
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let recordClass = DNSRecordClass(rawValue: try reader.readUInt16())
            questions.append(DNSQuestion(name: name, type: type, recordClass: recordClass))
        }
        var edns: DNSEDNS?
        let answers = try Self.readSection(
            &reader, count: header.answerCount, allowsOPT: false, edns: &edns)
        let authorities = try Self.readSection(
            &reader, count: header.authorityCount, allowsOPT: false, edns: &edns)
        let additionals = try Self.readSection(
            &reader, count: header.additionalCount, allowsOPT: true, edns: &edns)
        guard reader.remaining == 0 else { throw .trailingBytes(count: reader.remaining) }
        self.init(
            header: header, questions: questions, answers: answers, authorities: authorities,
            additionals: additionals, edns: edns)
    }

    /// Reads `count` records. An OPT record outside the additional section, or a second
    /// one, is a format error (RFC 6891 §6.1.1).
    private static func readSection(
        _ reader: inout DNSReader, count: UInt16, allowsOPT: Bool, edns: inout DNSEDNS?
    ) throws(DNSError) -> [DNSRecord] {
        var records: [DNSRecord] = []
        for _ in 0..<count {
            let start = reader.offset
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let rawClass = try reader.readUInt16()
            let ttl = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            guard reader.remaining >= length else { throw .truncated(offset: reader.offset) }
            let end = reader.offset + length
            if type == .opt {
                guard allowsOPT, name.isRoot else { throw .optMisplaced(offset: start) }
                guard edns == nil else { throw .multipleOPT(offset: start) }
                edns = try readOPT(&reader, end: end, payload: rawClass, ttl: ttl)
                continue
            }
            let data = try readRecordData(&reader, type: type, end: end)
            records.append(DNSRecord(
                name: name, recordClass: DNSRecordClass(rawValue: rawClass), ttlSeconds: ttl,
                data: data))
        }
        return records
    }

    /// OPT: CLASS is the UDP payload size, TTL is extended RCODE, version and flags
    /// (RFC 6891 §6.1.3); RDATA is a list of {code, length, data}.
    private static func readOPT(
        _ reader: inout DNSReader, end: Int, payload: UInt16, ttl: UInt32
    ) throws(DNSError) -> DNSEDNS {
        var options: [DNSEDNSOption] = []
        while reader.offset < end {
            let code = try reader.readUInt16()
            let length = Int(try reader.readUInt16())
            guard reader.offset + length <= end else {
                throw .rdataLengthMismatch(type: DNSRecordType.opt.rawValue, offset: reader.offset)
            }
            options.append(DNSEDNSOption(code: code, data: try reader.readBytes(length)))
        }
        guard reader.offset == end else {
            throw .rdataLengthMismatch(type: DNSRecordType.opt.rawValue, offset: reader.offset)
        }
        return DNSEDNS(
            udpPayloadBytes: payload, extendedRCodeHigh: UInt8(ttl >> 24),
            version: UInt8(ttl >> 16 & 0xFF), flags: UInt16(ttl & 0xFFFF), options: options)
    }

    /// RDATA of a known type must fill RDLENGTH exactly; names inside it may be compressed
    /// on input (RFC 3597 §4 allows it for the RFC 1035 types) but must end inside it.
    private static func readRecordData(
        _ reader: inout DNSReader, type: DNSRecordType, end: Int
    ) throws(DNSError) -> DNSRecordData {
        let start = reader.offset
        let mismatch = DNSError.rdataLengthMismatch(type: type.rawValue, offset: start)
        let data: DNSRecordData
        switch type {
        case .a:
            guard end - start == 4 else { throw mismatch }
            data = .a(DNSIPv4Address(value: try reader.readUInt32()))
        case .aaaa:
            guard end - start == 16 else { throw mismatch }
            data = .aaaa(DNSIPv6Address(bytes: try reader.readBytes(16)))
        case .ns: data = .ns(try reader.readName())
        case .cname: data = .cname(try reader.readName())
        case .soa: data = .soa(try readSOA(&reader))
        case .srv:
            guard end - start >= 7 else { throw mismatch }
            data = .srv(DNSSRV(
                priority: try reader.readUInt16(), weight: try reader.readUInt16(),
                port: try reader.readUInt16(), target: try reader.readName()))
        case .txt:
            data = .txt(try readCharacterStrings(&reader, end: end, mismatch: mismatch))
        default:
            data = .unknown(type: type, bytes: try reader.readBytes(end - start))
        }
        guard reader.offset == end else { throw mismatch }
        return data
    }

    private static func readSOA(_ reader: inout DNSReader) throws(DNSError) -> DNSSOA {
        DNSSOA(
            primaryServer: try reader.readName(), responsibleMailbox: try reader.readName(),
            serial: try reader.readUInt32(), refreshSeconds: try reader.readUInt32(),
            retrySeconds: try reader.readUInt32(), expireSeconds: try reader.readUInt32(),
            minimumSeconds: try reader.readUInt32())
    }

    /// At least one character-string (RFC 1035 §3.3.14): empty TXT RDATA is malformed.
    private static func readCharacterStrings(
        _ reader: inout DNSReader, end: Int, mismatch: DNSError
    ) throws(DNSError) -> [[UInt8]] {
        guard reader.offset < end else { throw mismatch }
        var strings: [[UInt8]] = []
        while reader.offset < end {
            let length = Int(try reader.readUInt8())
            guard reader.offset + length <= end else { throw mismatch }
            strings.append(try reader.readBytes(length))
        }
        return strings
    }
}
