/// One match expression: `Selector op Value`, `Value in Selector` or `Selector is empty`
/// (go-bexpr `MatchExpression`).
struct ConsulFilterMatch: Sendable {
    /// The selector's path: `Service.Meta["a.b"]` is `["Service", "Meta", "a.b"]`.
    var selector: [String]
    var op: ConsulFilterOperator
    /// The value as written, after unquoting; nil for `is empty` / `is not empty`. An
    /// unquoted identifier value such as `passing` is its own text (bexpr `MatchValue.Raw`).
    var value: String?
    /// The compiled pattern of `matches` / `not matches`.
    var regex: ConsulFilterRegex?

    /// The selector as bexpr prints it in errors (`Selector.String()`: joined by dots).
    var selectorText: String { selector.joined(separator: ".") }
}
