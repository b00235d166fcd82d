/// A catalog node as DNS sees it.
public struct DNSNode: Sendable, Hashable {
    /// The node name; dots are allowed (`a.b.node.roost` is node "a.b").
    public var name: String
    /// Numeric IPv4 or IPv6 text; anything else gives the node no address records.
    public var address: String
    /// Served as TXT "key=value" records (RFC 1464).
    public var meta: [String: String]

    public init(name: String, address: String, meta: [String: String] = [:]) {
        self.name = name
        self.address = address
        self.meta = meta
    }
}
