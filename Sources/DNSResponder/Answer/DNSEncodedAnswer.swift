/// One question's answer, encoded once per catalog generation so that serving it is mostly
/// copying bytes (`writeResponse`), while the answer records are still shuffled per query.
///
/// Every record is encoded on its own behind the question, so its names are compressed
/// only against the question name at offset 12 (RFC 1035 §4.1.4): the question's label
/// lengths are the same whatever case the asker uses, so those pointers hold for every
/// spelling, and the records can be written in any order. An additional record whose owner
/// an answer record spells in full (an SRV target, RFC 2782) is written with a pointer to
/// wherever that answer lands, as a whole-message encoder would compress it.
struct DNSEncodedAnswer: Sendable {
    /// Where one record's bytes are in `bytes`.
    struct Record: Sendable {
        let start: Int
        let end: Int
        /// Additional records only: the index in `answers` of an answer record that spells
        /// this record's owner name at `ownerOffset` from its start, or -1. The first
        /// `ownerBytes` bytes (the owner as encoded alone) are then replaced by a pointer.
        let ownerAnswer: Int
        let ownerOffset: Int
        let ownerBytes: Int

        var count: Int { end - start }
    }

    /// The question name in wire form, lowercased: with `type`, the cache key.
    let name: [UInt8]
    let type: DNSRecordType
    let responseCode: DNSResponseCode
    let bytes: [UInt8]
    let answers: [Record]
    let authorities: [Record]
    let additionals: [Record]

    /// Memory held, for the cache's byte bound.
    var byteCount: Int {
        name.count + bytes.count
            + MemoryLayout<Record>.stride * (answers.count + authorities.count + additionals.count)
    }

    /// Encodes `resolution`, the records for `question` (spelled as the first asker did).
    init(question: DNSName, type: DNSRecordType, resolution: DNSResolution) {
        precondition(resolution.responseCode.high == 0, "a cached answer needs no OPT rcode")
        var writer = DNSWriter(capacity: 512)
        for _ in 0..<DNSHeader.byteCount { writer.writeUInt8(0) }
        writer.writeName(question, compress: true)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(DNSRecordClass.internet.rawValue)
        var encoder = Encoder(writer: writer, afterQuestion: writer.mark)
        // Additional records by owner name, to link to the answer that spells it.
        var owners: [DNSName: [Int]] = [:]
        for (index, record) in resolution.additionals.enumerated() {
            owners[record.name, default: []].append(index)
        }
        var links: [Int: (answer: Int, offset: Int)] = [:]
        var answers: [Record] = []
        for (index, record) in resolution.answers.enumerated() {
            answers.append(encoder.encode(record))
            for name in Self.rdataNames(record.data) {
                guard let waiting = owners.removeValue(forKey: name),
                    let offset = encoder.offsetInLastRecord(of: name)
                else { continue }
                for additional in waiting { links[additional] = (index, offset) }
            }
        }
        let authorities = resolution.authorities.map { encoder.encode($0) }
        let additionals = resolution.additionals.enumerated().map { index, record in
            encoder.encode(record, ownerLink: links[index])
        }
        name = DNSName.lowercased(question.wireBytes)
        self.type = type
        responseCode = resolution.responseCode
        bytes = encoder.bytes
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// Names in RDATA that a later owner could point to.
    private static func rdataNames(_ data: DNSRecordData) -> [DNSName] {
        switch data {
        case .srv(let srv): [srv.target]
        case .ns(let name), .cname(let name): [name]
        case .soa(let soa): [soa.primaryServer, soa.responsibleMailbox]
        case .a, .aaaa, .txt, .unknown: []
        }
    }

    /// Encodes records one at a time behind the question, collecting their bytes.
    private struct Encoder {
        var writer: DNSWriter
        let afterQuestion: DNSWriter.Mark
        var bytes: [UInt8] = []
        /// Where the record last encoded starts in `writer`.
        var lastStart = 0

        mutating func encode(
            _ record: DNSRecord, ownerLink: (answer: Int, offset: Int)? = nil
        ) -> Record {
            writer.rollBack(to: afterQuestion)
            writer.writeName(record.name, compress: true)
            let ownerBytes = writer.count - afterQuestion.byteCount
            writer.rollBack(to: afterQuestion)
            lastStart = writer.count
            DNSMessage.writeRecord(record, into: &writer)
            let start = bytes.count
            bytes.append(contentsOf: writer.bytes[lastStart...])
            return Record(
                start: start, end: bytes.count, ownerAnswer: ownerLink?.answer ?? -1,
                ownerOffset: ownerLink?.offset ?? 0, ownerBytes: ownerBytes)
        }

        /// The offset inside the last record where `name` is spelled from its first label
        /// (the rest may point into the question), or nil if it is not.
        func offsetInLastRecord(of name: DNSName) -> Int? {
            guard !name.isRoot, let target = writer.target(matching: name.labels, from: 0),
                Int(target) >= lastStart
            else { return nil }
            return Int(target) - lastStart
        }
    }
}

extension DNSName {
    /// The uncompressed wire form: a length byte per label, then the root.
    var wireBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wireLength)
        for label in labels {
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
        return bytes
    }
}
