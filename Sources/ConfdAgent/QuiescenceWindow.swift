/// consul-template's `wait = "min:max"` (reference/confd.md §6.4): render only after `min`
/// of quiet since the last change, but never later than `max` after the first change.
public struct QuiescenceWindow: Sendable, Equatable {
    /// Longest accepted `min` or `max`. A change that can wait more than an hour to reach
    /// its file is a mistake (a unit typo like "10m" for "10s"), not a setting.
    public static let waitNanosecondsMax: UInt64 = 3_600 * 1_000_000_000
    /// `max` defaults to this multiple of `min` (consul-template `config/wait.go`).
    public static let defaultMaximumFactor: UInt64 = 4

    public let minimumNanoseconds: UInt64
    public let maximumNanoseconds: UInt64

    /// Checks `0 < min ≤ max ≤ waitNanosecondsMax`.
    public init(
        minimumNanoseconds: UInt64, maximumNanoseconds: UInt64
    )
        throws(DurationText.ParseError)
    {
        guard minimumNanoseconds > 0 else {
            throw DurationText.ParseError(message: "the minimum wait must be above zero")
        }
        guard maximumNanoseconds >= minimumNanoseconds else {
            throw DurationText.ParseError(message: "the maximum wait is below the minimum")
        }
        guard maximumNanoseconds <= Self.waitNanosecondsMax else {
            throw DurationText.ParseError(message: "a wait above 1h is not accepted")
        }
        self.minimumNanoseconds = minimumNanoseconds
        self.maximumNanoseconds = maximumNanoseconds
    }

    /// Parses "MIN" or "MIN:MAX" (each a `DurationText`); MAX defaults to 4×MIN.
    public static func parse(_ text: String) throws(DurationText.ParseError) -> QuiescenceWindow {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw DurationText.ParseError(message: "expected MIN or MIN:MAX")
        }
        let minimum = try DurationText.nanoseconds(String(parts[0]))
        guard minimum <= waitNanosecondsMax else {
            throw DurationText.ParseError(message: "a wait above 1h is not accepted")
        }
        // A defaulted 4×MIN is capped at the limit; an explicit MAX is checked as written.
        let maximum =
            parts.count == 2
            ? try DurationText.nanoseconds(String(parts[1]))
            : min(minimum * defaultMaximumFactor, waitNanosecondsMax)
        return try QuiescenceWindow(minimumNanoseconds: minimum, maximumNanoseconds: maximum)
    }
}
