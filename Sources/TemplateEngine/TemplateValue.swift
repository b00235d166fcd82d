/// A dynamic value as a template sees it: the Swift stand-in for Go's `reflect.Value` over the
/// types confd templates meet (strings, ints, float64 from JSON, slices, maps, KVPair-like
/// structs, `time.Time`).
public enum TemplateValue: Sendable, Equatable {
    /// Go's invalid value / untyped nil: a missing map key, nil data. Prints `<no value>` as an
    /// action and `<nil>` inside `print`/`printf` or a container.
    case null
    case bool(Bool)
    /// Go `int` (64-bit): arithmetic wraps like Go's.
    case int(Int)
    /// Go `float64`; JSON numbers decode to this, as `encoding/json` does into `interface{}`.
    case double(Double)
    case string(String)
    case list([TemplateValue])
    /// A map keyed by string; ranged and printed in sorted key order (Go `fmtsort`).
    case map([String: TemplateValue])
    /// A struct with ordered, exported fields (e.g. `memkv.KVPair{Key, Value}`).
    case record(TemplateRecord)
    /// A Go `time.Time` (from `datetime`), with its methods (`.Format`, `.Unix`, ...).
    case time(TemplateTime)

    /// A list of strings, the shape of Go's `[]string` results (`split`, `ls`, `getvs`).
    public static func strings(_ values: [String]) -> TemplateValue {
        .list(values.map { .string($0) })
    }

    /// Go's truth (`text/template` `isTrue`): false, 0, nil, and empty strings, slices and
    /// maps are false; structs are always true.
    public var isTrue: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let values): !values.isEmpty
        case .map(let values): !values.isEmpty
        case .record, .time: true
        }
    }

    /// The Go type name used in error messages and `%T` (`string`, `[]interface {}`, ...).
    public var goTypeName: String {
        switch self {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int"
        case .double: "float64"
        case .string: "string"
        case .list(let values): TemplateValue.listTypeName(values)
        case .map: "map[string]interface {}"
        case .record(let record): record.typeName
        case .time: "time.Time"
        }
    }

    private static func listTypeName(_ values: [TemplateValue]) -> String {
        guard let first = values.first else { return "[]interface {}" }
        let element = first.goTypeName
        for value in values where value.goTypeName != element { return "[]interface {}" }
        switch first {
        case .string, .int, .bool, .record: return "[]" + element
        default: return "[]interface {}"
        }
    }

    /// The string, when the value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements as strings, when every element is a string (Go `[]string`).
    public var stringListValue: [String]? {
        guard case .list(let values) = self else {
            return self == .null ? [] : nil
        }
        var strings: [String] = []
        strings.reserveCapacity(values.count)
        for value in values {
            guard case .string(let text) = value else { return nil }
            strings.append(text)
        }
        return strings
    }
}
