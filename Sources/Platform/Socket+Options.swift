#if canImport(Glibc)
import Glibc
#endif

/// Socket options (setsockopt/getsockopt, fcntl flags).
extension Socket {
    /// Disables Nagle's algorithm (TCP_NODELAY): small responses go out at once.
    public func setNoDelay() throws(Errno) {
        try setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// For BLOCKING client sockets: a read that waits longer returns `.wouldBlock`.
    /// Zero means wait forever.
    public func setReceiveTimeout(milliseconds: Int) throws(Errno) {
        try setTimeout(name: SO_RCVTIMEO, milliseconds: milliseconds)
    }

    /// For BLOCKING client sockets: a write that waits longer returns `.wouldBlock`.
    /// Zero means wait forever.
    public func setSendTimeout(milliseconds: Int) throws(Errno) {
        try setTimeout(name: SO_SNDTIMEO, milliseconds: milliseconds)
    }

    /// The kernel receive buffer (SO_RCVBUF); Linux doubles the value for bookkeeping and
    /// caps it at `net.core.rmem_max`.
    public func setReceiveBufferBytes(_ bytes: Int32) throws(Errno) {
        precondition(bytes > 0, "receive buffer size must be positive")
        try setOption(level: SOL_SOCKET, name: SO_RCVBUF, value: bytes)
    }

    /// Switches between blocking and non-blocking mode (O_NONBLOCK).
    public func setBlocking(_ blocking: Bool) throws(Errno) {
        let fd = openDescriptor
        let flags = try Syscall.blocking { fcntl(fd, F_GETFL) }
        let updated = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        guard updated != flags else { return }
        _ = try Syscall.blocking { fcntl(fd, F_SETFL, updated) }
    }

    func setTimeout(name: Int32, milliseconds: Int) throws(Errno) {
        precondition(milliseconds >= 0, "timeout must not be negative")
        var value = timeval(tv_sec: milliseconds / 1000,
                            tv_usec: (milliseconds % 1000) * 1000)
        let fd = openDescriptor
        _ = try Syscall.blocking {
            setsockopt(fd, SOL_SOCKET, name, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    func setOption(level: Int32, name: Int32, value: Int32) throws(Errno) {
        var value = value
        let fd = openDescriptor
        _ = try Syscall.blocking {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    func option(level: Int32, name: Int32) throws(Errno) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let fd = openDescriptor
        _ = try Syscall.blocking { getsockopt(fd, level, name, &value, &length) }
        return value
    }
}
