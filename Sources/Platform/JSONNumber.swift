/// The number grammar of RFC 8259 §6,
/// `[ "-" ] ( "0" / digit1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]`,
/// and exact integer conversion of a literal.
enum JSONNumber {
    /// The parts of a valid literal; the exponent is clamped to ±`exponentClamp`, which is
    /// far beyond any value that fits 64 bits.
    struct Parts {
        var negative: Bool
        var integerDigits: ArraySlice<UInt8>
        var fractionDigits: ArraySlice<UInt8>
        var exponent: Int
    }

    static let exponentClamp = 100_000

    static func isValid(_ text: [UInt8]) -> Bool { parts(text) != nil }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func parts(_ text: [UInt8]) -> Parts? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        while index < text.count, isDigit(text[index]) { index += 1 }
        let integerDigits = text[integerStart..<index]
        guard !integerDigits.isEmpty else { return nil }
        if integerDigits.count > 1, integerDigits.first == UInt8(ascii: "0") { return nil }
        var fractionDigits = text[index..<index]
        if index < text.count, text[index] == UInt8(ascii: ".") {
            let fractionStart = index + 1
            index = fractionStart
            while index < text.count, isDigit(text[index]) { index += 1 }
            fractionDigits = text[fractionStart..<index]
            guard !fractionDigits.isEmpty else { return nil }
        }
        var exponent = 0
        if index < text.count, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < text.count,
                text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")
            {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            while index < text.count, isDigit(text[index]) {
                exponent = min(exponent * 10 + Int(text[index] - UInt8(ascii: "0")), exponentClamp)
                index += 1
            }
            guard index > exponentStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == text.count else { return nil }
        return Parts(
            negative: negative, integerDigits: integerDigits, fractionDigits: fractionDigits,
            exponent: exponent)
    }

    /// Sign and magnitude of a literal whose value is an integer (`12`, `1.20e1`, `-0`), or nil
    /// when the literal is invalid, not integral, or beyond 64 bits of magnitude.
    static func integerParts(_ text: [UInt8]) -> (negative: Bool, magnitude: UInt64)? {
        guard let parts = parts(text) else { return nil }
        var digits = Array(parts.integerDigits) + Array(parts.fractionDigits)
        var exponent = parts.exponent - parts.fractionDigits.count
        guard let firstNonZero = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else {
            return (parts.negative, 0)
        }
        digits.removeFirst(firstNonZero)
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        // UInt64.max has 20 digits: anything longer cannot fit.
        guard exponent >= 0, digits.count + exponent <= 20 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits + [UInt8](repeating: UInt8(ascii: "0"), count: exponent) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(
                UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        return (parts.negative, magnitude)
    }
}
