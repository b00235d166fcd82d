/// The four TOML string forms (toml.io/en/v1.0.0#string). The document was checked to be
/// UTF-8 up front and escapes only produce Unicode scalars, so decoding never repairs.
extension TOMLParser {
    /// `"..."` with escapes, on one line.
    mutating func basicString() throws(TOMLError) -> String {
        let start = index
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw fail("newline in a single-line string (use \"\"\" for multi-line)", at: index)
            default:
                if Self.isControl(byte) { throw fail("control character in a string", at: index) }
                out.append(byte)
                index += 1
            }
        }
    }

    /// `'...'`: no escapes, on one line.
    mutating func literalString() throws(TOMLError) -> String {
        let start = index
        index += 1
        let contentStart = index
        while true {
            guard let byte = peek() else { throw fail("unterminated literal string", at: start) }
            if byte == UInt8(ascii: "'") { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw fail("newline in a single-line string (use ''' for multi-line)", at: index)
            }
            if Self.isControl(byte) { throw fail("control character in a string", at: index) }
            index += 1
        }
        let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
        index += 1
        return text
    }

    /// `"""..."""`: escapes, newlines, a line-ending backslash trims, a newline right after
    /// the opening quotes is dropped, and up to two quotes may precede the closing three.
    mutating func multilineBasicString() throws(TOMLError) -> String {
        let start = index
        index += 3
        try dropLeadingNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("unterminated multi-line string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                if try closingQuotes(UInt8(ascii: "\""), into: &out) {
                    return String(decoding: out, as: UTF8.self)
                }
            case UInt8(ascii: "\\"):
                if lineEndingBackslash() {
                    skipWhitespaceAndNewlines()
                } else {
                    try escape(into: &out)
                }
            default:
                try appendMultilineByte(byte, into: &out)
            }
        }
    }

    /// `'''...'''`: no escapes, newlines kept.
    mutating func multilineLiteralString() throws(TOMLError) -> String {
        let start = index
        index += 3
        try dropLeadingNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw fail("unterminated multi-line literal string", at: start)
            }
            if byte == UInt8(ascii: "'") {
                if try closingQuotes(byte, into: &out) {
                    return String(decoding: out, as: UTF8.self)
                }
            } else {
                try appendMultilineByte(byte, into: &out)
            }
        }
    }

    // MARK: Pieces

    private mutating func dropLeadingNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\n") || peek() == UInt8(ascii: "\r") { try newline() }
    }

    private mutating func appendMultilineByte(
        _ byte: UInt8, into out: inout [UInt8]
    )
        throws(TOMLError)
    {
        if byte == UInt8(ascii: "\r") {
            try newline()
            out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
            return
        }
        if byte != UInt8(ascii: "\n") && Self.isControl(byte) {
            throw fail("control character in a string", at: index)
        }
        out.append(byte)
        index += 1
    }

    /// At a run of `quote` bytes: three to five close the string (the extra one or two are
    /// content); fewer are content; six or more are an error. Returns true when closed.
    private mutating func closingQuotes(
        _ quote: UInt8, into out: inout [UInt8]
    )
        throws(TOMLError) -> Bool
    {
        var run = 0
        while peek(at: run) == quote { run += 1 }
        if run < 3 {
            out.append(contentsOf: repeatElement(quote, count: run))
            index += run
            return false
        }
        guard run <= 5 else {
            throw fail("too many quotes at the end of a multi-line string", at: index)
        }
        out.append(contentsOf: repeatElement(quote, count: run - 3))
        index += run
        return true
    }

    /// True if the backslash at `index` is followed only by whitespace up to a newline.
    private func lineEndingBackslash() -> Bool {
        var offset = 1
        while let byte = peek(at: offset), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            offset += 1
        }
        let carriageReturn = peek(at: offset) == UInt8(ascii: "\r")
        return peek(at: offset) == UInt8(ascii: "\n")
            || (carriageReturn && peek(at: offset + 1) == UInt8(ascii: "\n"))
    }

    private mutating func skipWhitespaceAndNewlines() {
        index += 1
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        {
            index += 1
        }
    }

    /// A backslash escape (toml.io/en/v1.0.0#string): \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX.
    private mutating func escape(into out: inout [UInt8]) throws(TOMLError) {
        let start = index
        guard let code = peek(at: 1) else { throw fail("unterminated escape", at: start) }
        index += 2
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
        default: throw fail("invalid escape sequence '\\\(Self.show(code))'", at: start)
        }
        if let simple {
            out.append(simple)
            return
        }
        let digits = code == UInt8(ascii: "u") ? 4 : 8
        guard index + digits <= bytes.count,
            let value = UInt32(
                String(decoding: bytes[index..<index + digits], as: UTF8.self),
                radix: 16),
            bytes[index..<index + digits].allSatisfy({ Self.isHexDigit($0) }),
            let scalar = Unicode.Scalar(value)
        else {
            throw fail("invalid unicode escape (need \(digits) hex digits of a scalar)", at: start)
        }
        index += digits
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }
}
