import Platform

/// The parts of Go's `strconv` go-bexpr coerces filter values with (`coerce.go`), with
/// Go's error texts, which Consul puts in its `Failed to coerce value` errors.
enum GoStrconv {
    /// A `*strconv.NumError`; `description` is its `Error()`.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var function: String
        var input: String
        var reason: String

        var description: String {
            "strconv.\(function): parsing \(GoQuote.quote(input)): \(reason)"
        }

        static func syntax(_ function: String, _ input: String) -> Failure {
            Failure(function: function, input: input, reason: "invalid syntax")
        }

        static func range(_ function: String, _ input: String) -> Failure {
            Failure(function: function, input: input, reason: "value out of range")
        }
    }

    /// `strconv.ParseBool`.
    static func parseBool(_ text: String) throws(Failure) -> Bool {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw .syntax("ParseBool", text)
        }
    }

    /// `strconv.ParseInt(text, 0, 64)`: optional sign, then `ParseUint`'s base-0 digits.
    static func parseInt(_ text: String) throws(Failure) -> Int64 {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let magnitude: UInt64
        do {
            magnitude = try parseUnsigned(digits, whole: text)
        } catch {
            throw Failure(function: "ParseInt", input: text, reason: error.reason)
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .range("ParseInt", text) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .range("ParseInt", text) }
        return Int64(magnitude)
    }

    /// `strconv.ParseUint(text, 0, 64)`.
    static func parseUint(_ text: String) throws(Failure) -> UInt64 {
        do {
            return try parseUnsigned(Substring(text), whole: text)
        } catch {
            throw Failure(function: "ParseUint", input: text, reason: error.reason)
        }
    }

    /// `strconv.ParseFloat(text, 64)`. Swift's parser accepts what Go's does for decimal,
    /// hex-float, `inf` and `nan` spellings; Go's `_` separators are accepted too.
    static func parseFloat(_ text: String) throws(Failure) -> Double {
        let plain = text.replacingUnderscores()
        guard !text.isEmpty, let value = Double(plain) else { throw .syntax("ParseFloat", text) }
        return value
    }

    /// Base 0: `0x`/`0X` hex, `0b`/`0B` binary, `0o`/`0O` or a leading `0` octal, else
    /// decimal; `_` may separate digits only after a base prefix (Go `underscoreOK`).
    private static func parseUnsigned(
        _ digits: Substring, whole: String
    ) throws(Failure)
        -> UInt64
    {
        let bytes = Array(digits.utf8)
        guard !bytes.isEmpty else { throw .syntax("", whole) }
        var radix: UInt64 = 10
        var start = 0
        if bytes[0] == UInt8(ascii: "0"), bytes.count > 1 {
            switch bytes[1] | 0x20 {
            case UInt8(ascii: "x"): (radix, start) = (16, 2)
            case UInt8(ascii: "b"): (radix, start) = (2, 2)
            case UInt8(ascii: "o"): (radix, start) = (8, 2)
            default: (radix, start) = (8, 1)
            }
        }
        var value: UInt64 = 0
        var sawDigit = false
        var sawUnderscore = false
        for byte in bytes[start...] {
            if byte == UInt8(ascii: "_") {
                sawUnderscore = true
                continue
            }
            guard let digit = digitValue(byte), UInt64(digit) < radix else {
                throw .syntax("", whole)
            }
            sawDigit = true
            let (product, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = product.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { throw .range("", whole) }
            value = sum
        }
        guard sawDigit || start == 1 else { throw .syntax("", whole) }
        if sawUnderscore && !underscoresValid(bytes) { throw .syntax("", whole) }
        return value
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// Go's `underscoreOK`: each `_` follows a digit or the base prefix and is followed by
    /// a digit (`1_000`, `0x_ff`; not `_1`, `1__0`, `1_`).
    private static func underscoresValid(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var previousIsDigit = false
        var hex = false
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0"),
            [UInt8(ascii: "x"), UInt8(ascii: "b"), UInt8(ascii: "o")].contains(bytes[1] | 0x20)
        {
            index = 2
            previousIsDigit = true
            hex = bytes[1] | 0x20 == UInt8(ascii: "x")
        }
        var previousIsUnderscore = false
        for byte in bytes[index...] {
            let lower = byte | 0x20
            let digit =
                (byte >= 0x30 && byte <= 0x39)
                || (hex && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f"))
            if byte == UInt8(ascii: "_") {
                guard previousIsDigit else { return false }
                previousIsUnderscore = true
                previousIsDigit = false
                continue
            }
            if previousIsUnderscore && !digit { return false }
            previousIsUnderscore = false
            previousIsDigit = digit
        }
        return !previousIsUnderscore
    }
}

extension String {
    /// The text without `_` digit separators (for `ParseFloat`).
    fileprivate func replacingUnderscores() -> String {
        String(decoding: utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    }
}
