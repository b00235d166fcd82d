import CGlibcShims
#if canImport(Glibc)
import Glibc
#endif

/// TCP listeners, accept and the blocking client connect.
extension Socket {
    /// Default listen backlog. The kernel clamps it to `net.core.somaxconn` (4096 on
    /// current kernels); 1024 absorbs a reconnect storm of clients without SYN drops.
    public static let listenBacklogDefault: Int32 = 1024

    /// A non-blocking listening TCP socket with `SO_REUSEADDR` (restart while old
    /// connections sit in TIME_WAIT). With `reusePort`, `SO_REUSEPORT` lets every event
    /// loop own a listener on the same port; the kernel spreads connections among them.
    public static func listenTCP(
        _ address: SocketAddress, backlog: Int32 = listenBacklogDefault, reusePort: Bool
    ) throws(Errno) -> Socket {
        precondition(backlog > 0, "listen backlog must be positive")
        let socket = try open(family: address.addressFamily, type: SOCK_STREAM)
        try socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        if reusePort {
            try socket.setOption(level: SOL_SOCKET, name: SO_REUSEPORT, value: 1)
        }
        try socket.bind(address)
        let fd = socket.openDescriptor
        _ = try Syscall.blocking { listen(fd, backlog) }
        return socket
    }

    func bind(_ address: SocketAddress) throws(Errno) {
        let fd = openDescriptor
        _ = try Syscall.blocking {
            address.withSocketAddress { Glibc.bind(fd, $0, $1) }
        }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    ///
    /// Errors that belong to the one aborted connection rather than the listener
    /// (`ECONNABORTED`, and the pending network errors accept(2) says to treat like
    /// `EAGAIN` on Linux) are skipped. `EMFILE`/`ENFILE` are thrown: the caller stops
    /// accepting for a while, since the listener stays readable.
    public func accept() throws(Errno) -> IOOutcome<Socket> {
        let fd = openDescriptor
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        while true {
            do {
                switch try Syscall.nonBlocking({ roost_accept4(fd, nil, nil, flags) }) {
                case .done(let accepted): return .done(Socket(adopting: accepted))
                case .wouldBlock: return .wouldBlock
                }
            } catch {
                guard Self.acceptRetryErrors.contains(error.rawValue) else { throw error }
            }
        }
    }

    /// accept(2), "Error handling": on Linux these report a failure of the new connection.
    static let acceptRetryErrors: Set<Int32> = [
        ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH,
        EOPNOTSUPP, ENETUNREACH,
    ]

    /// A BLOCKING connected TCP client socket (for CLIs, agents and tests, never for an
    /// event loop). Fails with `Errno.timedOut` if the handshake does not finish within
    /// `timeoutMilliseconds`, and with `Errno.canceled` soon after `cancellation` is set
    /// (the half-open socket is closed). Nagle is disabled: request/response traffic.
    public static func connectTCP(
        _ address: SocketAddress, timeoutMilliseconds: Int,
        cancellation: CancellationFlag? = nil
    ) throws(Errno) -> Socket {
        precondition(timeoutMilliseconds >= 0, "connect timeout must not be negative")
        let socket = try open(family: address.addressFamily, type: SOCK_STREAM)
        let deadline = MonotonicClock().nowNanoseconds()
            + UInt64(timeoutMilliseconds) * 1_000_000
        if try !socket.startConnect(address) {
            try socket.awaitConnected(deadlineNanoseconds: deadline, cancellation: cancellation)
        }
        try socket.setBlocking(true)
        try socket.setNoDelay()
        return socket
    }

    /// Starts a non-blocking connect; true if it completed at once (loopback often does).
    func startConnect(_ address: SocketAddress) throws(Errno) -> Bool {
        let fd = openDescriptor
        do {
            _ = try Syscall.blocking {
                address.withSocketAddress { Glibc.connect(fd, $0, $1) }
            }
            return true
        } catch {
            // After an EINTR retry, the first attempt may already be under way or done.
            switch error.rawValue {
            case EINPROGRESS, EALREADY: return false
            case EISCONN: return true
            default: throw error
            }
        }
    }

    /// Waits for a pending connect to finish, then reports its result (SO_ERROR). With a
    /// `cancellation`, waits in slices of `CancellationFlag.pollNanoseconds` and looks at
    /// the flag between them.
    func awaitConnected(
        deadlineNanoseconds: UInt64, cancellation: CancellationFlag? = nil
    ) throws(Errno) {
        let fd = openDescriptor
        let clock = MonotonicClock()
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        while true {
            if cancellation?.isCancelled == true { throw .canceled }
            let ready = try Syscall.blocking { () -> Int32 in
                // Recomputed on each EINTR retry so a signal never extends the deadline.
                let now = clock.nowNanoseconds()
                let remaining = deadlineNanoseconds > now ? deadlineNanoseconds - now : 0
                var milliseconds = Int((remaining + 999_999) / 1_000_000)
                if cancellation != nil {
                    milliseconds = CancellationFlag.sliceMilliseconds(milliseconds)
                }
                return poll(&poller, 1, Int32(clamping: milliseconds))
            }
            if ready > 0 { break }
            guard clock.nowNanoseconds() < deadlineNanoseconds else { throw .timedOut }
        }
        let pending = try option(level: SOL_SOCKET, name: SO_ERROR)
        guard pending == 0 else { throw Errno(rawValue: pending) }
    }
}
