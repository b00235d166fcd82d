/// The catalog as the responder reads it: an immutable value indexed once when built. The
/// server builds a new one whenever the catalog changes and hands it to
/// `DNSServer.updateCatalog`; queries never see a half-updated catalog.
public struct DNSCatalogView: Sendable {
    /// An instance with everything DNS needs already derived from the strings.
    struct IndexedInstance: Sendable {
        let instance: DNSServiceInstance
        let tagKeys: [[UInt8]]
        /// The instance's own address, else its node's; nil if neither is numeric.
        let address: DNSIPAddress?
        /// True when `address` came from the node: the SRV target is then the node name.
        let usesNodeAddress: Bool
        /// The node name as labels, nil if it cannot be a DNS name.
        let nodeLabels: [[UInt8]]?
        let metaText: [[UInt8]]
    }

    struct IndexedNode: Sendable {
        let node: DNSNode
        let address: DNSIPAddress?
        let metaText: [[UInt8]]
    }

    /// Changes whenever the content changes; answer caches compare it.
    public let generation: UInt64
    public let nodes: [DNSNode]
    public let instances: [DNSServiceInstance]
    let nodesByName: [[UInt8]: IndexedNode]
    let instancesByService: [[UInt8]: [IndexedInstance]]

    /// An empty catalog (generation 0).
    public static let empty = DNSCatalogView(generation: 0, nodes: [], instances: [])

    /// Indexes `nodes` and `instances`. Names are matched case-insensitively; a later node
    /// with the same name replaces an earlier one.
    public init(generation: UInt64, nodes: [DNSNode], instances: [DNSServiceInstance]) {
        self.generation = generation
        self.nodes = nodes
        self.instances = instances
        var byName: [[UInt8]: IndexedNode] = [:]
        for node in nodes {
            byName[Self.key(node.name)] = IndexedNode(
                node: node, address: DNSIPAddress(node.address),
                metaText: DNSTextRecord.strings(meta: node.meta))
        }
        var byService: [[UInt8]: [IndexedInstance]] = [:]
        for instance in instances {
            byService[Self.key(instance.service), default: []].append(
                Self.index(instance, node: byName[Self.key(instance.node)]))
        }
        nodesByName = byName
        instancesByService = byService
    }

    private static func index(_ instance: DNSServiceInstance, node: IndexedNode?)
        -> IndexedInstance
    {
        let own = DNSIPAddress(instance.address)
        let usesNode = instance.address.isEmpty
        let labels = try? DNSName(instance.node).labels
        return IndexedInstance(
            instance: instance, tagKeys: instance.tags.map(key),
            address: usesNode ? node?.address : own, usesNodeAddress: usesNode,
            nodeLabels: labels.flatMap { $0.isEmpty ? nil : $0 },
            metaText: DNSTextRecord.strings(meta: instance.meta))
    }

    static func key(_ text: String) -> [UInt8] {
        DNSName.lowercased(Array(text.utf8))
    }

    func node(named key: [UInt8]) -> IndexedNode? {
        nodesByName[key]
    }

    /// Served (passing or warning) instances of `service` carrying `tag` if given.
    func servedInstances(service: [UInt8], tag: [UInt8]?) -> [IndexedInstance] {
        (instancesByService[service] ?? []).filter { indexed in
            indexed.instance.health.isServed
                && (tag.map { indexed.tagKeys.contains($0) } ?? true)
        }
    }

    /// True if any instance of `service` is registered, whatever its health.
    func hasService(_ service: [UInt8]) -> Bool {
        instancesByService[service] != nil
    }
}
