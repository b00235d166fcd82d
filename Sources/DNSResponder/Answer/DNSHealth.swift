/// The aggregate health of a service instance (worst of its checks and its node's checks).
/// DNS serves passing and warning instances and hides critical ones (Consul's default,
/// consul.md §9.2).
public enum DNSHealth: Sendable, Hashable {
    case passing
    case warning
    case critical

    var isServed: Bool { self != .critical }
}
