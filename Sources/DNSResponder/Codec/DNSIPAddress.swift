#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address, as the catalog stores them in text.
public enum DNSIPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(DNSIPv4Address)
    case v6(DNSIPv6Address)

    /// Parses numeric text ("10.0.0.1", "2001:db8::1"); nil for anything else, including
    /// host names (a name is not an address record; the catalog's hostnames are skipped).
    public init?(_ text: String) {
        // inet_pton is pure parsing; longer text cannot be an address (INET6_ADDRSTRLEN).
        guard !text.isEmpty, text.utf8.count < 46 else { return nil }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            self = .v4(DNSIPv4Address(value: UInt32(bigEndian: ipv4.s_addr)))
            return
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, text, &ipv6) == 1 {
            let octets = withUnsafeBytes(of: ipv6) { Array($0) }
            self = .v6(DNSIPv6Address(bytes: octets))
            return
        }
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}
