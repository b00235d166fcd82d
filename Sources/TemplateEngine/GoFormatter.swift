import Platform

/// Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) over `TemplateValue`s: the verbs,
/// flags, widths and precisions of `fmt/print.go` and `fmt/format.go`, including the
/// `%!v(MISSING)`-style error annotations. Pure: builds bytes, touches nothing else.
struct GoFormatter {
    struct Flags {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        var plusV = false
        var sharpV = false
        var width: Int?
        var precision: Int?
    }

    var output: [UInt8] = []
    var flags = Flags()

    /// Go: widths and precisions above 1e6 are rejected (`tooLarge`), which also bounds the
    /// padding one verb can produce.
    static let widthMax = 1_000_000

    // MARK: entry points

    /// `fmt.Sprint`: operands concatenated, a space between two operands when neither is a
    /// string.
    static func sprint(_ arguments: [TemplateValue]) -> String {
        var formatter = GoFormatter()
        var previousIsString = false
        for (index, argument) in arguments.enumerated() {
            let isString = argument.stringValue != nil
            if index > 0 && !isString && !previousIsString { formatter.output.append(0x20) }
            formatter.printArgument(argument, verb: "v")
            previousIsString = isString
        }
        return formatter.result
    }

    /// `fmt.Sprintln`: operands separated by spaces, then a newline.
    static func sprintln(_ arguments: [TemplateValue]) -> String {
        var formatter = GoFormatter()
        for (index, argument) in arguments.enumerated() {
            if index > 0 { formatter.output.append(0x20) }
            formatter.printArgument(argument, verb: "v")
        }
        formatter.output.append(0x0a)
        return formatter.result
    }

    /// What an action prints: `<no value>` for nil, else `fmt.Fprint` of the value.
    static func actionText(_ value: TemplateValue) -> String {
        if value == .null { return "<no value>" }
        return sprint([value])
    }

    var result: String { String(decoding: output, as: UTF8.self) }

    // MARK: writing helpers

    mutating func write(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    mutating func writePadding(_ count: Int) {
        guard count > 0 else { return }
        let byte: UInt8 = flags.zero && !flags.minus ? 0x30 : 0x20
        output.append(contentsOf: repeatElement(byte, count: count))
    }

    /// Pads to the width, counting runes (Go `fmt.pad`).
    mutating func pad(_ text: String) {
        guard let width = flags.width, width > 0 else {
            write(text)
            return
        }
        let fill = width - text.unicodeScalars.count
        if flags.minus {
            write(text)
            writePadding(fill)
        } else {
            writePadding(fill)
            write(text)
        }
    }

    /// Pads without zeros (Go clears `zero` for these).
    mutating func padWithoutZeros(_ text: String) {
        let saved = flags.zero
        flags.zero = false
        pad(text)
        flags.zero = saved
    }

    // MARK: arguments

    mutating func printArgument(_ value: TemplateValue, verb: Character) {
        if verb == "T" {
            padString(value.goTypeName)
            return
        }
        switch value {
        case .null:
            if verb == "v" { padString("<nil>") } else { badVerb(verb, value) }
        default:
            printValue(value, verb: verb, topLevel: value)
        }
    }

    /// Prints `value` with `verb`; `topLevel` is the operand for `%!verb(type=value)`.
    mutating func printValue(_ value: TemplateValue, verb: Character, topLevel: TemplateValue) {
        switch value {
        case .null: padString("<nil>")
        case .bool(let flag):
            if verb == "t" || verb == "v" {
                padString(flag ? "true" : "false")
            } else {
                badVerb(verb, value)
            }
        case .int(let number): formatInteger(number, verb: verb)
        case .double(let number): formatDouble(number, verb: verb)
        case .string(let text): formatString(text, verb: verb)
        case .list(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(0x20) }
                printValue(element, verb: verb, topLevel: element)
            }
            output.append(UInt8(ascii: "]"))
        case .map(let entries):
            write("map[")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { output.append(0x20) }
                formatString(key, verb: verb)
                output.append(UInt8(ascii: ":"))
                let element = entries[key] ?? .null
                printValue(element, verb: verb, topLevel: element)
            }
            output.append(UInt8(ascii: "]"))
        case .record(let record):
            output.append(UInt8(ascii: "{"))
            for (index, field) in record.fields.enumerated() {
                if index > 0 { output.append(0x20) }
                if flags.plusV || flags.sharpV { write(field.name + ":") }
                printValue(field.value, verb: verb, topLevel: field.value)
            }
            output.append(UInt8(ascii: "}"))
        case .time(let time):
            if "vsxXq".contains(verb) {
                formatString(time.goString, verb: verb == "v" ? "s" : verb)
            } else {
                badVerb(verb, value)
            }
        }
    }

    /// `%!verb(type=value)`.
    mutating func badVerb(_ verb: Character, _ value: TemplateValue) {
        write("%!" + String(verb) + "(")
        if value == .null {
            write("<nil>")
        } else {
            write(value.goTypeName + "=")
            printValue(value, verb: "v", topLevel: value)
        }
        write(")")
    }

    mutating func padString(_ text: String) {
        pad(text)
    }

    // MARK: strings

    mutating func formatString(_ text: String, verb: Character) {
        switch verb {
        case "v":
            if flags.sharpV { padString(GoQuote.quote(text)) } else { padString(truncated(text)) }
        case "s": padString(truncated(text))
        case "x", "X": formatHexBytes(Array(text.utf8), upper: verb == "X")
        case "q": padString(quoted(truncated(text)))
        default: badVerb(verb, .string(text))
        }
    }

    private func truncated(_ text: String) -> String {
        guard let precision = flags.precision else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(precision))
        return String(view)
    }

    private func quoted(_ text: String) -> String {
        if flags.sharp && !text.contains("`")
            && !text.unicodeScalars.contains(where: {
                ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f || $0 == "\u{FEFF}"
            })
        {
            return "`" + text + "`"
        }
        guard flags.plus else { return GoQuote.quote(text) }
        var ascii = "\""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                GoQuote.appendEscaped(scalar: scalar, quote: "\"", to: &ascii)
            } else if scalar.value < 0x10000 {
                ascii += "\\u" + GoQuote.hex(Int(scalar.value), width: 4)
            } else {
                ascii += "\\U" + GoQuote.hex(Int(scalar.value), width: 8)
            }
        }
        return ascii + "\""
    }

    /// `%x` of a string: two hex digits per byte (Go `fmtSbx`).
    private mutating func formatHexBytes(_ bytes: [UInt8], upper: Bool) {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        let prefix: [UInt8] = [0x30, upper ? UInt8(ascii: "X") : UInt8(ascii: "x")]
        var length = bytes.count
        if let precision = flags.precision, precision < length { length = precision }
        guard length > 0 else {
            if let width = flags.width { writePadding(width) }
            return
        }
        var width = 2 * length
        if flags.space {
            if flags.sharp { width *= 2 }
            width += length - 1
        } else if flags.sharp {
            width += 2
        }
        let fill = (flags.width ?? 0) - width
        if fill > 0 && !flags.minus { writePadding(fill) }
        if flags.sharp { output.append(contentsOf: prefix) }
        for index in 0..<length {
            if flags.space && index > 0 {
                output.append(0x20)
                if flags.sharp { output.append(contentsOf: prefix) }
            }
            output.append(digits[Int(bytes[index] >> 4)])
            output.append(digits[Int(bytes[index] & 0x0f)])
        }
        if fill > 0 && flags.minus { writePadding(fill) }
    }
}
