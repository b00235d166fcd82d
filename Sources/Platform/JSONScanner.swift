/// The recursive-descent core of `JSONParser`, over borrowed bytes. Strings without escapes
/// become a `String` straight from the input; strings with escapes are assembled in one
/// reusable scratch buffer, then decoded once.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    let limits: JSONLimits
    /// In streaming mode the input may continue later, so running out of it is not an error
    /// of the text: `reachedEnd` tells `parsePrefix` to ask for more bytes.
    let isStreaming: Bool
    var index = 0
    var depth = 0
    var reachedEnd = false
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits, isStreaming: Bool) {
        self.bytes = bytes
        self.limits = limits
        self.isStreaming = isStreaming
    }

    func failure(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? index, message: message)
    }

    mutating func endOfInput() -> JSONError {
        reachedEnd = true
        return JSONError(offset: bytes.count, message: "unexpected end of input")
    }

    /// RFC 8259 §2: `ws = *( %x20 / %x09 / %x0A / %x0D )`.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let text = HTTPBytes.bytes(of: literal)
        for expected in text {
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == expected else { throw failure("invalid literal") }
            index += 1
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > limits.depthMax {
            throw failure("nesting deeper than \(limits.depthMax) levels")
        }
        index += 1
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a string key in an object")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            object.append(key, try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default:
                throw failure("expected ',' or '}' in an object")
            }
        }
    }

    /// Scans a number literal (RFC 8259 §6) and returns its text.
    private mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw endOfInput() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, JSONNumber.isDigit(bytes[index]) {
                throw failure("leading zero in a number")
            }
        } else {
            try scanDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try scanDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count,
                bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            try scanDigits()
        }
        // A number ending exactly at the end of a stream may still grow.
        if isStreaming, index == bytes.count { throw endOfInput() }
        guard index - start <= limits.numberBytesMax else {
            throw failure("number longer than \(limits.numberBytesMax) bytes", at: start)
        }
        return String(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// `1*DIGIT`.
    private mutating func scanDigits() throws(JSONError) {
        guard index < bytes.count else { throw endOfInput() }
        guard JSONNumber.isDigit(bytes[index]) else { throw failure("expected a digit") }
        while index < bytes.count, JSONNumber.isDigit(bytes[index]) { index += 1 }
    }
}
