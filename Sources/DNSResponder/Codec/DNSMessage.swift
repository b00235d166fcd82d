/// A whole DNS message (RFC 1035 §4.1). The header's counts are derived from the sections
/// when encoding; after decoding they are the counts that were read.
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    /// Additional records other than OPT.
    public var additionals: [DNSRecord]
    /// The OPT record, if any (always written last in the additional section).
    public var edns: DNSEDNS?

    public init(
        header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
        authorities: [DNSRecord] = [], additionals: [DNSRecord] = [], edns: DNSEDNS? = nil
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
        self.edns = edns
    }

    /// The full response code: header bits plus, with EDNS, the OPT's high bits.
    public var responseCode: DNSResponseCode {
        let high = UInt16(edns?.extendedRCodeHigh ?? 0)
        return DNSResponseCode(rawValue: high << 4 | UInt16(header.rcodeLow))
    }

    /// Sets the response code; codes above 15 need (and get) their high bits in `edns`,
    /// which must then be present.
    public mutating func setResponseCode(_ code: DNSResponseCode) {
        header.rcodeLow = code.low
        if edns != nil {
            edns?.extendedRCodeHigh = code.high
        } else {
            precondition(code.high == 0, "an extended response code needs an OPT record")
        }
    }
}
