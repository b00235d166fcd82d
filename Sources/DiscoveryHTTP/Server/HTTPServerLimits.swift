import Platform

/// Every bound of the HTTP server, with the reason for its size.
public struct HTTPServerLimits: Sendable {
    /// Parser limits: request line, header section, header count, body (etcd's 1.5 MiB
    /// `--max-request-bytes` plus gRPC's 512 KiB overhead allowance).
    public var parser = HTTPLimits()
    /// Open client connections across all loops. Each holds buffers and a parser; past
    /// this a new connection gets `503` and is closed rather than starving the others.
    public var connectionsMax = 10_000
    /// A keep-alive connection with no request in progress is closed after this long.
    public var idleTimeoutNanoseconds: UInt64 = 120 * 1_000_000_000
    /// A request must arrive completely within this long of its first byte, so a
    /// client trickling bytes cannot pin a connection (slowloris); answered with `408`.
    public var requestReadTimeoutNanoseconds: UInt64 = 30 * 1_000_000_000
    /// A response that makes no write progress for this long means the client stopped
    /// reading; the connection is closed.
    public var writeStallTimeoutNanoseconds: UInt64 = 60 * 1_000_000_000
    /// Above this many unsent response bytes the connection stops reading new requests
    /// (backpressure); a stream above it is ended because its reader cannot keep up.
    public var outboundBytesHighWater = 4 * 1024 * 1024
    /// Bytes read from a socket per `read(2)`; one scratch buffer per loop.
    public var readChunkBytes = 64 * 1024
    /// How often each loop looks for idle and stalled connections.
    public var sweepIntervalNanoseconds: UInt64 = 1_000_000_000
    /// How long a graceful shutdown waits for in-flight requests before closing anyway.
    public var shutdownGraceNanoseconds: UInt64 = 10 * 1_000_000_000

    public init() {}
}
