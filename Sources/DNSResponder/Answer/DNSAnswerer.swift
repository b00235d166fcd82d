/// Turns one query's bytes into the response bytes (or "forward", or "drop"). Pure: it
/// reads only its arguments, so the same query, catalog and generator state give the same
/// bytes; the server shell owns sockets, the catalog swap, the cache and the generator.
public struct DNSAnswerer: Sendable {
    public let configuration: DNSAnswererConfiguration
    private let domains: [DNSName]

    public init(configuration: DNSAnswererConfiguration) {
        self.configuration = configuration
        self.domains = configuration.domains
    }

    /// Answers `query` without a cache.
    public func respond(
        to query: [UInt8], transport: DNSTransport, catalog: DNSCatalogView,
        random: inout some RandomNumberGenerator
    ) -> DNSAction {
        var cache = DNSAnswerCache(entriesMax: 0)
        return query.withUnsafeBytes {
            respond(to: $0, transport: transport, catalog: catalog, cache: &cache, random: &random)
        }
    }

    /// Answers `query` into a new array (tests, tools); the server uses
    /// `respond(to:transport:catalog:cache:random:into:)` with its own buffers.
    public func respond(
        to query: UnsafeRawBufferPointer, transport: DNSTransport, catalog: DNSCatalogView,
        cache: inout DNSAnswerCache, random: inout some RandomNumberGenerator
    ) -> DNSAction {
        var reply = DNSReply.drop
        let bytes = [UInt8](unsafeUninitializedCapacity: outputBytesMin(transport)) {
            buffer, count in
            reply = respond(
                to: query, transport: transport, catalog: catalog, cache: &cache,
                random: &random, into: UnsafeMutableRawBufferPointer(buffer))
            guard case .answer(let byteCount) = reply else {
                count = 0
                return
            }
            count = byteCount
        }
        switch reply {
        case .answer: return .answer(bytes)
        case .forward: return .forward
        case .drop: return .drop
        }
    }

    /// The smallest output buffer `respond(...into:)` takes for `transport`: the largest
    /// response it can write (our UDP maximum, or a whole TCP message).
    public func outputBytesMin(_ transport: DNSTransport) -> Int {
        switch transport {
        case .udp: configuration.udpPayloadBytesMax
        case .tcp: DNSLimits.messageBytesMax
        }
    }

    /// Answers `query` (one UDP datagram or one TCP frame without its length prefix),
    /// writing the response into `output` (at least `outputBytesMin(transport)` bytes).
    ///
    /// A query of the usual shape (`DNSQueryScan`) whose answer is cached is served from
    /// the cache without decoding it. Everything else is decoded and checked in order
    /// (RFC 8906 §3, consul.md §9): no header or QR=1 → drop; unparsable → FORMERR (NOTIMP
    /// for another opcode); other opcode → NOTIMP; EDNS version > 0 → BADVERS; more than one
    /// question → FORMERR (RFC 9619); zone transfer → NOTIMP; a class other than IN/ANY →
    /// REFUSED; other domains → forward or REFUSED; our names → resolved, encoded, cached.
    public func respond(
        to query: UnsafeRawBufferPointer, transport: DNSTransport, catalog: DNSCatalogView,
        cache: inout DNSAnswerCache, random: inout some RandomNumberGenerator,
        into output: UnsafeMutableRawBufferPointer
    ) -> DNSReply {
        precondition(output.count >= outputBytesMin(transport), "output buffer too small")
        guard let scan = DNSQueryScan(query) else {
            return respondInFull(
                to: query, transport: transport, catalog: catalog, cache: &cache,
                lookUp: true, random: &random, into: output)
        }
        let name = UnsafeRawBufferPointer(rebasing: query[DNSHeader.byteCount..<scan.nameEnd])
        guard let cached = cache.lookup(name: name, type: scan.type, generation: catalog.generation)
        else {
            return respondInFull(
                to: query, transport: transport, catalog: catalog, cache: &cache,
                lookUp: false, random: &random, into: output)
        }
        let echo = DNSEncodedAnswer.Echo(
            id: scan.id, recursionDesired: scan.recursionDesired,
            recursionAvailable: configuration.hasRecursor,
            question: UnsafeRawBufferPointer(
                rebasing: query[DNSHeader.byteCount..<scan.questionEnd]),
            opt: ourOPT(queryFlags: scan.ednsFlags),
            byteBudget: byteBudget(ednsPayloadBytes: scan.ednsPayloadBytes, transport: transport))
        return .answer(byteCount: cached.writeResponse(echo, into: output, random: &random))
    }

