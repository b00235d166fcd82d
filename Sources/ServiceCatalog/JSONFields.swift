import Platform

/// Reads a JSON object the way Consul's decoder does: keys match case-insensitively, and
/// snake_case aliases match too (`enable_tag_override` = `EnableTagOverride`), by comparing
/// keys lowercased with `_` removed (reference/consul.md §13 item 5). `null` reads as absent,
/// as it leaves a Go field at its default.
struct JSONFields {
    let object: JSONObject
    /// Where this object sits in the request, for error messages ("Check", "Service").
    let context: String
    /// Each member's key normalized once. A record is looked up field by field (a check
    /// about 20 times), and normalizing every key on every lookup made decoding the
    /// catalog, which reads every record, cost 20 times more.
    private let normalizedKeys: [String]

    init(_ value: JSONValue, context: String) throws(CatalogError) {
        guard let object = value.objectValue else {
            throw .decodeFailed("\(context) must be a JSON object")
        }
        self.object = object
        self.context = context
        normalizedKeys = object.members.map { Self.normalized($0.key) }
    }

    static func normalized(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// The first non-null member whose normalized key equals one of `names`' normalized
    /// forms, trying `names` in order (so `CheckID` wins over `ID`).
    func value(_ names: String...) -> JSONValue? {
        lookup(names)
    }

    func lookup(_ names: [String]) -> JSONValue? {
        for name in names {
            let wanted = Self.normalized(name)
            for (index, member) in object.members.enumerated()
            where normalizedKeys[index] == wanted {
                if member.value.isNull { continue }
                return member.value
            }
        }
        return nil
    }

    /// Whether any of `names` is present, even as null.
    func has(_ names: String...) -> Bool {
        names.contains { normalizedKeys.contains(Self.normalized($0)) }
    }

    private func mismatch(_ name: String, _ expected: String) -> CatalogError {
        .decodeFailed("\(context).\(name) must be \(expected)")
    }

    func string(
        _ names: String..., bytesMax: Int = CatalogLimits.fieldBytesMax
    )
        throws(CatalogError) -> String?
    {
        guard let value = lookup(names) else { return nil }
        guard let text = value.stringValue else { throw mismatch(names[0], "a string") }
        guard text.utf8.count <= bytesMax else {
            throw .badRequest("\(context).\(names[0]) is longer than \(bytesMax) bytes")
        }
        return text
    }

    func int(_ names: String...) throws(CatalogError) -> Int? {
        guard let value = lookup(names) else { return nil }
        guard let number = value.int64Value, let int = Int(exactly: number) else {
            throw mismatch(names[0], "an integer")
        }
        return int
    }

    func bool(_ names: String...) throws(CatalogError) -> Bool? {
        guard let value = lookup(names) else { return nil }
        guard let flag = value.boolValue else { throw mismatch(names[0], "a boolean") }
        return flag
    }

    func strings(_ names: String..., countMax: Int) throws(CatalogError) -> [String]? {
        guard let value = lookup(names) else { return nil }
        guard let array = value.arrayValue else { throw mismatch(names[0], "an array of strings") }
        guard array.count <= countMax else {
            throw .badRequest("\(context).\(names[0]) has more than \(countMax) entries")
        }
        var result: [String] = []
        for element in array {
            guard let text = element.stringValue else {
                throw mismatch(names[0], "an array of strings")
            }
            guard text.utf8.count <= CatalogLimits.fieldBytesMax else {
                throw .badRequest(
                    "\(context).\(names[0]) has an entry longer than "
                        + "\(CatalogLimits.fieldBytesMax) bytes"
                )
            }
            result.append(text)
        }
        return result
    }

    /// A `map[string]string` (Meta, TaggedAddresses of a node).
    func stringMap(_ names: String..., countMax: Int) throws(CatalogError) -> [String: String]? {
        guard let value = lookup(names) else { return nil }
        guard let members = value.objectValue?.members else {
            throw mismatch(names[0], "an object of strings")
        }
        guard members.count <= countMax else {
            throw .badRequest("\(context).\(names[0]) has more than \(countMax) entries")
        }
        var result: [String: String] = [:]
        for member in members {
            guard let text = member.value.stringValue else {
                throw mismatch(names[0], "an object of strings")
            }
            result[member.key] = text
        }
        return result
    }

    /// A nested object.
    func fields(_ names: String...) throws(CatalogError) -> JSONFields? {
        guard let value = lookup(names) else { return nil }
        return try JSONFields(value, context: "\(context).\(names[0])")
    }

    /// A duration: Go text (`"10s"`) or a number of nanoseconds, as Consul's `UnmarshalJSON`
    /// hooks accept both.
    func duration(_ names: String...) throws(CatalogError) -> Int64? {
        guard let value = lookup(names) else { return nil }
        if let text = value.stringValue {
            do {
                return try GoDuration.parseNanoseconds(text)
            } catch {
                throw .decodeFailed(error.message)
            }
        }
        if let number = value.int64Value { return number }
        if let double = value.doubleValue, double.isFinite,
            double.magnitude < 9.2e18
        {
            return Int64(double)
        }
        throw mismatch(names[0], "a duration")
    }
}

/// Parses a request body; an empty or all-whitespace body is `nil`.
func parseBody(_ body: [UInt8]) throws(CatalogError) -> JSONValue? {
    guard body.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
    do {
        return try JSONParser.parse(body)
    } catch {
        throw .decodeFailed(error.description)
    }
}
