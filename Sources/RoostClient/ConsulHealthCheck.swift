import Platform

/// One check of a service instance as `/v1/health/service/<name>` reports it: the
/// node's checks (e.g. `serfHealth`) and the instance's own.
public struct ConsulHealthCheck: Sendable, Equatable {
    public var checkID: String
    public var name: String
    public var status: ConsulHealthStatus
    public var output: String
    /// Empty for a node check.
    public var serviceID: String

    public init(
        checkID: String, name: String, status: ConsulHealthStatus, output: String,
        serviceID: String
    ) {
        self.checkID = checkID
        self.name = name
        self.status = status
        self.output = output
        self.serviceID = serviceID
    }

    /// Decodes Consul's `HealthCheck` JSON. `Status` must be one of Consul's three.
    init(_ value: JSONValue) throws(ClientError) {
        guard let object = value.objectValue else {
            throw .protocolError("a health check is not an object")
        }
        let statusText = object["Status"]?.stringValue ?? ""
        guard let status = ConsulHealthStatus(rawValue: statusText) else {
            throw .protocolError("unknown check status '\(statusText)'")
        }
        self.init(
            checkID: object["CheckID"]?.stringValue ?? "", name: object["Name"]?.stringValue ?? "",
            status: status, output: object["Output"]?.stringValue ?? "",
            serviceID: object["ServiceID"]?.stringValue ?? "")
    }
}
