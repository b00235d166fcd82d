import CGlibcShims
#if canImport(Glibc)
import Glibc
#endif

/// UDP: one bound non-blocking socket per loop (the DNS responder).
extension Socket {
    /// Largest UDP payload over IPv4 (65535 - 8 UDP header - 20 IP header): a receive
    /// buffer this big never truncates a datagram.
    public static let datagramBytesMax = 65_507

    /// A non-blocking UDP socket bound to `address` (port 0: the kernel picks one).
    /// With `reusePort`, several loops can bind the same port (SO_REUSEPORT).
    public static func bindUDP(_ address: SocketAddress, reusePort: Bool) throws(Errno) -> Socket {
        let socket = try open(family: address.addressFamily, type: SOCK_DGRAM)
        if reusePort {
            try socket.setOption(level: SOL_SOCKET, name: SO_REUSEPORT, value: 1)
        }
        try socket.bind(address)
        return socket
    }

    /// Receives one datagram: its length and sender. A datagram longer than `buffer` is
    /// truncated by the kernel (size the buffer with `datagramBytesMax`, or as the protocol
    /// allows: a DNS query over UDP is at most 512 bytes without EDNS, RFC 1035 §4.2.1).
    public func receive(
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(Errno) -> IOOutcome<(Int, SocketAddress)> {
        let fd = openDescriptor
        var native = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let outcome = try withUnsafeMutablePointer(to: &native) {
            (pointer) throws(Errno) -> IOOutcome<Int> in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                (address) throws(Errno) -> IOOutcome<Int> in
                try Syscall.nonBlocking {
                    recvfrom(fd, buffer.baseAddress, buffer.count, 0, address, &length)
                }
            }
        }
        switch outcome {
        case .wouldBlock:
            return .wouldBlock
        case .done(let count):
            guard let sender = SocketAddress(native: native) else {
                throw Errno(rawValue: EAFNOSUPPORT)
            }
            return .done((count, sender))
        }
    }

    /// Sends one datagram to `address`; returns the bytes sent (all or an error: UDP does
    /// not split datagrams).
    public func send(
        _ bytes: UnsafeRawBufferPointer, to address: SocketAddress
    ) throws(Errno) -> IOOutcome<Int> {
        let fd = openDescriptor
        return try Syscall.nonBlocking {
            address.withSocketAddress {
                sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, $1)
            }
        }
    }
}
