/// A TOML table: keys in document order, each with one value.
public struct TOMLTable: Sendable, Equatable {
    /// The keys in the order they first appeared in the document.
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]

    public init() {}

    /// The value under `key` (exact spelling), or nil.
    public subscript(key: String) -> TOMLValue? {
        storage[key]
    }

    /// Adds or replaces `key`. The parser never replaces: it rejects duplicate keys first.
    public mutating func set(_ key: String, _ value: TOMLValue) {
        if storage.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    /// The keys and values in document order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.compactMap { key in storage[key].map { (key, $0) } }
    }
}
