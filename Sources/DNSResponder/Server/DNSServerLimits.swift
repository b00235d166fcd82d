/// Every bound of the DNS server shell, with the reason for its size.
public struct DNSServerLimits: Sendable {
    /// Kernel receive buffer per UDP socket (SO_RCVBUF; Linux caps it at
    /// `net.core.rmem_max`). 4 MiB holds ~40k queued queries: a burst rides out a
    /// scheduling hiccup instead of being dropped (CoreDNS sizes for "5 MB at ~30K QPS").
    public var udpReceiveBufferBytes: Int32 = 4 * 1024 * 1024
    /// Datagrams handled per readiness event, so one flooded socket cannot starve the
    /// loop's TCP connections and timers (level-triggered epoll reports the rest). They
    /// are received with one recvmmsg(2) and answered with one sendmmsg(2), so it is at
    /// most `DatagramBatch.capacityMax` (1,024).
    public var datagramsPerWakeMax = 64
    /// Longest UDP query read whole. A query is a header, one question (at most 259 bytes)
    /// and an OPT record whose options (cookies, padding to 128-byte blocks, RFC 8467) stay
    /// far below this; a longer datagram is cut by the kernel and answered FORMERR. Each
    /// loop holds `datagramsPerWakeMax` buffers of this size.
    public var udpQueryBytesMax = 4096
    /// Open TCP connections across all loops; past it new connections are closed at once
    /// (RFC 7766 §6.2.2 expects servers to limit them).
    public var tcpConnectionsMax = 1024
    /// A TCP connection with nothing in flight is closed after this long (RFC 7766 §6.2.3
    /// recommends seconds, not minutes); also the longest a stalled write may wait.
    public var tcpIdleTimeoutNanoseconds: UInt64 = 10 * 1_000_000_000
    /// Above this many unsent reply bytes a connection stops reading queries until the
    /// client reads (backpressure on a pipelining client that never reads).
    public var tcpOutboundBytesHighWater = 256 * 1024
    /// Bytes per TCP read(2); one scratch buffer per loop.
    public var tcpReadChunkBytes = 16 * 1024
    /// How long a forwarded query waits for the recursor before the client gets SERVFAIL
    /// (Consul's `recursor_timeout` default, consul.md §9.5).
    public var recursorTimeoutNanoseconds: UInt64 = 2 * 1_000_000_000
    /// Forwarded queries waiting for the recursor, per loop. Each holds a client address
    /// and the query; past it new forwards get SERVFAIL at once. Below 65536 so the
    /// 16-bit upstream IDs always have room.
    public var forwardsPendingMax = 4096
    /// Entries in each loop's answer cache (0 disables it).
    public var answerCacheEntriesMax = DNSAnswerCache.entriesMaxDefault
    /// Bytes of encoded answers in each loop's answer cache.
    public var answerCacheBytesMax = DNSAnswerCache.bytesMaxDefault
    /// How often each loop looks for idle TCP connections and expired forwards.
    public var sweepIntervalNanoseconds: UInt64 = 250_000_000

    public init() {}
}
