import KVStore
import ServiceCatalog

/// Which catalog changes can alter a blocking query's answer. Consul keeps an index per
/// service, so a query on `web` sleeps through changes to `db`; every catalog query
/// waking on every change would make a thousand watchers of one service answer (and
/// their clients re-ask) on each unrelated registration.
///
/// Conservative by design: a record that does not decode counts as a change, and node
/// records, node-level checks and node liveness count for every service (they can take
/// any instance in or out of `?passing`). A delete is judged by the record it removed,
/// so the watchers ask for previous values.
enum CatalogChangeFilter: Sendable {
    /// Every catalog change (listings over all services, nodes or checks).
    case any
    /// The instances of a service, their checks and everything about nodes.
    case service(String)
    /// The service checks of a service only (`/v1/health/checks/<service>`).
    case serviceChecks(String)
    /// One node's record, liveness, services and checks.
    case node(String)

    /// Whether the watchers must carry previous values to judge deletes.
    var needsPreviousValues: Bool {
        if case .any = self { return false }
        return true
    }

    func isRelevant(_ event: Event) -> Bool {
        guard let key = CatalogKeys.parse(event.kv.key) else { return true }
        switch self {
        case .any:
            return true
        case .service(let name):
            switch key {
            case .node, .alive: return true
            case .session: return false
            case .service: return Self.records(event).contains { Self.service($0, named: name) }
            case .check:
                return Self.records(event).contains { Self.check($0, named: name, nodeLevel: true) }
            }
        case .serviceChecks(let name):
            guard case .check = key else { return false }
            return Self.records(event).contains { Self.check($0, named: name, nodeLevel: false) }
        case .node(let name):
            switch key {
            case .node(let node), .alive(let node): return Self.sameName(node, name)
            case .service(let node, _), .check(let node, _): return Self.sameName(node, name)
            case .session: return false
            }
        }
    }

    /// The stored values an event is about: the new one and the one it replaced or removed.
    /// Empty (a delete without its previous value) means "cannot tell".
    private static func records(_ event: Event) -> [[UInt8]?] {
        let current: [UInt8]? = event.kind == .put ? event.kv.value : nil
        let values = [current, event.prevKV?.value].filter { $0 != nil }
        return values.isEmpty ? [nil] : values
    }

    private static func service(_ value: [UInt8]?, named name: String) -> Bool {
        guard let value, let record = try? CatalogService(storedValue: value) else { return true }
        return sameName(record.service, name)
    }

    private static func check(_ value: [UInt8]?, named name: String, nodeLevel: Bool) -> Bool {
        guard let value, let record = try? CatalogCheck(storedValue: value) else { return true }
        if record.serviceID.isEmpty { return nodeLevel }
        return sameName(record.serviceName, name)
    }

    /// Consul compares service and node names without regard to case.
    private static func sameName(_ left: String, _ right: String) -> Bool {
        left.lowercased() == right.lowercased()
    }
}
