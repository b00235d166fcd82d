#if canImport(Glibc)
import Glibc
#endif

/// A C `errno` value as a typed operating error. Programmer errors (`EBADF`, `EFAULT`,
/// `EINVAL` from a call we built wrongly) never become an `Errno`: they stop the process
/// in `Syscall.check`, because continuing would act on a descriptor we do not own.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    public var description: String {
        guard let message = strerror(rawValue) else { return "errno \(rawValue)" }
        return "\(String(cString: message)) (errno \(rawValue))"
    }

    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    public static let noSuchFile = Errno(rawValue: ENOENT)
    public static let fileExists = Errno(rawValue: EEXIST)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let inProgress = Errno(rawValue: EINPROGRESS)
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    /// The wait was given up because its `CancellationFlag` was set.
    public static let canceled = Errno(rawValue: ECANCELED)
}

/// The outcome of a non-blocking call: done, or it would have blocked (`EAGAIN`).
/// Would-block is a normal value on an event loop, not an error.
public enum IOOutcome<Value> {
    case done(Value)
    case wouldBlock
}

extension IOOutcome: Sendable where Value: Sendable {}
extension IOOutcome: Equatable where Value: Equatable {}

/// The one place that turns a libc return code into a Swift value.
public enum Syscall {
    /// Runs `call` until it does not fail with `EINTR`; `EAGAIN` becomes `.wouldBlock`;
    /// any other failure throws its `Errno`.
    @inline(__always)
    public static func nonBlocking<Result: FixedWidthInteger>(
        _ call: () -> Result
    ) throws(Errno) -> IOOutcome<Result> {
        while true {
            let result = call()
            if result != -1 { return .done(result) }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            try check(error)
        }
    }

    /// Runs a call that must not be asked to block: `EINTR` retried, any failure thrown.
    @inline(__always)
    public static func blocking<Result: FixedWidthInteger>(
        _ call: () -> Result
    ) throws(Errno) -> Result {
        while true {
            let result = call()
            if result != -1 { return result }
            let error = errno
            if error == EINTR { continue }
            try check(error)
        }
    }

    /// Throws an operating error, or stops the process on a programmer error.
    @inline(__always)
    static func check(_ error: Int32) throws(Errno) {
        precondition(error != EBADF, "a system call was given a descriptor it does not own")
        precondition(error != EFAULT, "a system call was given a bad address")
        throw Errno(rawValue: error)
    }
}
