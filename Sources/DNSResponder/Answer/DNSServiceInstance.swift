/// One registered instance of a service as DNS sees it.
public struct DNSServiceInstance: Sendable, Hashable {
    public var service: String
    public var id: String
    /// The name of the node it runs on.
    public var node: String
    /// Numeric IPv4/IPv6 text, or empty to use the node's address.
    public var address: String
    public var port: UInt16
    /// Matched case-insensitively by `<tag>.<service>.service` and `_<service>._<tag>`.
    public var tags: [String]
    /// Served as TXT "key=value" records for TXT questions on the service name.
    public var meta: [String: String]
    public var health: DNSHealth

    public init(
        service: String, id: String? = nil, node: String, address: String = "",
        port: UInt16, tags: [String] = [], meta: [String: String] = [:],
        health: DNSHealth = .passing
    ) {
        self.service = service
        self.id = id ?? service
        self.node = node
        self.address = address
        self.port = port
        self.tags = tags
        self.meta = meta
        self.health = health
    }
}
