import Platform

/// DNS SRV weights of an instance by status (Consul `structs.Weights`); default 1/1.
public struct ServiceWeights: Sendable, Equatable {
    /// Largest weight: a DNS SRV weight is 16 bits (RFC 2782; Consul `ValidateWeights`).
    public static let weightMax = 65_535

    public var passing: Int
    public var warning: Int

    public init(passing: Int = 1, warning: Int = 1) {
        self.passing = passing
        self.warning = warning
    }

    /// Reads `{"Passing":10,"Warning":1}`; absent members default to Consul's zero values
    /// and are then checked by `validate()`.
    init(fields: JSONFields) throws(CatalogError) {
        passing = try fields.int("Passing") ?? 0
        warning = try fields.int("Warning") ?? 0
    }

    /// Consul `ValidateWeights`, answered as `Invalid Weights: <reason>` (400).
    func validate() throws(CatalogError) {
        var reason: String?
        if passing < 1 {
            reason = "Passing must be greater than 0"
        } else if warning < 0 {
            reason = "Warning must be greater or equal than 0"
        } else if passing > Self.weightMax || warning > Self.weightMax {
            reason = "DNS Weight must be between 0 and 65535"
        }
        if let reason { throw .badRequest("Invalid Weights: \(reason)") }
    }

    func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("Passing", passing)
        writer.field("Warning", warning)
        writer.endObject()
    }
}

/// A service's tagged address (Consul `structs.ServiceAddress`).
public struct ServiceTaggedAddress: Sendable, Equatable {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("Address", address)
        writer.field("Port", port)
        writer.endObject()
    }
}
