/// A streaming JSON writer into `bytes`. Commas and colons are placed automatically; misuse
/// (a key outside an object, a value where a key is due, unbalanced ends) is a programmer error
/// and stops the process.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    /// A comma is due before the next key or value.
    private var needsComma = false
    /// The open containers, innermost last: true for an object.
    private var containers: [Bool] = []
    /// A key was written and its value is due.
    private var awaitingValue = false

    public init(reservingCapacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(reservingCapacity)
    }

    /// True when one complete top-level value has been written.
    public var isComplete: Bool { containers.isEmpty && needsComma }

    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        containers.append(true)
        needsComma = false
    }

    public mutating func endObject() {
        precondition(containers.last == true && !awaitingValue, "endObject without an open object")
        containers.removeLast()
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        containers.append(false)
        needsComma = false
    }

    public mutating func endArray() {
        precondition(containers.last == false, "endArray without an open array")
        containers.removeLast()
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    public mutating func key(_ name: StaticString) {
        beginKey()
        appendEscaped(
            HTTPBytes.bytes(of: name),
            validating: false)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func key(_ name: String) {
        beginKey()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ value: String) {
        beginValue()
        appendString(value)
        needsComma = true
    }

    /// Writes bytes as a JSON string. Ill-formed UTF-8 becomes U+FFFD, so the output is always
    /// valid JSON (RFC 8259 §8.1).
    public mutating func string(utf8 value: some Collection<UInt8>) {
        beginValue()
        let done: Void? = value.withContiguousStorageIfAvailable {
            appendEscaped(UnsafeRawBufferPointer($0), validating: true)
        }
        if done == nil {
            Array(value).withUnsafeBytes { appendEscaped($0, validating: true) }
        }
        needsComma = true
    }

    /// Writes bytes as a JSON string of standard padded base64 (RFC 4648 §4), the protobuf JSON
    /// mapping of `bytes` fields, straight into the output.
    public mutating func base64(_ value: some Collection<UInt8>) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        Base64.append(encoding: value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func number(_ value: Int64) {
        beginValue()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func number(_ value: UInt64) {
        beginValue()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func number(_ value: Int) {
        number(Int64(value))
    }

    /// Writes a double in the shortest form that reads back exactly. JSON has no NaN or
    /// infinities (RFC 8259 §6); they are written as the strings `"NaN"`, `"Infinity"` and
    /// `"-Infinity"`, as the protobuf JSON mapping does.
    public mutating func number(_ value: Double) {
        guard value.isFinite else {
            string(value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity")
            return
        }
        beginValue()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    /// Writes an int64 as a JSON string, `"123"`: the protobuf JSON mapping of 64-bit integers,
    /// which etcd clients expect (JavaScript numbers lose precision above 2^53).
    public mutating func numberAsString(_ value: Int64) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func numberAsString(_ value: UInt64) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        beginValue()
        HTTPBytes.append(value ? "true" : "false", to: &bytes)
        needsComma = true
    }

    public mutating func null() {
        beginValue()
        HTTPBytes.append("null", to: &bytes)
        needsComma = true
    }

    /// Writes a whole value tree.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .string(let text): string(text)
        case .number(let text):
            precondition(JSONNumber.isValid(Array(text.utf8)), "not a JSON number: \(text)")
            beginValue()
            bytes.append(contentsOf: text.utf8)
            needsComma = true
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private mutating func beginKey() {
        precondition(containers.last == true && !awaitingValue, "a key outside an object")
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
        awaitingValue = true
    }

    private mutating func beginValue() {
        if containers.last == true {
            precondition(awaitingValue, "a value in an object needs a key first")
        } else {
            precondition(!containers.isEmpty || !needsComma, "only one top-level value")
        }
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        awaitingValue = false
    }

    private mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), validating: false) }
    }
}
