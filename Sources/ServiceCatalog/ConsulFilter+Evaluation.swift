import Platform

/// Evaluation over JSON, following go-bexpr's `evaluate.go` (see `ConsulFilter` for the
/// rules where JSON and Go structs differ).
extension ConsulFilter {
    static func evaluate(_ expression: ConsulFilterExpression, _ element: JSONValue) -> Bool {
        switch expression {
        case .or(let operands): operands.contains { evaluate($0, element) }
        case .and(let operands): operands.allSatisfy { evaluate($0, element) }
        case .not(let operand): !evaluate(operand, element)
        case .match(let match): evaluate(match, element, at: 0)
        }
    }

    /// Follows the selector from `index` (bexpr `evaluateMatchExpressionRecurse`).
    private static func evaluate(
        _ match: ConsulFilterMatch, _ value: JSONValue, at index: Int
    )
        -> Bool
    {
        if value == .null { return match.op.resultWhenAbsent }
        if index == match.selector.count { return apply(match, to: value) }
        switch value {
        case .object(let object):
            let name = match.selector[index]
            guard let child = object.members.first(where: { sameBytes($0.key, name) })?.value
            else { return match.op.resultWhenAbsent }
            return evaluate(match, child, at: index + 1)
        case .array(let items):
            // The same selector step applies to every element: ANY semantics.
            return items.contains { evaluate(match, $0, at: index) }
        default:
            return match.op.resultWhenAbsent
        }
    }

    /// The operator on the selected value; a negated operator is `!positive` (bexpr).
    private static func apply(_ match: ConsulFilterMatch, to value: JSONValue) -> Bool {
        let raw = match.value ?? ""
        let holds: Bool
        switch match.op.positive ?? match.op {
        case .equal: holds = equals(value, raw)
        case .in: holds = contains(value, raw)
        case .isEmpty: holds = isEmpty(value)
        default: holds = matchesPattern(value, match.regex)
        }
        return match.op.positive == nil ? holds : !holds
    }

    /// `==`: the value text converted to the JSON value's type (bexpr `doMatchEqual`).
    static func equals(_ value: JSONValue, _ raw: String) -> Bool {
        switch value {
        case .string(let text): return sameBytes(text, raw)
        case .bool(let flag): return (try? GoStrconv.parseBool(raw)) == flag
        case .number(let text): return numberEquals(text, raw)
        default: return false
        }
    }

    /// Integral JSON numbers compare as Go ints (`ParseInt(raw, 0, 64)`, or `ParseUint` for
    /// uint64 fields such as `CreateIndex`); others as float64 (`ParseFloat`).
    private static func numberEquals(_ text: String, _ raw: String) -> Bool {
        let integral = !text.utf8.contains { $0 == 0x2e || $0 == 0x65 || $0 == 0x45 }
        if integral {
            if let field = Int64(text), let wanted = try? GoStrconv.parseInt(raw) {
                return field == wanted
            }
            if let field = UInt64(text), let wanted = try? GoStrconv.parseUint(raw) {
                return field == wanted
            }
            return false
        }
        guard let field = Double(text), let wanted = try? GoStrconv.parseFloat(raw) else {
            return false
        }
        return field == wanted
    }

    /// `in` / `contains` (bexpr `doMatchIn`): substring of a string, an element of an array,
    /// a key of an object.
    private static func contains(_ value: JSONValue, _ raw: String) -> Bool {
        switch value {
        case .string(let text):
            return containsBytes(Array(text.utf8), Array(raw.utf8))
        case .array(let items):
            return items.contains { equals($0, raw) }
        case .object(let object):
            return object.members.contains { sameBytes($0.key, raw) }
        default:
            return false
        }
    }

    /// `is empty` (bexpr `doMatchIsEmpty`: `Len() == 0`).
    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.isEmpty
        case .array(let items): items.isEmpty
        case .object(let object): object.members.isEmpty
        default: false
        }
    }

    private static func matchesPattern(_ value: JSONValue, _ regex: ConsulFilterRegex?) -> Bool {
        guard case .string(let text) = value, let regex else { return false }
        return regex.matches(text)
    }

    /// Go compares strings byte for byte; Swift's `==` would equate canonically equivalent
    /// spellings (precomposed and decomposed é).
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Go `strings.Contains` on bytes (an empty needle is always contained).
    private static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
