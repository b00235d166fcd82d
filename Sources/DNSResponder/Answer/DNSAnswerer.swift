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

    /// Answers `query` (one UDP datagram or one TCP frame without its length prefix).
    ///
    /// Order of checks (RFC 8906 §3, consul.md §9): no header or QR=1 → drop; unparsable →
    /// FORMERR (NOTIMP for another opcode); other opcode → NOTIMP; EDNS version > 0 →
    /// BADVERS; more than one question → FORMERR (RFC 9619); zone transfer → NOTIMP;
    /// a class other than IN/ANY → REFUSED; other domains → forward or REFUSED.
    public func respond(
        to query: UnsafeRawBufferPointer, transport: DNSTransport, catalog: DNSCatalogView,
        cache: inout DNSAnswerCache, random: inout some RandomNumberGenerator
    ) -> DNSAction {
        guard let header = try? DNSHeader(decoding: query), !header.isResponse else {
            return .drop
        }
        let message: DNSMessage
        do {
            message = try DNSMessage(decoding: query)
        } catch {
            let code: DNSResponseCode =
                header.opcode == DNSHeader.opcodeQuery ? .formatError : .notImplemented
            return .answer(headerOnlyResponse(to: header, code: code))
        }
        if message.header.opcode != DNSHeader.opcodeQuery {
            return answer(message, code: .notImplemented, transport: transport)
        }
        if let edns = message.edns, edns.version > 0 {
            return answer(message, code: .badVersion, transport: transport)
        }
        guard message.questions.count <= 1 else {
            return answer(message, code: .formatError, transport: transport)
        }
        guard let question = message.questions.first else {
            return answer(message, code: .noError, transport: transport)
        }
        if question.type == .axfr || question.type == .ixfr {
            return answer(message, code: .notImplemented, transport: transport)
        }
        guard question.recordClass == .internet || question.recordClass == .any else {
            return answer(message, code: .refused, transport: transport)
        }
        let parsed = DNSQueryName.parse(
            question.name, domains: domains, datacenter: configuration.datacenter)
        guard case .inZone(let zoneQuery, let domain) = parsed else {
            if configuration.hasRecursor { return .forward }
            return answer(message, code: .refused, transport: transport)
        }
        let key = DNSAnswerCache.Key(name: question.name, type: question.type)
        var resolution: DNSResolution
        if let cached = cache.lookup(key, generation: catalog.generation) {
            resolution = cached
        } else {
            let resolver = DNSZoneResolver(
                configuration: configuration, catalog: catalog, domain: domain,
                owner: question.name)
            resolution = resolver.resolve(zoneQuery, type: question.type)
            cache.store(resolution, for: key, generation: catalog.generation)
        }
        // Fisher–Yates on every query (Consul's `Shuffle`): clients take the first record.
        if resolution.answers.count > 1 { resolution.answers.shuffle(using: &random) }
        let response = response(to: message, resolution: resolution)
        return .answer(encode(response, queryEDNS: message.edns, transport: transport))
    }

    /// A response with `code` for `query`, echoing its question, or nil if the query
    /// cannot be decoded (the shell's SERVFAIL when the recursor does not answer).
    public func failureResponse(to query: [UInt8], code: DNSResponseCode) -> [UInt8]? {
        guard let message = try? DNSMessage(decoding: query), !message.header.isResponse else {
            return nil
        }
        guard case .answer(let bytes) = answer(message, code: code, transport: .tcp) else {
            return nil
        }
        return bytes
    }

    // MARK: Building responses

    private func answer(_ query: DNSMessage, code: DNSResponseCode, transport: DNSTransport)
        -> DNSAction
    {
        let resolution = DNSResolution(responseCode: code, answers: [])
        let response = response(to: query, resolution: resolution)
        return .answer(encode(response, queryEDNS: query.edns, transport: transport))
    }

    /// Header flags per RFC 1035 §4.1.1: ID, opcode and RD copied; AA for our own names
    /// (NOERROR/NXDOMAIN); RA only when a recursor is configured (consul.md §9.2). The
    /// question is echoed byte for byte (RFC 4343 §4.1). OPT only if the query had one,
    /// version 0, our payload size, the DO bit echoed and no options (RFC 6891 §6.1.1,
    /// §7; unknown options and flags are not echoed).
    private func response(to query: DNSMessage, resolution: DNSResolution) -> DNSMessage {
        let code = resolution.responseCode
        var header = DNSHeader(
            id: query.header.id, isResponse: true, opcode: query.header.opcode,
            recursionDesired: query.header.recursionDesired,
            recursionAvailable: configuration.hasRecursor)
        header.isAuthoritative = code == .noError || code == .nameError
        let edns = query.edns.map {
            DNSEDNS(udpPayloadBytes: UInt16(configuration.udpPayloadBytesMax),
                    flags: $0.flags & DNSEDNS.dnssecOKFlag)
        }
        var message = DNSMessage(
            header: header, questions: query.questions, answers: resolution.answers,
            authorities: resolution.authorities, additionals: resolution.additionals,
            edns: edns)
        if code.rawValue > 15 && edns == nil {
            message.edns = DNSEDNS(udpPayloadBytes: UInt16(configuration.udpPayloadBytesMax))
        }
        message.setResponseCode(code)
        // The question must fit the budget: one name ≤ 255 bytes always does.
        if message.questions.count > 1 { message.questions = [] }
        return message
    }

    private func encode(_ message: DNSMessage, queryEDNS: DNSEDNS?, transport: DNSTransport)
        -> [UInt8]
    {
        message.encode(byteBudget: byteBudget(queryEDNS: queryEDNS, transport: transport)).bytes
    }

    /// TCP: a whole message. UDP: 512 without EDNS (RFC 1035 §4.2.1); with EDNS the
    /// client's size, at least 512 (RFC 6891 §6.2.5) and at most our maximum.
    func byteBudget(queryEDNS: DNSEDNS?, transport: DNSTransport) -> Int {
        switch transport {
        case .tcp: return DNSLimits.messageBytesMax
        case .udp:
            guard let edns = queryEDNS else { return DNSLimits.udpPayloadBytesClassic }
            return min(max(Int(edns.udpPayloadBytes), DNSLimits.udpPayloadBytesClassic),
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
