/// Typed RDATA for the types the responder serves, raw bytes for every other type
/// (RFC 3597 §5). OPT is not a case: the codec carries it as `DNSMessage.edns`, because its
/// owner, class and TTL fields mean something else (RFC 6891 §6.1.2) and only one may exist.
public enum DNSRecordData: Sendable, Hashable {
    case a(DNSIPv4Address)
    case aaaa(DNSIPv6Address)
    case ns(DNSName)
    case cname(DNSName)
    case soa(DNSSOA)
    /// One or more character-strings of at most 255 bytes each (RFC 1035 §3.3.14).
    case txt([[UInt8]])
    case srv(DNSSRV)
    /// Any other type, RDATA kept verbatim (and never containing compressed names).
    case unknown(type: DNSRecordType, bytes: [UInt8])

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .soa: .soa
        case .txt: .txt
        case .srv: .srv
        case .unknown(let type, _): type
        }
    }
}
