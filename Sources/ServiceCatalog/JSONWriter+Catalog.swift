import Platform

/// Output helpers shared by the encoders. Go's encoding/json writes map keys sorted by
/// byte order, so every map here is written that way.
extension JSONWriter {
    mutating func stringArray(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A Go slice that may be nil: `null` when empty.
    mutating func stringArrayOrNull(_ values: [String]) {
        if values.isEmpty { null() } else { stringArray(values) }
    }

    mutating func stringMap(_ map: [String: String]) {
        beginObject()
        for key in sortedKeys(map) {
            self.key(key)
            string(map[key] ?? "")
        }
        endObject()
    }

    /// Writes `"name":value` for each field; a small convenience for flat records.
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        number(value)
    }

    mutating func field(_ name: StaticString, _ value: UInt64) {
        key(name)
        number(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }
}

/// Keys in Go's map order: ascending by UTF-8 bytes.
func sortedKeys<Value>(_ map: [String: Value]) -> [String] {
    map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// Renders one value with `write` into a fresh writer: for tests and stored values.
func encoded(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
    var writer = JSONWriter()
    write(&writer)
    return writer.bytes
}
