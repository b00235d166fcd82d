/// The OPT pseudo-record's contents (RFC 6891 §6.1): the sender's UDP payload size, the
/// high bits of the response code, the EDNS version, the DO bit and options.
public struct DNSEDNS: Sendable, Hashable {
    /// The DNSSEC OK bit in the OPT flags (RFC 3225 §3).
    public static let dnssecOKFlag: UInt16 = 0x8000

    public var udpPayloadBytes: UInt16
    /// The upper 8 bits of the 12-bit response code.
    public var extendedRCodeHigh: UInt8
    public var version: UInt8
    /// All 16 flag bits as received (DO and the must-be-zero rest).
    public var flags: UInt16
    public var options: [DNSEDNSOption]

    public init(
        udpPayloadBytes: UInt16, extendedRCodeHigh: UInt8 = 0, version: UInt8 = 0,
        flags: UInt16 = 0, options: [DNSEDNSOption] = []
    ) {
        self.udpPayloadBytes = udpPayloadBytes
        self.extendedRCodeHigh = extendedRCodeHigh
        self.version = version
        self.flags = flags
        self.options = options
    }

    public var dnssecOK: Bool { flags & Self.dnssecOKFlag != 0 }

    /// Bytes of the OPT record on the wire: root owner, type, class, TTL, RDLENGTH, options.
    public var wireLength: Int {
        11 + options.reduce(0) { $0 + 4 + $1.data.count }
    }
}

/// One EDNS option (RFC 6891 §6.1.2), kept verbatim.
public struct DNSEDNSOption: Sendable, Hashable {
    public var code: UInt16
    public var data: [UInt8]

    public init(code: UInt16, data: [UInt8]) {
        precondition(data.count <= Int(UInt16.max), "an option length is 16 bits")
        self.code = code
        self.data = data
    }
}
