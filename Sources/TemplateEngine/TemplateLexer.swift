import Platform

/// Splits template source into tokens, following Go's `text/template/parse/lex.go`:
/// `{{`/`}}` delimiters, `{{- ` and ` -}}` trim markers (the space is required), comments
/// `/* */` right against the delimiters, and the operand syntax inside actions.
struct TemplateLexer {
    struct Failure: Error {
        var position: Int
        var message: String
    }

    private let input: [UInt8]
    private var position = 0
    private var start = 0
    private var parenDepth = 0
    private(set) var tokens: [TemplateToken] = []

    private static let leftDelim = Array("{{".utf8)
    private static let rightDelim = Array("}}".utf8)

    init(_ input: [UInt8]) {
        self.input = input
    }

    static func tokenize(_ input: [UInt8]) throws(Failure) -> [TemplateToken] {
        var lexer = TemplateLexer(input)
        try lexer.run()
        return lexer.tokens
    }

    private mutating func run() throws(Failure) {
        while true {
            switch try lexText() {
            case .action: try lexAction()
            case .comment: continue
            case .end:
                emit(.eof, from: input.count, to: input.count)
                return
            }
        }
    }

    private enum TextEnd {
        case action
        case comment
        case end
    }

    // MARK: text and delimiters

    /// Emits text up to the next `{{`, then the delimiter (or skips a comment).
    private mutating func lexText() throws(Failure) -> TextEnd {
        guard let delimiter = find(TemplateLexer.leftDelim, from: position) else {
            if position < input.count { emit(.text, from: position, to: input.count) }
            position = input.count
            return .end
        }
        let afterDelimiter = delimiter + 2
        let trims = hasLeftTrimMarker(at: afterDelimiter)
        var textEnd = delimiter
        if trims {
            while textEnd > position && isSpace(input[textEnd - 1]) { textEnd -= 1 }
        }
        if textEnd > position { emit(.text, from: position, to: textEnd) }
        position = afterDelimiter + (trims ? 2 : 0)
        if hasPrefix(Array("/*".utf8), at: position) {
            try lexComment(delimiterStart: delimiter)
            return .comment
        }
        emit(.leftDelim, from: delimiter, to: position)
        return .action
    }

