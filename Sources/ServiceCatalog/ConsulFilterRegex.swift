import Foundation
import Platform

/// The pattern of a `matches` expression. go-bexpr compiles it with Go's `regexp` (RE2
/// syntax) and tests it with `Match`, an unanchored search; this uses ICU through
/// `NSRegularExpression`, the only regex engine the toolchain offers on Linux.
///
/// The dialects agree on what filters use (classes, `^`, alternation, repetition, `(?i)`).
/// Where they differ:
/// - RE2's named group `(?P<name>re)` is rewritten to ICU's `(?<name>re)`.
/// - ICU accepts constructs RE2 rejects (backreferences `\1`, lookaround `(?=`, `(?<=`,
///   possessive `a*+`, `\Z`); such a pattern is an error in Consul but works here.
/// - Without `(?m)`, RE2's `$` matches only at the end of the text; ICU's also matches
///   before a final line terminator, so `^a$` matches `"a\n"` here and not in Consul.
/// - RE2 runs in linear time; ICU backtracks. Patterns are bounded by
///   `ConsulFilterLimits.regexesMax` and the expression length, and the strings they run
///   on are catalog fields (names, tags, meta values) of bounded length.
struct ConsulFilterRegex: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented as safe
    // to use from several threads at once.
    private let expression: NSRegularExpression

    /// Compiles `pattern`; the error text is the detail of bexpr's
    /// `Failed to compile regular expression %q: %v`.
    init(_ pattern: String) throws(ConsulFilterError) {
        let translated = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        do {
            expression = try NSRegularExpression(pattern: translated)
        } catch {
            throw .evaluator(
                "Failed to compile regular expression \(GoQuote.quote(pattern)): "
                    + "error parsing regexp: invalid pattern")
        }
    }

    /// Whether the pattern matches anywhere in `text` (Go `Regexp.MatchString`).
    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
