/// Serving an encoded answer: header, the question as asked, the records copied in a
/// fresh order, OPT. The same truncation rules as `DNSMessage.encode(byteBudget:)`.
extension DNSEncodedAnswer {
    /// What a response takes from its query and transport.
    struct Echo {
        let id: UInt16
        let recursionDesired: Bool
        /// RA: set when a recursor is configured (consul.md §9.2).
        let recursionAvailable: Bool
        /// The question section as asked (uncompressed name, type, class): echoed byte for
        /// byte (RFC 4343 §4.1), its labels as long as those this answer was encoded behind.
        let question: UnsafeRawBufferPointer
        /// Our OPT record's payload size and flags (RFC 6891 §6.1.1), nil without EDNS.
        let opt: (payloadBytes: UInt16, flags: UInt16)?
        let byteBudget: Int
    }

    /// Bytes of the OPT record we write: root owner, type, class, TTL, RDLENGTH 0.
    static let optBytes = 11

    /// Writes the response into `output` (at least `echo.byteBudget` bytes); returns its
    /// length.
    ///
    /// The answer records are ordered by Fisher–Yates with `random` (as `Array.shuffle`
    /// does, so the same generator state gives the order shuffling the records would).
    /// Whole records are dropped at the budget: an answer or authority record that does not
    /// fit drops it and everything after, and sets TC; additional records that do not fit
    /// are left out without TC (RFC 2181 §9). Room for OPT is always kept (RFC 6891 §7).
    func writeResponse(
        _ echo: Echo, into output: UnsafeMutableRawBufferPointer,
        random: inout some RandomNumberGenerator
    ) -> Int {
        precondition(echo.byteBudget <= DNSLimits.messageBytesMax, "a message is at most 64 KiB")
        precondition(output.count >= echo.byteBudget, "the output must hold the budget")
        let limit = echo.byteBudget - (echo.opt == nil ? 0 : Self.optBytes)
        let questionEnd = DNSHeader.byteCount + echo.question.count
        precondition(questionEnd <= limit, "the budget must fit the header and question")
        UnsafeMutableRawBufferPointer(rebasing: output[DNSHeader.byteCount..<questionEnd])
            .copyMemory(from: echo.question)
        var counts = (answers: 0, authorities: 0, additionals: 0)
        var truncated = false
        let end = withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * answers.count + 1) {
            scratch in
            // order[i]: the answer written i-th; positions[k]: where answer k was written.
            var order = UnsafeMutableBufferPointer(rebasing: scratch[0..<answers.count])
            let positions = UnsafeMutableBufferPointer(
                rebasing: scratch[answers.count..<2 * answers.count])
            for index in order.indices { order[index] = index }
            order.shuffle(using: &random)
            var copier = Copier(output: output, source: bytes, position: questionEnd)
            for index in order {
                guard copier.position + answers[index].count <= limit else {
                    truncated = true
                    break
                }
                positions[index] = copier.position
                copier.copy(answers[index])
                counts.answers += 1
            }
            for record in authorities where !truncated {
                guard copier.position + record.count <= limit else {
                    truncated = true
                    break
                }
                copier.copy(record)
                counts.authorities += 1
            }
            for record in additionals where !truncated {
                guard copier.copyAdditional(record, positions: positions, limit: limit) else {
                    break
                }
                counts.additionals += 1
            }
            return copier.position
        }
        var position = end
        if let opt = echo.opt {
            Self.writeOPT(opt, into: output, at: position)
            position += Self.optBytes
            counts.additionals += 1
        }
        writeHeader(echo, truncated: truncated, counts: counts, into: output)
        return position
    }

    private func writeHeader(
        _ echo: Echo, truncated: Bool, counts: (answers: Int, authorities: Int, additionals: Int),
        into output: UnsafeMutableRawBufferPointer
    ) {
        // RFC 1035 §4.1.1: QR; opcode QUERY (0); AA for our own names' NOERROR/NXDOMAIN.
        var flags: UInt16 = 0x8000 | UInt16(responseCode.low)
        if responseCode == .noError || responseCode == .nameError { flags |= 0x0400 }
        if truncated { flags |= 0x0200 }
        if echo.recursionDesired { flags |= 0x0100 }
        if echo.recursionAvailable { flags |= 0x0080 }
        func store(_ word: UInt16, at offset: Int) {
            output.storeBytes(of: word.bigEndian, toByteOffset: offset, as: UInt16.self)
        }
        store(echo.id, at: 0)
        store(flags, at: 2)
        store(1, at: 4)
        store(UInt16(counts.answers), at: 6)
        store(UInt16(counts.authorities), at: 8)
        store(UInt16(counts.additionals), at: 10)
    }

    /// OPT (RFC 6891 §6.1.2): root owner, type 41, CLASS = our payload size, TTL = extended
    /// RCODE 0 (cached answers have 4-bit codes), version 0 and flags, no options.
    private static func writeOPT(
        _ opt: (payloadBytes: UInt16, flags: UInt16), into output: UnsafeMutableRawBufferPointer,
        at offset: Int
    ) {
        let bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (
                0, 0, UInt8(DNSRecordType.opt.rawValue), UInt8(opt.payloadBytes >> 8),
                UInt8(opt.payloadBytes & 0xFF), 0, 0, UInt8(opt.flags >> 8),
                UInt8(opt.flags & 0xFF),
                0, 0
            )
        withUnsafeBytes(of: bytes) {
            UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + optBytes])
                .copyMemory(from: $0)
        }
    }

    /// Appends record bytes to the output.
    private struct Copier {
        let output: UnsafeMutableRawBufferPointer
        let source: [UInt8]
        var position: Int

        mutating func copy(_ record: Record) {
            copy(record.start..<record.end)
        }

        mutating func copy(_ range: Range<Int>) {
            source.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(
                    rebasing: output[position..<position + range.count]
                ).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
            position += range.count
        }

        /// An additional record, its owner as a pointer into the answer that spells it
        /// when that lies within 14 bits; false (nothing written) if it does not fit.
        mutating func copyAdditional(
            _ record: Record, positions: UnsafeMutableBufferPointer<Int>, limit: Int
        ) -> Bool {
            var pointer = -1
            if record.ownerAnswer >= 0 {
                let target = positions[record.ownerAnswer] + record.ownerOffset
                if target <= DNSLimits.compressionOffsetMax { pointer = target }
            }
            let size = pointer < 0 ? record.count : 2 + record.count - record.ownerBytes
            guard position + size <= limit else { return false }
            if pointer < 0 {
                copy(record)
            } else {
                output.storeBytes(
                    of: (0xC000 | UInt16(pointer)).bigEndian, toByteOffset: position,
                    as: UInt16.self)
                position += 2
                copy(record.start + record.ownerBytes..<record.end)
            }
            return true
        }
    }
}
