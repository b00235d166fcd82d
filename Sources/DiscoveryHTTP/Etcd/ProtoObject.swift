import Platform

/// A decoded JSON request object read the way golang/protobuf's jsonpb reads it: a field
/// may be named by its proto name or its lowerCamelCase JSON name, `null` means the
/// default, int64 may be a number or a string, enums a name or a number, bytes are
/// base64 (standard or URL-safe, padded or not). Unknown fields are ignored.
struct ProtoObject {
    let object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    /// Parses a request body; an empty body is an empty request (grpc-gateway treats EOF
    /// as an empty message).
    static func parse(_ body: [UInt8]) throws(EtcdError) -> ProtoObject {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return ProtoObject(JSONObject([]))
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw .badRequest("invalid JSON at byte \(error.offset): \(error.message)")
        }
        return try from(value, field: "request")
    }

    static func from(_ value: JSONValue, field: String) throws(EtcdError) -> ProtoObject {
        guard case .object(let object) = value else {
            throw .badRequest("\(field): expected a JSON object")
        }
        return ProtoObject(object)
    }

    /// The value of a field by proto name or JSON name; nil when absent or `null`.
    func value(_ protoName: String) -> JSONValue? {
        if let value = object[protoName], value != .null { return value }
        // Requests name few of the fields looked up: match the JSON name byte by byte
        // rather than building it for every absent field (it was ~15% of a range's CPU).
        guard protoName.utf8.contains(UInt8(ascii: "_")) else { return nil }
        for member in object.members where ProtoObject.isLowerCamel(member.key, of: protoName) {
            return member.value == .null ? nil : member.value
        }
        return nil
    }

    /// True when `key` is `lowerCamel(protoName)` (`rangeEnd` for `range_end`), compared
    /// without building it.
    static func isLowerCamel(_ key: String, of protoName: String) -> Bool {
        var keyBytes = key.utf8.makeIterator()
        var upperNext = false
        for byte in protoName.utf8 {
            if byte == UInt8(ascii: "_") {
                upperNext = true
                continue
            }
            let isLower = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            let expected = upperNext && isLower ? byte - 32 : byte
            upperNext = false
            guard keyBytes.next() == expected else { return false }
        }
        return keyBytes.next() == nil
    }

    func bytes(_ name: String) throws(EtcdError) -> [UInt8] {
        guard let value = value(name) else { return [] }
        guard case .string(let text) = value else {
            throw .badRequest("\(name): expected a base64 string")
        }
        do {
            return try Base64.decode(text)
        } catch {
            throw .badRequest("\(name): illegal base64 data")
        }
    }

    func int64(_ name: String) throws(EtcdError) -> Int64 {
        guard let value = value(name) else { return 0 }
        guard let number = value.int64Value else {
            throw .badRequest("\(name): expected an int64 (a number or a decimal string)")
        }
        return number
    }

    /// A uint64 (member IDs use the whole range), as a number or a decimal string.
    func uint64(_ name: String) throws(EtcdError) -> UInt64 {
        guard let value = value(name) else { return 0 }
        guard let number = value.uint64Value else {
            throw .badRequest("\(name): expected a uint64 (a number or a decimal string)")
        }
        return number
    }

    func bool(_ name: String) throws(EtcdError) -> Bool {
        guard let value = value(name) else { return false }
        guard case .bool(let flag) = value else {
            throw .badRequest("\(name): expected true or false")
        }
        return flag
    }

    /// An enum given by name or by number; `names[i]` is the name of value i.
    func enumeration(_ name: String, names: [String]) throws(EtcdError) -> Int {
        guard let value = value(name) else { return 0 }
        switch value {
        case .string(let text):
            if let index = names.firstIndex(of: text) { return index }
            throw .badRequest("\(name): unknown value \"\(text)\"")
        default:
            guard let number = value.int64Value, number >= 0, number < names.count else {
                throw .badRequest("\(name): expected one of \(names.joined(separator: ", "))")
            }
            return Int(number)
        }
    }

    func child(_ name: String) throws(EtcdError) -> ProtoObject? {
        guard let value = value(name) else { return nil }
        return try ProtoObject.from(value, field: name)
    }

    func array(_ name: String) throws(EtcdError) -> [JSONValue] {
        guard let value = value(name) else { return [] }
        guard case .array(let items) = value else {
            throw .badRequest("\(name): expected an array")
        }
        return items
    }
}
