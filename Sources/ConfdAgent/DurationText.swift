import Platform

/// Durations written by people: a plain number of seconds ("2", "0.2"), or Go's duration
/// syntax ("500ms", "2s", "1m30s", "1.5h"), as consul-template's `wait` accepts through
/// `time.ParseDuration`. Never negative.
public enum DurationText {
    /// Why a duration did not parse.
    public struct ParseError: Error, Sendable, Equatable {
        public let message: String
    }

    /// Fraction digits read from a plain number: nanoseconds need 9; more only adds
    /// overflow risk.
    static let fractionDigitsMax = 9

    /// Parses `text` into nanoseconds.
    public static func nanoseconds(_ text: String) throws(ParseError) -> UInt64 {
        guard !text.isEmpty else { throw ParseError(message: "empty duration") }
        if text.hasPrefix("-") { throw ParseError(message: "a duration cannot be negative") }
        if let seconds = try plainSeconds(text) { return seconds }
        do {
            return UInt64(try GoDuration.parseNanoseconds(text))
        } catch {
            throw ParseError(message: "\"\(text)\" is not a duration (e.g. 2, 0.5, 500ms, 1m30s)")
        }
    }

    /// A bare `digits[.digits]` number of seconds, or nil if `text` is something else.
    private static func plainSeconds(_ text: String) throws(ParseError) -> UInt64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        let digits: (Substring) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits(whole), digits(fraction), !(whole.isEmpty && fraction.isEmpty) else {
            return nil
        }
        let tooLarge = ParseError(message: "duration \"\(text)\" is too large")
        guard let seconds = whole.isEmpty ? 0 : UInt64(whole) else { throw tooLarge }
        let (base, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { throw tooLarge }
        var nanoseconds: UInt64 = 0
        var scale: UInt64 = 100_000_000
        for digit in fraction.prefix(fractionDigitsMax) {
            nanoseconds += UInt64(digit.wholeNumberValue ?? 0) * scale
            scale /= 10
        }
        let (sum, overflowSum) = base.addingReportingOverflow(nanoseconds)
        guard !overflowSum else { throw tooLarge }
        return sum
    }
}
