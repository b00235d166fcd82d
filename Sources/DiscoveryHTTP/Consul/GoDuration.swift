/// Go's `time.ParseDuration` (Consul's `?wait=`, check intervals, TTLs): a sequence of
/// decimal numbers with units `ns us µs ms s m h`, e.g. `300ms`, `1.5h`, `2h45m`. A bare
/// `0` is allowed; any other number needs a unit. Pure.
public enum GoDuration {
    public struct ParseError: Error, Sendable, Equatable {
        public var text: String
    }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9),
        ("h", 3600e9),
    ]

    /// Nanoseconds; negative durations are allowed by Go and returned as such.
    public static func nanoseconds(_ text: String) throws(ParseError) -> Int64 {
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { throw ParseError(text: text) }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { throw ParseError(text: text) }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else {
                throw ParseError(text: text)
            }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total * sign <= Double(Int64.max), total * sign >= Double(Int64.min) else {
            throw ParseError(text: text)
        }
        return Int64(total * sign)
    }
}
