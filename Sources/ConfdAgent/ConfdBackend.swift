import Platform
import RoostClient
import TemplateEngine

/// What one render sees: the resources' keys at one revision, and the catalog.
public struct ConfdSnapshot: Sendable {
    public var pairs: [(key: String, value: String)]
    /// The key space's revision the pairs were read at; watches resume after it.
    public var revision: Int64
    public var catalog: TemplateServiceCatalog
}

/// Reads keys through the etcd gateway and the catalog through the Consul API: the agent
/// is an HTTP client and can run on any host (reference/confd.md §3.1 for confd's etcdv3
/// backend, which reads each key prefix with `WithPrefix`). Used from one thread.
public final class ConfdBackend {
    /// Services read per render: each is one request, so this bounds a render's cost on a
    /// catalog far bigger than any load-balancer config needs.
    public static let catalogServicesMax = 2_048
    /// Attempts at a consistent multi-prefix read when compaction overtakes it.
    static let readAttemptsMax = 3

    let client: EtcdClient

    public init(endpoints: [Endpoint], timeoutMilliseconds: Int = 10_000) {
        client = EtcdClient(endpoints: endpoints, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Reads every key under `prefixes` at one revision (the first read's, later ones pinned
    /// to it), and the catalog when `includeCatalog`.
    public func read(
        prefixes: [String], includeCatalog: Bool
    ) throws(ConfdBackendError)
        -> ConfdSnapshot
    {
        var attempt = 1
        while true {
            do {
                let (pairs, revision) = try readKeys(Set(prefixes).sorted())
                let catalog = includeCatalog ? try readCatalog() : TemplateServiceCatalog()
                return ConfdSnapshot(pairs: pairs, revision: revision, catalog: catalog)
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

    private func readCatalog() throws(ConfdBackendError) -> TemplateServiceCatalog {
        let names = try call { () throws(ClientError) in
            try client.catalogServices().value.map(\.name)
        }
        guard names.count <= Self.catalogServicesMax else {
            throw .tooManyServices(count: names.count)
        }
        var catalog = TemplateServiceCatalog()
        for name in names {
            let entries = try call { () throws(ClientError) in try client.serviceHealth(name) }
            catalog.instances += entries.value.map(Self.instance)
        }
        catalog.nodes = try call { () throws(ClientError) in try client.catalogNodes() }.value.map {
            TemplateServiceCatalog.Node(name: $0.name, address: $0.address, meta: $0.meta)
        }
        return catalog
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
