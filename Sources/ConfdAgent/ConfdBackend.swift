import Platform
import RoostClient
import TemplateEngine

/// What one render sees: the resources' keys at one revision, and the catalog.
public struct ConfdSnapshot: Sendable {
    public var pairs: [(key: String, value: String)]
    /// The key space's revision the pairs were read at; watches resume after it.
    public var revision: Int64
    public var catalog: TemplateServiceCatalog
    /// Each Consul read made for the catalog, with its `X-Consul-Index`: watch mode's
    /// blocking queries start from these, so a change after the read is never missed.
    var consulIndexes: [ConsulQuery: UInt64] = [:]
}

/// Reads keys through the etcd gateway and the catalog through the Consul API: the agent
/// is an HTTP client and can run on any host (reference/confd.md §3.1 for confd's etcdv3
/// backend, which reads each key prefix with `WithPrefix`). Used from one thread.
public final class ConfdBackend {
    /// Services read per pass: each is one request, so this bounds a pass's cost when a
    /// template names its service at run time on a catalog far bigger than any
    /// load-balancer config needs.
    public static let catalogServicesMax = 2_048
    /// Attempts at a consistent multi-prefix read when compaction overtakes it.
    static let readAttemptsMax = 3

    let client: EtcdClient

    public init(endpoints: [Endpoint], timeoutMilliseconds: Int = 10_000) {
        client = EtcdClient(endpoints: endpoints, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Reads every key under `prefixes` at one revision (the first read's, later ones pinned
    /// to it), then what `catalog` says the templates read of the catalog. One snapshot
    /// serves every resource of a pass.
    func read(
        prefixes: [String], catalog needs: CatalogNeeds
    ) throws(ConfdBackendError)
        -> ConfdSnapshot
    {
        var attempt = 1
        while true {
            do {
                let (pairs, revision) = try readKeys(Set(prefixes).sorted())
                var snapshot = ConfdSnapshot(
                    pairs: pairs, revision: revision, catalog: TemplateServiceCatalog())
                if needs.readsCatalog { try readCatalog(needs, into: &snapshot) }
                return snapshot
            } catch {
                // Only a pinned read overtaken by compaction (gRPC OutOfRange) is worth an
                // immediate retry.
                guard attempt < Self.readAttemptsMax, case .client(.server(_, 11, _)) = error
                else { throw error }
                attempt += 1
            }
        }
    }

    private func readKeys(
        _ prefixes: [String]
    ) throws(ConfdBackendError)
        -> ([(key: String, value: String)], Int64)
    {
        var values: [String: String] = [:]
        var revision: Int64 = 0
        for prefix in prefixes {
            var options = ClientRangeOptions()
            let key = prefix.isEmpty ? [0] : Array(prefix.utf8)
            options.rangeEnd = prefix.isEmpty ? [0] : EtcdClient.prefixEnd(key)
            options.revision = revision
            let result = try call { () throws(ClientError) in try client.range(key, options) }
            if revision == 0 { revision = result.revision }
            for kv in result.kvs {
                values[String(decoding: kv.key, as: UTF8.self)] =
                    String(decoding: kv.value, as: UTF8.self)
            }
        }
        if prefixes.isEmpty {
            var options = ClientRangeOptions()
            options.countOnly = true
            revision = try call { () throws(ClientError) in try client.range([0], options).revision
            }
        }
        return (values.map { (key: $0.key, value: $0.value) }, revision)
    }

    /// The service list first when needed (it names every service when one is unknown),
    /// then each service's passing instances, then the nodes.
    private func readCatalog(
        _ needs: CatalogNeeds, into snapshot: inout ConfdSnapshot
    ) throws(ConfdBackendError) {
        var listed: [String] = []
        if needs.readsServiceList {
            let result = try call { () throws(ClientError) in try client.catalogServices() }
            snapshot.catalog.services = result.value.map {
                TemplateServiceCatalog.Service(name: $0.name, tags: $0.tags)
            }
            listed = result.value.map(\.name)
            snapshot.consulIndexes[.serviceList] = result.index
        }
        for name in try Self.healthReads(needs, listed: listed) {
            let result = try call { () throws(ClientError) in
                try client.serviceHealth(name, passingOnly: true)
            }
            snapshot.catalog.instances += result.value.map(Self.instance)
            snapshot.consulIndexes[.health(service: name)] = result.index
        }
        if needs.nodes {
            let result = try call { () throws(ClientError) in try client.catalogNodes() }
            snapshot.catalog.nodes = result.value.map {
                TemplateServiceCatalog.Node(name: $0.name, address: $0.address, meta: $0.meta)
            }
            snapshot.consulIndexes[.nodes] = result.index
        }
    }

    /// The services whose instances a pass reads, in name order: those the templates name,
    /// or every `listed` one when a name is known only at run time.
    static func healthReads(
        _ needs: CatalogNeeds, listed: [String]
    ) throws(ConfdBackendError) -> [String] {
        let names = needs.allServices ? Set(listed) : needs.serviceNames
        guard names.count <= catalogServicesMax else {
            throw .tooManyServices(count: names.count)
        }
        return names.sorted()
    }

    /// An instance as templates see it: healthy when every check, the node's included, is
    /// passing (consul-template's `service` filter); the node's address when it has none.
    static func instance(_ entry: ConsulHealthEntry) -> TemplateServiceCatalog.Instance {
        TemplateServiceCatalog.Instance(
            name: entry.serviceName, id: entry.serviceID, node: entry.node,
            address: entry.address, port: entry.port, tags: entry.tags, meta: entry.serviceMeta,
            isHealthy: entry.aggregatedStatus == .passing)
    }

    private func call<Value>(
        _ body: () throws(ClientError) -> Value
    ) throws(ConfdBackendError)
        -> Value
    {
        do {
            return try body()
        } catch {
            throw .client(error)
        }
    }
}
