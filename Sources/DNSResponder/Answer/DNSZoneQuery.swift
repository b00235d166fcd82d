/// What a name inside one of our domains asks for (Consul's DNS names, consul.md §9.1).
/// Names and tags are lowercased; a node name or tag with dots keeps them.
public enum DNSZoneQuery: Sendable, Hashable {
    /// The domain itself: SOA and NS live here.
    case apex
    /// `ns.<domain>`: the name server named in SOA and NS records.
    case nameServer
    /// A name with nothing at it but names below it (`service.<domain>`, `<dc>.<domain>`):
    /// NODATA, not NXDOMAIN (RFC 8020).
    case emptyNonTerminal
    /// Inside the domain but not a name we could ever have (unknown datacenter, malformed
    /// hex address, prepared queries): NXDOMAIN.
    case nonexistent
    /// `[<tag>.]<service>.service[.<dc>].<domain>`.
    case service(name: [UInt8], tag: [UInt8]?)
    /// `_<service>._<tag>[.service][.<dc>].<domain>` (RFC 2782); `_tcp` means no tag.
    case rfc2782(service: [UInt8], tag: [UInt8]?)
    /// `<node>.node[.<dc>].<domain>`.
    case node(name: [UInt8])
    /// `<hex>.addr[.<dc>].<domain>`: the address spelled in hex (SRV targets).
    case address(DNSIPAddress)
}