    /// The decoding path. `lookUp` is false when the caller has just missed the cache
    /// with this query's key.
    private func respondInFull(
        to query: UnsafeRawBufferPointer, transport: DNSTransport, catalog: DNSCatalogView,
        cache: inout DNSAnswerCache, lookUp: Bool, random: inout some RandomNumberGenerator,
        into output: UnsafeMutableRawBufferPointer
    ) -> DNSReply {
        guard let header = try? DNSHeader(decoding: query), !header.isResponse else {
            return .drop
        }
        let message: DNSMessage
        do {
            message = try DNSMessage(decoding: query)
        } catch {
            let code: DNSResponseCode =
                header.opcode == DNSHeader.opcodeQuery ? .formatError : .notImplemented
            return copy(headerOnlyResponse(to: header, code: code), into: output)
        }
        if let code = refusal(of: message) {
            return copy(errorResponse(to: message, code: code, transport: transport), into: output)
        }
        guard let question = message.questions.first else {
            return copy(
                errorResponse(to: message, code: .noError, transport: transport),
                into: output)
        }
        let parsed = DNSQueryName.parse(
            question.name, domains: domains, datacenter: configuration.datacenter)
        guard case .inZone(let zoneQuery, let domain) = parsed else {
            if configuration.hasRecursor { return .forward }
            return copy(
                errorResponse(to: message, code: .refused, transport: transport),
                into: output)
        }
        let nameBytes = question.name.wireBytes
        var answer =
            !lookUp
            ? nil
            : nameBytes.withUnsafeBytes {
                cache.lookup(name: $0, type: question.type, generation: catalog.generation)
            }
        if answer == nil {
            let resolver = DNSZoneResolver(
                configuration: configuration, catalog: catalog, domain: domain,
                owner: question.name)
            let encoded = DNSEncodedAnswer(
                question: question.name, type: question.type,
                resolution: resolver.resolve(zoneQuery, type: question.type))
            cache.store(encoded, generation: catalog.generation)
            answer = encoded
        }
        guard let answer else { preconditionFailure("an answer was found or built") }
        return write(answer, for: message, transport: transport, random: &random, into: output)
    }

    /// Serves `answer` to a decoded query: its question re-encoded as asked (uncompressed,
    /// so as long as the question the answer was encoded behind).
    private func write(
        _ answer: DNSEncodedAnswer, for message: DNSMessage, transport: DNSTransport,
        random: inout some RandomNumberGenerator, into output: UnsafeMutableRawBufferPointer
    ) -> DNSReply {
        guard let question = message.questions.first else {
            preconditionFailure("an answered query has a question")
        }
        var questionBytes = question.name.wireBytes
        for word in [question.type.rawValue, question.recordClass.rawValue] {
            questionBytes += [UInt8(word >> 8), UInt8(word & 0xFF)]
        }
        let count = questionBytes.withUnsafeBytes { questionSection in
            let echo = DNSEncodedAnswer.Echo(
                id: message.header.id, recursionDesired: message.header.recursionDesired,
                recursionAvailable: configuration.hasRecursor, question: questionSection,
                opt: ourOPT(queryFlags: message.edns?.flags),
                byteBudget: byteBudget(
                    ednsPayloadBytes: message.edns?.udpPayloadBytes, transport: transport))
            return answer.writeResponse(echo, into: output, random: &random)
        }
        return .answer(byteCount: count)
    }

    /// The error code for a decoded query the zone does not get to answer, if any.
    private func refusal(of message: DNSMessage) -> DNSResponseCode? {
        if message.header.opcode != DNSHeader.opcodeQuery { return .notImplemented }
        if let edns = message.edns, edns.version > 0 { return .badVersion }
        guard message.questions.count <= 1 else { return .formatError }
        guard let question = message.questions.first else { return nil }
        if question.type == .axfr || question.type == .ixfr { return .notImplemented }
        guard question.recordClass == .internet || question.recordClass == .any else {
            return .refused
        }
        return nil
    }

