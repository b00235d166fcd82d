import Synchronization

/// A one-way "stop now" signal for blocking work on another thread (a check's child process,
/// connect or HTTP exchange). The work polls it between bounded waits of at most
/// `pollNanoseconds`, so whoever cancels sees it give up within about that long instead of
/// waiting out the work's own timeout (a server stopping while a 60 s script runs).
///
/// Polling rather than closing the worker's descriptor from the cancelling thread: a
/// descriptor closed under a blocked call can be reused by another thread before the call
/// returns (close(2), "multithreaded processes"), and a connect that has not returned yet
/// has no descriptor the caller could reach.
public final class CancellationFlag: Sendable {
    /// The longest a blocking wait lasts before looking at the flag again: short enough
    /// that a stop is not noticeably delayed, long enough that a waiting check costs
    /// nothing measurable (ten wake-ups a second).
    public static let pollNanoseconds: UInt64 = 100_000_000

    private let cancelled = Atomic<Bool>(false)

    public init() {}

    /// Signals cancellation; any thread, idempotent.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// `milliseconds` capped at one poll interval: how long a cancellable wait may block.
    public static func sliceMilliseconds(_ milliseconds: Int) -> Int {
        min(milliseconds, Int(pollNanoseconds / 1_000_000))
    }
}
