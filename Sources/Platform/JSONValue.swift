/// A JSON value (RFC 8259). Numbers keep their literal text, so no precision is lost before the
/// reader decides what type it wants (int64 revisions do not fit a Double).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The literal text of a number, as it appeared (RFC 8259 §6 syntax).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public init(_ value: Int64) { self = .number(String(value)) }
    public init(_ value: UInt64) { self = .number(String(value)) }
    public init(_ value: Int) { self = .number(String(value)) }

    /// The value as an int64: from an integral number, or from a string holding one, because
    /// protobuf's JSON mapping writes 64-bit integers as strings and accepts either (etcd
    /// gateway). `1e3` and `1.0` count as integral, as they do for protojson.
    public var int64Value: Int64? {
        guard let (negative, magnitude) = integerParts else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The value as a uint64, under the same rules as `int64Value`.
    public var uint64Value: UInt64? {
        guard let (negative, magnitude) = integerParts else { return nil }
        return negative && magnitude != 0 ? nil : magnitude
    }

    /// The value as a double: from a number, or from a string holding a number or one of
    /// `NaN`, `Infinity`, `-Infinity` (protobuf JSON mapping for float and double).
    public var doubleValue: Double? {
        switch self {
        case .number(let text):
            return Double(text)
        case .string(let text):
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return JSONNumber.isValid(Array(text.utf8)) ? Double(text) : nil
            }
        default:
            return nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The member `key` of an object; nil when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    private var integerParts: (negative: Bool, magnitude: UInt64)? {
        switch self {
        case .number(let text): JSONNumber.integerParts(Array(text.utf8))
        case .string(let text): JSONNumber.integerParts(Array(text.utf8))
        default: nil
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String {
        var writer = JSONWriter()
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
