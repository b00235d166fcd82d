import KVStore
import ServiceCatalog

/// The whole catalog read at one revision: nodes, services, checks and which nodes are
/// alive (their server's node lease still holds `_roost/alive/<node>`).
public struct CatalogSnapshot: Sendable {
    public var nodes: [Revisioned<CatalogNode>] = []
    public var services: [Revisioned<CatalogService>] = []
    public var checks: [Revisioned<CatalogCheck>] = []
    public var aliveNodes: Set<String> = []
    /// The newest modify index of any catalog record: `X-Consul-Index` of catalog reads.
    public var index: Int64 = 0
    /// The store's revision when the catalog was read (any write moves it).
    public var storeRevision: Int64 = 0

    /// The key ranges whose changes wake a blocking catalog or health query.
    public static let ranges: [KeyRange] = [
        CatalogKeys.nodesPrefix, CatalogKeys.servicesPrefix, CatalogKeys.checksPrefix,
        CatalogKeys.alivePrefix,
    ].map(KeyRange.prefix)

    public var health: HealthView {
        HealthView(nodes: nodes, services: services, checks: checks, aliveNodes: aliveNodes)
    }

    /// Reads the catalog under one read lock. Records that do not decode are skipped:
    /// only Roost writes them, through the reserved prefix.
    public static func read(_ keySpace: any KeySpace) -> CatalogSnapshot {
        read(keySpace, ranges: ranges)
    }

    /// One node's part of the catalog: its record, liveness, services and checks. An
    /// agent's own-node reads and writes need only this, not a decode of every service of
    /// the cluster.
    public static func read(_ keySpace: any KeySpace, node: String) -> CatalogSnapshot {
        read(
            keySpace,
            ranges: [
                KeyRange(key: CatalogKeys.node(node)),
                KeyRange.prefix(CatalogKeys.servicesPrefix(node: node)),
                KeyRange.prefix(CatalogKeys.checksPrefix(node: node)),
                KeyRange(key: CatalogKeys.alive(node)),
            ])
    }

    /// Every node record and which nodes are alive, without services or checks.
    public static func readNodes(
        _ keySpace: any KeySpace
    ) -> (nodes: [CatalogNode], alive: Set<String>) {
        let range = KeyRange.prefix(CatalogKeys.nodesPrefix)
        let kvs = try? keySpace.withStore { (store) throws(KVError) in
            try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd)).kvs
        }
        let nodes = (kvs ?? []).compactMap { try? CatalogNode(storedValue: $0.value) }
        return (nodes, aliveNodes(keySpace))
    }

    /// The nodes whose server holds its node lease: key names only, no record decoded.
    public static func aliveNodes(_ keySpace: any KeySpace) -> Set<String> {
        let range = KeyRange.prefix(CatalogKeys.alivePrefix)
        let kvs = try? keySpace.withStore { (store) throws(KVError) in
            try store.range(
                RangeRequest(key: range.key, rangeEnd: range.rangeEnd, keysOnly: true)
            ).kvs
        }
        return aliveNames((kvs ?? []).map(\.key))
    }

    /// The node names of liveness keys.
    static func aliveNames(_ keys: [[UInt8]]) -> Set<String> {
        var nodes = Set<String>()
        for key in keys {
            if case .alive(let node)? = CatalogKeys.parse(key) { nodes.insert(node) }
        }
        return nodes
    }

    /// `ranges` hold nodes, services, checks and liveness, in that order.
    private static func read(_ keySpace: any KeySpace, ranges: [KeyRange]) -> CatalogSnapshot {
        precondition(ranges.count == 4, "nodes, services, checks and liveness")
        let result = try? keySpace.withStore { (store) throws(KVError) in
            var all: [[KeyValue]] = []
            for range in ranges {
                all.append(
                    try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd)).kvs)
            }
            return (all, store.revision)
        }
        guard let (read, revision) = result, read.count == 4 else { return CatalogSnapshot() }
        var snapshot = CatalogSnapshot()
        snapshot.storeRevision = revision
        for kvs in read {
            for kv in kvs { snapshot.index = max(snapshot.index, kv.modRevision) }
        }
        snapshot.nodes = read[0].compactMap { kv in
            (try? CatalogNode(storedValue: kv.value)).map { revisioned($0, kv) }
        }
        snapshot.services = read[1].compactMap { kv in
            (try? CatalogService(storedValue: kv.value)).map { revisioned($0, kv) }
        }
        snapshot.checks = read[2].compactMap { kv in
            (try? CatalogCheck(storedValue: kv.value)).map { revisioned($0, kv) }
        }
        snapshot.aliveNodes = aliveNames(read[3].map(\.key))
        return snapshot
    }

    /// A stored record with the revisions Consul shows as its indexes.
    static func revisioned<R>(_ record: R, _ kv: KeyValue) -> Revisioned<R> {
        Revisioned(
            record, createIndex: UInt64(max(kv.createRevision, 0)),
            modifyIndex: UInt64(max(kv.modRevision, 0)))
    }
}
