import KVStore
import ServiceCatalog

/// The catalog records sessions depend on (reference/consul.md §6.2): their nodes, whether
/// those nodes are alive (the synthetic `serfHealth`), and the checks they name. The sweeper
/// and session creation judge sessions from these alone (`read`), instead of decoding the
/// whole catalog: at 10,000 services that was every record decoded five times a second.
///
/// Names compare case-insensitively (`SessionValidity`), so records are picked by their keys
/// lowercased: a key scan without values finds them, and only the picked ones are decoded.
public struct SessionDependencies: Sendable, Equatable {
    /// A check a session names, on the session's node; both lowercased.
    struct CheckReference: Sendable, Hashable {
        var node: String
        var checkID: String
    }

    /// Lowercased node names.
    private(set) var nodes: Set<String> = []
    private(set) var checks: Set<CheckReference> = []

    public init(sessions: [CatalogSession]) {
        for session in sessions {
            add(node: session.node, checkIDs: SessionValidity.checkIDs(of: session))
        }
    }

    public init(definition: SessionDefinition) {
        add(node: definition.node, checkIDs: definition.nodeChecks + definition.serviceChecks)
    }

    private mutating func add(node: String, checkIDs: [String]) {
        let lowered = node.lowercased()
        nodes.insert(lowered)
        for checkID in checkIDs {
            checks.insert(CheckReference(node: lowered, checkID: checkID.lowercased()))
        }
    }

    /// Whether the record at `key` is one the sessions depend on.
    func wants(_ key: CatalogKeys.Key) -> Bool {
        switch key {
        case .node(let node), .alive(let node):
            nodes.contains(node.lowercased())
        case .check(let node, let checkID):
            checks.contains(
                CheckReference(node: node.lowercased(), checkID: checkID.lowercased()))
        case .service, .session:
            false
        }
    }

    /// The health view of the records the sessions depend on, read under one read lock:
    /// `SessionValidity` answers from it as from the whole catalog's. Nil when the store
    /// cannot be read. Records that do not decode are skipped, as `CatalogSnapshot` does.
    public func read(_ keySpace: any KeySpace) -> HealthView? {
        let read = try? keySpace.withStore { (store) throws(KVError) in
            (
                nodes: try wanted(store, under: CatalogKeys.nodesPrefix),
                checks: try wanted(store, under: CatalogKeys.checksPrefix),
                alive: try wantedKeys(store, under: CatalogKeys.alivePrefix)
            )
        }
        guard let read else { return nil }
        return HealthView(
            nodes: read.nodes.compactMap { kv in
                (try? CatalogNode(storedValue: kv.value)).map { CatalogSnapshot.revisioned($0, kv) }
            },
            services: [],
            checks: read.checks.compactMap { kv in
                (try? CatalogCheck(storedValue: kv.value)).map {
                    CatalogSnapshot.revisioned($0, kv)
                }
            },
            aliveNodes: CatalogSnapshot.aliveNames(read.alive))
    }

    /// The keys under `prefix` this wants, from a scan without values.
    private func wantedKeys(
        _ store: borrowing MVCCStore, under prefix: [UInt8]
    ) throws(KVError) -> [[UInt8]] {
        let range = KeyRange.prefix(prefix)
        let keys = try store.range(
            RangeRequest(key: range.key, rangeEnd: range.rangeEnd, keysOnly: true))
        return keys.kvs.map(\.key).filter { key in CatalogKeys.parse(key).map(wants) ?? false }
    }

    /// The records under `prefix` this wants, values included.
    private func wanted(
        _ store: borrowing MVCCStore, under prefix: [UInt8]
    ) throws(KVError) -> [KeyValue] {
        var records: [KeyValue] = []
        for key in try wantedKeys(store, under: prefix) {
            if let kv = try store.range(RangeRequest(key: key)).kvs.first { records.append(kv) }
        }
        return records
    }
}
