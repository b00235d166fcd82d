#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A source of time in nanoseconds. Pure cores never read a clock; shells pass them
/// values read from one of these, and tests pass a `ManualClock`.
///
/// Named after the project's vocabulary; it shadows the standard library's `Swift.Clock`
/// in modules that import Platform (spell that one `Swift.Clock` if ever needed).
public protocol Clock: Sendable {
    func nowNanoseconds() -> UInt64
}

/// Reads `clock_gettime(id)` as nanoseconds. Only EINVAL/EFAULT can fail it, both
/// programmer errors, so a failure stops the process.
@inline(__always)
func readClockNanoseconds(_ id: clockid_t) -> UInt64 {
    var now = timespec()
    do {
        _ = try Syscall.blocking { clock_gettime(id, &now) }
    } catch {
        preconditionFailure("clock_gettime(\(id)) failed: \(error)")
    }
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// CLOCK_MONOTONIC: never jumps (NTP slews it, `settimeofday` does not move it). Use it for
/// every timeout, deadline, lease and election timer.
public struct MonotonicClock: Clock {
    public init() {}

    public func nowNanoseconds() -> UInt64 {
        readClockNanoseconds(CLOCK_MONOTONIC)
    }
}

/// CLOCK_REALTIME: Unix time, which can jump. Only for timestamps shown to people or
/// written into records; never for measuring durations.
public struct WallClock: Clock {
    public init() {}

    public func nowNanoseconds() -> UInt64 {
        nowUnixNanoseconds()
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public func nowUnixNanoseconds() -> UInt64 {
        readClockNanoseconds(CLOCK_REALTIME)
    }
}

/// A clock that moves only when told to: deterministic tests of timeouts and leases.
public final class ManualClock: Clock {
    private let now: Atomic<UInt64>

    public init(startNanoseconds: UInt64 = 0) {
        now = Atomic(startNanoseconds)
    }

    public func nowNanoseconds() -> UInt64 {
        now.load(ordering: .acquiring)
    }

    /// Moves time forward; time never goes backward.
    public func advance(by nanoseconds: UInt64) {
        now.add(nanoseconds, ordering: .acquiringAndReleasing)
    }
}
