import Platform
import TemplateEngine

/// Turns Consul API answers into the catalog a template sees. Pure, so the shapes are
/// tested without a server.
public enum CatalogDecoding {
    /// `GET /v1/catalog/services`: `{"name": ["tag", …], …}` → names in byte order.
    public static func serviceNames(_ body: [UInt8]) throws(ConfdBackendError) -> [String] {
        guard let object = try parse(body, "catalog services").objectValue else {
            throw .malformed("catalog services: expected an object")
        }
        return object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `GET /v1/health/service/<name>`: one instance per entry; healthy when every check
    /// (the node's included) is passing, as consul-template's `service` filters. The
    /// address falls back to the node's when the service has none (Consul's rule).
    public static func instances(
        _ body: [UInt8]
    ) throws(ConfdBackendError)
        -> [TemplateServiceCatalog.Instance]
    {
        guard let entries = try parse(body, "health service").arrayValue else {
            throw .malformed("health service: expected an array")
        }
        var instances: [TemplateServiceCatalog.Instance] = []
        for entry in entries {
            guard let node = entry["Node"], let service = entry["Service"] else {
                throw .malformed("health service: an entry lacks Node or Service")
            }
            let checks = entry["Checks"]?.arrayValue ?? []
            let healthy = checks.allSatisfy { $0["Status"]?.stringValue == "passing" }
            let serviceAddress = service["Address"]?.stringValue ?? ""
            instances.append(
                TemplateServiceCatalog.Instance(
                    name: service["Service"]?.stringValue ?? "",
                    id: service["ID"]?.stringValue ?? "",
                    node: node["Node"]?.stringValue ?? "",
                    address: serviceAddress.isEmpty
                        ? node["Address"]?.stringValue ?? "" : serviceAddress,
                    port: Int(service["Port"]?.int64Value ?? 0),
                    tags: (service["Tags"]?.arrayValue ?? []).compactMap(\.stringValue),
                    meta: strings(service["Meta"]), isHealthy: healthy))
        }
        return instances
    }

    /// `GET /v1/catalog/nodes`.
    public static func nodes(
        _ body: [UInt8]
    ) throws(ConfdBackendError)
        -> [TemplateServiceCatalog.Node]
    {
        guard let entries = try parse(body, "catalog nodes").arrayValue else {
            throw .malformed("catalog nodes: expected an array")
        }
        return entries.map { entry in
            TemplateServiceCatalog.Node(
                name: entry["Node"]?.stringValue ?? "",
                address: entry["Address"]?.stringValue ?? "", meta: strings(entry["Meta"]))
        }
    }

    private static func strings(_ value: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for member in value?.objectValue?.members ?? [] {
            if let text = member.value.stringValue { result[member.key] = text }
        }
        return result
    }

    private static func parse(
        _ body: [UInt8], _ what: String
    ) throws(ConfdBackendError)
        -> JSONValue
    {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .malformed("\(what): \(error)")
        }
    }

    /// A path segment with every byte outside RFC 3986's unreserved set percent-encoded.
    public static func pathSegment(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded +=
                    "%"
                    + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return encoded
    }
}
