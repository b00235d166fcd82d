import Platform

/// A `PUT /v1/catalog/deregister` body (Consul `structs.DeregisterRequest`): removes one
/// service (with its checks) when `serviceID` is set, else one check when `checkID` is
/// set, else the node with everything on it: the precedence of Consul's FSM
/// (`agent/consul/fsm/commands_ce.go` `applyDeregister`). Removing what is not there is
/// no error.
public struct CatalogDeregistration: Sendable, Equatable {
    /// What one deregistration removes.
    public enum Target: Sendable, Equatable {
        case node
        case service(String)
        case check(String)
    }

    public var node: String
    public var target: Target

    public init(node: String, target: Target) {
        self.node = node
        self.target = target
    }

    /// `datacenter` is the agent's; another one is refused (`No path to datacenter`), and
    /// validation errors are Consul's RPC errors (500), as for registration.
    public init(body: [UInt8], datacenter: String) throws(CatalogError) {
        guard let json = try parseBody(body) else { throw .decodeFailed("EOF") }
        let fields = try JSONFields(json, context: "Deregister")
        let named = try fields.string("Datacenter") ?? ""
        guard named.isEmpty || named == datacenter else {
            throw .serverError("No path to datacenter")
        }
        node = try fields.string("Node") ?? ""
        guard !node.isEmpty else { throw .serverError("Must provide node") }
        // Node names are key segments (`CatalogKeys`); one with `/` could name a prefix of
        // another node's records. Registration refuses them too.
        if node.contains("/") { throw .badRequest("Invalid node name: must not contain '/'") }
        let serviceID = try fields.string("ServiceID") ?? ""
        let checkID = try fields.string("CheckID") ?? ""
        if !serviceID.isEmpty {
            target = .service(serviceID)
        } else if !checkID.isEmpty {
            target = .check(checkID)
        } else {
            target = .node
        }
    }
}
