/// What a check does, chosen by which definition field is set (Consul `CheckType.Type()`).
public enum CheckKind: String, Sendable, Equatable {
    case ttl
    case http
    case tcp
    case script
    /// A catalog-registered check that nothing runs: its status is whatever was written.
    case none = ""
    /// A maintenance-mode check (Consul agent.go `EnableNodeMaintenance`,
    /// `EnableServiceMaintenance` set `Type: "maintenance"`): critical until removed,
    /// never run. Only `CatalogCheck.maintenance` gives it; no definition does.
    case maintenance
}
