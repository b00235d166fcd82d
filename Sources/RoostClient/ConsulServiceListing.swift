/// One service name in the catalog with the union of its instances' tags
/// (`GET /v1/catalog/services`).
public struct ConsulServiceListing: Sendable, Equatable {
    public var name: String
    public var tags: [String]

    public init(name: String, tags: [String]) {
        self.name = name
        self.tags = tags
    }
}
