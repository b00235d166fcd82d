/// What the answerer needs to know about the zone it serves.
public struct DNSAnswererConfiguration: Sendable {
    /// The alias every Roost responder also answers for, so Consul clients and
    /// `*.service.consul` habits keep working.
    public static let consulDomain = DNSName.fromLiteral("consul")

    /// Longest `--dns-domain` in wire bytes. The names we build under it must stay within
    /// 255 bytes: the longest is an SRV target `<32 hex>.addr.<datacenter>.<domain>`
    /// (33 + 5 + up to 64 bytes before the domain), so 128 leaves room. The CLI checks
    /// user input against it; the initialiser treats a longer domain as a programmer error.
    public static let domainBytesMax = 128

    /// The primary domain (`--dns-domain`, default "roost.").
    public var domain: DNSName
    /// TTL of every answer (`--dns-ttl`, default 0 like Consul: the catalog changes, and
    /// caching resolvers would serve dead instances).
    public var ttlSeconds: UInt32
    /// This cluster's datacenter label: `web.service.<datacenter>.<domain>` is accepted,
    /// and SRV targets carry it. Stored lowercased.
    public var datacenter: [UInt8]
    /// True when a recursor is configured: other domains are forwarded (RA=1) rather
    /// than REFUSED.
    public var hasRecursor: Bool
    /// Addresses served for `ns.<domain>`, the name in the NS and SOA records.
    public var nameServerAddresses: [DNSIPAddress]
    /// The SOA serial. The core reads no clock; the shell passes e.g. the start time.
    public var soaSerial: UInt32
    /// SOA refresh, retry and expire (Consul's `dns_config.soa` defaults); the SOA minimum
    /// and the SOA record's TTL are `ttlSeconds` (negative TTL, RFC 2308 §5).
    public var soaRefreshSeconds: UInt32 = 3600
    public var soaRetrySeconds: UInt32 = 600
    public var soaExpireSeconds: UInt32 = 86_400
    /// Largest UDP answer, whatever the client advertises; also our advertised size.
    public var udpPayloadBytesMax: Int

    public init(
        domain: DNSName = DNSName.fromLiteral("roost"), ttlSeconds: UInt32 = 0,
        datacenter: String = "dc1", hasRecursor: Bool = false,
        nameServerAddresses: [DNSIPAddress] = [], soaSerial: UInt32 = 1,
        udpPayloadBytesMax: Int = DNSLimits.ednsUDPPayloadBytesMax
    ) {
        precondition(!domain.isRoot, "the DNS domain must not be the root")
        precondition(domain.wireLength <= Self.domainBytesMax,
                     "the DNS domain must be at most \(Self.domainBytesMax) bytes")
        precondition((DNSLimits.udpPayloadBytesClassic...DNSLimits.messageBytesMax)
            .contains(udpPayloadBytesMax), "udpPayloadBytesMax must be in 512...65535")
        let datacenterLabel = DNSName.lowercased(Array(datacenter.utf8))
        precondition((1...DNSLimits.labelBytesMax).contains(datacenterLabel.count)
            && !datacenterLabel.contains(UInt8(ascii: ".")), "the datacenter is one label")
        self.domain = domain
        self.ttlSeconds = ttlSeconds
        self.datacenter = datacenterLabel
        self.hasRecursor = hasRecursor
        self.nameServerAddresses = nameServerAddresses
        self.soaSerial = soaSerial
        self.udpPayloadBytesMax = udpPayloadBytesMax
    }

    /// The domains answered, primary first.
    var domains: [DNSName] {
        domain == Self.consulDomain ? [domain] : [domain, Self.consulDomain]
    }
}

extension DNSName {
    /// A name from literal text known to be valid (configuration defaults, tests).
    public static func fromLiteral(_ text: String) -> DNSName {
        do {
            return try DNSName(text)
        } catch {
            preconditionFailure("invalid literal DNS name \"\(text)\": \(error)")
        }
    }
}
