/// Consul's metadata rules (`validateMetaPair` in agent/structs/structs.go): keys of
/// `[A-Za-z0-9_-]`, bounded lengths, and the `consul-` prefix reserved.
enum MetaValidation {
    static let reservedPrefix = "consul-"

    /// The reason `meta` is invalid, in Consul's words, or nil.
    static func problem(_ meta: [String: String]) -> String? {
        if meta.count > CatalogLimits.metaPairsMax {
            return
                "Node metadata cannot contain more than \(CatalogLimits.metaPairsMax)"
                + " key/value pairs"
        }
        for key in sortedKeys(meta) {
            let value = meta[key] ?? ""
            if let reason = pairProblem(key, value) {
                return "Couldn't load metadata pair ('\(key)', '\(value)'): \(reason)"
            }
        }
        return nil
    }

    private static func pairProblem(_ key: String, _ value: String) -> String? {
        if key.isEmpty { return "Key cannot be blank" }
        let allowed = key.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
        if !allowed { return "Key contains invalid characters" }
        if key.utf8.count > CatalogLimits.metaKeyBytesMax {
            return "Key is too long (limit: \(CatalogLimits.metaKeyBytesMax) characters)"
        }
        if key.hasPrefix(reservedPrefix) {
            return "Key prefix '\(reservedPrefix)' is reserved for internal use"
        }
        if value.utf8.count > CatalogLimits.metaValueBytesMax {
            return "Value is too long (limit: \(CatalogLimits.metaValueBytesMax) characters)"
        }
        return nil
    }
}
