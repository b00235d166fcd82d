/// Encoding with name compression and a byte budget (RFC 1035 §4.1.4, §4.2.1).
extension DNSMessage {
    /// Encodes the message in at most `byteBudget` bytes (at least a header and the
    /// questions must fit; the budget is never below 512 in practice).
    ///
    /// Whole records are dropped, never parts of one. When an answer or authority record
    /// does not fit, it and every later record (additional ones too) are left out and TC is
    /// set; when only additional records do not fit they are left out without TC
    /// (RFC 2181 §9). Room for the OPT record is always reserved, so an EDNS client is
    /// told our payload size even in a truncated answer (RFC 6891 §7).
    public func encode(byteBudget: Int = DNSLimits.messageBytesMax) -> DNSEncodedMessage {
        precondition(byteBudget <= DNSLimits.messageBytesMax, "a message is at most 65535 bytes")
        var writer = DNSWriter(capacity: min(byteBudget, 4096))
        writeHeaderPlaceholder(&writer)
        for question in questions {
            writer.writeName(question.name, compress: true)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.recordClass.rawValue)
        }
        let limit = byteBudget - (edns?.wireLength ?? 0)
        precondition(writer.count <= limit, "the budget must fit the header and questions")
        var truncated = false
        let answerCount = Self.writeRecords(answers, into: &writer, limit: limit)
        truncated = answerCount < answers.count
        var authorityCount = 0
        var additionalCount = 0
        if !truncated {
            authorityCount = Self.writeRecords(authorities, into: &writer, limit: limit)
            truncated = authorityCount < authorities.count
        }
        if !truncated {
            additionalCount = Self.writeRecords(additionals, into: &writer, limit: limit)
        }
        if let edns {
            Self.writeOPT(edns, into: &writer)
            additionalCount += 1
        }
        var header = self.header
        header.isTruncated = header.isTruncated || truncated
        writer.setUInt16(header.flags, at: 2)
        writer.setUInt16(UInt16(questions.count), at: 4)
        writer.setUInt16(UInt16(answerCount), at: 6)
        writer.setUInt16(UInt16(authorityCount), at: 8)
        writer.setUInt16(UInt16(additionalCount), at: 10)
        return DNSEncodedMessage(
            bytes: writer.bytes, isTruncated: truncated, answerCount: answerCount,
            authorityCount: authorityCount,
            additionalCount: additionalCount - (edns == nil ? 0 : 1))
    }

    private func writeHeaderPlaceholder(_ writer: inout DNSWriter) {
        precondition(questions.count <= Int(UInt16.max), "question count is 16 bits")
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags)
        for _ in 0..<4 { writer.writeUInt16(0) }
    }

    /// Writes records while they fit under `limit`; returns how many were written.
    private static func writeRecords(
        _ records: [DNSRecord], into writer: inout DNSWriter, limit: Int
    ) -> Int {
        for (index, record) in records.enumerated() {
            let mark = writer.mark
            writeRecord(record, into: &writer)
            if writer.count > limit || index >= Int(UInt16.max) {
                writer.rollBack(to: mark)
                return index
            }
        }
        return records.count
    }

    static func writeRecord(_ record: DNSRecord, into writer: inout DNSWriter) {
        writer.writeName(record.name, compress: true)
        writer.writeUInt16(record.type.rawValue)
        writer.writeUInt16(record.recordClass.rawValue)
        writer.writeUInt32(record.ttlSeconds)
        let lengthOffset = writer.count
        writer.writeUInt16(0)
        writeRecordData(record.data, into: &writer)
        let length = writer.count - lengthOffset - 2
        precondition(length <= Int(UInt16.max), "RDATA is at most 65535 bytes")
        writer.setUInt16(UInt16(length), at: lengthOffset)
    }

    /// Only the RFC 1035 types' names are compressed; the SRV target never is (RFC 2782),
    /// and unknown types are opaque (RFC 3597 §4).
    private static func writeRecordData(_ data: DNSRecordData, into writer: inout DNSWriter) {
        switch data {
        case .a(let address): writer.writeUInt32(address.value)
        case .aaaa(let address): writer.writeBytes(address.bytes)
        case .ns(let name), .cname(let name): writer.writeName(name, compress: true)
        case .soa(let soa):
            writer.writeName(soa.primaryServer, compress: true)
            writer.writeName(soa.responsibleMailbox, compress: true)
            for value in [soa.serial, soa.refreshSeconds, soa.retrySeconds, soa.expireSeconds,
                          soa.minimumSeconds] {
                writer.writeUInt32(value)
            }
        case .txt(let strings):
            // TXT needs at least one string (RFC 1035 §3.3.14): empty means one empty one.
            for string in strings.isEmpty ? [[]] : strings {
                precondition(string.count <= DNSLimits.characterStringBytesMax,
                             "a character-string is at most 255 bytes")
                writer.writeUInt8(UInt8(string.count))
                writer.writeBytes(string)
            }
        case .srv(let srv):
            writer.writeUInt16(srv.priority)
            writer.writeUInt16(srv.weight)
            writer.writeUInt16(srv.port)
            writer.writeName(srv.target, compress: false)
        case .unknown(_, let bytes): writer.writeBytes(bytes)
        }
    }

    private static func writeOPT(_ edns: DNSEDNS, into writer: inout DNSWriter) {
        writer.writeUInt8(0)
        writer.writeUInt16(DNSRecordType.opt.rawValue)
        writer.writeUInt16(edns.udpPayloadBytes)
        writer.writeUInt32(
            UInt32(edns.extendedRCodeHigh) << 24 | UInt32(edns.version) << 16
                | UInt32(edns.flags))
        writer.writeUInt16(UInt16(edns.wireLength - 11))
        for option in edns.options {
            writer.writeUInt16(option.code)
            writer.writeUInt16(UInt16(option.data.count))
            writer.writeBytes(option.data)
        }
    }
}
