/// Go's duration syntax (`time.ParseDuration` / `Duration.String`), which Consul uses for every
/// duration on the wire: `"10s"`, `"1m30s"`, `"500ms"`, `"1.5h"`, `"-2s"`, `"0"`.
public enum GoDuration {
    /// Longest duration text accepted. Go has no limit; 64 bytes holds any int64 duration
    /// written with one term per unit and bounds the work a hostile value can cause.
    public static let textBytesMax = 64

    static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Unit suffixes and their length in nanoseconds (Go `unitMap`); both micro signs.
    private static let units: [(suffix: String, nanoseconds: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("\u{00B5}s", 1_000), ("\u{03BC}s", 1_000),
        ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000),
    ]

    /// Parses Go duration text into nanoseconds (may be negative, as in Go).
    public static func parseNanoseconds(_ text: String) throws(GoDurationError) -> Int64 {
        let invalid = GoDurationError(message: "time: invalid duration \"\(text)\"")
        guard text.utf8.count <= textBytesMax else { throw invalid }
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { throw invalid }
        var total: UInt64 = 0
        while !rest.isEmpty {
            let term = try parseTerm(&rest, text: text)
            let (sum, overflow) = total.addingReportingOverflow(term)
            guard !overflow, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else { throw invalid }
            total = sum
        }
        if negative { return total == UInt64(Int64.max) + 1 ? Int64.min : -Int64(total) }
        return Int64(total)
    }

    /// One `[digits][.digits]unit` term from the front of `rest`, in nanoseconds.
    private static func parseTerm(
        _ rest: inout Substring, text: String
    )
        throws(GoDurationError) -> UInt64
    {
        let invalid = GoDurationError(message: "time: invalid duration \"\(text)\"")
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        var after = rest[whole.endIndex...]
        var fraction = Substring()
        if after.first == "." {
            fraction = after.dropFirst().prefix { $0.isASCII && $0.isNumber }
            after = after[fraction.endIndex...]
        }
        guard !whole.isEmpty || !fraction.isEmpty else { throw invalid }
        let unitText = after.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
        guard !unitText.isEmpty else {
            throw GoDurationError(message: "time: missing unit in duration \"\(text)\"")
        }
        guard let unit = units.first(where: { $0.suffix == unitText }) else {
            throw GoDurationError(
                message: "time: unknown unit \"\(unitText)\" in duration \"\(text)\"")
        }
        rest = after[unitText.endIndex...]
        guard let integer = UInt64(whole.isEmpty ? "0" : whole) else { throw invalid }
        let (base, overflow) = integer.multipliedReportingOverflow(by: unit.nanoseconds)
        guard !overflow else { throw invalid }
        // Go keeps fraction digits while they matter: scale digit by digit, exactly.
        var fractional: UInt64 = 0
        var scale = unit.nanoseconds
        for digit in fraction {
            scale /= 10
            if scale == 0 { break }
            fractional += UInt64(digit.wholeNumberValue ?? 0) * scale
        }
        let (sum, overflowSum) = base.addingReportingOverflow(fractional)
        guard !overflowSum else { throw invalid }
        return sum
    }

    /// Go's `Duration.String()`: `"0s"`, `"500ms"`, `"1.5µs"`, `"1m30s"`, `"1h0m0s"`.
    public static func format(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < UInt64(nanosecondsPerSecond) {
            let (unit, precision): (String, Int) =
                magnitude < 1_000 ? ("ns", 0) : magnitude < 1_000_000 ? ("\u{00B5}s", 3) : ("ms", 6)
            text = fractional(magnitude, precision: precision) + unit
        } else {
            let seconds = fractional(magnitude, precision: 9)
            // `fractional` printed all whole seconds; split them into h, m, s.
            let wholeSeconds = magnitude / UInt64(nanosecondsPerSecond)
            let fractionPart = seconds.drop { $0 != "." }
            text = "\(wholeSeconds % 60)\(fractionPart)s"
            let minutes = wholeSeconds / 60
            if minutes > 0 {
                text = "\(minutes % 60)m" + text
                let hours = minutes / 60
                if hours > 0 { text = "\(hours)h" + text }
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^precision` with the fraction's trailing zeros (and a bare dot) dropped.
    private static func fractional(_ value: UInt64, precision: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<precision { divisor *= 10 }
        let whole = value / divisor
        var fraction = String(value % divisor)
        guard precision > 0, value % divisor != 0 else { return String(whole) }
        fraction = String(repeating: "0", count: precision - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}
