/// Integers and floats (toml.io/en/v1.0.0#integer, #float), and the date-time rejection.
extension TOMLParser {
    mutating func number() throws(TOMLError) -> TOMLValue {
        let start = index
        if looksLikeDateTime() {
            throw fail(
                "date-time values are not supported (quote the value as a string)", at: start)
        }
        while let byte = peek(), Self.isNumberByte(byte) { index += 1 }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Self.numberValue(token) else {
            throw fail("invalid number '\(token)'", at: start)
        }
        if case .integer = value, !Self.integerFits(token) {
            throw fail("integer '\(token)' does not fit in 64 bits", at: start)
        }
        try requireDelimiter(after: start)
        return value
    }

    /// `1979-05-27…` or `07:32:00…`: four digits and '-', or two digits and ':'.
    private func looksLikeDateTime() -> Bool {
        func digit(_ offset: Int) -> Bool {
            peek(at: offset).map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false
        }
        if digit(0) && digit(1) && digit(2) && digit(3) && peek(at: 4) == UInt8(ascii: "-") {
            return true
        }
        return digit(0) && digit(1) && peek(at: 2) == UInt8(ascii: ":")
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
    }

    /// The value of a number token, or nil if it is malformed. An integer that is well
    /// formed but too large comes back as `.integer(0)`; `integerFits` tells them apart.
    static func numberValue(_ token: String) -> TOMLValue? {
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = token.dropFirst(2)
            guard digitsValid(digits, radix: radix) else { return nil }
            return .integer(Int64(digits.filter { $0 != "_" }, radix: radix) ?? 0)
        }
        let signed = token.first == "+" || token.first == "-"
        let unsigned = signed ? token.dropFirst() : Substring(token)
        let isFloatMark: (Character) -> Bool = { $0 == "." || $0 == "e" || $0 == "E" }
        guard let exponentOrDot = unsigned.firstIndex(where: isFloatMark) else {
            guard decimalIntegerValid(unsigned) else { return nil }
            return .integer(Int64(token.filter { $0 != "_" }) ?? 0)
        }
        guard decimalIntegerValid(unsigned[..<exponentOrDot]),
            floatTailValid(unsigned[exponentOrDot...]),
            let value = Double(token.filter { $0 != "_" }), value.isFinite
        else { return nil }
        return .float(value)
    }

    /// Whether an integer token's value fits in Int64 (the token is already well formed).
    static func integerFits(_ token: String) -> Bool {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            return Int64(token.dropFirst(2).filter { $0 != "_" }, radix: radix) != nil
        }
        return Int64(token.filter { $0 != "_" }) != nil
    }

    /// Decimal digits with single underscores between digits and no leading zero.
    private static func decimalIntegerValid(_ text: Substring) -> Bool {
        guard digitsValid(text, radix: 10) else { return false }
        return !(text.count > 1 && text.first == "0")
    }

    /// After the integer part: `.digits`, then optionally `e[+-]digits`; or just the exponent.
    private static func floatTailValid(_ tail: Substring) -> Bool {
        var rest = tail
        if rest.first == "." {
            rest = rest.dropFirst()
            let end = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
            guard digitsValid(rest[..<end], radix: 10) else { return false }
            rest = rest[end...]
        }
        guard !rest.isEmpty else { return true }
        guard rest.first == "e" || rest.first == "E" else { return false }
        rest = rest.dropFirst()
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        return digitsValid(rest, radix: 10)
    }

    /// Non-empty digits of `radix`, where each '_' sits between two digits.
    private static func digitsValid(_ text: Substring, radix: Int) -> Bool {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else {
            return false
        }
        var previousUnderscore = false
        for character in text {
            if character == "_" {
                if previousUnderscore { return false }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard let digit = character.hexDigitValue, digit < radix else { return false }
        }
        return true
    }
}
