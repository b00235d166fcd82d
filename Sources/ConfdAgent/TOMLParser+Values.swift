/// Values: dispatch, booleans, arrays and inline tables (toml.io/en/v1.0.0).
extension TOMLParser {
    mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else { throw fail("expected a value", at: index) }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(isAt("\"\"\"") ? try multilineBasicString() : try basicString())
        case UInt8(ascii: "'"):
            return .string(isAt("'''") ? try multilineLiteralString() : try literalString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return try boolean()
        case UInt8(ascii: "["):
            return try array(depth: depth + 1)
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth + 1)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw fail("expected a value, found '\(Self.show(byte))'", at: index)
        }
    }

    private mutating func boolean() throws(TOMLError) -> TOMLValue {
        let start = index
        let result: Bool
        if isAt("true") {
            index += 4
            result = true
        } else if isAt("false") {
            index += 5
            result = false
        } else {
            throw fail("expected a value (true or false?)", at: start)
        }
        try requireDelimiter(after: start)
        return .boolean(result)
    }

    /// A scalar must be followed by whitespace, a newline, a comment, ',', ']', '}' or EOF.
    mutating func requireDelimiter(after start: Int) throws(TOMLError) {
        guard let byte = peek() else { return }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
            UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
            return
        default:
            throw fail("unexpected '\(Self.show(byte))' after the value", at: index)
        }
    }

    private func checkDepth(_ depth: Int) throws(TOMLError) {
        guard depth <= Self.nestingDepthMax else {
            throw fail(
                "arrays and inline tables nest deeper than \(Self.nestingDepthMax) levels",
                at: index)
        }
    }

    /// `[ v, v, ]`: may span lines and hold comments; a trailing comma is allowed.
    private mutating func array(depth: Int) throws(TOMLError) -> TOMLValue {
        try checkDepth(depth)
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipArrayTrivia()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            elements.append(try value(depth: depth))
            try skipArrayTrivia()
            switch peek() {
            case UInt8(ascii: ",")?: index += 1
            case UInt8(ascii: "]")?:
                index += 1
                return .array(elements)
            case nil: throw fail("unterminated array (expected ']')", at: index)
            default: throw fail("expected ',' or ']' in the array", at: index)
            }
        }
    }

    private mutating func skipArrayTrivia() throws(TOMLError) {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "\n")?, UInt8(ascii: "\r")?: try newline()
            case UInt8(ascii: "#")?: try comment()
            default: return
            }
        }
    }

    /// `{ k = v, k.j = v }`: one line, no trailing comma, closed after the '}'.
    private mutating func inlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        try checkDepth(depth)
        index += 1
        var builder = TOMLTableBuilder()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .table(builder.build())
        }
        while true {
            let start = index
            let (key, value) = try keyValue(depth: depth)
            do {
                try builder.define(key, value, in: [])
            } catch {
                throw fail(error.message, at: start)
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ",")?:
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    throw fail("an inline table cannot end with a comma", at: index)
                }
            case UInt8(ascii: "}")?:
                index += 1
                return .table(builder.build())
            default:
                throw fail(
                    "expected ',' or '}' (an inline table must stay on one line)", at: index)
            }
        }
    }
}
