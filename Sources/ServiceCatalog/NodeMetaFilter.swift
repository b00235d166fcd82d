/// Consul's `?node-meta=key:value` on catalog and health reads: only nodes whose meta holds
/// every pair. Each value is split at its first colon; one without a colon asks for an
/// empty value; a key given twice keeps its last value (Consul's `parseMetaFilter` builds
/// a map).
public struct NodeMetaFilter: Sendable, Equatable {
    public private(set) var pairs: [String: String] = [:]

    public init(queryValues: [String]) {
        for text in queryValues {
            guard let colon = text.firstIndex(of: ":") else {
                pairs[text] = ""
                continue
            }
            pairs[String(text[..<colon])] = String(text[text.index(after: colon)...])
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func matches(_ node: CatalogNode) -> Bool {
        pairs.allSatisfy { node.meta[$0.key] == $0.value }
    }

    /// The pairs in a stable order, for cache keys.
    public var cacheKey: [String] {
        pairs.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
    }
}
