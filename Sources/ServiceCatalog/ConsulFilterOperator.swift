/// A match operator of go-bexpr (`ast.go` `MatchOperator`). `contains` parses to `in` and
/// `not contains` to `notIn`, as in bexpr's grammar: only the operand order differs.
public enum ConsulFilterOperator: Sendable, Equatable, Hashable, CaseIterable {
    case equal
    case notEqual
    case `in`
    case notIn
    case isEmpty
    case isNotEmpty
    case matches
    case notMatches

    /// bexpr's `MatchOperator.String()`, quoted into validation errors.
    var goName: String {
        switch self {
        case .equal: "Equal"
        case .notEqual: "Not Equal"
        case .in: "In"
        case .notIn: "Not In"
        case .isEmpty: "Is Empty"
        case .isNotEmpty: "Is Not Empty"
        case .matches: "Matches"
        case .notMatches: "Not Matches"
        }
    }

    /// The operator this one negates, or nil for a positive operator. bexpr evaluates each
    /// negated operator as `!positive` (`evaluate.go`).
    var positive: ConsulFilterOperator? {
        switch self {
        case .notEqual: .equal
        case .notIn: .in
        case .isNotEmpty: .isEmpty
        case .notMatches: .matches
        default: nil
        }
    }

    /// The result for a selector that names an absent map key. bexpr answers false for
    /// `==`, `is not empty` and `in`, and true for every other operator ("whatever you were
    /// looking for cannot be equal because it doesn't exist", `evaluate.go`): that includes
    /// `matches`, which its `default:` branch also answers true.
    var resultWhenAbsent: Bool {
        switch self {
        case .equal, .isNotEmpty, .in: false
        default: true
        }
    }
}
