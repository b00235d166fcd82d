import Platform

/// `StringLiteral "string"`: Go-style double-quoted and backtick raw strings.
extension ConsulFilterParser {
    /// `StringLiteral <- ('`' RawStringChar* '`' / '"' DoubleStringChar* '"')
    /// { strconv.Unquote } / ('`' RawStringChar* / '"' DoubleStringChar*) EOF
    /// &{ Unterminated string literal }`.
    ///
    /// A double-quoted string ends at the first `"` (`DoubleStringChar <- !'"' .`), so it
    /// cannot contain `\"`; its other escapes are Go's (`\n`, `\t`, `\\`, `\x41`, `\101`,
    /// `\u00e9`, `\U0001F600`). A bad escape is an error but, as in pigeon, the literal still
    /// parses (as the empty string) so later rules can record their own errors.
    mutating func stringLiteral() -> String? {
        let start = position
        if let quote = openQuote() {
            skipBody(until: quote)
            if literal(String(UnicodeScalar(quote))) {
                let text = String(decoding: input[start..<position], as: UTF8.self)
                return unquote(text, at: start)
            }
        }
        position = start
        if let quote = openQuote() {
            skipBody(until: quote)
            if endOfInput() {
                addError(at: position, rule: "string", "Unterminated string literal")
            }
        }
        position = start
        return nil
    }

    /// '`' or '"', tried in the grammar's order.
    private mutating func openQuote() -> UInt8? {
        if literal("`") { return UInt8(ascii: "`") }
        if literal("\"") { return UInt8(ascii: "\"") }
        return nil
    }

    /// `RawStringChar* ` / `DoubleStringChar*`: `(!quote .)*`.
    private mutating func skipBody(until quote: UInt8) {
        let quoteText = String(UnicodeScalar(quote))
        while true {
            let before = position
            guard notAhead({ $0.literal(quoteText) }), anyCharacter() else {
                position = before
                return
            }
        }
    }

    /// Go's `strconv.Unquote`, which also rejects a raw newline in a double-quoted string.
    private mutating func unquote(_ literal: String, at start: Int) -> String {
        let rawNewline = literal.hasPrefix("\"") && literal.utf8.contains(0x0a)
        guard !rawNewline, let text = GoQuote.unquote(literal) else {
            addError(at: start, rule: "string", "invalid syntax")
            return ""
        }
        return text
    }
}
