/// SOA RDATA (RFC 1035 §3.3.13). The minimum doubles as the negative-caching TTL
/// (RFC 2308 §4).
public struct DNSSOA: Sendable, Hashable {
    public var primaryServer: DNSName
    public var responsibleMailbox: DNSName
    public var serial: UInt32
    public var refreshSeconds: UInt32
    public var retrySeconds: UInt32
    public var expireSeconds: UInt32
    public var minimumSeconds: UInt32

    public init(
        primaryServer: DNSName, responsibleMailbox: DNSName, serial: UInt32,
        refreshSeconds: UInt32, retrySeconds: UInt32, expireSeconds: UInt32,
        minimumSeconds: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refreshSeconds = refreshSeconds
        self.retrySeconds = retrySeconds
        self.expireSeconds = expireSeconds
        self.minimumSeconds = minimumSeconds
    }
}
