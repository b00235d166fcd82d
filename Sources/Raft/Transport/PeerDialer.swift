import Platform
#if canImport(Glibc)
import Glibc
#endif

/// Non-blocking TCP connect for the event loop. Platform offers only a blocking
/// `Socket.connectTCP` (for CLIs); an event loop must start the connect, watch for
/// writability and then read `SO_ERROR`, which is what this does.
enum PeerDialer {
    /// A non-blocking, close-on-exec socket whose connect to `address` has started.
    /// `connected` is true if it completed at once (loopback sometimes does).
    static func startConnect(
        _ address: SocketAddress
    ) throws(Errno) -> (socket: Socket, connected: Bool) {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            | Int32(SOCK_CLOEXEC.rawValue)
        let socket = Socket(adopting: try Syscall.blocking { Glibc.socket(family, flags, 0) })
        let fd = socket.fileDescriptor
        let result = withNativeAddress(address) { pointer, length in
            Glibc.connect(fd, pointer, length)
        }
        if result == 0 { return (socket, true) }
        let error = errno
        switch error {
        case EINPROGRESS, EINTR, EALREADY: return (socket, false)
        case EISCONN: return (socket, true)
        default:
            socket.close()
            throw Errno(rawValue: error)
        }
    }

    /// The result of a connect that was in progress: nil once connected, else its error.
    static func pendingError(_ socket: Socket) -> Errno? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let fd = socket.fileDescriptor
        do {
            _ = try Syscall.blocking { getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) }
        } catch {
            return error
        }
        return value == 0 ? nil : Errno(rawValue: value)
    }

    /// Builds the kernel address from the numeric host text (SocketAddress keeps its
    /// native form internal to Platform). IPv6 scope ids are not carried: peers are
    /// addressed by global or loopback addresses.
    private static func withNativeAddress(
        _ address: SocketAddress, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Int32 {
        switch address.family {
        case .ipv4:
            var native = sockaddr_in()
            native.sin_family = sa_family_t(AF_INET)
            native.sin_port = address.port.bigEndian
            let parsed = inet_pton(AF_INET, address.host, &native.sin_addr)
            precondition(parsed == 1, "SocketAddress.host is a numeric IPv4 address")
            return withUnsafePointer(to: &native) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6:
            var native = sockaddr_in6()
            native.sin6_family = sa_family_t(AF_INET6)
            native.sin6_port = address.port.bigEndian
            let parsed = inet_pton(AF_INET6, address.host, &native.sin6_addr)
            precondition(parsed == 1, "SocketAddress.host is a numeric IPv6 address")
            return withUnsafePointer(to: &native) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }
}
