/// The keys a template reads, with memkv's semantics (confd's vendored
/// `kelseyhightower/memkv` v0.1.1): exact `get`, `path.Match` globbing for `gets`/`getvs`,
/// and `ls`/`lsdir` over the `/` hierarchy. Keys are compared and sorted as bytes, like Go
/// strings.
public struct TemplateKeyValueStore: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public var count: Int { values.count }

    /// Keys in byte order.
    public var sortedKeys: [String] { values.keys.sorted(by: TemplateKeyValueStore.byteOrder) }

    public mutating func set(_ key: String, _ value: String) {
        values[key] = value
    }

    public mutating func remove(_ key: String) {
        values[key] = nil
    }

    public mutating func removeAll() {
        values.removeAll()
    }

    static func byteOrder(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    public func exists(_ key: String) -> Bool {
        values[key] != nil
    }

    public func value(_ key: String) -> String? {
        values[key]
    }

    /// memkv `GetAll`: pairs whose key matches the `path.Match` pattern, sorted by key.
    /// No match is an empty result; a malformed pattern is an error (`syntax error in
    /// pattern`) whenever the store is not empty.
    public func pairs(
        matching pattern: String
    ) throws(TemplateFunctionError)
        -> [(key: String, value: String)]
    {
        var matches: [(key: String, value: String)] = []
        for (key, value) in values {
            do {
                if try GoPath.match(pattern, key) { matches.append((key, value)) }
            } catch {
                throw TemplateFunctionError("syntax error in pattern")
            }
        }
        return matches.sorted { TemplateKeyValueStore.byteOrder($0.key, $1.key) }
    }

    /// memkv `GetAllValues`: the values of `pairs(matching:)`, sorted by value.
    public func values(matching pattern: String) throws(TemplateFunctionError) -> [String] {
        try pairs(matching: pattern).map(\.value).sorted(by: TemplateKeyValueStore.byteOrder)
    }

    private static func terms(_ path: String) -> [Substring] {
        GoPath.clean(path).split(separator: "/", omittingEmptySubsequences: false)
    }

    private static func samePrefix(_ left: [Substring], _ right: [Substring]) -> Bool {
        for index in 0..<min(left.count, right.count) where left[index] != right[index] {
            return false
        }
        return true
    }

    /// memkv `List`: names of the children of `path` (leaves and directories), sorted and
    /// de-duplicated; a key equal to `path` contributes its own base name. Reproduces
    /// memkv's prefix-of-terms comparison exactly, quirks included.
    public func list(_ path: String) -> [String] {
        var names = Set<String>()
        let prefix = TemplateKeyValueStore.terms(path)
        for key in values.keys {
            if key == path {
                names.insert(GoPath.base(key))
                continue
            }
            let target = TemplateKeyValueStore.terms(GoPath.dir(key))
            guard TemplateKeyValueStore.samePrefix(target, prefix) else { continue }
            var stripped = Array(key.utf8)[...]
            if stripped.starts(with: path.utf8) { stripped = stripped.dropFirst(path.utf8.count) }
            if stripped.first == UInt8(ascii: "/") { stripped = stripped.dropFirst() }
            let end = stripped.firstIndex(of: UInt8(ascii: "/")) ?? stripped.endIndex
            names.insert(String(decoding: stripped[..<end], as: UTF8.self))
        }
        return names.sorted(by: TemplateKeyValueStore.byteOrder)
    }

    /// memkv `ListDir`: names of the children of `path` that have children themselves.
    public func listDirectories(_ path: String) -> [String] {
        var names = Set<String>()
        let prefix = TemplateKeyValueStore.terms(path)
        for key in values.keys where key.utf8.starts(with: path.utf8) {
            let items = TemplateKeyValueStore.terms(GoPath.dir(key))
            if TemplateKeyValueStore.samePrefix(prefix, items) && items.count - prefix.count >= 1 {
                names.insert(String(items[prefix.count]))
            }
        }
        return names.sorted(by: TemplateKeyValueStore.byteOrder)
    }
}
