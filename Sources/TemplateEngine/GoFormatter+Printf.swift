/// `fmt.Sprintf` (Go `doPrintf`): flags `+ - # 0 space`, width and precision (literal or
/// `*`), explicit argument indexes `[n]`, and the `%!(EXTRA ...)`, `%!v(MISSING)`,
/// `%!(NOVERB)`, `%!(BADWIDTH)`, `%!(BADPREC)` and `%!v(BADINDEX)` annotations.
extension GoFormatter {
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        var formatter = GoFormatter()
        formatter.doPrintf(Array(format.utf8), arguments)
        return formatter.result
    }

    private struct Cursor {
        var argumentIndex = 0
        var reordered = false
        var goodArgumentIndex = true
    }

    private mutating func doPrintf(_ format: [UInt8], _ arguments: [TemplateValue]) {
        var cursor = Cursor()
        var index = 0
        while index < format.count {
            cursor.goodArgumentIndex = true
            let textStart = index
            while index < format.count && format[index] != UInt8(ascii: "%") { index += 1 }
            if index > textStart { output.append(contentsOf: format[textStart..<index]) }
            if index >= format.count { break }
            index += 1
            flags = Flags()
            index = parseFlags(format, index)
            index = parseVerb(format, index, arguments, &cursor)
        }
        if !cursor.reordered && cursor.argumentIndex < arguments.count {
            flags = Flags()
            write("%!(EXTRA ")
            for (offset, argument) in arguments[cursor.argumentIndex...].enumerated() {
                if offset > 0 { write(", ") }
                if argument == .null {
                    write("<nil>")
                } else {
                    write(argument.goTypeName + "=")
                    printArgument(argument, verb: "v")
                }
            }
            write(")")
        }
    }

    private mutating func parseFlags(_ format: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < format.count {
            switch format[index] {
            case UInt8(ascii: "#"): flags.sharp = true
            case UInt8(ascii: "0"): flags.zero = !flags.minus
            case UInt8(ascii: "+"): flags.plus = true
            case UInt8(ascii: "-"):
                flags.minus = true
                flags.zero = false
            case UInt8(ascii: " "): flags.space = true
            default: return index
            }
            index += 1
        }
        return index
    }

    /// Width, precision and verb after the flags; returns the index after the verb.
    private mutating func parseVerb(
        _ format: [UInt8], _ start: Int, _ arguments: [TemplateValue], _ cursor: inout Cursor
    ) -> Int {
        var index = start
        var afterIndex = false
        (index, afterIndex) = argumentNumber(format, index, arguments.count, &cursor)
        if index < format.count && format[index] == UInt8(ascii: "*") {
            index += 1
            flags.width = integerArgument(arguments, &cursor)
            if flags.width == nil { write("%!(BADWIDTH)") }
            if let width = flags.width, width < 0 {
                flags.width = -width
                flags.minus = true
                flags.zero = false
            }
            afterIndex = false
        } else {
            let (number, next) = GoFormatter.parseNumber(format, index)
            flags.width = number
            index = next
            if afterIndex && number != nil { cursor.goodArgumentIndex = false }
        }
        if index + 1 < format.count && format[index] == UInt8(ascii: ".") {
            index += 1
            if afterIndex { cursor.goodArgumentIndex = false }
            (index, afterIndex) = argumentNumber(format, index, arguments.count, &cursor)
            if index < format.count && format[index] == UInt8(ascii: "*") {
                index += 1
                flags.precision = integerArgument(arguments, &cursor)
                if let precision = flags.precision, precision < 0 { flags.precision = nil }
                if flags.precision == nil { write("%!(BADPREC)") }
                afterIndex = false
            } else {
                let (number, next) = GoFormatter.parseNumber(format, index)
                flags.precision = number ?? 0
                index = next
            }
        }
        if !afterIndex {
            (index, afterIndex) = argumentNumber(format, index, arguments.count, &cursor)
        }
        guard index < format.count else {
            write("%!(NOVERB)")
            return index
        }
        let length = TemplateLexer.scalarLength(format[index])
        let end = min(format.count, index + length)
        let verb = Character(String(decoding: format[index..<end], as: UTF8.self))
        index = end
        emitVerb(verb, arguments, &cursor)
        return index
    }

    private mutating func emitVerb(
        _ verb: Character, _ arguments: [TemplateValue], _ cursor: inout Cursor
    ) {
        if verb == "%" {
            output.append(UInt8(ascii: "%"))
        } else if !cursor.goodArgumentIndex {
            write("%!" + String(verb) + "(BADINDEX)")
        } else if cursor.argumentIndex >= arguments.count {
            write("%!" + String(verb) + "(MISSING)")
        } else {
            if verb == "v" {
                flags.sharpV = flags.sharp
                flags.sharp = false
                flags.plusV = flags.plus
                flags.plus = false
            }
            printArgument(arguments[cursor.argumentIndex], verb: verb)
            cursor.argumentIndex += 1
        }
    }

    /// `[n]` selects argument n (1-based).
    private func argumentNumber(
        _ format: [UInt8], _ index: Int, _ count: Int, _ cursor: inout Cursor
    ) -> (Int, Bool) {
        guard index < format.count, format[index] == UInt8(ascii: "[") else {
            return (index, false)
        }
        cursor.reordered = true
        guard format.count - index >= 3 else {
            cursor.goodArgumentIndex = false
            return (index + 1, false)
        }
        var close = index + 1
        while close < format.count && format[close] != UInt8(ascii: "]") { close += 1 }
        guard close < format.count else {
            cursor.goodArgumentIndex = false
            return (index + 1, false)
        }
        let (number, next) = GoFormatter.parseNumber(Array(format[..<close]), index + 1)
        guard let number, next == close else {
            cursor.goodArgumentIndex = false
            return (close + 1, false)
        }
        if number - 1 >= 0 && number - 1 < count {
            cursor.argumentIndex = number - 1
            return (close + 1, true)
        }
        cursor.goodArgumentIndex = false
        return (close + 1, true)
    }

    private func integerArgument(_ arguments: [TemplateValue], _ cursor: inout Cursor) -> Int? {
        guard cursor.argumentIndex < arguments.count else { return nil }
        defer { cursor.argumentIndex += 1 }
        guard case .int(let value) = arguments[cursor.argumentIndex],
            abs(value) <= GoFormatter.widthMax
        else { return nil }
        return value
    }

    /// Decimal digits at `start`; nil if none. A number above `widthMax` consumes the rest
    /// of the format (Go `parsenum` returns `end`), so the verb is then missing.
    static func parseNumber(_ format: [UInt8], _ start: Int) -> (Int?, Int) {
        var index = start
        var number = 0
        var found = false
        while index < format.count && format[index] >= UInt8(ascii: "0")
            && format[index] <= UInt8(ascii: "9")
        {
            if number > widthMax { return (nil, format.count) }
            number = number * 10 + Int(format[index] - UInt8(ascii: "0"))
            found = true
            index += 1
        }
        return (found ? number : nil, index)
    }
}
