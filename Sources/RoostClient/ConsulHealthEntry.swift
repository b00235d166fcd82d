import Platform

/// One instance of a service with its health, from `/v1/health/service/<name>`.
public struct ConsulHealthEntry: Sendable, Equatable {
    public var node: String
    public var nodeAddress: String
    public var serviceID: String
    public var serviceName: String
    /// As registered; empty means "the node's address" (reference/consul.md §4).
    public var serviceAddress: String
    public var port: Int
    public var tags: [String]
    public var serviceMeta: [String: String]
    public var checks: [ConsulHealthCheck]

    public init(
        node: String, nodeAddress: String, serviceID: String, serviceName: String,
        serviceAddress: String, port: Int, tags: [String], serviceMeta: [String: String] = [:],
        checks: [ConsulHealthCheck]
    ) {
        self.serviceMeta = serviceMeta
        self.node = node
        self.nodeAddress = nodeAddress
        self.serviceID = serviceID
        self.serviceName = serviceName
        self.serviceAddress = serviceAddress
        self.port = port
        self.tags = tags
        self.checks = checks
    }

    /// Where to reach the instance: its own address, else its node's, as clients must.
    public var address: String {
        serviceAddress.isEmpty ? nodeAddress : serviceAddress
    }

    /// The worst status among all the entry's checks, node checks included (what
    /// `?passing` filters on).
    public var aggregatedStatus: ConsulHealthStatus {
        ConsulHealthStatus.aggregate(checks.map(\.status))
    }

    /// Decodes one `{"Node":{…},"Service":{…},"Checks":[…]}` element.
    init(_ value: JSONValue) throws(ClientError) {
        guard let node = value["Node"]?.objectValue, let service = value["Service"]?.objectValue
        else {
            throw .protocolError("a health entry needs Node and Service objects")
        }
        var checks: [ConsulHealthCheck] = []
        for check in value["Checks"]?.arrayValue ?? [] {
            checks.append(try ConsulHealthCheck(check))
        }
        let port = service["Port"]?.int64Value ?? 0
        guard (0...65_535).contains(port) else {
            throw .protocolError("service port \(port) is out of range")
        }
        self.init(
            node: node["Node"]?.stringValue ?? "", nodeAddress: node["Address"]?.stringValue ?? "",
            serviceID: service["ID"]?.stringValue ?? "",
            serviceName: service["Service"]?.stringValue ?? "",
            serviceAddress: service["Address"]?.stringValue ?? "", port: Int(port),
            tags: (service["Tags"]?.arrayValue ?? []).compactMap(\.stringValue),
            serviceMeta: Self.stringMap(service["Meta"]), checks: checks)
    }

    /// A `Meta` object's string members (Consul meta values are strings).
    static func stringMap(_ value: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for member in value?.objectValue?.members ?? [] {
            if let text = member.value.stringValue { result[member.key] = text }
        }
        return result
    }
}
