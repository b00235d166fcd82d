/// Durations written by people: a plain number of seconds ("2", "0.2"), or Go-style
/// number+unit terms ("500ms", "2s", "1m30s", "1.5h"; units ns, us, µs, ms, s, m, h, as
/// consul-template's `wait` accepts through Go's `time.ParseDuration`). Never negative.
public enum DurationText {
    /// Why a duration did not parse.
    public struct ParseError: Error, Sendable, Equatable {
        public let message: String
    }

    /// Fraction digits kept: nanosecond resolution needs at most 9 (with seconds) and more
    /// only adds overflow risk.
    static let fractionDigitsMax = 18

    /// Parses `text` into nanoseconds.
    public static func nanoseconds(_ text: String) throws(ParseError) -> UInt64 {
        guard !text.isEmpty else { throw ParseError(message: "empty duration") }
        if text.hasPrefix("-") { throw ParseError(message: "a duration cannot be negative") }
        var rest = Substring(text)
        if let plain = try term(&rest, defaultUnit: 1_000_000_000), rest.isEmpty {
            return plain
        }
        rest = Substring(text)
        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let value = try term(&rest, defaultUnit: nil) else {
                throw ParseError(
                    message: "\"\(text)\" is not a duration (e.g. 2, 0.5, 500ms, 1m30s)")
            }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw ParseError(message: "duration \"\(text)\" is too large") }
            total = sum
        }
        return total
    }

    private static let units: [(String, UInt64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// One `number[unit]` term from the front of `rest`. A missing unit is allowed only when
    /// `defaultUnit` is given (the whole text is a bare number). Nil if it does not parse.
    private static func term(
        _ rest: inout Substring, defaultUnit: UInt64?
    ) throws(ParseError)
        -> UInt64?
    {
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        var after = rest[whole.endIndex...]
        var fraction = Substring()
        if after.first == "." {
            fraction = after.dropFirst().prefix { $0.isASCII && $0.isNumber }
            after = after[fraction.endIndex...]
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        // Longest unit first so "ms" is not read as "m" followed by "s".
        let unit = units.sorted { $0.0.count > $1.0.count }.first { after.hasPrefix($0.0) }
        guard let scale = unit?.1 ?? defaultUnit else { return nil }
        rest = after.dropFirst(unit?.0.count ?? 0)
        return try scaled(whole: whole, fraction: fraction, by: scale)
    }

    private static func scaled(
        whole: Substring, fraction: Substring, by scale: UInt64
    )
        throws(ParseError) -> UInt64
    {
        let tooLarge = ParseError(message: "duration is too large")
        guard let integer = whole.isEmpty ? 0 : UInt64(whole) else { throw tooLarge }
        let (base, overflow) = integer.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw tooLarge }
        var part: UInt64 = 0
        var divisor: UInt64 = 1
        for digit in fraction.prefix(fractionDigitsMax) {
            part = part * 10 + UInt64(digit.wholeNumberValue ?? 0)
            divisor *= 10
        }
        // part < divisor ≤ 10^18, and scale ≤ 3.6e12: split to avoid overflowing the product.
        let fractional =
            (part / divisor) * scale
            + UInt64((Double(part % divisor) / Double(divisor) * Double(scale)).rounded())
        let (sum, overflowSum) = base.addingReportingOverflow(fractional)
        guard !overflowSum else { throw tooLarge }
        return sum
    }
}
