import CGlibcShims
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An owned socket descriptor (TCP or UDP), closed by `close()` or on deinit.
///
/// Every descriptor is opened with `SOCK_CLOEXEC` so a spawned process (a confd reload
/// command) never inherits it, and every send uses `MSG_NOSIGNAL` so a peer that went
/// away yields `EPIPE`, never `SIGPIPE`.
///
/// Threading: a socket is used by one thread at a time (its event loop, or the client
/// thread that made it). `close()` is idempotent and safe from any thread, but closing a
/// socket another thread is still reading is the caller's bug, as with any descriptor.
public final class Socket: @unchecked Sendable {
    /// The descriptor, or -1 once closed. Atomic so `close()` happens exactly once.
    private let descriptor: Atomic<Int32>

    /// Takes ownership of an open descriptor.
    public init(adopting fileDescriptor: Int32) {
        precondition(fileDescriptor >= 0, "cannot adopt a negative descriptor")
        descriptor = Atomic(fileDescriptor)
    }

    deinit {
        close()
    }

    /// The descriptor, for event loop registration. -1 after `close()`.
    public var fileDescriptor: Int32 { descriptor.load(ordering: .acquiring) }

    public var isClosed: Bool { fileDescriptor < 0 }

    /// The open descriptor; using a closed socket is a programmer error.
    var openDescriptor: Int32 {
        let fd = fileDescriptor
        precondition(fd >= 0, "use of a closed socket")
        return fd
    }

    /// Closes the descriptor once; later calls do nothing.
    ///
    /// `close(2)` is deliberately not retried on `EINTR`: Linux releases the descriptor
    /// before it can be interrupted, so a retry could close a descriptor another thread has
    /// just been given (see close(2), "Dealing with error returns from close()").
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        precondition(result == 0 || errno != EBADF, "closed a descriptor we did not own")
    }

    /// Creates a socket of `type` for `family`, always non-blocking and close-on-exec.
    static func open(family: Int32, type: __socket_type) throws(Errno) -> Socket {
        let flags = Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            | Int32(SOCK_CLOEXEC.rawValue)
        let fd = try Syscall.blocking { socket(family, flags, 0) }
        return Socket(adopting: fd)
    }

    /// Reads up to `buffer.count` bytes. `.done(0)` is end of stream. On a blocking socket
    /// with a receive timeout, `.wouldBlock` means the timeout passed with nothing to read.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> IOOutcome<Int> {
        // An empty buffer would read 0 bytes, indistinguishable from end of stream.
        precondition(buffer.count > 0, "read into an empty buffer")
        let fd = openDescriptor
        return try Syscall.nonBlocking { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// One read through `scratch` (a reused buffer, so no allocation per read), appending
    /// what arrived to `queue`: the connection read step of both the HTTP and DNS servers.
    /// Returns the byte count (0 at end of stream), or nil when nothing is ready.
    public func read(appendingTo queue: inout ByteQueue, scratch: inout [UInt8])
        throws(Errno) -> Int?
    {
        let outcome = try scratch.withMutableBytes { (buffer) throws(Errno) in
            try read(into: buffer)
        }
        guard case .done(let count) = outcome else { return nil }
        scratch.withUnsafeBytes { queue.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        return count
    }

    /// Writes up to `bytes.count` bytes; returns how many were accepted (possibly fewer).
    /// A closed peer gives `Errno.brokenPipe` or `Errno.connectionReset`, never SIGPIPE.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) -> IOOutcome<Int> {
        let fd = openDescriptor
        return try Syscall.nonBlocking {
            Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        }
    }

    /// Writes all of `bytes` on a blocking socket (client and test code only: on an event
    /// loop a short write must wait for writability instead). A send timeout shows up as
    /// `Errno.timedOut`.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch try write(rest) {
            case .done(let count): offset += count
            case .wouldBlock: throw .timedOut
            }
        }
    }

    /// Half-closes: the peer reads end of stream, we can still read its answer.
    public func shutdownWrite() throws(Errno) {
        let fd = openDescriptor
        _ = try Syscall.blocking { shutdown(fd, Int32(SHUT_WR)) }
    }

    /// The address this socket is bound to (after binding port 0: the port the kernel chose).
    public func localAddress() throws(Errno) -> SocketAddress {
        let fd = openDescriptor
        return try Self.readAddress { getsockname(fd, $0, $1) }
    }

    /// The connected peer's address.
    public func remoteAddress() throws(Errno) -> SocketAddress {
        let fd = openDescriptor
        return try Self.readAddress { getpeername(fd, $0, $1) }
    }

    static func readAddress(
        _ call: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(Errno) -> SocketAddress {
        var native = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &native) { (pointer) throws(Errno) -> Int32 in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                (address) throws(Errno) -> Int32 in
                try Syscall.blocking { call(address, &length) }
            }
        }
        guard let address = SocketAddress(native: native) else {
            throw Errno(rawValue: EAFNOSUPPORT)
        }
        return address
    }
}
