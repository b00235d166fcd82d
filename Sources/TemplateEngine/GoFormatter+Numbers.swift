import Glibc
import Platform

/// Integer and floating-point verbs (Go `fmt.fmtInteger`, `fmt.fmtFloat`, `strconv` 'g').
extension GoFormatter {
    mutating func formatInteger(_ value: Int, verb: Character) {
        switch verb {
        case "v", "d": integer(value, base: 10, upper: false, verb: verb)
        case "b": integer(value, base: 2, upper: false, verb: verb)
        case "o", "O": integer(value, base: 8, upper: false, verb: verb)
        case "x": integer(value, base: 16, upper: false, verb: verb)
        case "X": integer(value, base: 16, upper: true, verb: verb)
        case "c":
            let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: value)) ?? "\u{FFFD}"
            let valid = value >= 0 && value <= 0x10FFFF && Unicode.Scalar(UInt32(value)) != nil
            pad(String(Character(valid ? scalar : "\u{FFFD}")))
        case "q": pad(GoQuote.quoteRune(value))
        case "U": unicodeFormat(value)
        default: badVerb(verb, .int(value))
        }
    }

    private mutating func integer(_ value: Int, base: Int, upper: Bool, verb: Character) {
        let negative = value < 0
        var digits = String(value.magnitude, radix: base, uppercase: upper)
        var precision = 0
        if let explicit = flags.precision {
            precision = explicit
            if explicit == 0 && value == 0 {
                let saved = flags.zero
                flags.zero = false
                writePadding(flags.width ?? 0)
                flags.zero = saved
                return
            }
        } else if flags.zero && !flags.minus, let width = flags.width {
            precision = width
            if negative || flags.plus || flags.space { precision -= 1 }
        }
        if digits.count < precision {
            digits = String(repeating: "0", count: precision - digits.count) + digits
        }
        if flags.sharp {
            switch base {
            case 2: digits = "0b" + digits
            case 8: if !digits.hasPrefix("0") { digits = "0" + digits }
            case 16: digits = (upper ? "0X" : "0x") + digits
            default: break
            }
        }
        if verb == "O" { digits = "0o" + digits }
        if negative {
            digits = "-" + digits
        } else if flags.plus {
            digits = "+" + digits
        } else if flags.space {
            digits = " " + digits
        }
        padWithoutZeros(digits)
    }

    private mutating func unicodeFormat(_ value: Int) {
        var hex = String(UInt64(bitPattern: Int64(value)), radix: 16, uppercase: true)
        let minimum = max(flags.precision ?? 4, 4)
        if hex.count < minimum { hex = String(repeating: "0", count: minimum - hex.count) + hex }
        var text = "U+" + hex
        if flags.sharp, value >= 0, value <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(value)),
            GoQuote.isPrint(scalar)
        {
            text += " '" + String(Character(scalar)) + "'"
        }
        padWithoutZeros(text)
    }

    // MARK: floats

    mutating func formatDouble(_ value: Double, verb: Character) {
        let body: String
        switch verb {
        case "v": body = GoFormatter.formatG(value, precision: flags.precision, upper: false)
        case "g", "G":
            body = GoFormatter.formatG(value, precision: flags.precision, upper: verb == "G")
        case "e", "E", "f", "F":
            body = GoFormatter.formatC(
                value, verb: verb == "F" ? "f" : verb, precision: flags.precision ?? 6)
        default:
            badVerb(verb, .double(value))
            return
        }
        emitSigned(body)
    }

    /// Go's sign handling: a leading sign only when negative or `+` is set, `space` for a
    /// blank, zeros after the sign, no zero padding for Inf and NaN.
    private mutating func emitSigned(_ body: String) {
        var sign: Character = "+"
        var digits = Substring(body)
        if let first = digits.first, first == "-" || first == "+" {
            sign = first
            digits = digits.dropFirst()
        }
        if flags.space && sign == "+" && !flags.plus { sign = " " }
        if digits.first == "I" || digits.first == "N" {
            if digits.first == "N" && !flags.space && !flags.plus {
                padWithoutZeros(String(digits))
            } else {
                padWithoutZeros(String(sign) + digits)
            }
            return
        }
        if flags.plus || sign != "+" {
            let text = String(sign) + digits
            if flags.zero && !flags.minus, let width = flags.width, width > text.count {
                write(String(sign))
                writePadding(width - text.count)
                write(String(digits))
                return
            }
            pad(text)
            return
        }
        pad(String(digits))
    }

    /// C `%.*e` / `%.*f`: both glibc and Go round the exact binary value correctly, so the
    /// digits agree; infinities and NaN are spelled the Go way.
    static func formatC(_ value: Double, verb: Character, precision: Int) -> String {
        if let special = goSpecial(value) { return special }
        let format = "%." + String(precision) + String(verb)
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        if Int(needed) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func goSpecial(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    /// Decimal digits of a value: `digits` without leading or trailing zeros, and the
    /// decimal point position `point` (value = 0.digits × 10^point), as strconv's `decimal`.
    struct Digits {
        var digits: [UInt8]
        var point: Int
    }

    /// Shortest digits that round-trip, from Swift's shortest `description`.
    static func shortestDigits(_ magnitude: Double) -> Digits {
        parseDigits(magnitude.description)
    }

    /// `count` significant digits, correctly rounded (via C `%.*e`).
    static func roundedDigits(_ magnitude: Double, count: Int) -> Digits {
        parseDigits(formatC(magnitude, verb: "e", precision: max(count - 1, 0)))
    }

    static func parseDigits(_ text: String) -> Digits {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenDot = false
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") {
                seenDot = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
                if !seenDot { point += 1 }
            }
        }
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return Digits(digits: [], point: 0) }
        return Digits(digits: digits, point: point + exponent)
    }

    /// strconv `FormatFloat(v, 'g', precision or -1, 64)`.
    static func formatG(_ value: Double, precision: Int?, upper: Bool) -> String {
        if let special = goSpecial(value) { return special }
        let negative = value.sign == .minus
        let magnitude = abs(value)
        var digits: Digits
        var prec: Int
        var eprec: Int
        if let requested = precision {
            prec = requested == 0 ? 1 : requested
            digits =
                magnitude == 0
                ? Digits(digits: [], point: 0)
                : roundedDigits(magnitude, count: prec)
            eprec = prec
            if eprec > digits.digits.count && digits.digits.count >= digits.point {
                eprec = digits.digits.count
            }
        } else {
            digits = magnitude == 0 ? Digits(digits: [], point: 0) : shortestDigits(magnitude)
            prec = digits.digits.count
            eprec = 6
        }
        let exponent = digits.point - 1
        var body: String
        if exponent < -4 || exponent >= eprec {
            if prec > digits.digits.count { prec = digits.digits.count }
            body = fmtE(digits, precision: prec - 1, upper: upper)
        } else {
            if prec > digits.point { prec = digits.digits.count }
            body = fmtF(digits, precision: max(prec - digits.point, 0))
        }
        if negative { body = "-" + body }
        return body
    }

    private static func digit(_ digits: Digits, _ index: Int) -> Character {
        guard index >= 0, index < digits.digits.count else { return "0" }
        return Character(Unicode.Scalar(digits.digits[index]))
    }

    static func fmtE(_ digits: Digits, precision: Int, upper: Bool) -> String {
        var text = String(digit(digits, 0))
        if precision > 0 {
            text += "."
            for index in 1...precision { text.append(digit(digits, index)) }
        }
        text += upper ? "E" : "e"
        var exponent = digits.digits.isEmpty ? 0 : digits.point - 1
        if exponent < 0 {
            text += "-"
            exponent = -exponent
        } else {
            text += "+"
        }
        text += exponent < 10 ? "0\(exponent)" : "\(exponent)"
        return text
    }

    static func fmtF(_ digits: Digits, precision: Int) -> String {
        var text = ""
        if digits.point > 0 {
            for index in 0..<digits.point { text.append(digit(digits, index)) }
        } else {
            text = "0"
        }
        if precision > 0 {
            text += "."
            for index in 1...precision { text.append(digit(digits, digits.point + index - 1)) }
        }
        return text
    }
}
