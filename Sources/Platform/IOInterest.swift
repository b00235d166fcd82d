import CGlibcShims

/// What an event loop watches a descriptor for. Level-triggered (see `EventLoop`).
public struct IOInterest: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Data (or a pending connection, or end of stream) can be read.
    public static let readable = IOInterest(rawValue: 1 << 0)
    /// The send buffer has room. Watch it only while output is queued: a level-triggered
    /// writable interest on an idle socket wakes the loop on every wait.
    public static let writable = IOInterest(rawValue: 1 << 1)

    /// The epoll event mask. `EPOLLRDHUP` (the peer half-closed) is asked for only with
    /// `.readable`: a handler that stopped reading must not be woken, level-triggered,
    /// over and over by a half-close it already knows about. `EPOLLHUP` and `EPOLLERR`
    /// (both directions gone) are always reported by epoll.
    var epollEvents: UInt32 {
        var events: UInt32 = 0
        if contains(.readable) { events |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if contains(.writable) { events |= EPOLLOUT.rawValue }
        return events
    }
}
