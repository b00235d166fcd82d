/// Debounce with a latency cap for one template (consul-template `quiescence.tick`,
/// `manager/runner.go`; reference/confd.md §6.4). Pure: the caller passes clock readings in
/// nanoseconds and asks what to do. Without a window every change is due at once (confd's
/// behaviour: no debounce).
///
/// The first change starts a `min` timer and fixes `deadline = first + max`; each further
/// change re-arms the timer to `min`, or to what is left until the deadline if sooner. So
/// due = min(last + min, first + max).
public struct Quiescence: Sendable, Equatable {
    /// What the caller should do now.
    public enum Decision: Sendable, Equatable {
        /// No change is pending.
        case idle
        /// A change is pending; ask again at this clock value.
        case waitUntil(nanoseconds: UInt64)
        /// Render now (then call `markRendered`).
        case render
    }

    public let window: QuiescenceWindow?
    /// When the first change of the pending burst arrived, or nil if none is pending.
    public private(set) var firstChangeNanoseconds: UInt64?
    /// When the pending burst is due, or nil if none is pending.
    public private(set) var dueNanoseconds: UInt64?

    public init(window: QuiescenceWindow?) {
        self.window = window
    }

    /// Records a change seen at `now`.
    public mutating func recordChange(atNanoseconds now: UInt64) {
        guard let window else {
            firstChangeNanoseconds = firstChangeNanoseconds ?? now
            dueNanoseconds = dueNanoseconds ?? now
            return
        }
        let first = firstChangeNanoseconds ?? now
        firstChangeNanoseconds = first
        let quiet = Self.adding(now, window.minimumNanoseconds)
        let deadline = Self.adding(first, window.maximumNanoseconds)
        dueNanoseconds = min(quiet, deadline)
    }

    /// What to do at `now`.
    public func decision(atNanoseconds now: UInt64) -> Decision {
        guard let due = dueNanoseconds else { return .idle }
        return now >= due ? .render : .waitUntil(nanoseconds: due)
    }

    /// Clears the pending burst. Call it when taking the data to render, so changes that
    /// arrive during the render start a new burst instead of being lost.
    public mutating func markRendered() {
        firstChangeNanoseconds = nil
        dueNanoseconds = nil
    }

    private static func adding(_ time: UInt64, _ duration: UInt64) -> UInt64 {
        let (sum, overflow) = time.addingReportingOverflow(duration)
        return overflow ? UInt64.max : sum
    }
}
