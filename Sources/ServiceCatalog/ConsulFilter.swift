import Platform

/// A compiled Consul `?filter=` expression (go-bexpr, the boolean expression language of
/// https://developer.hashicorp.com/consul/api-docs/features/filtering), tested against one
/// element of a listing as Roost renders it: a `JSONValue` with Consul's PascalCase keys.
///
/// Semantics where bexpr's reflection over Go structs and evaluation over JSON differ:
/// - **Unknown selectors.** bexpr validates every selector against the element's Go type
///   and answers `Selector "Foo" is not valid` before running. Pass the element's `schema`
///   to get the same errors (and bexpr's operator checks and value coercion errors). Without
///   a schema every selector is accepted, and one that names nothing acts like an absent
///   map key, which is what bexpr does for a missing key of a map such as `Service.Meta`:
///   `==`, `in`, `is not empty` are false; `!=`, `not in`, `is empty` are true; and, by
///   bexpr's `default:` branch, so are `matches` and `not matches`. JSON `null` (a nil map
///   or slice in Go) counts as absent.
/// - **Arrays of objects.** A selector that passes through an array (`Checks.Status`)
///   matches when the expression holds for ANY element, as bexpr's evaluator does
///   ("operations on slices are implicitly ANY operations"), negated operators included:
///   `Checks.Status != passing` holds when some check is not passing, and never for an
///   empty list. `not (Checks.Status == passing)` is "no check passing".
/// - **Coercion.** bexpr converts the value text to the field's Go type: `==` on an int
///   field parses it with `strconv.ParseInt(value, 0, 64)` (so `"0x50"` equals 80), on a
///   bool with `strconv.ParseBool` (`true`, `T`, `1` ...), on a string compares bytes.
///   Here the JSON type stands in for the Go type: strings compare byte for byte, numbers
///   numerically, booleans by `ParseBool`. A value that does not convert is an error with a
///   schema (as in bexpr); without one it simply is not equal (`==` false, `!=` true).
/// - **Operators on the wrong type** (`Service.Tags == x`, `Service.Port contains 8`) are
///   errors with a schema; without one the positive operator is false and its negation
///   true. `is empty` on a string is allowed without a schema (length 0).
/// - **Regular expressions** use ICU, not RE2; see `ConsulFilterRegex`.
///
/// An empty expression is a parse error here; Consul skips filtering when `filter` is
/// empty, and so should the caller.
public struct ConsulFilter: Sendable {
    let expression: ConsulFilterExpression

    /// Parses and validates `text`, with bexpr's checks against `schema` when given.
    public init(_ text: String, schema: ConsulFilterSchema? = nil) throws(ConsulFilterError) {
        let bytes = text.utf8.count
        guard bytes <= ConsulFilterLimits.expressionBytesMax else {
            throw .evaluator(
                "Expression of \(bytes) bytes exceeds the limit "
                    + "(\(ConsulFilterLimits.expressionBytesMax))")
        }
        var parser = ConsulFilterParser(text)
        let parsed = try parser.parse()
        // bexpr's own message for its MaxMatches bound (validate.go).
        let count = parsed.matchCount
        guard count <= ConsulFilterLimits.matchExpressionsMax else {
            throw .evaluator(
                "Number of match expressions (\(count)) exceeds the limit "
                    + "(\(ConsulFilterLimits.matchExpressionsMax))")
        }
        let regexes = parsed.matches.filter { $0.op == .matches || $0.op == .notMatches }.count
        guard regexes <= ConsulFilterLimits.regexesMax else {
            throw .evaluator(
                "Number of regular expressions (\(regexes)) exceeds the limit "
                    + "(\(ConsulFilterLimits.regexesMax))")
        }
        expression = try parsed.mapMatches { (match) throws(ConsulFilterError) in
            try Self.prepare(match, schema: schema)
        }
    }

    /// Whether `element` passes the filter.
    public func matches(_ element: JSONValue) -> Bool {
        Self.evaluate(expression, element)
    }

    /// Validates one match against the schema (bexpr `validateRecurse`) and compiles its
    /// regular expression.
    private static func prepare(
        _ match: ConsulFilterMatch, schema: ConsulFilterSchema?
    ) throws(ConsulFilterError) -> ConsulFilterMatch {
        if let schema { try schema.validate(match) }
        guard match.op == .matches || match.op == .notMatches else { return match }
        var compiled = match
        compiled.regex = try ConsulFilterRegex(match.value ?? "")
        return compiled
    }
}
