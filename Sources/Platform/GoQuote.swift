/// Go's `strconv.Quote` / `Unquote` / `QuoteRune`, used for string literals in templates,
/// `%q`, and error messages that Go servers (Consul) build with `%q`.
public enum GoQuote {
    public static func quote(_ text: String) -> String {
        var output = "\""
        appendEscaped(Array(text.utf8), quote: "\"", to: &output)
        output += "\""
        return output
    }

    public static func quoteRune(_ value: Int) -> String {
        var output = "'"
        let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: value)) ?? "\u{FFFD}"
        let valid = value >= 0 && value <= 0x10FFFF && Unicode.Scalar(UInt32(value)) != nil
        appendEscaped(scalar: valid ? scalar : "\u{FFFD}", quote: "'", to: &output)
        output += "'"
        return output
    }

    /// The length of the UTF-8 sequence a lead byte starts (1 for ASCII and stray bytes).
    public static func utf8SequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xf0...: 4
        case 0xe0...: 3
        case 0xc0...: 2
        default: 1
        }
    }

    public static func appendEscaped(_ bytes: [UInt8], quote: Character, to output: inout String) {
        var index = 0
        while index < bytes.count {
            let length = utf8SequenceLength(bytes[index])
            let end = min(bytes.count, index + length)
            let chunk = Array(bytes[index..<end])
            if let scalar = decodeExactly(chunk) {
                appendEscaped(scalar: scalar, quote: quote, to: &output)
                index = end
            } else {
                output += "\\x" + hex(Int(bytes[index]), width: 2)
                index += 1
            }
        }
    }

    private static func decodeExactly(_ bytes: [UInt8]) -> Unicode.Scalar? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return iterator.next() == nil ? scalar : nil
    }

    public static func appendEscaped(
        scalar: Unicode.Scalar, quote: Character, to output: inout String
    ) {
        if Character(scalar) == quote || scalar == "\\" {
            output += "\\" + String(Character(scalar))
            return
        }
        if isPrint(scalar) {
            output.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\u{07}": output += "\\a"
        case "\u{08}": output += "\\b"
        case "\u{0C}": output += "\\f"
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        case "\u{0B}": output += "\\v"
        default:
            let value = Int(scalar.value)
            if value < 0x20 || value == 0x7f {
                output += "\\x" + hex(value, width: 2)
            } else if value < 0x10000 {
                output += "\\u" + hex(value, width: 4)
            } else {
                output += "\\U" + hex(value, width: 8)
            }
        }
    }

    /// Go's `unicode.IsPrint`: graphic characters plus U+0020, no other spaces.
    public static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
            .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    public static func hex(_ value: Int, width: Int) -> String {
        var text = String(value, radix: 16)
        while text.count < width { text = "0" + text }
        return text
    }

    /// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals; nil when invalid.
    public static func unquote(_ literal: String) -> String? {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2, let first = bytes.first, bytes.last == first else { return nil }
        let body = Array(bytes[1..<(bytes.count - 1)])
        if first == UInt8(ascii: "`") {
            return String(decoding: body.filter { $0 != 0x0d }, as: UTF8.self)
        }
        guard first == UInt8(ascii: "\"") else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < body.count {
            guard body[index] == UInt8(ascii: "\\") else {
                output.append(body[index])
                index += 1
                continue
            }
            guard let (bytes, next) = unescape(body, at: index + 1, quote: UInt8(ascii: "\""))
            else { return nil }
            output.append(contentsOf: bytes)
            index = next
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The rune value of a character constant such as `'a'` or `'\n'`.
    public static func unquoteChar(_ literal: String) -> Int? {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "'"), bytes.last == UInt8(ascii: "'")
        else { return nil }
        let body = Array(bytes[1..<(bytes.count - 1)])
        if body[0] == UInt8(ascii: "\\") {
            guard let (value, next) = unescape(body, at: 1, quote: UInt8(ascii: "'")),
                next == body.count
            else { return nil }
            let text = String(decoding: value, as: UTF8.self)
            guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
                return value.count == 1 ? Int(value[0]) : nil
            }
            return Int(scalar.value)
        }
        let text = String(decoding: body, as: UTF8.self)
        guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
            return nil
        }
        return Int(scalar.value)
    }

    /// Decodes the escape after a backslash at `index`; returns its bytes and the next index.
    private static func unescape(
        _ body: [UInt8], at index: Int, quote: UInt8
    )
        -> ([UInt8], Int)?
    {
        guard index < body.count else { return nil }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12,
            UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
            UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
        ]
        let byte = body[index]
        if let value = simple[byte] { return ([value], index + 1) }
        if byte == quote { return ([quote], index + 1) }
        switch byte {
        case UInt8(ascii: "x"):
            guard let value = number(body, from: index + 1, count: 2, radix: 16) else { return nil }
            return ([UInt8(value)], index + 3)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard let value = number(body, from: index, count: 3, radix: 8), value < 256 else {
                return nil
            }
            return ([UInt8(value)], index + 3)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard let value = number(body, from: index + 1, count: count, radix: 16),
                let scalar = Unicode.Scalar(UInt32(value))
            else { return nil }
            return (Array(String(Character(scalar)).utf8), index + 1 + count)
        default:
            return nil
        }
    }

    private static func number(_ body: [UInt8], from: Int, count: Int, radix: Int) -> Int? {
        guard from + count <= body.count else { return nil }
        return Int(String(decoding: body[from..<(from + count)], as: UTF8.self), radix: radix)
    }
}
