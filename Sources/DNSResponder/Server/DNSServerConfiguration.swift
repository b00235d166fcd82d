import Platform

/// What `roost server --listen-dns/--dns-domain/--dns-ttl/--dns-recursor` configure.
public struct DNSServerConfiguration: Sendable {
    /// The default `--listen-dns` (Consul's DNS port).
    public static let listenAddressDefault = SocketAddress.ipv4Loopback(port: 8600)

    /// UDP and TCP are served on the same address (port 0: the kernel picks one for UDP,
    /// and TCP takes the same number).
    public var listenAddress: SocketAddress
    /// Where queries for other domains go (`--dns-recursor`); nil answers them REFUSED.
    public var recursor: SocketAddress?
    /// Domain, TTL, datacenter, SOA values. `hasRecursor` is set from `recursor`.
    public var answerer: DNSAnswererConfiguration
    public var limits: DNSServerLimits
    /// Seed for the answer-shuffling generators (loop i uses seed + i); nil takes one
    /// from the kernel. Tests pass one to replay.
    public var randomSeed: UInt64?

    public init(
        listenAddress: SocketAddress = DNSServerConfiguration.listenAddressDefault,
        recursor: SocketAddress? = nil,
        answerer: DNSAnswererConfiguration = DNSAnswererConfiguration(),
        limits: DNSServerLimits = DNSServerLimits(), randomSeed: UInt64? = nil
    ) {
        self.listenAddress = listenAddress
        self.recursor = recursor
        self.answerer = answerer
        self.answerer.hasRecursor = recursor != nil
        self.limits = limits
        self.randomSeed = randomSeed
    }
}
