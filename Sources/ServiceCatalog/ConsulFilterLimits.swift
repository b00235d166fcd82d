/// Bounds on a `?filter` expression. Consul has none beyond its URL length, but the parser
/// recurses per nesting level and every match expression runs once per result element, so
/// each is bounded here; an expression past a bound is rejected like any bad filter.
public enum ConsulFilterLimits {
    /// Expression length in UTF-8 bytes. Real filters are a few hundred bytes; 8 KiB also
    /// matches the request-line budget a query string has to fit in.
    public static let expressionBytesMax = 8 * 1024
    /// Nesting of parentheses and `not`: the parser recurses once per level, so this bounds
    /// its stack. Hand-written filters rarely nest past 3.
    public static let nestingDepthMax = 32
    /// Match expressions (`Selector op Value` leaves) in one filter: each is evaluated for
    /// every element of a listing, so this bounds the cost per element. go-bexpr has the
    /// same knob (`EvaluatorConfig.MaxMatches`), which Consul leaves unset.
    public static let matchExpressionsMax = 128
    /// `matches` / `not matches` expressions, each compiling one regular expression.
    /// Compiling is the most expensive step of building a filter.
    public static let regexesMax = 16
}
