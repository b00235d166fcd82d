import Platform

/// Reconnect delays: exponential from `minNanoseconds` doubling to `maxNanoseconds`, each
/// with "equal jitter" (half fixed, half random) so members that lost a peer at the same
/// moment do not redial it in lockstep. Randomness comes from a seeded generator, so a
/// test replays the same delays.
struct PeerBackoff: Sendable {
    let minNanoseconds: UInt64
    let maxNanoseconds: UInt64
    /// The base of the next delay; doubles per `nextDelay`, reset by `reset`.
    private(set) var baseNanoseconds: UInt64

    init(minNanoseconds: UInt64, maxNanoseconds: UInt64) {
        precondition(minNanoseconds > 0 && minNanoseconds <= maxNanoseconds,
                     "backoff must be 0 < min <= max")
        self.minNanoseconds = minNanoseconds
        self.maxNanoseconds = maxNanoseconds
        baseNanoseconds = minNanoseconds
    }

    /// A delay in [base/2, base], then doubles the base (capped at the maximum).
    mutating func nextDelay(using generator: inout SeededGenerator) -> UInt64 {
        let base = baseNanoseconds
        let half = base / 2
        let delay = base - half + UInt64.random(in: 0...half, using: &generator)
        let (doubled, overflow) = base.multipliedReportingOverflow(by: 2)
        baseNanoseconds = overflow ? maxNanoseconds : min(doubled, maxNanoseconds)
        return delay
    }

    /// After a successful handshake the next failure starts from the minimum again.
    mutating func reset() {
        baseNanoseconds = minNanoseconds
    }
}
