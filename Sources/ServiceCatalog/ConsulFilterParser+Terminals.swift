import Platform

/// The terminals of the grammar with pigeon's failure bookkeeping (`parseLitMatcher`,
/// `parseCharClassMatcher`, `parseAnyMatcher`, `parseNotExpr`).
extension ConsulFilterParser {
    /// Records that `want` was tried at `offset`: a failure normally, a success inside a
    /// `!` lookahead (pigeon `failAt`). Only the farthest offset's wants are kept.
    mutating func record(failed: Bool, at offset: Int, _ want: String) {
        guard failed != inverted, offset >= farthestFailure else { return }
        if offset > farthestFailure {
            farthestFailure = offset
            expected.removeAll()
        }
        expected.append(inverted ? "!" + want : want)
    }

    /// A literal such as `"and"`; `want` is how pigeon lists it (Go `%q` of the text).
    mutating func literal(_ text: String) -> Bool {
        let start = position
        let want = GoQuote.quote(text)
        for byte in text.utf8 {
            guard position < input.count, input[position] == byte else {
                position = start
                record(failed: true, at: start, want)
                return false
            }
            position += 1
        }
        record(failed: false, at: start, want)
        return true
    }

    /// One byte of an ASCII character class such as `[a-zA-Z]`.
    mutating func characterClass(_ want: String, _ member: (UInt8) -> Bool) -> Bool {
        guard position < input.count, member(input[position]) else {
            record(failed: true, at: position, want)
            return false
        }
        record(failed: false, at: position, want)
        position += 1
        return true
    }

    /// `.`: any one character (a whole UTF-8 sequence).
    mutating func anyCharacter() -> Bool {
        guard position < input.count else {
            record(failed: true, at: position, ".")
            return false
        }
        record(failed: false, at: position, ".")
        position = min(input.count, position + GoQuote.utf8SequenceLength(input[position]))
        return true
    }

    /// `!e`: succeeds, consuming nothing, when `body` fails.
    mutating func notAhead(_ body: (inout ConsulFilterParser) -> Bool) -> Bool {
        let start = position
        inverted.toggle()
        let matched = body(&self)
        inverted.toggle()
        position = start
        return !matched
    }

    /// `&e`: succeeds, consuming nothing, when `body` succeeds.
    mutating func andAhead(_ body: (inout ConsulFilterParser) -> Bool) -> Bool {
        let start = position
        let matched = body(&self)
        position = start
        return matched
    }

    /// `_ <- [ \t\r\n]+`.
    mutating func whitespace() -> Bool {
        guard spaceCharacter() else { return false }
        while spaceCharacter() {}
        return true
    }

    /// `_?`.
    mutating func optionalWhitespace() {
        _ = whitespace()
    }

    /// `EOF <- !.`.
    mutating func endOfInput() -> Bool {
        notAhead { $0.anyCharacter() }
    }

    private mutating func spaceCharacter() -> Bool {
        characterClass(#"[ \t\r\n]"#) { byte in
            byte == 0x20 || byte == 0x09 || byte == 0x0d || byte == 0x0a
        }
    }

    /// Runs a sequence; restores the position when it fails (PEG sequences are atomic).
    mutating func sequence(_ body: (inout ConsulFilterParser) -> Bool) -> Bool {
        let start = position
        if body(&self) { return true }
        position = start
        return false
    }
}
