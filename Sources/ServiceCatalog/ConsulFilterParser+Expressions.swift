import Platform

/// The boolean rules of bexpr's grammar: `Input`, `OrExpression`, `AndExpression`,
/// `NotExpression`, `ParenthesizedExpression` and `MatchExpression`.
extension ConsulFilterParser {
    private static let orRule = 0
    private static let andRule = 1
    private static let notRule = 2

    /// `Input <- _? "(" _? OrExpression _? ")" _? EOF / _? OrExpression _? EOF`.
    mutating func inputRule() throws(ConsulFilterError) -> ConsulFilterExpression? {
        let start = position
        optionalWhitespace()
        if literal("(") {
            optionalWhitespace()
            // These parentheses count towards the nesting bound like any others.
            let expression = try nested { (parser) throws(ConsulFilterError) in
                try parser.orExpression()
            }
            if let expression {
                optionalWhitespace()
                if literal(")") {
                    optionalWhitespace()
                    if endOfInput() { return expression }
                }
            }
        }
        position = start
        optionalWhitespace()
        if let expression = try orExpression() {
            optionalWhitespace()
            if endOfInput() { return expression }
        }
        position = start
        return nil
    }

    /// `OrExpression <- AndExpression _ "or" _ OrExpression / AndExpression`, as a loop.
    mutating func orExpression() throws(ConsulFilterError) -> ConsulFilterExpression? {
        try memoized(Self.orRule) { (parser) throws(ConsulFilterError) in
            try parser.chain(keyword: "or", wrap: ConsulFilterExpression.or) {
                (parser) throws(ConsulFilterError) in try parser.andExpression()
            }
        }
    }

    /// `AndExpression <- NotExpression _ "and" _ AndExpression / NotExpression`.
    mutating func andExpression() throws(ConsulFilterError) -> ConsulFilterExpression? {
        try memoized(Self.andRule) { (parser) throws(ConsulFilterError) in
            try parser.chain(keyword: "and", wrap: ConsulFilterExpression.and) {
                (parser) throws(ConsulFilterError) in try parser.notExpression()
            }
        }
    }

    /// Operands joined by `_ keyword _`. The grammar's right recursion falls back to the
    /// single operand whenever the rest fails, so a loop that stops before a keyword not
    /// followed by an operand accepts exactly the same inputs.
    private mutating func chain(
        keyword: String,
        wrap: ([ConsulFilterExpression]) -> ConsulFilterExpression,
        operand: (inout ConsulFilterParser) throws(ConsulFilterError) -> ConsulFilterExpression?
    ) throws(ConsulFilterError) -> ConsulFilterExpression? {
        guard let first = try operand(&self) else { return nil }
        var operands = [first]
        while true {
            let before = position
            guard whitespace(), literal(keyword), whitespace(), let next = try operand(&self)
            else {
                position = before
                break
            }
            operands.append(next)
        }
        return operands.count == 1 ? first : wrap(operands)
    }

    /// `NotExpression <- "not" _ NotExpression / ParenthesizedExpression`; `not not e` is
    /// `e`, as bexpr simplifies it.
    mutating func notExpression() throws(ConsulFilterError) -> ConsulFilterExpression? {
        try memoized(Self.notRule) { (parser) throws(ConsulFilterError) in
            let start = parser.position
            if parser.literal("not"), parser.whitespace() {
                let operand = try parser.nested { (parser) throws(ConsulFilterError) in
                    try parser.notExpression()
                }
                if let operand {
                    if case .not(let inner) = operand { return inner }
                    return .not(operand)
                }
            }
            parser.position = start
            return try parser.parenthesizedExpression()
        }
    }

    /// `ParenthesizedExpression "grouping" <- "(" _? OrExpression _? ")" / MatchExpression
    /// / "(" _? OrExpression _? !")" &{ Unmatched parentheses }`.
    mutating func parenthesizedExpression() throws(ConsulFilterError) -> ConsulFilterExpression? {
        let start = position
        if literal("(") {
            optionalWhitespace()
            let inner = try nested { (parser) throws(ConsulFilterError) in
                try parser.orExpression()
            }
            if let inner {
                optionalWhitespace()
                if literal(")") { return inner }
            }
        }
        position = start
        if let match = matchExpression() { return .match(match) }
        position = start
        if literal("(") {
            optionalWhitespace()
            let inner = try nested { (parser) throws(ConsulFilterError) in
                try parser.orExpression()
            }
            if inner != nil {
                optionalWhitespace()
                if notAhead({ $0.literal(")") }) {
                    addError(at: position, rule: "grouping", "Unmatched parentheses")
                }
            }
        }
        position = start
        return nil
    }
}