    /// Our OPT for a query with OPT flags `queryFlags`: our payload size, the DO bit
    /// echoed, no options (RFC 6891 §6.1.1, §7).
    private func ourOPT(queryFlags: UInt16?) -> (payloadBytes: UInt16, flags: UInt16)? {
        queryFlags.map { (UInt16(configuration.udpPayloadBytesMax), $0 & DNSEDNS.dnssecOKFlag) }
    }

    private func copy(_ bytes: [UInt8], into output: UnsafeMutableRawBufferPointer) -> DNSReply {
        bytes.withUnsafeBytes {
            UnsafeMutableRawBufferPointer(rebasing: output[..<$0.count]).copyMemory(from: $0)
        }
        return .answer(byteCount: bytes.count)
    }

    /// The reply to a query longer than the server reads, of which `prefix` arrived: FORMERR
    /// with the header alone (the rest cannot be trusted), or nothing for a response or a
    /// packet without a header.
    public func respond(
        toCutQuery prefix: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> DNSReply {
        guard let header = try? DNSHeader(decoding: prefix), !header.isResponse else {
            return .drop
        }
        return copy(headerOnlyResponse(to: header, code: .formatError), into: output)
    }

    /// A response with `code` for `query`, echoing its question, or nil if the query
    /// cannot be decoded (the shell's SERVFAIL when the recursor does not answer).
    public func failureResponse(to query: [UInt8], code: DNSResponseCode) -> [UInt8]? {
        guard let message = try? DNSMessage(decoding: query), !message.header.isResponse else {
            return nil
        }
        return errorResponse(to: message, code: code, transport: .tcp)
    }

    // MARK: Building responses

    /// A response with `code` and no records. Header flags per RFC 1035 §4.1.1: ID,
    /// opcode and RD copied; AA for NOERROR/NXDOMAIN; RA only when a recursor is configured
    /// (consul.md §9.2). The question is echoed byte for byte (RFC 4343 §4.1), unless there
    /// are several. OPT only if the query had one (or the code needs it), version 0, our
    /// payload size, the DO bit echoed and no options (RFC 6891 §6.1.1, §7).
    private func errorResponse(
        to query: DNSMessage, code: DNSResponseCode, transport: DNSTransport
    ) -> [UInt8] {
        var header = DNSHeader(
            id: query.header.id, isResponse: true, opcode: query.header.opcode,
            recursionDesired: query.header.recursionDesired,
            recursionAvailable: configuration.hasRecursor)
        header.isAuthoritative = code == .noError || code == .nameError
        let payload = UInt16(configuration.udpPayloadBytesMax)
        var message = DNSMessage(
            header: header, questions: query.questions.count > 1 ? [] : query.questions,
            edns: query.edns.map {
                DNSEDNS(udpPayloadBytes: payload, flags: $0.flags & DNSEDNS.dnssecOKFlag)
            })
        if code.high > 0 && message.edns == nil {
            message.edns = DNSEDNS(udpPayloadBytes: payload)
        }
        message.setResponseCode(code)
        let budget = byteBudget(ednsPayloadBytes: query.edns?.udpPayloadBytes, transport: transport)
        return message.encode(byteBudget: budget).bytes
    }

    /// TCP: a whole message. UDP: 512 without EDNS (RFC 1035 §4.2.1); with EDNS the
    /// client's size, at least 512 (RFC 6891 §6.2.5) and at most our maximum.
    func byteBudget(ednsPayloadBytes: UInt16?, transport: DNSTransport) -> Int {
        switch transport {
        case .tcp: return DNSLimits.messageBytesMax
        case .udp:
            guard let payload = ednsPayloadBytes else { return DNSLimits.udpPayloadBytesClassic }
            return min(
                max(Int(payload), DNSLimits.udpPayloadBytesClassic),
                configuration.udpPayloadBytesMax)
        }
    }

    /// FORMERR/NOTIMP for a message whose body did not parse: the header alone.
    private func headerOnlyResponse(to header: DNSHeader, code: DNSResponseCode) -> [UInt8] {
        let response = DNSHeader(
            id: header.id, isResponse: true, opcode: header.opcode,
            recursionDesired: header.recursionDesired,
            recursionAvailable: configuration.hasRecursor, rcodeLow: code.low)
        return DNSMessage(header: response).encode().bytes
    }
}
