/// A node of the catalog (`GET /v1/catalog/nodes`).
public struct ConsulNode: Sendable, Equatable {
    public var name: String
    public var address: String
    public var meta: [String: String]

    public init(name: String, address: String, meta: [String: String] = [:]) {
        self.name = name
        self.address = address
        self.meta = meta
    }
}
