#if canImport(Glibc)
import Glibc
#endif

/// Blocking sleeps for shells and tests (never on an event loop).
public enum Sleep {
    public static func nanoseconds(_ duration: UInt64) {
        var request = timespec(
            tv_sec: Int(duration / 1_000_000_000), tv_nsec: Int(duration % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}
