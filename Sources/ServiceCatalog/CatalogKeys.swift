/// Where catalog records live in the MVCC key space: JSON values under the reserved
/// `_roost/` prefix. Node names never contain `/` (registration refuses them), so a service
/// or check ID is everything after `<node>/` and may contain `/` itself.
public enum CatalogKeys {
    public static let root = "_roost/"
    static let nodeSegment = "node/"
    static let serviceSegment = "service/"
    static let checkSegment = "check/"
    static let sessionSegment = "session/"
    static let aliveSegment = "alive/"

    /// A parsed catalog key.
    public enum Key: Sendable, Equatable {
        case node(String)
        case service(node: String, serviceID: String)
        case check(node: String, checkID: String)
        case session(String)
        case alive(String)
    }

    public static func node(_ node: String) -> [UInt8] { bytes(nodeSegment, node) }

    public static func service(node: String, serviceID: String) -> [UInt8] {
        bytes(serviceSegment, node, "/", serviceID)
    }

    public static func check(node: String, checkID: String) -> [UInt8] {
        bytes(checkSegment, node, "/", checkID)
    }

    public static func session(_ id: String) -> [UInt8] { bytes(sessionSegment, id) }

    /// Present while the node's server heartbeats (attached to its lease).
    public static func alive(_ node: String) -> [UInt8] { bytes(aliveSegment, node) }

    public static var nodesPrefix: [UInt8] { bytes(nodeSegment) }
    public static var servicesPrefix: [UInt8] { bytes(serviceSegment) }
    public static var checksPrefix: [UInt8] { bytes(checkSegment) }
    public static var sessionsPrefix: [UInt8] { bytes(sessionSegment) }
    public static var alivePrefix: [UInt8] { bytes(aliveSegment) }

    /// Every service of `node`.
    public static func servicesPrefix(node: String) -> [UInt8] {
        bytes(serviceSegment, node, "/")
    }

    /// Every check of `node`.
    public static func checksPrefix(node: String) -> [UInt8] { bytes(checkSegment, node, "/") }

    /// Parses a catalog key; nil for anything else.
    public static func parse(_ key: [UInt8]) -> Key? {
        let rootBytes = Array(root.utf8)
        guard key.starts(with: rootBytes) else { return nil }
        let rest = String(decoding: key[rootBytes.count...], as: UTF8.self)
        if let node = rest.dropPrefix(nodeSegment), valid(node) { return .node(node) }
        if let id = rest.dropPrefix(sessionSegment), !id.isEmpty { return .session(id) }
        if let node = rest.dropPrefix(aliveSegment), valid(node) { return .alive(node) }
        if let (node, id) = split(rest.dropPrefix(serviceSegment)) {
            return .service(node: node, serviceID: id)
        }
        if let (node, id) = split(rest.dropPrefix(checkSegment)) {
            return .check(node: node, checkID: id)
        }
        return nil
    }

    private static func valid(_ node: String) -> Bool { !node.isEmpty && !node.contains("/") }

    private static func split(_ text: String?) -> (String, String)? {
        guard let text, let slash = text.firstIndex(of: "/") else { return nil }
        let node = String(text[..<slash])
        let id = String(text[text.index(after: slash)...])
        guard !node.isEmpty, !id.isEmpty else { return nil }
        return (node, id)
    }

    private static func bytes(_ parts: String...) -> [UInt8] {
        var result = Array(root.utf8)
        for part in parts { result.append(contentsOf: part.utf8) }
        return result
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
