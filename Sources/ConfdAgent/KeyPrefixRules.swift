import TemplateEngine

/// How a resource's `keys`, its `prefix` and the global `--prefix` combine (confd ≥ 0.12,
/// `resource/template/resource.go` NewTemplateResource and setVars; reference/confd.md §1.2).
public enum KeyPrefixRules {
    /// A non-empty global prefix replaces (is not joined to) the resource prefix; a leading
    /// "/" is forced. Nothing else is normalised, exactly like confd.
    public static func effectivePrefix(globalPrefix: String, resourcePrefix: String) -> String {
        let chosen = globalPrefix.isEmpty ? resourcePrefix : globalPrefix
        return chosen.hasPrefix("/") ? chosen : "/" + chosen
    }

    /// The backend prefixes to read: `path.Join(prefix, key)` for each key, which drops a
    /// trailing "/" and collapses "//".
    public static func fetchKeys(prefix: String, keys: [String]) -> [String] {
        keys.map { GoPath.join(prefix, $0) }
    }

    /// The key a template sees for a backend key: the prefix stripped (a plain string
    /// prefix strip, as Go's `strings.TrimPrefix`), then `path.Join("/", rest)`.
    public static func templateKey(backendKey: String, prefix: String) -> String {
        let rest =
            backendKey.hasPrefix(prefix)
            ? String(backendKey.dropFirst(prefix.count))
            : backendKey
        return GoPath.join("/", rest)
    }

    /// Whether a recursive read of `fetchKey` returns `backendKey`. This is the etcd
    /// backend's rule (`k == key || hasPrefix(k, key + "/")`, reference/confd.md §1.2): the
    /// "/" boundary is respected, so `/app/db` selects `/app/db/x` but never `/app/dbx`.
    /// The root "/" selects every key.
    public static func selects(fetchKey: String, backendKey: String) -> Bool {
        if fetchKey.hasSuffix("/") { return backendKey.hasPrefix(fetchKey) }
        return backendKey == fetchKey || backendKey.hasPrefix(fetchKey + "/")
    }

    /// The fewest byte prefixes whose ranges cover every fetch key: a key that starts with
    /// another is dropped (its range lies inside), duplicates too. Sorted. One watch per
    /// result is then enough to see every change a template can read.
    public static func coveringPrefixes(_ fetchKeys: [String]) -> [String] {
        var kept: [String] = []
        for key in Set(fetchKeys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            // Sorted order puts a covering prefix right before the keys it covers.
            if let last = kept.last, key.utf8.starts(with: last.utf8) { continue }
            kept.append(key)
        }
        return kept
    }
}
