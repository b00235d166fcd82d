/// An ordered list of header fields (RFC 9110 §5): duplicates are kept in order, names compare
/// case-insensitively, values are bytes. All names and values live in one byte array, so a
/// parsed request costs two allocations for its headers however many fields it has.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// Where one field's name and value sit in `storage`.
    struct Field: Sendable, Equatable {
        var nameStart: Int
        var nameCount: Int
        var valueCount: Int
        var valueStart: Int { nameStart + nameCount }
    }

    private(set) var storage: [UInt8] = []
    private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name: name, value: value) }
    }

    public var count: Int { fields.count }

    /// Appends a field. `name` must be a token (RFC 9110 §5.1): names are chosen by code, so a
    /// bad one is a programmer error. CR, LF and NUL in `value` become SP, as RFC 9110 §5.5
    /// allows, so that a value taken from user input can never split the header section.
    public mutating func add(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { nameBytes in
            value.withUTF8 { valueBytes in
                add(
                    name: UnsafeRawBufferPointer(nameBytes),
                    value: UnsafeRawBufferPointer(valueBytes))
            }
        }
    }

    /// Appends a field from bytes, with the same rules as `add(name:value:)`.
    public mutating func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        precondition(HTTPBytes.isToken(name), "a header name must be a token (RFC 9110 §5.1)")
        let start = storage.count
        storage.append(contentsOf: name)
        let valueStart = storage.count
        storage.append(contentsOf: value)
        for index in valueStart..<storage.count {
            let byte = storage[index]
            if byte == 0x0D || byte == 0x0A || byte == 0 { storage[index] = HTTPBytes.space }
        }
        fields.append(Field(nameStart: start, nameCount: name.count, valueCount: value.count))
    }

    /// Appends a field the parser has already validated; no per-byte checks.
    mutating func addValidated(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let start = storage.count
        storage.append(contentsOf: name)
        storage.append(contentsOf: value)
        fields.append(Field(nameStart: start, nameCount: name.count, valueCount: value.count))
    }

    /// Removes every field called `name` (case-insensitive).
    public mutating func remove(_ name: String) {
        let kept = HTTPHeaders(filtering: self) { !$0.nameEquals(name, in: $1) }
        self = kept
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func set(name: String, value: String) {
        remove(name)
        add(name: name, value: value)
    }

    private init(filtering other: HTTPHeaders, _ keep: (Field, [UInt8]) -> Bool) {
        for field in other.fields where keep(field, other.storage) {
            let start = storage.count
            storage.append(contentsOf: other.storage[field.nameStart..<field.valueStart])
            storage.append(
                contentsOf: other.storage[field.valueStart..<field.valueStart + field.valueCount])
            fields.append(
                Field(nameStart: start, nameCount: field.nameCount, valueCount: field.valueCount))
        }
    }

    /// The first value of the field called `name` (case-insensitive).
    public func first(_ name: String) -> String? {
        firstBytes(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The first value of the field called `name` (case-insensitive), as bytes.
    public func firstBytes(_ name: String) -> [UInt8]? {
        guard let field = fields.first(where: { $0.nameEquals(name, in: storage) }) else {
            return nil
        }
        return Array(storage[field.valueStart..<field.valueStart + field.valueCount])
    }

    /// Every value of the fields called `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.nameEquals(name, in: storage) }.map { value(of: $0) }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.nameEquals(name, in: storage) }
    }

    func name(of field: Field) -> String {
        String(decoding: storage[field.nameStart..<field.valueStart], as: UTF8.self)
    }

    func value(of field: Field) -> String {
        String(
            decoding: storage[field.valueStart..<field.valueStart + field.valueCount],
            as: UTF8.self)
    }

    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0

        public mutating func next() -> (name: String, value: String)? {
            guard index < headers.fields.count else { return nil }
            defer { index += 1 }
            let field = headers.fields[index]
            return (headers.name(of: field), headers.value(of: field))
        }
    }

    public func makeIterator() -> Iterator { Iterator(headers: self) }

    /// Equal when both hold the same fields in the same order; names compare
    /// case-insensitively (RFC 9110 §5.1), values exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.fields.count == rhs.fields.count else { return false }
        for (left, right) in zip(lhs.fields, rhs.fields) {
            let leftName = lhs.storage[left.nameStart..<left.valueStart]
            let rightName = rhs.storage[right.nameStart..<right.valueStart]
            guard HTTPBytes.equalsIgnoringCase(leftName, rightName) else { return false }
            let leftValue = lhs.storage[left.valueStart..<left.valueStart + left.valueCount]
            let rightValue = rhs.storage[right.valueStart..<right.valueStart + right.valueCount]
            guard leftValue.elementsEqual(rightValue) else { return false }
        }
        return true
    }
}

extension HTTPHeaders.Field {
    func nameEquals(_ name: String, in storage: [UInt8]) -> Bool {
        nameCount == name.utf8.count
            && HTTPBytes.equalsIgnoringCase(storage[nameStart..<valueStart], name.utf8)
    }
}

extension HTTPHeaders: CustomStringConvertible {
    public var description: String {
        map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}
