import ServiceCatalog

extension KeySpace {
    /// This member's node in the catalog: named after the member, at the host of its
    /// client URL, in the cluster's one datacenter. The HTTP agent and the server's node
    /// agent both register it.
    public func agentNode() -> CatalogNode {
        let url = status().clientURLs.first ?? ""
        let host = url.isEmpty ? "127.0.0.1" : ConsulGateway.host(ofURL: url)
        return CatalogNode(
            id: String(identity.memberID, radix: 16), node: identity.name, address: host,
            datacenter: ConsulGateway.datacenter)
    }
}

extension ConsulGateway {
    /// The host of `http://host:port` (brackets of an IPv6 literal removed).
    static func host(ofURL url: String) -> String {
        let member = MemberInfo(id: 0, name: "", peerURLs: [url], clientURLs: [])
        let address = address(member)
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon].filter { $0 != "[" && $0 != "]" })
    }
}
