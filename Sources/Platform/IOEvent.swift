import CGlibcShims

/// One readiness report for a registered descriptor.
public struct IOEvent: Sendable, Hashable {
    public let fileDescriptor: Int32
    /// Readable (EPOLLIN/EPOLLPRI): a read will not block (it may return end of stream).
    public let readable: Bool
    /// Writable (EPOLLOUT): a write will not block.
    public let writable: Bool
    /// The peer closed (EPOLLHUP) or half-closed (EPOLLRDHUP). Pending data may still be
    /// readable: read until end of stream before closing.
    public let hangup: Bool
    /// An error is pending (EPOLLERR); the next read or write reports it as an `Errno`.
    public let error: Bool

    public init(fileDescriptor: Int32, readable: Bool, writable: Bool, hangup: Bool,
                error: Bool) {
        self.fileDescriptor = fileDescriptor
        self.readable = readable
        self.writable = writable
        self.hangup = hangup
        self.error = error
    }

    init(fileDescriptor: Int32, epollEvents events: UInt32) {
        self.init(
            fileDescriptor: fileDescriptor,
            readable: events & (EPOLLIN.rawValue | EPOLLPRI.rawValue) != 0,
            writable: events & EPOLLOUT.rawValue != 0,
            hangup: events & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0,
            error: events & EPOLLERR.rawValue != 0)
    }
}
