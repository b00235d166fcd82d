/// A question name classified against our domains.
public enum DNSQueryName: Sendable, Hashable {
    /// Not under any of our domains: forwarded or REFUSED.
    case outside
    /// Under `domain` (the primary or the `consul.` alias, as configured, not as asked).
    case inZone(DNSZoneQuery, domain: DNSName)

    private static let serviceLabel = Array("service".utf8)
    private static let nodeLabel = Array("node".utf8)
    private static let addressLabel = Array("addr".utf8)
    private static let queryLabel = Array("query".utf8)
    private static let nameServerLabel = Array("ns".utf8)
    private static let tcpLabel = Array("_tcp".utf8)
    private static let underscore = UInt8(ascii: "_")

    /// Classifies `name` (case-insensitive) for a zone with `domains` and `datacenter`
    /// (lowercased).
    public static func parse(
        _ name: DNSName, domains: [DNSName], datacenter: [UInt8]
    ) -> DNSQueryName {
        guard let domain = domains.first(where: { name.hasSuffix($0) }) else { return .outside }
        let labels = name.labels.dropLast(domain.labels.count).map(DNSName.lowercased)
        return .inZone(classify(labels, datacenter: datacenter), domain: domain)
    }

    private static func classify(_ labels: [[UInt8]], datacenter: [UInt8]) -> DNSZoneQuery {
        guard let last = labels.last else { return .apex }
        if labels == [nameServerLabel] { return .nameServer }
        if labels.count >= 2, labels[0].first == underscore, labels[1].first == underscore {
            return classifyRFC2782(labels, datacenter: datacenter)
        }
        let kinds = [serviceLabel, nodeLabel, addressLabel, queryLabel]
        let kindIndex: Int
        if kinds.contains(last) {
            kindIndex = labels.count - 1
        } else if labels.count >= 2, kinds.contains(labels[labels.count - 2]) {
            guard last == datacenter else { return .nonexistent }
            kindIndex = labels.count - 2
        } else {
            return labels == [datacenter] ? .emptyNonTerminal : .nonexistent
        }
        let prefix = Array(labels[..<kindIndex])
        guard let lastPrefix = prefix.last else { return .emptyNonTerminal }
        switch labels[kindIndex] {
        case serviceLabel:
            let tag = prefix.dropLast()
            return .service(name: lastPrefix, tag: tag.isEmpty ? nil : joined(tag))
        case nodeLabel:
            return .node(name: joined(prefix))
        case addressLabel:
            guard prefix.count == 1, let address = hexAddress(lastPrefix) else {
                return .nonexistent
            }
            return .address(address)
        default:
            return .nonexistent  // prepared queries are not supported
        }
    }

    /// `_svc._tag` followed by nothing, `service`, `service.<dc>` or `<dc>`.
    private static func classifyRFC2782(_ labels: [[UInt8]], datacenter: [UInt8]) -> DNSZoneQuery {
        let rest = Array(labels[2...])
        let valid = rest.isEmpty || rest == [serviceLabel] || rest == [serviceLabel, datacenter]
            || rest == [datacenter]
        guard valid, labels[0].count > 1, labels[1].count > 1 else { return .nonexistent }
        let service = Array(labels[0].dropFirst())
        let tag = labels[1] == tcpLabel ? nil : Array(labels[1].dropFirst())
        return .rfc2782(service: service, tag: tag)
    }

    private static func joined(_ labels: some Collection<[UInt8]>) -> [UInt8] {
        Array(labels.joined(separator: [UInt8(ascii: ".")]))
    }

    /// 8 hex digits are IPv4, 32 are IPv6 (Consul's `.addr` names).
    static func hexAddress(_ label: [UInt8]) -> DNSIPAddress? {
        guard label.count == 8 || label.count == 32 else { return nil }
        var nibbles: [UInt8] = []
        for byte in label {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibbles.append(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                nibbles.append(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        let octets = stride(from: 0, to: nibbles.count, by: 2).map {
            nibbles[$0] << 4 | nibbles[$0 + 1]
        }
        if octets.count == 4 {
            return .v4(DNSIPv4Address(octets[0], octets[1], octets[2], octets[3]))
        }
        return .v6(DNSIPv6Address(bytes: octets))
    }

    /// The `.addr` label for `address`: lowercase hex of its octets.
    static func hexLabel(_ address: DNSIPAddress) -> [UInt8] {
        let octets: [UInt8]
        switch address {
        case .v4(let v4): octets = v4.bytes
        case .v6(let v6): octets = v6.bytes
        }
        let digits = Array("0123456789abcdef".utf8)
        return octets.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }
    }
}
