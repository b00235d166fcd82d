import Platform

/// `MatchExpression "match" <- MatchSelectorOpValue / MatchSelectorOp / MatchValueOpSelector`
/// and its operator rules.
extension ConsulFilterParser {
    /// One element of an operator rule: `_`, `_?` or a keyword literal.
    enum OperatorPart {
        case space
        case optionalSpace
        case word(String)
    }

    typealias OperatorRule = (op: ConsulFilterOperator, parts: [OperatorPart])

    /// `MatchEqual / MatchNotEqual / MatchContains / MatchNotContains / MatchMatches /
    /// MatchNotMatches`. `contains` is `in` with the operands swapped.
    static let selectorValueOperators: [OperatorRule] = [
        (.equal, [.optionalSpace, .word("=="), .optionalSpace]),
        (.notEqual, [.optionalSpace, .word("!="), .optionalSpace]),
        (.in, [.space, .word("contains"), .space]),
        (.notIn, [.space, .word("not"), .space, .word("contains"), .space]),
        (.matches, [.space, .word("matches"), .space]),
        (.notMatches, [.space, .word("not"), .space, .word("matches"), .space]),
    ]

    /// `MatchIsEmpty / MatchIsNotEmpty`.
    static let emptinessOperators: [OperatorRule] = [
        (.isEmpty, [.space, .word("is"), .space, .word("empty")]),
        (.isNotEmpty, [.space, .word("is"), .space, .word("not"), .space, .word("empty")]),
    ]

    /// `MatchIn / MatchNotIn`.
    static let valueSelectorOperators: [OperatorRule] = [
        (.in, [.space, .word("in"), .space]),
        (.notIn, [.space, .word("not"), .space, .word("in"), .space]),
    ]

    mutating func matchExpression() -> ConsulFilterMatch? {
        let start = position
        if let selector = selector(), let op = firstOperator(Self.selectorValueOperators),
            let value = value()
        {
            return ConsulFilterMatch(selector: selector, op: op, value: value)
        }
        position = start
        if let selector = selector(), let op = firstOperator(Self.emptinessOperators) {
            return ConsulFilterMatch(selector: selector, op: op, value: nil)
        }
        position = start
        if let value = value(), let op = firstOperator(Self.valueSelectorOperators),
            let selector = selector()
        {
            return ConsulFilterMatch(selector: selector, op: op, value: value)
        }
        position = start
        // `Value (MatchIn / MatchNotIn) !Selector &{ Invalid selector }`
        if value() != nil, firstOperator(Self.valueSelectorOperators) != nil,
            notAhead({ $0.selector() != nil })
        {
            addError(at: position, rule: "match", "Invalid selector")
        }
        position = start
        return nil
    }

    /// The first operator rule that matches here (PEG ordered choice).
    private mutating func firstOperator(_ rules: [OperatorRule]) -> ConsulFilterOperator? {
        for rule in rules {
            let matched = sequence { parser in
                rule.parts.allSatisfy { part in
                    switch part {
                    case .space: return parser.whitespace()
                    case .optionalSpace:
                        parser.optionalWhitespace()
                        return true
                    case .word(let word): return parser.literal(word)
                    }
                }
            }
            if matched { return rule.op }
        }
        return nil
    }
}
