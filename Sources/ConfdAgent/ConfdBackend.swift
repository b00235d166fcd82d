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
        var lastError = ConfdBackendError.malformed("no read attempted")
        for _ in 0..<Self.readAttemptsMax {
            do {
                let (pairs, revision) = try readKeys(Set(prefixes).sorted())
                let catalog = includeCatalog ? try readCatalog() : TemplateServiceCatalog()
                return ConfdSnapshot(pairs: pairs, revision: revision, catalog: catalog)
            } catch {
                lastError = error
                // Only a pinned read overtaken by compaction is worth an immediate retry.
                guard case .client(.server(_, let code, _)) = error, code == 11 else { break }
            }
        }
        throw lastError
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
            let result: ClientRangeResult
            do {
                result = try client.range(key, options)
            } catch {
                throw .client(error)
            }
            if revision == 0 { revision = result.revision }
            for kv in result.kvs {
                values[String(decoding: kv.key, as: UTF8.self)] =
                    String(decoding: kv.value, as: UTF8.self)
            }
        }
        if prefixes.isEmpty { revision = try currentRevision() }
        let pairs = values.map { (key: $0.key, value: $0.value) }
        return (pairs, revision)
    }

    private func currentRevision() throws(ConfdBackendError) -> Int64 {
        var options = ClientRangeOptions()
        options.countOnly = true
        do {
            return try client.range([0], options).revision
        } catch {
            throw .client(error)
        }
    }

    private func readCatalog() throws(ConfdBackendError) -> TemplateServiceCatalog {
        let names = try CatalogDecoding.serviceNames(try get("/v1/catalog/services"))
        guard names.count <= Self.catalogServicesMax else {
            throw .tooManyServices(count: names.count)
        }
        var catalog = TemplateServiceCatalog()
        for name in names {
            let path = "/v1/health/service/" + CatalogDecoding.pathSegment(name)
            catalog.instances += try CatalogDecoding.instances(try get(path))
        }
        catalog.nodes = try CatalogDecoding.nodes(try get("/v1/catalog/nodes"))
        return catalog
    }

    private func get(_ path: String) throws(ConfdBackendError) -> [UInt8] {
        let response: HTTPClient.Response
        do {
            response = try client.get(path)
        } catch {
            throw .client(error)
        }
        guard response.status == 200 else {
            throw .client(
                .server(
                    status: response.status, code: 0,
                    message: "GET \(path): HTTP \(response.status): \(response.bodyText)"))
        }
        return response.body
    }
}
