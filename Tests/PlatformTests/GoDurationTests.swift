import Testing

@testable import Platform

@Suite("Go durations")
struct GoDurationTests {
    @Test(
        "Go duration text parses to nanoseconds (time.ParseDuration)",
        arguments: [
            ("10s", Int64(10_000_000_000)), ("1m30s", 90_000_000_000), ("500ms", 500_000_000),
            ("1h", 3_600_000_000_000), ("1.5h", 5_400_000_000_000), ("0", 0),
            ("-2s", -2_000_000_000),
            ("1us", 1_000), ("1\u{00B5}s", 1_000), ("2ns", 2), ("1h2m3.5s", 3_723_500_000_000),
            (".5s", 500_000_000),
        ])
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parseNanoseconds(text) == nanoseconds)
    }

    @Test(
        "invalid durations fail with Go's wording",
        arguments: [
            ("", "time: invalid duration \"\""), ("10", "time: missing unit in duration \"10\""),
            ("10x", "time: unknown unit \"x\" in duration \"10x\""),
            ("abc", "time: invalid duration \"abc\""), ("s", "time: invalid duration \"s\""),
            ("99999999999h", "time: invalid duration \"99999999999h\""),
        ])
    func rejects(text: String, message: String) {
        #expect(throws: GoDurationError(message: message)) { try GoDuration.parseNanoseconds(text) }
    }

    @Test("text longer than textBytesMax is refused; at the limit it parses")
    func lengthLimit() throws {
        let atLimit = String(repeating: "0", count: GoDuration.textBytesMax - 1) + "s"
        #expect(try GoDuration.parseNanoseconds(atLimit) == 0)
        #expect(throws: GoDurationError.self) { try GoDuration.parseNanoseconds("0" + atLimit) }
    }

    @Test(
        "nanoseconds format like Go's Duration.String",
        arguments: [
            (Int64(0), "0s"), (10_000_000_000, "10s"), (90_000_000_000, "1m30s"),
            (3_600_000_000_000, "1h0m0s"), (500_000_000, "500ms"), (1_500_000, "1.5ms"),
            (1_000, "1\u{00B5}s"), (10, "10ns"), (1_500_000_000, "1.5s"), (-2_000_000_000, "-2s"),
            (86_400_000_000_000, "24h0m0s"),
        ])
    func formats(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanoseconds) == text)
    }
}
