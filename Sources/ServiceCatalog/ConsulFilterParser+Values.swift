import Platform

/// The rules for selectors and values: `Selector`, `Identifier`, `IndexExpression`,
/// `Value`, `NumberLiteral` and `StringLiteral`.
extension ConsulFilterParser {
    /// `Selector "selector" <- Identifier SelectorOrIndex*` with
    /// `SelectorOrIndex <- "." Identifier / IndexExpression`.
    mutating func selector() -> [String]? {
        guard let first = identifier() else { return nil }
        var path = [first]
        while true {
            let before = position
            if literal("."), let name = identifier() {
                path.append(name)
                continue
            }
            position = before
            if let key = indexExpression() {
                path.append(key)
                continue
            }
            position = before
            return path
        }
    }

    /// `Identifier <- [a-zA-Z] [a-zA-Z0-9_]*`.
    private mutating func identifier() -> String? {
        let start = position
        guard characterClass("[a-zA-Z]", Self.isLetter) else { return nil }
        while characterClass("[a-zA-Z0-9_]", { Self.isLetter($0) || Self.isDigit($0) || $0 == 95 })
        {}
        return String(decoding: input[start..<position], as: UTF8.self)
    }

    /// `IndexExpression "index" <- "[" _? StringLiteral _? "]"
    /// / "[" _? !StringLiteral &{ Invalid index }
    /// / "[" _? StringLiteral _? !"]" &{ Unclosed index expression }`.
    private mutating func indexExpression() -> String? {
        let start = position
        if literal("[") {
            optionalWhitespace()
            if let key = stringLiteral() {
                optionalWhitespace()
                if literal("]") { return key }
            }
        }
        position = start
        if literal("[") {
            optionalWhitespace()
            if notAhead({ $0.stringLiteral() != nil }) {
                addError(at: position, rule: "index", "Invalid index")
            }
        }
        position = start
        if literal("[") {
            optionalWhitespace()
            if stringLiteral() != nil {
                optionalWhitespace()
                if notAhead({ $0.literal("]") }) {
                    addError(at: position, rule: "index", "Unclosed index expression")
                }
            }
        }
        position = start
        return nil
    }

    /// `Value "value" <- Selector / NumberLiteral / StringLiteral`. An unquoted word is a
    /// selector whose dotted text is the value (`passing`, `true`, `v1.web`).
    mutating func value() -> String? {
        let start = position
        if let path = selector() { return path.joined(separator: ".") }
        position = start
        if let number = numberLiteral() { return number }
        position = start
        if let text = stringLiteral() { return text }
        position = start
        return nil
    }

    /// `NumberLiteral "number" <- "-"? IntegerOrFloat &AfterNumbers
    /// / "-"? IntegerOrFloat !AfterNumbers &{ Invalid number literal }`.
    private mutating func numberLiteral() -> String? {
        let start = position
        _ = literal("-")
        if integerOrFloat(), andAhead({ $0.afterNumber() }) {
            return String(decoding: input[start..<position], as: UTF8.self)
        }
        position = start
        _ = literal("-")
        if integerOrFloat(), notAhead({ $0.afterNumber() }) {
            addError(at: position, rule: "number", "Invalid number literal")
        }
        position = start
        return nil
    }

    /// `AfterNumbers <- &(_ / EOF / ")")`.
    private mutating func afterNumber() -> Bool {
        andAhead { parser in parser.whitespace() || parser.endOfInput() || parser.literal(")") }
    }

    /// `IntegerOrFloat <- ("0" / [1-9][0-9]*) ("." [0-9]+)?`.
    private mutating func integerOrFloat() -> Bool {
        let start = position
        if !literal("0") {
            guard characterClass("[1-9]", { $0 >= 0x31 && $0 <= 0x39 }) else {
                position = start
                return false
            }
            while characterClass("[0-9]", Self.isDigit) {}
        }
        _ = sequence { parser in
            guard parser.literal("."), parser.characterClass("[0-9]", Self.isDigit) else {
                return false
            }
            while parser.characterClass("[0-9]", Self.isDigit) {}
            return true
        }
        return true
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }
}