    private mutating func lexComment(delimiterStart: Int) throws(Failure) {
        guard let close = find(Array("*/".utf8), from: position + 2) else {
            throw Failure(position: delimiterStart, message: "unclosed comment")
        }
        position = close + 2
        guard let trims = atRightDelimiter() else {
            throw Failure(
                position: delimiterStart, message: "comment ends before closing delimiter")
        }
        position += (trims ? 2 : 0) + 2
        if trims { skipLeadingSpace() }
    }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && input[index] == UInt8(ascii: "-") && isSpace(input[index + 1])
    }

    /// nil when not at `}}`; otherwise whether ` -}}` trims.
    private func atRightDelimiter() -> Bool? {
        if position + 1 < input.count && isSpace(input[position])
            && input[position + 1] == UInt8(ascii: "-")
            && hasPrefix(TemplateLexer.rightDelim, at: position + 2)
        {
            return true
        }
        return hasPrefix(TemplateLexer.rightDelim, at: position) ? false : nil
    }

    private mutating func skipLeadingSpace() {
        while position < input.count && isSpace(input[position]) { position += 1 }
    }

    // MARK: inside an action

    private mutating func lexAction() throws(Failure) {
        while true {
            if let trims = atRightDelimiter() {
                if parenDepth != 0 {
                    throw Failure(position: position, message: "unclosed left paren")
                }
                if trims { position += 2 }
                emit(.rightDelim, from: position, to: position + 2)
                position += 2
                if trims { skipLeadingSpace() }
                return
            }
            try lexActionItem()
        }
    }

    private mutating func lexActionItem() throws(Failure) {
        guard position < input.count else {
            throw Failure(position: position, message: "unclosed action")
        }
        start = position
        let byte = input[position]
        switch byte {
        case _ where isSpace(byte): lexSpace()
        case UInt8(ascii: "="): single(.assign)
        case UInt8(ascii: ":"):
            guard position + 1 < input.count, input[position + 1] == UInt8(ascii: "=") else {
                throw Failure(position: position, message: "expected :=")
            }
            position += 2
            emit(.declare, from: start, to: position)
        case UInt8(ascii: "|"): single(.pipe)
        case UInt8(ascii: "\""): try lexQuote()
        case UInt8(ascii: "`"): try lexRawQuote()
        case UInt8(ascii: "$"): try lexFieldOrVariable(.variable)
        case UInt8(ascii: "'"): try lexChar()
        case UInt8(ascii: "."):
            if position + 1 < input.count && isDigit(input[position + 1]) {
                try lexNumber()
            } else {
                try lexFieldOrVariable(.field)
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try lexNumber()
        case UInt8(ascii: "("):
            single(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            single(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { throw Failure(position: start, message: "unexpected right paren") }
        default:
            if isAlphaNumeric(at: position) {
                try lexIdentifier()
            } else if byte < 0x80 && byte >= 0x20 && byte != 0x7f {
                single(.char)
            } else {
                throw Failure(
                    position: position,
                    message: "unrecognized character in action: "
                        + TemplateLexer.describe(scalarAt: position, in: input))
            }
        }
    }

    private mutating func single(_ kind: TemplateToken.Kind) {
        position += 1
        emit(kind, from: start, to: position)
    }

    /// A run of spaces; the last one stays for a ` -}}` that follows (Go `lexSpace`).
    private mutating func lexSpace() {
        var count = 0
        while position < input.count && isSpace(input[position]) {
            position += 1
            count += 1
        }
        if position < input.count && input[position] == UInt8(ascii: "-")
            && hasPrefix(TemplateLexer.rightDelim, at: position + 1)
        {
            position -= 1
            if count == 1 { return }
        }
        emit(.space, from: start, to: position)
    }

    private mutating func lexIdentifier() throws(Failure) {
        while position < input.count && isAlphaNumeric(at: position) { advanceScalar() }
        try requireTerminator()
        let word = String(decoding: input[start..<position], as: UTF8.self)
        let kind: TemplateToken.Kind
        switch word {
        case "block", "break", "continue", "define", "else", "end", "if", "range", "template",
            "with":
            kind = .keyword
        case "nil": kind = .nilValue
        case "true", "false": kind = .bool
        default: kind = .identifier
        }
        emit(kind, from: start, to: position)
    }

    private mutating func lexFieldOrVariable(_ kind: TemplateToken.Kind) throws(Failure) {
        position += 1
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot, from: start, to: position)
            return
        }
        while position < input.count && isAlphaNumeric(at: position) { advanceScalar() }
        try requireTerminator()
        emit(kind, from: start, to: position)
    }

    private mutating func requireTerminator() throws(Failure) {
        guard atTerminator() else {
            throw Failure(
                position: position,
                message: "bad character " + TemplateLexer.describe(scalarAt: position, in: input))
        }
    }

    private func atTerminator() -> Bool {
        guard position < input.count else { return true }
        let byte = input[position]
        if isSpace(byte) { return true }
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"),
            UInt8(ascii: ")"), UInt8(ascii: "("):
            return true
        default:
            return hasPrefix(TemplateLexer.rightDelim, at: position)
        }
    }

    private mutating func lexChar() throws(Failure) {
        position += 1
        while true {
            guard position < input.count, input[position] != UInt8(ascii: "\n") else {
                throw Failure(position: start, message: "unterminated character constant")
            }
            let byte = input[position]
            position += 1
            if byte == UInt8(ascii: "\\") && position < input.count
                && input[position] != UInt8(ascii: "\n")
            {
                position += 1
            } else if byte == UInt8(ascii: "'") {
                break
            }
        }
        emit(.charConstant, from: start, to: position)
    }

    private mutating func lexQuote() throws(Failure) {
        position += 1
        while true {
            guard position < input.count, input[position] != UInt8(ascii: "\n") else {
                throw Failure(position: start, message: "unterminated quoted string")
            }
            let byte = input[position]
            position += 1
            if byte == UInt8(ascii: "\\") {
                guard position < input.count, input[position] != UInt8(ascii: "\n") else {
                    throw Failure(position: start, message: "unterminated quoted string")
                }
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                break
            }
        }
        emit(.string, from: start, to: position)
    }

    private mutating func lexRawQuote() throws(Failure) {
        position += 1
        guard let close = find([UInt8(ascii: "`")], from: position) else {
            throw Failure(position: start, message: "unterminated raw quoted string")
        }
        position = close + 1
        emit(.rawString, from: start, to: position)
    }

    /// Go `scanNumber`: sign, base prefix, digits with `_`, fraction, exponent; an
    /// alphanumeric right after the number is an error.
    private mutating func lexNumber() throws(Failure) {
        if accept("+-") {}
        var digits = "0123456789_"
        var exponent = "eE"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
                exponent = "pP"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if accept(exponent) {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if accept("i") {
            throw Failure(position: start, message: "complex numbers are not supported")
        }
        if position < input.count && isAlphaNumeric(at: position) {
            advanceScalar()
            let text = String(decoding: input[start..<position], as: UTF8.self)
            throw Failure(position: start, message: "bad number syntax: " + GoQuote.quote(text))
        }
        emit(.number, from: start, to: position)
    }

    private mutating func accept(_ set: String) -> Bool {
        guard position < input.count, set.utf8.contains(input[position]) else { return false }
        position += 1
        return true
    }

    private mutating func acceptRun(_ set: String) {
        while accept(set) {}
    }

    // MARK: helpers

    private mutating func emit(_ kind: TemplateToken.Kind, from: Int, to: Int) {
        let text = String(decoding: input[from..<to], as: UTF8.self)
        tokens.append(TemplateToken(kind: kind, text: text, position: from))
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count <= input.count else { return nil }
        var index = from
        while index + needle.count <= input.count {
            if input[index] == needle[0] && hasPrefix(needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= input.count else { return false }
        for offset in 0..<prefix.count where input[index + offset] != prefix[offset] {
            return false
        }
        return true
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0d || byte == 0x0a
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Letters, digits and `_`, Unicode-aware like Go's `isAlphaNumeric`.
    private func isAlphaNumeric(at index: Int) -> Bool {
        let byte = input[index]
        if byte < 0x80 {
            return byte == UInt8(ascii: "_") || isDigit(byte)
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
        guard let scalar = TemplateLexer.scalar(at: index, in: input) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    private mutating func advanceScalar() {
        position += TemplateLexer.scalarLength(input[position])
    }

    static func scalarLength(_ lead: UInt8) -> Int {
        GoQuote.utf8SequenceLength(lead)
    }

    static func scalar(at index: Int, in input: [UInt8]) -> Unicode.Scalar? {
        let end = min(input.count, index + scalarLength(input[index]))
        return String(decoding: input[index..<end], as: UTF8.self).unicodeScalars.first
    }

    /// Go's `%#U` of the character at `index`: `U+0021 '!'`.
    static func describe(scalarAt index: Int, in input: [UInt8]) -> String {
        guard index < input.count, let scalar = scalar(at: index, in: input) else {
            return "U+FFFD"
        }
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+\(hex) '\(Character(scalar))'"
    }
}
