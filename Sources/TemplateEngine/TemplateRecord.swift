/// A named field of a `TemplateRecord`.
public struct TemplateField: Sendable, Equatable {
    public var name: String
    public var value: TemplateValue

    public init(_ name: String, _ value: TemplateValue) {
        self.name = name
        self.value = value
    }
}

/// A struct-like value: a Go type name and its exported fields in declaration order, which
/// is the order `%v` prints them (`{/key value}`).
public struct TemplateRecord: Sendable, Equatable {
    public var typeName: String
    public var fields: [TemplateField]

    public init(typeName: String, fields: [TemplateField]) {
        self.typeName = typeName
        self.fields = fields
    }

    public subscript(name: String) -> TemplateValue? {
        for field in fields where field.name == name { return field.value }
        return nil
    }

    /// memkv's `KVPair{Key, Value}`, what `get` and `gets` return.
    public static func keyValuePair(key: String, value: String) -> TemplateRecord {
        TemplateRecord(
            typeName: "memkv.KVPair",
            fields: [TemplateField("Key", .string(key)), TemplateField("Value", .string(value))])
    }
}
